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
import { FlowMinuteAggregator, type ClosedMinute, type FlowClassifier, type MinuteBucket } from './minute-aggregator';
import { drainSteps, runSliced, STEP_ITEMS, type Steps } from './slices';
import type { FlowPacketContext } from '../normalize/flow-tenancy';
import { buildServiceEvents, buildSummaryEventsSteps, LocalHourClock } from './summary-events';
import { ActivityBaselines, type MinuteBaselines } from './activity-baselines';
import { ExternalServiceTracker } from './external-services';
import { FlowStateFile, type FlowLearnedState } from './flow-state';
import type { RateBaselines } from './rate-baselines';
import type { HourlyBaselines } from './hourly-baselines';

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
  /** Learned per-address baselines on summary events (netflow.baseline); off when absent. */
  baseline?: {
    enabled: boolean;
    halfLifeMinutes: number;
    warmupMinutes: number;
    maxKeys: number;
    /** Hour-of-day profiles of internal sources' outbound bytes; off when absent. */
    hourly?: { enabled: boolean; halfLifeDays: number; warmupDays: number; maxKeys: number };
  };
  /** new_external_service summary events (netflow.newServices); off when absent or without deps.isInternal. */
  newServices?: { enabled: boolean; learningMinutes: number; maxKeys: number };
}

export interface FlowAggregationDeps {
  /** Where summary events go; none: no summaries offered. */
  sink?: IngestSink;
  /** Counters of the summary events' input (`netflow/summary`). */
  summaryStats?: InputStats;
  exporterAgency: (exporter: string) => Agency;
  /** Inside the perimeter (agency CIDRs, netflow.internalNetworks): needed for new-service detection. */
  isInternal?: (ip: string) => boolean;
  /** Agency names for events that know only the id (new services); the id itself when absent. */
  agencyName?: (id: string) => string;
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
  /** The last sliced close (closeDueSliced): its longest slice on the event loop and its slices. */
  closeMaxSliceMs: number;
  closeSlices: number;
  /** The same longest slice in process CPU time (ms). */
  closeMaxSliceCpuMs: number;
}

const CLOSE_CHECK_MS = 5_000;
/** Rows inserted per event-loop turn (~2-8 ms) while a minute or hour is written. */
const WRITE_CHUNK_ROWS = 1_000;
/**
 * Event-loop time a minute close takes before letting receive handlers run. A UDP receive buffer capped
 * by net.core.rmem_max (~208 KiB, ~90 datagrams on a stock kernel) holds ~27 ms at 100 k flows/s.
 */
const CLOSE_SLICE_MS = 4;
const RETENTION_CHECK_MS = 3_600_000;
/** Learned state (baselines, known services) is saved this often and at stop. */
const STATE_SAVE_MS = 600_000;

export class FlowAggregation {
  readonly aggregator: FlowMinuteAggregator;
  readonly hours: FlowHourRollup;
  readonly writer: FlowAggregateWriter;
  readonly reader: FlowAggregateReader;
  readonly stats: FlowAggregationStats = { summaryEvents: 0, summaryDropped: 0, writeErrors: 0, lastWriteMs: 0, closeMaxSliceMs: 0, closeSlices: 0, closeMaxSliceCpuMs: 0 };
  private readonly ids = new FlowEventIds();
  private readonly clock: LocalHourClock;
  private readonly now: () => number;
  private closeTimer: NodeJS.Timeout | undefined;
  /** Sliced closes run one after another; stop() waits for the one in progress. */
  private closing: Promise<unknown> = Promise.resolve();
  /** Writes run one after another (a chunked write spans event-loop turns). */
  private writing: Promise<void> = Promise.resolve();
  /** Hours with a minute whose write failed: their rollup must not be marked done. */
  private readonly failedHours = new Set<number>();
  private retentionTimer: NodeJS.Timeout | undefined;
  /** Learned per-address rates; null when off. */
  readonly baselines: ActivityBaselines | null;
  /** Known externally reachable services; null when off. */
  readonly services: ExternalServiceTracker | null;
  private readonly stateFile: FlowStateFile | null;
  private readonly learned: FlowLearnedState;
  private lastStateSave: number;

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
    const summaries = o.summary.enabled && deps.sink !== undefined;
    const b = o.baseline;
    const hourly = b?.hourly !== undefined && b.hourly.enabled ? { halfLifeDays: b.hourly.halfLifeDays, warmupDays: b.hourly.warmupDays, maxKeys: b.hourly.maxKeys } : null;
    this.baselines = summaries && b !== undefined && b.enabled ? new ActivityBaselines({ halfLifeMinutes: b.halfLifeMinutes, warmupMinutes: b.warmupMinutes, maxKeys: b.maxKeys }, hourly) : null;
    const ns = o.newServices;
    this.services =
      summaries && ns !== undefined && ns.enabled && deps.isInternal !== undefined ? new ExternalServiceTracker({ learningMinutes: ns.learningMinutes, maxKeys: ns.maxKeys }, deps.isInternal) : null;
    const baselineMap = new Map<string, RateBaselines>();
    if (this.baselines !== null) {
      baselineMap.set('destination_packets', this.baselines.destinations);
      baselineMap.set('source_outbound_bytes', this.baselines.sources);
    }
    const hourlyMap = new Map<string, HourlyBaselines>();
    if (this.baselines?.sourcesHourly != null) hourlyMap.set('source_outbound_bytes_by_hour', this.baselines.sourcesHourly);
    this.learned = { baselines: baselineMap, hourly: hourlyMap, services: this.services };
    this.stateFile = this.baselines !== null || this.services !== null ? new FlowStateFile(o.dir) : null;
    if (this.stateFile !== null) {
      try {
        const restored = this.stateFile.load(this.learned);
        if (restored > 0) deps.logger.info({ entries: restored, dir: o.dir }, 'flow baselines and known services restored');
      } catch (err) {
        deps.logger.error({ err, dir: o.dir }, 'reading the learned flow state failed; learning again');
      }
    }
    this.lastStateSave = this.now();
  }

  add(flow: FlowRecord, agency: Agency, outbound: boolean, nowMs: number): void {
    this.aggregator.add(flow, agency, outbound, nowMs);
  }

  /** add() of a flow not yet classified: `classifier` is asked only for a key the minute has not classified. */
  addClassifying(flow: FlowRecord, ctx: FlowPacketContext, classifier: FlowClassifier, nowMs: number): void {
    this.aggregator.addClassifying(flow, ctx, classifier, nowMs);
  }

  start(): void {
    if (this.closeTimer !== undefined) return;
    this.applyRetention();
    this.closeTimer = setInterval(() => void this.closeDueSliced(), CLOSE_CHECK_MS);
    this.closeTimer.unref();
    this.retentionTimer = setInterval(() => this.applyRetention(), RETENTION_CHECK_MS);
    this.retentionTimer.unref();
  }

  /**
   * Closes the minutes due now (their summaries are offered at once) and queues their writes, then the
   * hours'; returns the minutes. `idle()` resolves once everything queued is written.
   */
  closeDue(nowMs = this.now()): ClosedMinute[] {
    const closed: ClosedMinute[] = [];
    drainSteps(this.closeSteps(this.aggregator.detachDue(nowMs), nowMs, closed));
    return closed;
  }

  /**
   * closeDue() without stalling the receive path (what the timer runs): the due minutes are detached at
   * once (new flows go to fresh buckets), then finished in slices of about CLOSE_SLICE_MS with the event
   * loop free between them. Same results in the same order as closeDue; closes run one after another.
   */
  closeDueSliced(nowMs = this.now()): Promise<ClosedMinute[]> {
    const detached = this.aggregator.detachDue(nowMs);
    const closed: ClosedMinute[] = [];
    const times = { maxSliceMs: 0, slices: 0, maxSliceCpuMs: 0 };
    const job = this.closing.then(async () => {
      try {
        await runSliced(this.closeSteps(detached, nowMs, closed), CLOSE_SLICE_MS, times);
        this.stats.closeMaxSliceMs = times.maxSliceMs;
        this.stats.closeSlices = times.slices;
        this.stats.closeMaxSliceCpuMs = times.maxSliceCpuMs;
      } catch (err) {
        this.deps.logger.error({ err, minutes: detached.length }, 'closing flow minutes failed');
      }
      return closed;
    });
    this.closing = job;
    return job;
  }

  private *closeSteps(detached: readonly MinuteBucket[], nowMs: number, closed: ClosedMinute[]): Steps<void> {
    for (const b of detached) {
      const c = yield* this.aggregator.completeSteps(b);
      closed.push(c);
      yield* this.persistSteps(c, nowMs);
    }
    for (const h of this.hours.closeDue(nowMs, this.o.graceSeconds * 1000)) this.persistHour(h);
    if (this.stateFile !== null && nowMs - this.lastStateSave >= STATE_SAVE_MS) this.saveState(nowMs);
  }

  /** Queues a snapshot of the learned state (baselines, known services) after the queued writes. */
  saveState(nowMs = this.now()): Promise<void> {
    const file = this.stateFile;
    this.lastStateSave = nowMs;
    if (file !== null) {
      this.enqueue(async () => {
        try {
          await file.save(this.learned, WRITE_CHUNK_ROWS);
        } catch (err) {
          this.stats.writeErrors++;
          this.deps.logger.error({ err, dir: this.o.dir }, 'saving the learned flow state failed');
        }
      });
    }
    return this.idle();
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
    await this.closing;
    const nowMs = this.now();
    for (const c of this.aggregator.closeAll()) this.persist(c, nowMs);
    for (const h of this.hours.closeAll()) this.persistHour(h);
    if (this.stateFile !== null) await this.saveState(nowMs);
    await this.idle();
    this.writer.close();
    this.reader.close();
    this.stateFile?.close();
  }

  private persist(c: ClosedMinute, nowMs: number): void {
    drainSteps(this.persistSteps(c, nowMs));
  }

  private *persistSteps(c: ClosedMinute, nowMs: number): Steps<void> {
    // Merged into its hour now, in close order, so the hour closes with every minute in it.
    const merged = yield* this.hours.addMinuteSteps(c.minute, c.rows);
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
    if (c.activity !== null && this.deps.sink !== undefined) yield* this.offerSummariesSteps(c, nowMs);
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

  private *offerSummariesSteps(c: ClosedMinute, nowMs: number): Steps<void> {
    const sink = this.deps.sink;
    const stats = this.deps.summaryStats;
    if (sink === undefined || stats === undefined || c.activity === null) return;
    const baselines: MinuteBaselines | null = this.baselines === null ? null : yield* this.baselines.observeSteps(c.minute, c.activity, this.clock.localMinuteOf(c.minute));
    const context = {
      minute: c.minute,
      closedIso: new Date(nowMs).toISOString(),
      topN: this.o.summary.topN,
      maxDistinct: this.o.summary.maxDistinct,
      overflowFlows: c.overflowFlows,
      localHour: this.clock.hourOf(c.minute),
      ids: this.ids,
      baselines,
    };
    yield;
    const events: EcsEvent[] = yield* buildSummaryEventsSteps(c.activity, context, this.deps.exporterAgency);
    if (this.services !== null) {
      yield;
      const found = yield* this.services.scanSteps(c.minute, c.rows);
      if (found.length > 0) for (const e of buildServiceEvents(found, context, this.deps.agencyName ?? ((id) => id))) events.push(e);
    }
    for (let i = 0; i < events.length; i++) {
      if (i % STEP_ITEMS === STEP_ITEMS - 1) yield;
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
