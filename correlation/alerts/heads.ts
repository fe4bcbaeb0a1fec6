/**
 * Cheap reads for the triage path (incident grouping after each detection batch): an alert's head
 * (the row's small columns, no record JSON, no sample events) for many alerts in one query, and the
 * event ids stored at or after a position. A fold changes only count, times and the event lists,
 * so grouping an alert already in an incident needs no more than this.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from '../../core/store/sqlite';
import type { AlertSeverity, AlertStatus } from './types';

export interface AlertHead {
  id: string;
  /** Row number, for eventIdsFrom. */
  seq: number;
  status: AlertStatus;
  severity: AlertSeverity;
  organizationId: string;
  /** Event time, epoch ms. */
  firstSeen: number;
  lastSeen: number;
  /** Sample events stored; the sample only ever grows, so an unchanged count means an unchanged sample. */
  nEvents: number;
  /** Event rows stored (positions 0..nEventIds-1); only ever grows. */
  nEventIds: number;
}

interface HeadRow {
  seq: number;
  id: string;
  status: string;
  severity: string;
  org: string;
  first_seen: number;
  last_seen: number;
  n_events: number;
  n_event_ids: number;
}

/** One prepared statement for any number of ids: the list goes in as one JSON array. */
const HEADS_SQL = `SELECT seq, id, status, severity, org, first_seen, last_seen, n_events, n_event_ids FROM alerts
  WHERE id IN (SELECT value FROM json_each(?))`;

export class AlertHeadReader {
  private readonly selectHeads: Statement<[string], HeadRow>;
  private readonly selectEventIdsFrom: Statement<[number, number], { event_id: string | null }>;

  constructor(db: SqliteDb) {
    this.selectHeads = db.prepare<[string], HeadRow>(HEADS_SQL);
    this.selectEventIdsFrom = db.prepare<[number, number], { event_id: string | null }>('SELECT event_id FROM alert_events WHERE alert_seq = ? AND pos >= ? ORDER BY pos');
  }

  /** Heads by alert id; ids that do not exist are absent. */
  heads(ids: readonly string[]): Map<string, AlertHead> {
    const out = new Map<string, AlertHead>();
    if (ids.length === 0) return out;
    for (const r of this.selectHeads.iterate(JSON.stringify(ids))) {
      out.set(r.id, {
        id: r.id,
        seq: r.seq,
        status: r.status as AlertStatus,
        severity: r.severity as AlertSeverity,
        organizationId: r.org,
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
        nEvents: r.n_events,
        nEventIds: r.n_event_ids,
      });
    }
    return out;
  }

  /** Event ids at positions `from` and later, in order (rows without an id skipped). */
  eventIdsFrom(seq: number, from: number): string[] {
    const out: string[] = [];
    for (const r of this.selectEventIdsFrom.iterate(seq, from)) if (r.event_id !== null) out.push(r.event_id);
    return out;
  }
}
