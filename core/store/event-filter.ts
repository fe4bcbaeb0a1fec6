/**
 * The WHERE clause every event query shares: time bounds, agency scope, the compiled query.
 * Identical SQL for every partition, so each partition connection prepares it once.
 */
import type { QueryNode } from '../query/ast';
import { compileQueryToSql, type EventTableLayout, type SqlFragment, type SqlParam } from '../query/to-sql';
import { EVENT_TABLE_LAYOUT } from './event-partition';

export interface EventFilterParams {
  query?: QueryNode;
  from?: number;
  to?: number;
  organizations?: string[];
}

function checkTime(name: string, value: number | undefined): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
    throw new RangeError(`event search: ${name} must be epoch milliseconds, got ${String(value)}`);
  }
}

/**
 * The filter, or null when it can match nothing (an empty agency list, an empty time range).
 * `layout`: the partition's (EVENT_TABLE_LAYOUT_LEGACY for files written before the split columns).
 */
export function buildEventFilter(params: EventFilterParams, layout: EventTableLayout = EVENT_TABLE_LAYOUT): SqlFragment | null {
  checkTime('from', params.from);
  checkTime('to', params.to);
  if (params.from !== undefined && params.to !== undefined && params.from >= params.to) return null;
  const conditions: string[] = [];
  const values: SqlParam[] = [];
  if (params.from !== undefined) {
    conditions.push('events.ts >= ?');
    values.push(params.from);
  }
  if (params.to !== undefined) {
    conditions.push('events.ts < ?');
    values.push(params.to);
  }
  if (params.organizations !== undefined) {
    if (params.organizations.length === 0) return null;
    for (const org of params.organizations) {
      if (typeof org !== 'string') throw new TypeError(`event search: organization ids must be strings, got ${typeof org}`);
    }
    conditions.push(`events.org IN (${params.organizations.map(() => '?').join(', ')})`);
    values.push(...params.organizations);
  }
  if (params.query !== undefined) {
    const compiled = compileQueryToSql(params.query, layout);
    conditions.push(compiled.sql);
    values.push(...compiled.params);
  }
  return { sql: conditions.length > 0 ? conditions.join(' AND ') : '1', params: values };
}
