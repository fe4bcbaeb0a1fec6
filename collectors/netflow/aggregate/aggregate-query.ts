/**
 * Reads flow aggregates across the day files a time range touches: top-N by a dimension and time series.
 * Each day file is queried on its own (one connection per file, kept in a small LRU) and the results
 * merged, as the event store reads its partitions. Within a file, the whole hours of the range whose
 * rollup is done are read from `flow_hours` and the rest from `flow_minutes` (hour-rollup.ts), so a
 * day-long query reads 24 hourly sets of rows instead of 1,440 minutes. Every query takes the caller's
 * agencies: undefined is every agency (admin), an empty list sees nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openSqlite, type SqliteDb } from '../../../core/store/sqlite';
import { DAY_MS, dayFileName, dayOf } from './day-files';
import { HOUR_MS } from './hour-rollup';
import { MINUTE_MS } from './minute-aggregator';

export const FLOW_TOP_DIMENSIONS = ['source.ip', 'destination.ip', 'destination.port', 'conversation', 'agency'] as const;
export type FlowTopDimension = (typeof FLOW_TOP_DIMENSIONS)[number];
export const FLOW_METRICS = ['bytes', 'packets', 'flows'] as const;
export type FlowMetric = (typeof FLOW_METRICS)[number];

/** The key of rows folded into "other" (minute overflow) once labelled. */
export const OTHER_KEY = 'other';

const KEY_SQL: Record<FlowTopDimension, string> = {
  'source.ip': 'src',
  'destination.ip': 'dst',
  'destination.port': 'CAST(dst_port AS TEXT)',
  // Both directions of a conversation are one entry, as ntopng and nfdump's bidirectional view show it.
  conversation: "CASE WHEN src = '' THEN '' WHEN src <= dst THEN src || ' <-> ' || dst ELSE dst || ' <-> ' || src END",
  agency: 'org',
};

export interface FlowScope {
  /** Epoch ms, inclusive; rounded down to its minute. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  /** The caller's agencies; undefined: all. */
  organizations?: readonly string[];
  exporter?: string;
}

export interface FlowTopQuery extends FlowScope {
  by: FlowTopDimension;
  metric: FlowMetric;
  limit: number;
}

export interface FlowTopEntry {
  key: string;
  bytes: number;
  packets: number;
  flows: number;
}

export interface FlowSeriesQuery extends FlowScope {
  intervalMs: number;
  /** Flows that entered (`in`), left (`out`) or did either (`both`) through this ifIndex of the exporter. */
  ifIndex?: number;
  direction?: 'in' | 'out' | 'both';
  /** Flows from or to this address. */
  ip?: string;
}

export interface FlowSeriesPoint {
  /** Bucket start, epoch ms. */
  start: number;
  bytes: number;
  packets: number;
  flows: number;
}

interface Where {
  sql: string;
  args: Array<string | number>;
}

interface RangePart {
  db: SqliteDb;
  table: 'flow_minutes' | 'flow_hours';
  time: 'minute' | 'hour';
  from: number;
  to: number;
}

const MAX_OPEN_DAYS = 16;

export class FlowAggregateReader {
  private readonly open = new Map<number, SqliteDb>();

  constructor(private readonly dir: string) {}

  top(q: FlowTopQuery): FlowTopEntry[] {
    const scope = this.scope(q, [], []);
    if (scope === null) return [];
    const keySql = KEY_SQL[q.by];
    const merged = new Map<string, FlowTopEntry>();
    for (const part of this.parts(q, true)) {
      const sql = `SELECT ${keySql} AS k, SUM(bytes) AS bytes, SUM(packets) AS packets, SUM(flows) AS flows FROM ${part.table} WHERE ${part.time} >= ? AND ${part.time} < ?${scope.sql} GROUP BY k`;
      for (const r of this.rows<{ k: string; bytes: number; packets: number; flows: number }>(part.db, sql, [part.from, part.to, ...scope.args])) {
        const key = r.k === '' ? OTHER_KEY : r.k;
        const e = merged.get(key);
        if (e === undefined) merged.set(key, { key, bytes: r.bytes, packets: r.packets, flows: r.flows });
        else {
          e.bytes += r.bytes;
          e.packets += r.packets;
          e.flows += r.flows;
        }
      }
    }
    const metric = q.metric;
    return [...merged.values()].sort((a, b) => b[metric] - a[metric] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, q.limit);
  }

  /** Buckets of `intervalMs` from `from` (rounded down to its minute) to `to`, empty ones as zeros. */
  series(q: FlowSeriesQuery): FlowSeriesPoint[] {
    const from = q.from - (q.from % MINUTE_MS);
    const points: FlowSeriesPoint[] = [];
    for (let t = from; t < q.to; t += q.intervalMs) points.push({ start: t, bytes: 0, packets: 0, flows: 0 });
    const extra: string[] = [];
    const args: Array<string | number> = [];
    if (q.ip !== undefined) {
      extra.push('(src = ? OR dst = ?)');
      args.push(q.ip, q.ip);
    }
    if (q.ifIndex !== undefined) {
      const dir = q.direction ?? 'both';
      if (dir === 'in') extra.push('in_if = ?');
      else if (dir === 'out') extra.push('out_if = ?');
      else extra.push('(in_if = ? OR out_if = ?)');
      args.push(q.ifIndex);
      if (dir === 'both') args.push(q.ifIndex);
    }
    const scope = this.scope(q, extra, args);
    if (scope === null) return points;
    // An hour row fits in one bucket only when buckets are whole hours starting on an hour.
    const hoursFit = q.intervalMs % HOUR_MS === 0 && from % HOUR_MS === 0;
    for (const part of this.parts(q, hoursFit)) {
      const sql = `SELECT CAST((${part.time} - ?) / ? AS INTEGER) AS i, SUM(bytes) AS bytes, SUM(packets) AS packets, SUM(flows) AS flows FROM ${part.table} WHERE ${part.time} >= ? AND ${part.time} < ?${scope.sql} GROUP BY i`;
      for (const r of this.rows<{ i: number; bytes: number; packets: number; flows: number }>(part.db, sql, [from, q.intervalMs, part.from, part.to, ...scope.args])) {
        const p = points[r.i];
        if (p === undefined) continue;
        p.bytes += r.bytes;
        p.packets += r.packets;
        p.flows += r.flows;
      }
    }
    return points;
  }

  /** Forgets connections to days before `day` (retention deleted their files). */
  forgetBefore(day: number): void {
    for (const [d, db] of this.open) {
      if (d < day) {
        db.close();
        this.open.delete(d);
      }
    }
  }

  close(): void {
    for (const db of this.open.values()) db.close();
    this.open.clear();
  }

  /** The agency, exporter and extra filters as ` AND ...` SQL; null when the caller may see nothing. */
  private scope(q: FlowScope, extra: readonly string[], extraArgs: ReadonlyArray<string | number>): Where | null {
    let sql = '';
    const args: Array<string | number> = [];
    if (q.organizations !== undefined) {
      if (q.organizations.length === 0) return null;
      sql += ` AND org IN (${q.organizations.map(() => '?').join(', ')})`;
      args.push(...q.organizations);
    }
    if (q.exporter !== undefined) {
      sql += ' AND exporter = ?';
      args.push(q.exporter);
    }
    for (const e of extra) sql += ` AND ${e}`;
    args.push(...extraArgs);
    return { sql, args };
  }

  /**
   * The pieces of the range to read per day file: runs of whole hours whose rollup is done from
   * `flow_hours` (when `useHours`), everything else from `flow_minutes`.
   */
  private parts(q: FlowScope, useHours: boolean): RangePart[] {
    const out: RangePart[] = [];
    const from = q.from - (q.from % MINUTE_MS);
    if (q.to <= from) return out;
    for (let day = dayOf(from); day <= dayOf(q.to - 1); day++) {
      const db = this.connection(day);
      if (db === null) continue;
      const start = Math.max(from, day * DAY_MS);
      const end = Math.min(q.to, (day + 1) * DAY_MS);
      const done = useHours ? this.doneHours(db, Math.ceil(start / HOUR_MS) * HOUR_MS, Math.floor(end / HOUR_MS) * HOUR_MS) : [];
      let cursor = start;
      let i = 0;
      while (i < done.length) {
        // A run of consecutive done hours.
        let j = i;
        while (j + 1 < done.length && done[j + 1] === done[j] + HOUR_MS) j++;
        if (cursor < done[i]) out.push({ db, table: 'flow_minutes', time: 'minute', from: cursor, to: done[i] });
        out.push({ db, table: 'flow_hours', time: 'hour', from: done[i], to: done[j] + HOUR_MS });
        cursor = done[j] + HOUR_MS;
        i = j + 1;
      }
      if (cursor < end) out.push({ db, table: 'flow_minutes', time: 'minute', from: cursor, to: end });
    }
    return out;
  }

  private doneHours(db: SqliteDb, from: number, to: number): number[] {
    if (to <= from) return [];
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'flow_hours_done'").get() === undefined) return [];
    return (db.prepare('SELECT hour FROM flow_hours_done WHERE hour >= ? AND hour < ? ORDER BY hour').all(from, to) as Array<{ hour: number }>).map((r) => r.hour);
  }

  private rows<T>(db: SqliteDb, sql: string, args: Array<string | number>): T[] {
    const stmt: Database.Statement = db.prepare(sql);
    return stmt.all(...args) as T[];
  }

  private connection(day: number): SqliteDb | null {
    const cached = this.open.get(day);
    if (cached !== undefined) {
      // Map order is the LRU order.
      this.open.delete(day);
      this.open.set(day, cached);
      return cached;
    }
    const file = join(this.dir, dayFileName(day));
    if (!existsSync(file)) return null;
    const db = openSqlite(file);
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'flow_minutes'").get() === undefined) {
      db.close();
      return null;
    }
    if (this.open.size >= MAX_OPEN_DAYS) {
      const [oldest, old] = this.open.entries().next().value as [number, SqliteDb];
      old.close();
      this.open.delete(oldest);
    }
    this.open.set(day, db);
    return db;
  }
}
