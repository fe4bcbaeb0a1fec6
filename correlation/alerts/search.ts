/**
 * Alert search: the WHERE clause (agency scope, status, severity, time overlap, query) and the
 * keyset cursor over (last_seen DESC, id DESC). Deduplication moves an alert's last_seen forward,
 * so an alert updated while a client pages may appear again on page one; none is skipped.
 */
import type { QueryNode } from '../../core/query/ast';
import { compileQueryToSql, type SqlParam } from '../../core/query/to-sql';
import { ALERT_TABLE_LAYOUT } from './schema';
import type { AlertSeverity, AlertStatus } from './types';

export interface AlertSearchParams {
  query?: QueryNode;
  statuses?: readonly AlertStatus[];
  severities?: readonly AlertSeverity[];
  /** Alerts active at or after this time (last_seen >= from), epoch ms. */
  from?: number;
  /** Alerts active before this time (first_seen < to), epoch ms. */
  to?: number;
  /** Alerts whose kept event ids include this one (pivot from an event to its alerts). */
  eventId?: string;
  /** Agency scope; undefined means every agency (admin). */
  organizations?: readonly string[];
  limit: number;
  cursor?: string;
}

export interface AlertCursor {
  lastSeen: number;
  id: string;
  total: number;
}

export class AlertSearchCursorError extends Error {
  constructor(reason: string) {
    super(`alert search: invalid cursor (${reason})`);
    this.name = 'AlertSearchCursorError';
  }
}

export function encodeAlertCursor(cursor: AlertCursor): string {
  return Buffer.from(JSON.stringify([cursor.lastSeen, cursor.id, cursor.total]), 'utf8').toString('base64url');
}

export function decodeAlertCursor(text: string): AlertCursor {
  if (text.length === 0 || text.length > 1024) throw new AlertSearchCursorError('empty or too long');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new AlertSearchCursorError('not a cursor returned by an alert search');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw new AlertSearchCursorError('not a cursor returned by an alert search');
  const [lastSeen, id, total] = parsed as unknown[];
  if (typeof lastSeen !== 'number' || !Number.isSafeInteger(lastSeen)) throw new AlertSearchCursorError('bad time');
  if (typeof id !== 'string' || id.length === 0) throw new AlertSearchCursorError('bad alert id');
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) throw new AlertSearchCursorError('bad total');
  return { lastSeen, id, total };
}

export interface AlertFilter {
  sql: string;
  params: SqlParam[];
}

function checkTime(name: string, value: number | undefined): void {
  if (value !== undefined && !Number.isFinite(value)) throw new RangeError(`alert search: ${name} must be epoch milliseconds, got ${String(value)}`);
}

function inList(column: string, values: readonly string[], conditions: string[], params: SqlParam[]): void {
  conditions.push(`${column} IN (${values.map(() => '?').join(', ')})`);
  params.push(...values);
}

/** The filter, or null when it can match nothing (no agencies, an empty status list, from >= to). */
export function buildAlertFilter(p: Omit<AlertSearchParams, 'limit' | 'cursor'>): AlertFilter | null {
  checkTime('from', p.from);
  checkTime('to', p.to);
  if (p.from !== undefined && p.to !== undefined && p.from >= p.to) return null;
  const conditions: string[] = [];
  const params: SqlParam[] = [];
  if (p.organizations !== undefined) {
    if (p.organizations.length === 0) return null;
    inList('alerts.org', p.organizations, conditions, params);
  }
  if (p.statuses !== undefined) {
    if (p.statuses.length === 0) return null;
    inList('alerts.status', p.statuses, conditions, params);
  }
  if (p.severities !== undefined) {
    if (p.severities.length === 0) return null;
    inList('alerts.severity', p.severities, conditions, params);
  }
  if (p.from !== undefined) {
    conditions.push('alerts.last_seen >= ?');
    params.push(p.from);
  }
  if (p.to !== undefined) {
    conditions.push('alerts.first_seen < ?');
    params.push(p.to);
  }
  if (p.eventId !== undefined) {
    conditions.push('EXISTS (SELECT 1 FROM alert_events AS ae WHERE ae.alert_seq = alerts.seq AND ae.event_id = ?)');
    params.push(p.eventId);
  }
  if (p.query !== undefined) {
    const compiled = compileQueryToSql(p.query, ALERT_TABLE_LAYOUT);
    conditions.push(compiled.sql);
    params.push(...compiled.params);
  }
  return { sql: conditions.length > 0 ? conditions.join(' AND ') : '1', params };
}
