/**
 * The ingest pipeline: inputs offer events into one bounded queue; batches are enriched and
 * published on the bus, whose consumers (the store, correlation) acknowledge them. A batch that
 * fails to publish is retried, never dropped, so a slow or failing store fills the queue and
 * pushes back on the inputs instead of losing data.
 *
 * Inputs that can pause (TCP, TLS) are refused once two batches wait, lossy ones (UDP) only when
 * the queue is full. Under sustained overload a TCP backlog then waits as bytes in the kernel's
 * socket buffers, not as ~2.5 KB event objects on the heap, and memory stays flat; the rest of the
 * queue is headroom for UDP bursts, which cannot be paused.
 */
import type { Logger } from 'pino';
import type { EventBus } from '../bus';
import type { EcsEvent } from '../event';
import type { InputStats, Metrics } from '../metrics';
import { BoundedQueue } from './bounded-queue';
import type { Enricher, IngestSink } from './types';

export interface EventPipelineOptions {
  queueSize: number;
  batchSize: number;
  flushIntervalMs: number;
  bus: EventBus;
  subject?: string;
  metrics?: Metrics;
  logger?: Logger;
  enrichers?: Enricher[];
  /** Batches published concurrently; 2 lets parsing overlap a store that writes in a worker. */
  maxInFlight?: number;
  retryDelayMs?: number;
  /**
   * Queue depth at which offers from inputs that can pause (`offer(…, true)`: TCP, TLS) are refused;
   * default two batches. Lossy inputs (UDP) may fill the whole queue.
   */
  pausableHighWater?: number;
}

interface Entry {
  event: EcsEvent;
  input: InputStats;
}

export class EventPipeline implements IngestSink {
  private readonly queue: BoundedQueue<Entry>;
  private readonly subject: string;
  private readonly maxInFlight: number;
  private readonly retryDelayMs: number;
  private readonly enrichers: Enricher[];
  private drainListeners: Array<() => void> = [];
  private inFlight = 0;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private idleWaiters: Array<() => void> = [];
  /** Batches whose publication failed at least once and is being retried (`socnoc_queue_depth{queue="pipeline_retrying"}`). */
  private retrying = 0;
  private readonly pausableHighWater: number;
  /** Paused inputs are woken once the queue is at or below this depth. */
  private readonly resumeDepth: number;

  constructor(private readonly opts: EventPipelineOptions) {
    this.queue = new BoundedQueue<Entry>(opts.queueSize);
    this.subject = opts.subject ?? 'events';
    this.maxInFlight = opts.maxInFlight ?? 2;
    this.retryDelayMs = opts.retryDelayMs ?? 1000;
    this.enrichers = opts.enrichers ?? [];
    this.pausableHighWater = Math.min(opts.queueSize, opts.pausableHighWater ?? 2 * opts.batchSize);
    this.resumeDepth = Math.floor(this.pausableHighWater / 2);
    opts.metrics?.queueDepth('pipeline', () => this.queue.length);
    opts.metrics?.queueDepth('pipeline_in_flight', () => this.inFlight);
    opts.metrics?.queueDepth('pipeline_retrying', () => this.retrying);
  }

  get depth(): number {
    return this.queue.length;
  }

  offer(event: EcsEvent, input: InputStats, pausable = false): boolean {
    if (pausable && this.queue.length >= this.pausableHighWater) return false;
    if (!this.queue.push({ event, input })) return false;
    if (this.queue.length >= this.opts.batchSize) this.schedule();
    else if (this.timer === undefined) this.timer = setTimeout(this.onTimer, this.opts.flushIntervalMs);
    return true;
  }

  addEnricher(enricher: Enricher): void {
    this.enrichers.push(enricher);
  }

  onDrain(listener: () => void): void {
    this.drainListeners.push(listener);
  }

  /** Publishes everything queued and resolves once all of it is acknowledged. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0) {
      this.schedule();
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  /** Flushes and stops the timer; offers after stop are still accepted and flushed by the next flush(). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.pump(true);
  };

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump(true);
    });
  }

  private pump(includePartial: boolean): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      if (!includePartial && !this.stopping && this.queue.length < this.opts.batchSize) break;
      const entries = this.queue.take(this.opts.batchSize);
      this.inFlight++;
      void this.publish(entries);
      includePartial = this.stopping;
    }
    this.notifyDrain();
    if (this.queue.length > 0 && this.timer === undefined && this.inFlight < this.maxInFlight) {
      this.timer = setTimeout(this.onTimer, this.opts.flushIntervalMs);
    }
    if (this.queue.length === 0 && this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private notifyDrain(): void {
    // Hysteresis: wake paused inputs only once half their room is free, not on every freed slot.
    if (this.drainListeners.length === 0 || this.queue.length > this.resumeDepth) return;
    const listeners = this.drainListeners;
    this.drainListeners = [];
    for (const l of listeners) l();
  }

  private async publish(entries: Entry[]): Promise<void> {
    const batch = new Array<EcsEvent>(entries.length);
    for (let i = 0; i < entries.length; i++) batch[i] = entries[i].event;
    for (const enrich of this.enrichers) {
      try {
        enrich(batch);
      } catch (err) {
        this.opts.logger?.error({ err }, 'enricher failed; batch published without it');
      }
    }
    let failed = false;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.opts.bus.publish(this.subject, batch);
        break;
      } catch (err) {
        if (!failed) this.retrying++;
        failed = true;
        this.opts.logger?.error({ err, attempt, size: batch.length }, 'publishing a batch failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(this.retryDelayMs * attempt, 30_000)));
      }
    }
    if (failed) this.retrying--;
    for (const e of entries) e.input.stored++;
    this.inFlight--;
    this.pump(false);
  }
}
