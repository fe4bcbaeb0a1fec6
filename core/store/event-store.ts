/**
 * The event store contract. SQLite implements it now; Elasticsearch will implement the same
 * interface, so callers (pipeline, HTTP routes, correlation) never know which one they hold.
 * Everything is async so that an implementation may run in a worker thread or over the network.
 */
import type { EcsEvent } from '../event';
import type { QueryNode } from '../query/ast';

export interface EventSearch {
  /** Parsed query (see core/query); undefined matches everything. */
  query?: QueryNode;
  /** Inclusive lower / exclusive upper bound on @timestamp, epoch milliseconds. */
  from?: number;
  to?: number;
  /** Agencies the caller may see; undefined means all (admin). An empty array matches nothing. */
  organizations?: string[];
  limit: number;
  /** Opaque cursor returned as `next` by a previous search with the same parameters. */
  cursor?: string;
}

export interface EventSearchResult {
  total: number;
  events: EcsEvent[];
  next: string | null;
}

export interface TermCount {
  value: string;
  count: number;
}

export interface EventStore {
  /**
   * Appends a batch durably; resolves only when the batch is committed. Duplicate event.id values are
   * ignored; events marked `socnoc.store: false` (core/event-hints) are left out.
   */
  append(events: EcsEvent[]): Promise<void>;
  /** Newest first. */
  search(params: EventSearch): Promise<EventSearchResult>;
  count(params: Omit<EventSearch, 'limit' | 'cursor'>): Promise<number>;
  /** Top-N values of one field among matching events. */
  topValues(params: Omit<EventSearch, 'limit' | 'cursor'> & { field: string; size: number }): Promise<TermCount[]>;
  /** Counts per time bucket, for histograms. */
  histogram(params: Omit<EventSearch, 'limit' | 'cursor'> & { intervalMs: number }): Promise<Array<{ start: number; count: number }>>;
  /** Drops whole partitions older than the cutoff; returns how many partitions were dropped. */
  applyRetention(olderThan: number): Promise<number>;
  close(): Promise<void>;
}
