/**
 * AuditLog: the append-only, hash-chained record of user, token, playbook and system actions, in
 * its own SQLite file. `append` is synchronous (one small transaction, tens of microseconds) so a
 * caller records before it answers; `verify` walks the chain; `list` pages newest first.
 *
 * Each append reads the current head inside an IMMEDIATE transaction, so two processes sharing the
 * file (the server and a CLI command) still extend one chain.
 */
import type { Statement } from 'better-sqlite3';
import { applyMigrations, openSqlite, type SqliteDb } from '../store/sqlite';
import { auditHash, chainProblem, GENESIS_HASH, type AuditRow } from './chain';
import { redactDetails } from './redact';
import { AUDIT_MIGRATIONS } from './schema';
import type { AuditActorType, AuditEntry, AuditRecord, AuditResult, AuditVerifyResult } from './types';

export const MAX_AUDIT_LIMIT = 1000;
const MAX_TEXT = 200;

export interface AuditFilter {
  /** Records of these agencies only; undefined: all (admin). Records without an agency are then hidden. */
  organizations?: readonly string[];
  actor?: string;
  /** Exact action, or a prefix ending in `.` (`alert.`). */
  action?: string;
  objectType?: string;
  objectId?: string;
  result?: AuditResult;
  /** Epoch ms, inclusive / exclusive. */
  from?: number;
  to?: number;
  /** Records with seq below this (the `next` of the previous page). */
  before?: number;
  limit: number;
}

export interface AuditPage {
  records: AuditRecord[];
  /** Pass as `before` for the next page; null on the last. */
  next: number | null;
}

export interface AuditLogOptions {
  now?: () => number;
}

function cap(text: string): string {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    seq: row.seq,
    time: new Date(row.time).toISOString(),
    actor: { type: row.actor_type as AuditActorType, id: row.actor_id },
    action: row.action,
    object: row.object_type === null ? null : { type: row.object_type, id: row.object_id },
    organization: row.org,
    result: row.result as AuditResult,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prev_hash: row.prev_hash,
    hash: row.hash,
  };
}

export class AuditLog {
  /** Records appended by this process (socnoc_audit_records_total). */
  appended = 0;
  private readonly now: () => number;
  private readonly selectHead: Statement<[], { seq: number; hash: string }>;
  private readonly insert: Statement<[AuditRow]>;
  private readonly appendTx: (row: Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>) => number;

  constructor(
    readonly db: SqliteDb,
    options: AuditLogOptions = {},
  ) {
    applyMigrations(db, 'audit', AUDIT_MIGRATIONS);
    this.now = options.now ?? Date.now;
    this.selectHead = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare<[AuditRow]>(
      `INSERT INTO audit_log (seq, time, actor_type, actor_id, action, object_type, object_id, org, result, details, prev_hash, hash)
       VALUES (@seq, @time, @actor_type, @actor_id, @action, @object_type, @object_id, @org, @result, @details, @prev_hash, @hash)`,
    );
    const tx = db.transaction((partial: Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>): number => {
      const head = this.selectHead.get() ?? { seq: 0, hash: GENESIS_HASH };
      const row = { ...partial, seq: head.seq + 1, prev_hash: head.hash, hash: '' };
      row.hash = auditHash(row);
      this.insert.run(row);
      return row.seq;
    });
    this.appendTx = (row) => tx.immediate(row);
  }

  /** Records one action; returns its seq. Secrets in `details` are redacted. */
  append(entry: AuditEntry): number {
    const seq = this.appendTx({
      time: entry.time ?? this.now(),
      actor_type: entry.actor.type,
      actor_id: cap(entry.actor.id),
      action: cap(entry.action),
      object_type: entry.object ? cap(entry.object.type) : null,
      object_id: entry.object?.id != null ? cap(entry.object.id) : null,
      org: entry.organization ?? null,
      result: entry.result,
      details: JSON.stringify(redactDetails(entry.details)),
    });
    this.appended++;
    return seq;
  }

  /** Walks the whole chain in seq order; stops at the first record that breaks it. */
  verify(): AuditVerifyResult {
    return verifyAuditChain(this.db);
  }

  list(filter: AuditFilter): AuditPage {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (filter.organizations !== undefined) {
      if (filter.organizations.length === 0) return { records: [], next: null };
      where.push(`org IN (${filter.organizations.map(() => '?').join(', ')})`);
      params.push(...filter.organizations);
    }
    const eq = (column: string, value: string | number | undefined): void => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      params.push(value);
    };
    eq('actor_id', filter.actor);
    eq('object_type', filter.objectType);
    eq('object_id', filter.objectId);
    eq('result', filter.result);
    if (filter.action !== undefined) {
      if (filter.action.endsWith('.')) {
        where.push('substr(action, 1, ?) = ?');
        params.push(filter.action.length, filter.action);
      } else eq('action', filter.action);
    }
    if (filter.from !== undefined) {
      where.push('time >= ?');
      params.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push('time < ?');
      params.push(filter.to);
    }
    if (filter.before !== undefined) {
      where.push('seq < ?');
      params.push(filter.before);
    }
    const limit = Math.min(Math.max(1, Math.trunc(filter.limit)), MAX_AUDIT_LIMIT);
    const sql = `SELECT * FROM audit_log${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, limit + 1) as AuditRow[];
    const more = rows.length > limit;
    if (more) rows.length = limit;
    return { records: rows.map(toRecord), next: more ? rows[rows.length - 1].seq : null };
  }

  close(): void {
    this.db.close();
  }
}

/** Verifies the chain of an open audit database (read-only use is enough). */
export function verifyAuditChain(db: SqliteDb): AuditVerifyResult {
  let prev = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    checked++;
    const problem = chainProblem(row, prev);
    if (problem !== undefined) return { ok: false, checked, head: prev.hash, firstBad: { seq: row.seq, reason: problem } };
    prev = { seq: row.seq, hash: row.hash };
  }
  const highest = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").get() as { seq: number } | undefined;
  if (highest !== undefined && highest.seq > prev.seq) {
    return { ok: false, checked, head: prev.hash, firstBad: { seq: prev.seq + 1, reason: `records ${prev.seq + 1} to ${highest.seq} removed from the end of the log` } };
  }
  return { ok: true, checked, head: prev.hash };
}

/** Opens (creating if needed) the audit log at a file path. */
export function openAuditLog(file: string, options: AuditLogOptions = {}): AuditLog {
  return new AuditLog(openSqlite(file), options);
}
