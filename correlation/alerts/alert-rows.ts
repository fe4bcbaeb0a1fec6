/** The alerts row as read for the API, and its conversion to the Alert the API returns. */
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

interface AlertEventRow {
  alert_seq: number;
  event_id: string | null;
  event: string | null;
}

export const ROW_COLUMNS = 'seq, id, status, severity, group_key, first_seen, last_seen, count, severity_rank, assignee, updated_by, created_at, updated_at, record';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Rows → alerts, with their event ids and sample read in one query. */
export function readAlerts(db: SqliteDb, rows: readonly AlertRow[]): Alert[] {
  if (rows.length === 0) return [];
  const bySeq = new Map<number, { ids: string[]; events: EcsEvent[] }>();
  for (const r of rows) bySeq.set(r.seq, { ids: [], events: [] });
  const events = db
    .prepare(`SELECT alert_seq, event_id, event FROM alert_events WHERE alert_seq IN (${rows.map(() => '?').join(', ')}) ORDER BY alert_seq, pos`)
    .all(...rows.map((r) => r.seq)) as AlertEventRow[];
  for (const e of events) {
    const entry = bySeq.get(e.alert_seq);
    if (entry === undefined) continue;
    if (e.event_id !== null) entry.ids.push(e.event_id);
    if (e.event !== null) entry.events.push(JSON.parse(e.event) as EcsEvent);
  }
  return rows.map((row) => {
    const record = JSON.parse(row.record) as AlertRecord;
    const sample = bySeq.get(row.seq)!;
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
      event_ids: sample.ids,
      events: sample.events,
      assignee: row.assignee,
      updated_by: row.updated_by,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    };
  });
}
