/**
 * Queries over the day partitions: each query runs in every partition overlapping its time range
 * (newest first for searches, stopping once the page is full) and the results are merged here.
 * Read connections are separate from the writer's, so in WAL mode reads never wait for appends, and
 * the writer may live in another thread. Partitions written before message and event.original got
 * their own columns are queried with the legacy layout (see ./event-partition.ts).
 */
import type { Statement } from 'better-sqlite3';
import type { EcsEvent } from '../event';
import { jsonEachOf, type EventTableLayout, type SqlFragment } from '../query/to-sql';
import type { EventSearch, EventSearchResult, TermCount } from './event-store';
import { buildEventFilter, type EventFilterParams } from './event-filter';
import {
  EVENT_TABLE_LAYOUT,
  EVENT_TABLE_LAYOUT_LEGACY,
  hasSplitColumns,
  listPartitions,
  openPartitionForRead,
  partitionDayOf,
  partitionsOverlapping,
  type PartitionFile,
} from './event-partition';
import { joinSplitFields } from './event-rows';
import type { SqliteDb } from './sqlite';
import { decodeSearchCursor, encodeSearchCursor, type SearchCursor } from './search-cursor';

export const MAX_SEARCH_LIMIT = 10_000;
export const MAX_HISTOGRAM_BUCKETS = 10_000;
const MAX_CACHED_STATEMENTS = 64;

class ReadPartition {
  private readonly statements = new Map<string, Statement>();
  private split: boolean;

  constructor(readonly db: SqliteDb) {
    this.split = hasSplitColumns(db);
  }

  /**
   * The file's layout. A legacy file is looked at again each time: the writer migrates a file it
   * opens (the day of an upgrade, or a new file between its two migrations), and from then on new
   * rows keep message and event.original out of the document. Once split, always split.
   */
  isSplit(): boolean {
    if (!this.split) this.split = hasSplitColumns(this.db);
    return this.split;
  }

  prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

interface SearchRow {
  ts: number;
  id: string;
  doc: string;
  message: string | null;
  original: string | null;
}

/** One query's filter compiled for each partition layout it meets (at most two), on first need. */
class LayoutFilters {
  private legacy: SqlFragment | undefined;

  private constructor(
    private readonly params: EventFilterParams,
    readonly split: SqlFragment,
  ) {}

  /** Null when the filter can match nothing. */
  static build(params: EventFilterParams): LayoutFilters | null {
    const split = buildEventFilter(params, EVENT_TABLE_LAYOUT);
    return split === null ? null : new LayoutFilters(params, split);
  }

  for(isSplit: boolean): SqlFragment {
    if (isSplit) return this.split;
    this.legacy ??= buildEventFilter(this.params, EVENT_TABLE_LAYOUT_LEGACY) ?? { sql: '0', params: [] };
    return this.legacy;
  }
}

const SPLIT_SELECT = 'events.ts AS ts, events.id AS id, events.doc AS doc, events.message AS message, events.original AS original';
const LEGACY_SELECT = 'events.ts AS ts, events.id AS id, events.doc AS doc, NULL AS message, NULL AS original';

/** The top-values query of one partition layout. */
function topValuesQuery(layout: EventTableLayout, filter: SqlFragment, field: string, limit: number): { sql: string; args: Array<string | number> } {
  const hot = layout.hotColumns[field];
  if (hot !== undefined && hot.type === 'keyword') {
    return {
      sql: `SELECT events.${hot.column} AS v, count(*) AS c FROM events WHERE ${filter.sql} GROUP BY v ORDER BY c DESC, v LIMIT ?`,
      args: [...filter.params, limit],
    };
  }
  const values = jsonEachOf(layout, field);
  return {
    sql:
      `SELECT j.value AS v, count(*) AS c FROM events, ${values.sql} AS j ` +
      `WHERE ${filter.sql} AND j.type NOT IN ('null', 'object', 'array') GROUP BY v ORDER BY c DESC, v LIMIT ?`,
    args: [...values.params, ...filter.params, limit],
  };
}

export class EventPartitionReader {
  /** Open read connections by day, most recently used last. */
  private readonly open = new Map<number, ReadPartition>();

  constructor(
    private readonly dir: string,
    private readonly maxOpen = 32,
  ) {}

  search(params: EventSearch): EventSearchResult {
    const limit = params.limit;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
      throw new RangeError(`event search: limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}, got ${String(limit)}`);
    }
    const cursor: SearchCursor | undefined = params.cursor === undefined ? undefined : decodeSearchCursor(params.cursor);
    const filters = LayoutFilters.build(params);
    if (filters === null) return { total: 0, events: [], next: null };
    const partitions = this.partitionsFor(params);
    const total = cursor !== undefined ? cursor.total : this.countIn(partitions, filters);

    const after = cursor !== undefined ? ' AND (events.ts, events.id) < (?, ?)' : '';
    const rows: SearchRow[] = [];
    const cursorDay = cursor !== undefined ? partitionDayOf(cursor.ts) : Infinity;
    for (let i = partitions.length - 1; i >= 0 && rows.length <= limit; i--) {
      if (partitions[i].day > cursorDay) continue;
      const partition = this.partition(partitions[i]);
      if (partition === undefined) continue;
      const split = partition.isSplit();
      const filter = filters.for(split);
      const sql = `SELECT ${split ? SPLIT_SELECT : LEGACY_SELECT} FROM events WHERE ${filter.sql}${after} ORDER BY events.ts DESC, events.id DESC LIMIT ?`;
      const args = cursor !== undefined ? [...filter.params, cursor.ts, cursor.id, limit + 1 - rows.length] : [...filter.params, limit + 1 - rows.length];
      for (const row of partition.prepare(sql).all(args) as SearchRow[]) rows.push(row);
    }
    const hasMore = rows.length > limit;
    if (hasMore) rows.length = limit;
    const events: EcsEvent[] = rows.map((row) => joinSplitFields(row.doc, row.message, row.original));
    const last = rows[rows.length - 1];
    return { total, events, next: hasMore ? encodeSearchCursor({ ts: last.ts, id: last.id, total }) : null };
  }

  count(params: EventFilterParams): number {
    const filters = LayoutFilters.build(params);
    if (filters === null) return 0;
    return this.countIn(this.partitionsFor(params), filters);
  }

  /**
   * The `size` most frequent values of a field (array elements count one by one). Exact within one
   * partition; across partitions each contributes its top `size * 1.5 + 10` values, as Elasticsearch
   * shards do, so a value that is frequent overall but never near the top of any day can be missed.
   */
  topValues(params: EventFilterParams & { field: string; size: number }): TermCount[] {
    const { field, size } = params;
    if (!Number.isInteger(size) || size < 1 || size > MAX_SEARCH_LIMIT) {
      throw new RangeError(`event top values: size must be an integer from 1 to ${MAX_SEARCH_LIMIT}, got ${String(size)}`);
    }
    if (typeof field !== 'string' || !/^[A-Za-z_@][A-Za-z0-9_.@]*$/.test(field)) {
      throw new RangeError(`event top values: invalid field name ${JSON.stringify(field)}`);
    }
    const filters = LayoutFilters.build(params);
    if (filters === null) return [];
    const partitions = this.partitionsFor(params);
    const perPartition = partitions.length <= 1 ? size : Math.ceil(size * 1.5) + 10;
    const counts = new Map<string, number>();
    for (const p of partitions) {
      const partition = this.partition(p);
      if (partition === undefined) continue;
      const split = partition.isSplit();
      const { sql, args } = topValuesQuery(split ? EVENT_TABLE_LAYOUT : EVENT_TABLE_LAYOUT_LEGACY, filters.for(split), field, perPartition);
      for (const row of partition.prepare(sql).all(args) as Array<{ v: string | number; c: number }>) {
        const key = String(row.v);
        counts.set(key, (counts.get(key) ?? 0) + row.c);
      }
    }
    const merged: TermCount[] = [];
    for (const [value, count] of counts) merged.push({ value, count });
    merged.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    return merged.slice(0, size);
  }

  /**
   * Event counts per bucket of `intervalMs`, buckets aligned to the epoch (so day buckets start at
   * UTC midnight), oldest first. Empty buckets are filled between `from` and `to` when both are given,
   * otherwise between the first and the last non-empty bucket.
   */
  histogram(params: EventFilterParams & { intervalMs: number }): Array<{ start: number; count: number }> {
    const interval = params.intervalMs;
    if (!Number.isInteger(interval) || interval < 1) throw new RangeError(`event histogram: intervalMs must be a positive integer, got ${String(interval)}`);
    if (params.from !== undefined && params.to !== undefined) {
      const buckets = Math.ceil((params.to - params.from) / interval) + 1;
      if (buckets > MAX_HISTOGRAM_BUCKETS) {
        throw new RangeError(`event histogram: ${interval} ms buckets over ${params.to - params.from} ms make ${buckets} buckets (max ${MAX_HISTOGRAM_BUCKETS})`);
      }
    }
    const filters = LayoutFilters.build(params);
    if (filters === null) return [];
    const counts = new Map<number, number>();
    for (const p of this.partitionsFor(params)) {
      const partition = this.partition(p);
      if (partition === undefined) continue;
      const filter = filters.for(partition.isSplit());
      const sql = `SELECT events.ts - events.ts % ? AS b, count(*) AS c FROM events WHERE ${filter.sql} GROUP BY b`;
      for (const row of partition.prepare(sql).all([interval, ...filter.params]) as Array<{ b: number; c: number }>) {
        counts.set(row.b, (counts.get(row.b) ?? 0) + row.c);
      }
    }
    let first: number;
    let last: number;
    if (params.from !== undefined && params.to !== undefined) {
      first = params.from - (((params.from % interval) + interval) % interval);
      last = params.to - 1 - ((((params.to - 1) % interval) + interval) % interval);
    } else {
      if (counts.size === 0) return [];
      first = Math.min(...counts.keys());
      last = Math.max(...counts.keys());
      if ((last - first) / interval + 1 > MAX_HISTOGRAM_BUCKETS) {
        throw new RangeError(`event histogram: ${interval} ms buckets over the data make more than ${MAX_HISTOGRAM_BUCKETS} buckets; give a larger interval or a time range`);
      }
    }
    const out: Array<{ start: number; count: number }> = [];
    for (let start = first; start <= last; start += interval) out.push({ start, count: counts.get(start) ?? 0 });
    return out;
  }

  /** Closes the connections of partitions before `day` (retention is about to delete them). */
  forgetBefore(day: number): void {
    for (const [d, partition] of this.open) {
      if (d < day) {
        partition.db.close();
        this.open.delete(d);
      }
    }
  }

  close(): void {
    for (const partition of this.open.values()) partition.db.close();
    this.open.clear();
  }

  private countIn(partitions: readonly PartitionFile[], filters: LayoutFilters): number {
    let total = 0;
    for (const p of partitions) {
      const partition = this.partition(p);
      if (partition === undefined) continue;
      const filter = filters.for(partition.isSplit());
      total += (partition.prepare(`SELECT count(*) AS n FROM events WHERE ${filter.sql}`).get(filter.params) as { n: number }).n;
    }
    return total;
  }

  private partitionsFor(params: EventFilterParams): PartitionFile[] {
    return partitionsOverlapping(listPartitions(this.dir), params.from, params.to);
  }

  private partition(p: PartitionFile): ReadPartition | undefined {
    const existing = this.open.get(p.day);
    if (existing !== undefined) {
      this.open.delete(p.day);
      this.open.set(p.day, existing);
      return existing;
    }
    const db = openPartitionForRead(p.file);
    if (db === undefined) return undefined;
    if (this.open.size >= this.maxOpen) {
      const [oldestDay, oldest] = this.open.entries().next().value as [number, ReadPartition];
      oldest.db.close();
      this.open.delete(oldestDay);
    }
    const partition = new ReadPartition(db);
    this.open.set(p.day, partition);
    return partition;
  }
}
