/**
 * The embedded event store: day-partitioned SQLite files under one folder (see ./event-partition.ts
 * for the layout and why). Appends and queries run on the calling thread; WorkerEventStore has the
 * same behaviour with the appends in a worker thread.
 */
import { storableEvents } from '../event-hints';
import { mkdirSync } from 'node:fs';
import type { EcsEvent } from '../event';
import type { EventSearch, EventSearchResult, EventStore, TermCount } from './event-store';
import type { EventFilterParams } from './event-filter';
import { DAY_MS } from './event-partition';
import { EventPartitionReader } from './event-partition-reader';
import { EventPartitionWriter, type AppendOutcome } from './event-partition-writer';
import { encodeEventRows } from './event-rows';

export interface SqliteEventStoreOptions {
  /** Folder of the partition files (created if missing), e.g. `<dataDir>/events`. */
  dir: string;
  /** Read connections kept open at once (one per day partition queried). Default 32. */
  maxOpenReadPartitions?: number;
}

export class SqliteEventStore implements EventStore {
  private readonly writer: EventPartitionWriter;
  private readonly reader: EventPartitionReader;
  private closed = false;
  /** What the appends so far did, for metrics and tests. */
  readonly appended: AppendOutcome = { inserted: 0, duplicates: 0, expired: 0 };

  constructor(private readonly options: SqliteEventStoreOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.writer = new EventPartitionWriter(options.dir);
    this.reader = new EventPartitionReader(options.dir, options.maxOpenReadPartitions);
  }

  async append(events: EcsEvent[]): Promise<void> {
    this.checkOpen();
    const outcome = this.writer.append(encodeEventRows(storableEvents(events)));
    this.appended.inserted += outcome.inserted;
    this.appended.duplicates += outcome.duplicates;
    this.appended.expired += outcome.expired;
  }

  async search(params: EventSearch): Promise<EventSearchResult> {
    this.checkOpen();
    return this.reader.search(params);
  }

  async count(params: EventFilterParams): Promise<number> {
    this.checkOpen();
    return this.reader.count(params);
  }

  async topValues(params: EventFilterParams & { field: string; size: number }): Promise<TermCount[]> {
    this.checkOpen();
    return this.reader.topValues(params);
  }

  async histogram(params: EventFilterParams & { intervalMs: number }): Promise<Array<{ start: number; count: number }>> {
    this.checkOpen();
    return this.reader.histogram(params);
  }

  async applyRetention(olderThan: number): Promise<number> {
    this.checkOpen();
    this.reader.forgetBefore(Math.floor(olderThan / DAY_MS));
    return this.writer.applyRetention(olderThan);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.reader.close();
    this.writer.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`event store ${this.options.dir}: closed`);
  }
}
