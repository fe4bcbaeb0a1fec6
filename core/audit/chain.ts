/**
 * The hash chain. Each record's hash is SHA-256 over a canonical serialisation of every stored
 * column (seq included, so reordering or renumbering breaks it) and the previous record's hash
 * (so removing or inserting a record breaks every later link). The first record links to
 * GENESIS_HASH. Columns are hashed as stored (details as its JSON text), so verification needs no
 * re-serialisation of the details object.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** One row of audit_log, as stored. */
export interface AuditRow {
  seq: number;
  time: number;
  actor_type: string;
  actor_id: string;
  action: string;
  object_type: string | null;
  object_id: string | null;
  org: string | null;
  result: string;
  details: string;
  prev_hash: string;
  hash: string;
}

/** JSON array of the columns in a fixed order: unambiguous (strings quoted and escaped), stable. */
export function canonicalAuditText(row: Omit<AuditRow, 'hash'>): string {
  return JSON.stringify([
    'socnoc-audit-v1',
    row.seq,
    row.time,
    row.actor_type,
    row.actor_id,
    row.action,
    row.object_type,
    row.object_id,
    row.org,
    row.result,
    row.details,
    row.prev_hash,
  ]);
}

export function auditHash(row: Omit<AuditRow, 'hash'>): string {
  return createHash('sha256').update(canonicalAuditText(row), 'utf8').digest('hex');
}

/** Why a row breaks the chain after `prev` (undefined: it holds). */
export function chainProblem(row: AuditRow, prev: { seq: number; hash: string }): string | undefined {
  if (row.seq !== prev.seq + 1) {
    return row.seq > prev.seq + 1 ? `sequence gap: expected ${prev.seq + 1}, found ${row.seq} (records removed)` : `sequence out of order: ${row.seq} after ${prev.seq}`;
  }
  if (row.prev_hash !== prev.hash) return `prev_hash does not match the hash of record ${prev.seq} (a record before it was changed, removed or inserted)`;
  if (auditHash(row) !== row.hash) return 'hash does not match the record (a field was changed)';
  return undefined;
}
