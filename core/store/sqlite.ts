/**
 * The embedded store framework: one SQLite connection per database file, tuned for batched
 * appends, and per-module migrations so each capability owns its own tables.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteDb = Database.Database;

export interface OpenSqliteOptions {
  /** Page size for a new database file (ignored for an existing one); must be set before WAL is on. */
  pageSize?: number;
}

export function openSqlite(file: string, options: OpenSqliteOptions = {}): SqliteDb {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  if (options.pageSize !== undefined) db.pragma(`page_size = ${Math.trunc(options.pageSize)}`);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode is durable against process crashes; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Applies the migrations of one module (its namespace) that have not run yet, each in a transaction.
 * Migrations are append-only: never edit one that has shipped, add the next.
 */
export function applyMigrations(db: SqliteDb, namespace: string, migrations: readonly string[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (namespace TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (namespace, version))');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations WHERE namespace = ?').get(namespace) as { v: number | null };
  const current = row.v ?? 0;
  const record = db.prepare('INSERT INTO schema_migrations (namespace, version, applied_at) VALUES (?, ?, ?)');
  for (let i = current; i < migrations.length; i++) {
    db.transaction(() => {
      db.exec(migrations[i]);
      record.run(namespace, i + 1, new Date().toISOString());
    })();
  }
}
