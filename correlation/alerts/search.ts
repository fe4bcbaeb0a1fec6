/**
 * Alert search: the WHERE clause (agency scope, status, severity, assignee, rule, ATT&CK, time
 * overlap, query) and the keyset cursor over the chosen sort (last_seen by default, then id).
 * Deduplication moves an alert's last_seen and count, so an alert updated while a client pages may
 * appear twice; none is skipped when sorting by time.
 */
import type { QueryNode } from '../../core/query/ast';
import { compileQueryToSql, type SqlParam } from '../../core/query/to-sql';
import { ALERT_TABLE_LAYOUT } from './schema';
import type { AlertSeverity, AlertStatus } from './types';

/** Sort keys: each maps to columns compared in order, then the alert id. */
export const ALERT_SORTS = ['last_seen', 'first_seen', 'severity', 'count'] as const;
export type AlertSort = (typeof ALERT_SORTS)[number];
export type SortOrder = 'desc' | 'asc';

export const SORT_COLUMNS: Readonly<Record<AlertSort, readonly string[]>> = {
  last_seen: ['last_seen'],
  first_seen: ['first_seen'],
  severity: ['severity_rank', 'last_seen'],
  count: ['count', 'last_seen'],
};

export interface AlertSearchParams {
  query?: QueryNode;
  statuses?: readonly AlertStatus[];
  severities?: readonly AlertSeverity[];
  /** Assigned to one of these users; null in the list stands for unassigned. */
  assignees?: readonly (string | null)[];
  ruleIds?: readonly string[];
  /** Agencies asked for (a filter within the scope below, never a widening of it). */
  agencies?: readonly string[];
  /** ATT&CK tactics (`credential-access`) and techniques (`T1110` also matches its sub-techniques). */
  tactics?: readonly string[];
  techniques?: readonly string[];
  /** Alerts active at or after this time (last_seen >= from), epoch ms. */
  from?: number;
  /** Alerts active before this time (first_seen < to), epoch ms. */
  to?: number;
  /** Alerts whose kept event ids include this one (pivot from an event to its alerts). */
  eventId?: string;
  /** Agency scope; undefined means every agency (admin). */
  organizations?: readonly string[];
  sort?: AlertSort;
  order?: SortOrder;
  limit: number;
  cursor?: string;
}

export interface AlertCursor {
  sort: AlertSort;
  order: SortOrder;
  /** The last row's sort column values. */
  values: number[];
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
  return Buffer.from(JSON.stringify([cursor.sort, cursor.order, cursor.values, cursor.id, cursor.total]), 'utf8').toString('base64url');
}

export function decodeAlertCursor(text: string): AlertCursor {
  if (text.length === 0 || text.length > 1024) throw new AlertSearchCursorError('empty or too long');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new AlertSearchCursorError('not a cursor returned by an alert search');
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) throw new AlertSearchCursorError('not a cursor returned by an alert search');
  const [sort, order, values, id, total] = parsed as unknown[];
  if (typeof sort !== 'string' || !(ALERT_SORTS as readonly string[]).includes(sort)) throw new AlertSearchCursorError('bad sort');
  if (order !== 'desc' && order !== 'asc') throw new AlertSearchCursorError('bad order');
  const columns = SORT_COLUMNS[sort as AlertSort];
  if (!Array.isArray(values) || values.length !== columns.length || !values.every((v) => typeof v === 'number' && Number.isSafeInteger(v))) {
    throw new AlertSearchCursorError('bad sort values');
  }
  if (typeof id !== 'string' || id.length === 0) throw new AlertSearchCursorError('bad alert id');
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) throw new AlertSearchCursorError('bad total');
  return { sort: sort as AlertSort, order, values: values as number[], id, total };
}

/** `ORDER BY` for a sort: its columns, then id, all in one direction. */
export function orderByOf(sort: AlertSort, order: SortOrder): string {
  const dir = order === 'desc' ? 'DESC' : 'ASC';
  return [...SORT_COLUMNS[sort], 'id'].map((c) => `alerts.${c} ${dir}`).join(', ');
}

/** Rows after the cursor's: (c1 < v1) OR (c1 = v1 AND c2 < v2) OR … OR (all equal AND id < last id). */
export function keysetAfter(cursor: AlertCursor): { sql: string; params: SqlParam[] } {
  const op = cursor.order === 'desc' ? '<' : '>';
  const columns = [...SORT_COLUMNS[cursor.sort], 'id'];
  const values: SqlParam[] = [...cursor.values, cursor.id];
  const ors: string[] = [];
  const params: SqlParam[] = [];
  for (let i = 0; i < columns.length; i++) {
    const parts: string[] = [];
    for (let j = 0; j < i; j++) {
      parts.push(`alerts.${columns[j]} = ?`);
      params.push(values[j]);
    }
    parts.push(`alerts.${columns[i]} ${op} ?`);
    params.push(values[i]);
    ors.push(`(${parts.join(' AND ')})`);
  }
  return { sql: `(${ors.join(' OR ')})`, params };
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

function term(field: string, value: string, wildcard = false): QueryNode {
  return { kind: 'term', field, value, wildcard, phrase: false };
}

/** Any of the tactics, and any of the techniques (a technique without a sub-technique also matches its sub-techniques). */
function attackQuery(tactics: readonly string[] | undefined, techniques: readonly string[] | undefined): QueryNode | undefined {
  const parts: QueryNode[] = [];
  if (tactics !== undefined && tactics.length > 0) parts.push({ kind: 'or', children: tactics.map((t) => term('mappings.attack.tactics', t)) });
  if (techniques !== undefined && techniques.length > 0) {
    const children: QueryNode[] = [];
    for (const t of techniques) {
      children.push(term('mappings.attack.techniques', t));
      if (!t.includes('.')) children.push(term('mappings.attack.techniques', `${t}.*`, true));
    }
    parts.push({ kind: 'or', children });
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { kind: 'and', children: parts };
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
  if (p.agencies !== undefined) {
    if (p.agencies.length === 0) return null;
    inList('alerts.org', p.agencies, conditions, params);
  }
  if (p.ruleIds !== undefined) {
    if (p.ruleIds.length === 0) return null;
    inList('alerts.rule_id', p.ruleIds, conditions, params);
  }
  if (p.assignees !== undefined) {
    if (p.assignees.length === 0) return null;
    const named = p.assignees.filter((a): a is string => a !== null);
    const either: string[] = [];
    if (named.length > 0) {
      either.push(`alerts.assignee IN (${named.map(() => '?').join(', ')})`);
      params.push(...named);
    }
    if (named.length < p.assignees.length) either.push('alerts.assignee IS NULL');
    conditions.push(either.length > 1 ? `(${either.join(' OR ')})` : either[0]);
  }
  const attack = attackQuery(p.tactics, p.techniques);
  if (attack !== undefined) {
    const compiled = compileQueryToSql(attack, ALERT_TABLE_LAYOUT);
    conditions.push(compiled.sql);
    params.push(...compiled.params);
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
