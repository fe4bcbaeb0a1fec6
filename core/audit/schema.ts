/**
 * The audit table (its own database file, `audit.db`): append-only. Triggers refuse UPDATE and
 * DELETE — a guard against mistakes and casual edits; someone with the file can drop them, which
 * is what the hash chain (chain.ts) detects. AUTOINCREMENT makes SQLite remember the highest seq
 * ever used (sqlite_sequence), so removing the newest records shows too unless that is edited as well.
 * No index on time: records arrive in time order, so seq order serves time ranges, and each index
 * costs every append (measured: three indexes doubled the insert time).
 */
export const AUDIT_MIGRATIONS: readonly string[] = [
  `CREATE TABLE audit_log (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     time INTEGER NOT NULL,
     actor_type TEXT NOT NULL,
     actor_id TEXT NOT NULL,
     action TEXT NOT NULL,
     object_type TEXT,
     object_id TEXT,
     org TEXT,
     result TEXT NOT NULL,
     details TEXT NOT NULL,
     prev_hash TEXT NOT NULL,
     hash TEXT NOT NULL
   );
   CREATE INDEX audit_by_org ON audit_log (org, seq);
   CREATE INDEX audit_by_object ON audit_log (object_type, object_id);
   CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END;
   CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END;`,
];
