/**
 * The embedded event store with its appends in a worker thread: the calling thread only turns events
 * into rows (one JSON.stringify each, packed as UTF-8 bytes) and moves them over, so on a 2-core machine parsing and storing run
 * side by side. Queries stay on the calling thread with their own read connections (WAL lets them
 * read while the worker writes). Same files, same behaviour as SqliteEventStore.
 */
import { storableEvents } from '../event-hints';
import { mkdirSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../worker-thread';
import type { EcsEvent } from '../event';
import type { EventSearch, EventSearchResult, EventStore, TermCount } from './event-store';
import type { EventFilterParams } from './event-filter';
import { DAY_MS } from './event-partition';
import { EventPartitionReader } from './event-partition-reader';
import type { AppendOutcome } from './event-partition-writer';
import { encodeEventRows, transferablesOf } from './event-rows';
import type { WriterReply, WriterRequestBody } from './event-store-worker-protocol';

export interface WorkerEventStoreOptions {
  /** Folder of the partition files (created if missing), e.g. `<dataDir>/events`. */
  dir: string;
  maxOpenReadPartitions?: number;
}

function startWriterThread(dir: string): Worker {
  return startModuleWorker(__dirname, 'event-store-worker', { dir });
}

interface Pending {
  resolve: (reply: WriterReply & { ok: true }) => void;
  reject: (err: Error) => void;
}

export class WorkerEventStore implements EventStore {
  private readonly worker: Worker;
  private readonly reader: EventPartitionReader;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  /** Set when the writer thread failed or exited unasked; every later request fails with it. */
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  private closeRequested = false;
  readonly appended: AppendOutcome = { inserted: 0, duplicates: 0, expired: 0 };

  constructor(private readonly options: WorkerEventStoreOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.reader = new EventPartitionReader(options.dir, options.maxOpenReadPartitions);
    this.worker = startWriterThread(options.dir);
    // Idle, the worker does not keep the process alive; a request in flight does.
    this.worker.unref();
    this.worker.on('message', (reply: WriterReply) => this.onReply(reply));
    this.worker.on('error', (err: Error) => this.fail(new Error(`event store ${options.dir}: writer thread failed: ${err.message}`)));
    this.worker.on('exit', (code: number) => {
      if (!this.closeRequested) this.fail(new Error(`event store ${options.dir}: writer thread exited with code ${code}`));
    });
  }

  async append(events: EcsEvent[]): Promise<void> {
    this.checkOpen();
    const kept = storableEvents(events);
    if (kept.length === 0) return;
    const rows = encodeEventRows(kept);
    // The rows' buffers move to the writer thread instead of being copied.
    const reply = await this.request({ op: 'append', rows }, transferablesOf(rows));
    if (reply.outcome !== undefined) {
      this.appended.inserted += reply.outcome.inserted;
      this.appended.duplicates += reply.outcome.duplicates;
      this.appended.expired += reply.outcome.expired;
    }
  }

  async search(params: EventSearch): Promise<EventSearchResult> {
    this.checkNotClosed();
    return this.reader.search(params);
  }

  async count(params: EventFilterParams): Promise<number> {
    this.checkNotClosed();
    return this.reader.count(params);
  }

  async topValues(params: EventFilterParams & { field: string; size: number }): Promise<TermCount[]> {
    this.checkNotClosed();
    return this.reader.topValues(params);
  }

  async histogram(params: EventFilterParams & { intervalMs: number }): Promise<Array<{ start: number; count: number }>> {
    this.checkNotClosed();
    return this.reader.histogram(params);
  }

  async applyRetention(olderThan: number): Promise<number> {
    this.checkOpen();
    this.reader.forgetBefore(Math.floor(olderThan / DAY_MS));
    const reply = await this.request({ op: 'retention', olderThan });
    return reply.dropped ?? 0;
  }

  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    this.closeRequested = true;
    // Held until the thread exits: unreferenced, the process could end before the files are closed.
    this.worker.ref();
    this.reader.close();
    if (this.failure !== undefined) {
      this.closing = this.worker.terminate().then(() => undefined);
      return this.closing;
    }
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    const request = this.request({ op: 'close' });
    this.closing = request.then(
      () => exited,
      async (err: unknown) => {
        await this.worker.terminate();
        throw err;
      },
    );
    return this.closing;
  }

  private request(body: WriterRequestBody, transfer?: ArrayBuffer[]): Promise<WriterReply & { ok: true }> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ ...body, seq }, transfer);
    });
  }

  private onReply(reply: WriterReply): void {
    const pending = this.pending.get(reply.seq);
    if (pending === undefined) return;
    this.pending.delete(reply.seq);
    if (this.pending.size === 0 && !this.closeRequested) this.worker.unref();
    if (reply.ok) pending.resolve(reply);
    else pending.reject(new Error(`event store ${this.options.dir}: ${reply.message}`));
  }

  private fail(err: Error): void {
    if (this.failure === undefined) this.failure = err;
    for (const pending of this.pending.values()) pending.reject(err);
    this.pending.clear();
    this.worker.unref();
  }

  /** Reads keep working after the writer thread failed; appends do not. */
  private checkNotClosed(): void {
    if (this.closing !== undefined) throw new Error(`event store ${this.options.dir}: closed`);
  }

  private checkOpen(): void {
    this.checkNotClosed();
    if (this.failure !== undefined) throw this.failure;
  }
}
