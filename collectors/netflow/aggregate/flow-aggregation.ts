/**
 * Flow storage by aggregation: every decoded flow is folded into its minute (minute-aggregator.ts); a timer
 * closes minutes once their grace has passed, writes each in one transaction to its day file and offers
 * the minute's `netflow.summary` events to the pipeline; retention deletes old day files hourly.
 */
import type { Logger } from 'pino';
import type { EcsEvent } from '../../../core/event';
import type { InputStats } from '../../../core/metrics';
import type { IngestSink } from '../../../core/pipeline/types';
import type { Agency } from '../../../core/tenancy';
import type { FlowRecord } from '../decode/types';
import { FlowEventIds } from '../normalize/event-ids';
import { FlowAggregateReader } from './aggregate-query';
import { FlowAggregateWriter } from './aggregate-writer';
import { DAY_MS } from './day-files';
import { FlowHourRollup, HOUR_MS, type ClosedHour } from './hour-rollup';
import { FlowMinuteAggregator, type ClosedMinute } from './minute-aggregator';
import { buildSummaryEvents, LocalHourClock } from './summary-events';

export interface FlowAggregationOptions {
  /** Folder of the day files, e.g. `<dataDir>/flows`. */
  dir: string;
  retentionDays: number;
  maxKeysPerMinute: number;
  maxKeysPerHour: number;
  graceSeconds: number;
  maxLatenessSeconds: number;
  servicePorts: readonly number[];
  summary: { enabled: boolean; topN: number; maxTracked: number; maxDistinct: number; timezone: string };
}

export interface FlowAggregationDeps {
  /** Where summary events go; none: no summaries offered. */
  sink?: IngestSink;
  /** Counters of the summary events' input (`netflow/summary`). */
  summaryStats?: InputStats;
  exporterAgency: (exporter: string) => Agency;
  logger: Logger;
  /** Clock; replaceable in tests. */
  now?: () => number;
}

export interface FlowAggregationStats {
  summaryEvents: number;
  summaryDropped: number;
  writeErrors: number;
  /** Milliseconds the last minute's write took (it runs on the event loop). */
  lastWriteMs: number;
}

const CLOSE_CHECK_MS = 5_000;
/** Rows inserted per event-loop turn (~10-40 ms) while a minute or hour is written. */
const WRITE_CHUNK_ROWS = 5_000;
const RETENTION_CHECK_MS = 3_600_000;

export class FlowAggregation {
  readonly aggregator: FlowMinuteAggregator;
  readonly hours: FlowHourRollup;
  readonly writer: FlowAggregateWriter;
  readonly reader: FlowAggregateReader;
  readonly stats: FlowAggregationStats = { summaryEvents: 0, summaryDropped: 0, writeErrors: 0, lastWriteMs: 0 };
  private readonly ids = new FlowEventIds();
  private readonly clock: LocalHourClock;
  private readonly now: () => number;
  private closeTimer: NodeJS.Timeout | undefined;
  /** Writes run one after another (a chunked write spans event-loop turns). */
  private writing: Promise<void> = Promise.resolve();
  /** Hours with a minute whose write failed: their rollup must not be marked done. */
  private readonly failedHours = new Set<number>();
  private retentionTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly o: FlowAggregationOptions,
    private readonly deps: FlowAggregationDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.clock = new LocalHourClock(o.summary.timezone);
    this.aggregator = new FlowMinuteAggregator({
      maxKeysPerMinute: o.maxKeysPerMinute,
      graceMs: o.graceSeconds * 1000,
      maxLatenessMs: o.maxLatenessSeconds * 1000,
      servicePorts: o.servicePorts,
      activity: o.summary.enabled && deps.sink !== undefined ? { maxTracked: o.summary.maxTracked, maxDistinct: o.summary.maxDistinct } : null,
    });
    this.hours = new FlowHourRollup(o.maxKeysPerHour, this.now());
    this.writer = new FlowAggregateWriter(o.dir);
    this.reader = new FlowAggregateReader(o.dir);
  }

  add(flow: FlowRecord, agency: Agency, outbound: boolean, nowMs: number): void {
    this.aggregator.add(flow, agency, outbound, nowMs);
  }

  start(): void {
    if (this.closeTimer !== undefined) return;
    this.applyRetention();
    this.closeTimer = setInterval(() => this.closeDue(), CLOSE_CHECK_MS);
    this.closeTimer.unref();
    this.retentionTimer = setInterval(() => this.applyRetention(), RETENTION_CHECK_MS);
    this.retentionTimer.unref();
  }

  /**
   * Closes the minutes due now (their summaries are offered at once) and queues their writes, then the
   * hours'; returns the minutes. `idle()` resolves once everything queued is written.
   */
  closeDue(nowMs = this.now()): ClosedMinute[] {
    const closed = this.aggregator.closeDue(nowMs);
    for (const c of closed) this.persist(c, nowMs);
    for (const h of this.hours.closeDue(nowMs, this.o.graceSeconds * 1000)) this.persistHour(h);
    return closed;
  }

  /** Resolves when every queued write has settled. */
  async idle(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.writing;
      await current;
    } while (current !== this.writing);
  }

  private enqueue(write: () => Promise<void>): void {
    this.writing = this.writing.then(write);
  }

  /** Deletes day files older than retentionDays (after the queued writes); resolves to how many. */
  applyRetention(nowMs = this.now()): Promise<number> {
    const olderThan = nowMs - this.o.retentionDays * DAY_MS;
    let deleted = 0;
    this.enqueue(async () => {
      try {
        deleted = this.writer.applyRetention(olderThan);
        this.reader.forgetBefore(Math.floor(olderThan / DAY_MS));
        if (deleted > 0) this.deps.logger.info({ files: deleted, days: this.o.retentionDays }, 'flow aggregate retention deleted day files');
      } catch (err) {
        this.deps.logger.error({ err, dir: this.o.dir }, 'flow aggregate retention failed');
      }
    });
    return this.writing.then(() => deleted);
  }

  /** Writes every open minute (summaries too), waits for the writes and closes the files. */
  async stop(): Promise<void> {
    if (this.closeTimer !== undefined) clearInterval(this.closeTimer);
    if (this.retentionTimer !== undefined) clearInterval(this.retentionTimer);
    this.closeTimer = undefined;
    this.retentionTimer = undefined;
    const nowMs = this.now();
    for (const c of this.aggregator.closeAll()) this.persist(c, nowMs);
    for (const h of this.hours.closeAll()) this.persistHour(h);
    await this.idle();
    this.writer.close();
    this.reader.close();
  }

  private persist(c: ClosedMinute, nowMs: number): void {
    // Merged into its hour now, in close order, so the hour closes with every minute in it.
    const merged = this.hours.addMinute(c.minute, c.rows);
    this.enqueue(async () => {
      const started = performance.now();
      try {
        await this.writer.writeChunked(c, WRITE_CHUNK_ROWS);
        if (merged === 'late_for_done_hour') await this.writer.addToHourChunked(c.minute - (c.minute % HOUR_MS), c.rows, WRITE_CHUNK_ROWS);
      } catch (err) {
        // A full disk or a broken file must not stop flow collection; the minute is lost and counted, and
        // its hour's rollup is not used (readers fall back to the minutes that were written).
        this.stats.writeErrors++;
        this.failedHours.add(c.minute - (c.minute % HOUR_MS));
        this.deps.logger.error({ err, minute: new Date(c.minute).toISOString(), rows: c.rows.length, dir: this.o.dir }, 'writing flow aggregates failed; minute lost');
      }
      this.stats.lastWriteMs = performance.now() - started;
    });
    if (c.activity !== null && this.deps.sink !== undefined) this.offerSummaries(c, nowMs);
  }

  private persistHour(h: ClosedHour): void {
    this.enqueue(async () => {
      // Queued after its minutes' writes, so a failed minute is known here.
      if (this.failedHours.delete(h.hour)) return;
      try {
        await this.writer.writeHourChunked(h, WRITE_CHUNK_ROWS);
      } catch (err) {
        // Not marked done: readers use the hour's minute rows.
        this.stats.writeErrors++;
        this.deps.logger.error({ err, hour: new Date(h.hour).toISOString(), rows: h.rows.length, dir: this.o.dir }, 'writing the hourly flow rollup failed; queries read its minutes');
      }
    });
  }

  private offerSummaries(c: ClosedMinute, nowMs: number): void {
    const sink = this.deps.sink;
    const stats = this.deps.summaryStats;
    if (sink === undefined || stats === undefined || c.activity === null) return;
    const events: EcsEvent[] = buildSummaryEvents(
      c.activity,
      { minute: c.minute, closedIso: new Date(nowMs).toISOString(), topN: this.o.summary.topN, maxDistinct: this.o.summary.maxDistinct, overflowFlows: c.overflowFlows, localHour: this.clock.hourOf(c.minute), ids: this.ids },
      this.deps.exporterAgency,
    );
    for (let i = 0; i < events.length; i++) {
      if (!sink.offer(events[i], stats)) {
        const lost = events.length - i;
        this.stats.summaryDropped += lost;
        stats.drop('queue_full', lost);
        return;
      }
      stats.parsed++;
      this.stats.summaryEvents++;
    }
  }
}
