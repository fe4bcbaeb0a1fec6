/** The alerts row as read for the API, and its conversion to the Alert the API returns. */
import type { Statement } from 'better-sqlite3';
import type { EcsEvent } from '../../core/event';
import type { SqliteDb } from '../../core/store/sqlite';
import type { Alert, AlertMappings, AlertOrganization, AlertRule } from './types';

/** Immutable part of an alert, stored as JSON in `record`. */
export interface AlertRecord {
  rule: AlertRule;
  mappings: AlertMappings;
  organization: AlertOrganization;
  group: Record<string, string>;
}

export interface AlertRow {
  seq: number;
  id: string;
  status: string;
  severity: string;
  group_key: string;
  first_seen: number;
  last_seen: number;
  count: number;
  severity_rank: number;
  assignee: string | null;
  updated_by: string | null;
  created_at: number;
  updated_at: number;
  record: string;
}

/** An alert's event ids (a JSON array) and sample (stored event JSON joined by commas; null: none). */
interface AlertEventsRow {
  alert_seq: number;
  ids: string;
  events: string | null;
}

export const ROW_COLUMNS = 'seq, id, status, severity, group_key, first_seen, last_seen, count, severity_rank, assignee, updated_by, created_at, updated_at, record';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Per alert, one row instead of one per event: object creation per row cost more than the scan. */
const EVENTS_COLUMNS = `alert_seq, json_group_array(event_id ORDER BY pos) FILTER (WHERE event_id IS NOT NULL) AS ids, group_concat(event, ',' ORDER BY pos) AS events`;

/**
 * Rows → alerts, with their event ids and sample read in one query. Statements are prepared once:
 * `get` runs per alert change on the triage path (playbook triggers), where preparing the events
 * query each time cost as much as running it.
 */
export class AlertRowReader {
  private readonly eventsOfOne: Statement<[number], AlertEventsRow>;
  /** Any number of alerts: the row numbers go in as one JSON array. */
  private readonly eventsOfMany: Statement<[string], AlertEventsRow>;

  constructor(db: SqliteDb) {
    this.eventsOfOne = db.prepare<[number], AlertEventsRow>(`SELECT ${EVENTS_COLUMNS} FROM alert_events WHERE alert_seq = ?`);
    this.eventsOfMany = db.prepare<[string], AlertEventsRow>(`SELECT ${EVENTS_COLUMNS} FROM alert_events WHERE alert_seq IN (SELECT value FROM json_each(?)) GROUP BY alert_seq`);
  }

  read(rows: readonly AlertRow[]): Alert[] {
    if (rows.length === 0) return [];
    if (rows.length === 1) {
      const e = this.eventsOfOne.get(rows[0].seq);
      return [alertOf(rows[0], e)];
    }
    const bySeq = new Map<number, AlertEventsRow>();
    for (const e of this.eventsOfMany.iterate(JSON.stringify(rows.map((r) => r.seq)))) bySeq.set(e.alert_seq, e);
    return rows.map((row) => alertOf(row, bySeq.get(row.seq)));
  }
}

function alertOf(row: AlertRow, stored: AlertEventsRow | undefined): Alert {
  const record = JSON.parse(row.record) as AlertRecord;
  // Stored events are JSON.stringify output: joined by commas they are a JSON array.
  const events = stored === undefined || stored.events === null ? [] : (JSON.parse(`[${stored.events}]`) as EcsEvent[]);
  const ids = stored === undefined ? [] : (JSON.parse(stored.ids) as string[]);
  return {
    id: row.id,
    status: row.status as Alert['status'],
    severity: row.severity as Alert['severity'],
    rule: record.rule,
    mappings: record.mappings,
    organization: record.organization,
    first_seen: iso(row.first_seen),
    last_seen: iso(row.last_seen),
    count: row.count,
    group_key: row.group_key,
    group: record.group,
    event_ids: ids,
    events,
    assignee: row.assignee,
    updated_by: row.updated_by,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}
