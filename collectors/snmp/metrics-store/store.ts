/**
 * Time series of poll results in tiers of SQLite files (partitions.ts): raw rows (one per device and
 * per interface per poll), 5-minute and hourly rollups (average and maximum), each kept its own
 * number of days; retention unlinks whole day (or month) files. Reads aggregate into `step`
 * buckets from the finest tier still holding each part of the range; partial buckets from several
 * files merge by sum, count and maximum. Writes are one transaction per poll. Rollups (rollup.ts)
 * run in this thread (`rollup()`) or in a worker thread (`rollupInWorker()`, what the NOC runs).
 */
import type { Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import type { SqliteDb } from '../../../core/store/sqlite';
import type { PollReport } from '../poll/poller';
import { memoryUsedPct, meanLoad } from '../poll/device-status';
import { DAY_MS, DEVICE_TABLE, IF_TABLE, TIERS, listPartitions, openPartitionForRead, openPartitionForWrite, partitionFile, periodOf, type MetricsTier } from './partitions';
import { deletePartitionFiles } from '../../../core/store/partition-files';
import { MetricsRollup, openMetricsState } from './rollup';
import { RollupThread } from './rollup-thread';
import { DEVICE_METRICS, INTERFACE_METRICS, isInterfaceMetric, type MetricName } from './series';

/** Points one read may return. */
export const MAX_POINTS = 10_000;

export interface MetricPoint {
  /** Bucket start, epoch ms. */
  t: number;
  /** Average over the bucket. */
  value: number;
  max: number;
}

export interface MetricQuery {
  deviceId: string;
  metric: MetricName;
  /** Required for interface metrics. */
  ifIndex?: number;
  from: number;
  to: number;
  stepMs: number;
}

export interface MetricsStoreOptions {
  /** Days of raw samples. */
  rawRetentionDays: number;
  /** Days of 5-minute rollups. */
  fiveMinuteRetentionDays: number;
  /** Days of hourly rollups. */
  hourlyRetentionDays: number;
  now?: () => number;
}

export class MetricsStoreError extends Error {
  override name = 'MetricsStoreError';
}

function sqlNumber(n: number | undefined): number | null {
  return n === undefined || !Number.isFinite(n) ? null : n;
}

/** The raw partition being appended to, with its statements. */
interface RawWriter {
  start: number;
  db: SqliteDb;
  insertIf: Statement;
  insertDevice: Statement;
  write: (r: PollReport) => void;
}

interface Bucket {
  sum: number;
  n: number;
  max: number;
}

export class SnmpMetricsStore {
  private readonly now: () => number;
  private raw: RawWriter | undefined;
  /** Rollups in this thread (rollup()), created on first use. */
  private localRollup: MetricsRollup | undefined;
  /** Rollups in a worker thread (rollupInWorker()), started on first use. */
  private rollupThread: RollupThread | undefined;
  rowsWritten = 0;

  /** `dir` holds the partitions and a small state file (how far rollups went). */
  constructor(
    private readonly dir: string,
    private readonly options: MetricsStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    mkdirSync(dir, { recursive: true });
    // Created here so that a misconfigured folder fails at start, not at the first rollup.
    openMetricsState(dir).close();
  }

  /** Stores one poll (call from SnmpPoller.onPoll). */
  record(report: PollReport): void {
    this.rawWriter(report.at).write(report);
  }

  /**
   * Closes every file; the store is unusable afterwards. A worker rollup still running is ended
   * (its transaction rolls back, the next start redoes it): call stopRollupThread() first to let
   * it finish.
   */
  close(): void {
    this.raw?.db.close();
    this.raw = undefined;
    this.localRollup?.close();
    this.localRollup = undefined;
    void this.rollupThread?.close();
    this.rollupThread = undefined;
  }

  /** Lets a worker rollup in flight finish and ends the worker thread. */
  async stopRollupThread(): Promise<void> {
    const t = this.rollupThread;
    this.rollupThread = undefined;
    await t?.close();
  }

  private rawWriter(at: number): RawWriter {
    const { start } = periodOf('raw', at);
    const current = this.raw;
    if (current !== undefined && current.start === start) return current;
    // Polls come in wall-clock order: a new day closes the previous day's file.
    current?.db.close();
    const db = openPartitionForWrite(partitionFile(this.dir, 'raw', start), 'raw');
    const insertIf = db.prepare(`INSERT OR REPLACE INTO ${IF_TABLE} (device_id, if_index, ts, ${INTERFACE_METRICS.join(', ')}) VALUES (?, ?, ?, ${INTERFACE_METRICS.map(() => '?').join(', ')})`);
    const insertDevice = db.prepare(`INSERT OR REPLACE INTO ${DEVICE_TABLE} (device_id, ts, ${DEVICE_METRICS.join(', ')}) VALUES (?, ?, ${DEVICE_METRICS.map(() => '?').join(', ')})`);
    const writer: RawWriter = { start, db, insertIf, insertDevice, write: db.transaction((r: PollReport) => this.writeRows(writer, r)) };
    this.raw = writer;
    return writer;
  }

  private writeRows(w: RawWriter, r: PollReport): void {
    const s = r.sample;
    const cpu = s !== undefined ? meanLoad(s.processorLoads) : undefined;
    const mem = s !== undefined ? memoryUsedPct(s) : undefined;
    w.insertDevice.run(r.deviceId, r.at, r.ok ? 1 : 0, sqlNumber(cpu), sqlNumber(mem), sqlNumber(r.durationMs));
    this.rowsWritten++;
    if (s === undefined) return;
    for (const i of s.interfaces.values()) {
      const rate = r.rates?.get(i.index);
      const operUp = i.operStatus === undefined ? null : i.operStatus === 1 ? 1 : 0;
      w.insertIf.run(
        r.deviceId,
        i.index,
        r.at,
        sqlNumber(rate?.inBps),
        sqlNumber(rate?.outBps),
        sqlNumber(rate?.inPps),
        sqlNumber(rate?.outPps),
        sqlNumber(rate?.inErrorsPs),
        sqlNumber(rate?.outErrorsPs),
        sqlNumber(rate?.inDiscardsPs),
        sqlNumber(rate?.outDiscardsPs),
        sqlNumber(rate?.utilizationPct),
        operUp,
      );
      this.rowsWritten++;
    }
  }

  /** Start of the range each tier still holds, epoch ms. */
  private tierFloor(tier: MetricsTier, now: number): number {
    const days = tier === 'raw' ? this.options.rawRetentionDays : tier === '5m' ? this.options.fiveMinuteRetentionDays : this.options.hourlyRetentionDays;
    return now - days * DAY_MS;
  }

  /** Buckets of `stepMs` over [from, to): raw rows where they are kept, then 5-minute, then hourly rollups. */
  query(q: MetricQuery): MetricPoint[] {
    if (!(q.stepMs > 0) || q.to <= q.from) throw new MetricsStoreError('need from < to and a positive step');
    if ((q.to - q.from) / q.stepMs > MAX_POINTS) throw new MetricsStoreError(`range / step gives more than ${MAX_POINTS} points; use a larger step`);
    const iface = isInterfaceMetric(q.metric);
    if (iface && q.ifIndex === undefined) throw new MetricsStoreError(`metric ${q.metric} is per interface: give the interface`);
    const now = this.now();
    const buckets = new Map<number, Bucket>();
    // Finest first: each tier covers what is left of the range above its floor.
    let end = q.to;
    for (const tier of TIERS) {
      const floor = tier === '1h' ? q.from : Math.max(q.from, this.tierFloor(tier, now));
      if (end > floor) this.readTier(tier, q, iface, floor, end, buckets);
      end = Math.min(end, floor);
      if (end <= q.from) break;
    }
    const points: MetricPoint[] = [];
    for (const [b, v] of buckets) points.push({ t: q.from + b * q.stepMs, value: v.sum / v.n, max: v.max });
    points.sort((a, b) => a.t - b.t);
    return points;
  }

  private readTier(tier: MetricsTier, q: MetricQuery, iface: boolean, from: number, to: number, buckets: Map<number, Bucket>): void {
    const col = q.metric;
    const maxCol = tier === 'raw' ? col : `${col}_max`;
    const where = iface ? 'device_id = ? AND if_index = ?' : 'device_id = ?';
    const sql = `SELECT CAST((ts - ?) / ? AS INTEGER) AS b, SUM(${col}) AS s, COUNT(${col}) AS n, MAX(${maxCol}) AS m FROM ${iface ? IF_TABLE : DEVICE_TABLE}
      WHERE ${where} AND ts >= ? AND ts < ? AND ${col} IS NOT NULL GROUP BY b`;
    const args: Array<string | number> = [q.from, q.stepMs, q.deviceId];
    if (iface) args.push(q.ifIndex as number);
    args.push(from, to);
    for (const p of listPartitions(this.dir, tier)) {
      if (p.end <= from || p.start >= to) continue;
      const db = openPartitionForRead(p.file);
      if (db === undefined) continue;
      try {
        for (const r of db.prepare(sql).all(...args) as Array<{ b: number; s: number; n: number; m: number }>) {
          const cur = buckets.get(r.b);
          if (cur === undefined) buckets.set(r.b, { sum: r.s, n: r.n, max: r.m });
          else {
            cur.sum += r.s;
            cur.n += r.n;
            if (r.m > cur.max) cur.max = r.m;
          }
        }
      } finally {
        db.close();
      }
    }
  }

  /**
   * Rolls completed 5-minute buckets of raw rows up, then completed hours of 5-minute rows, since
   * the last run, in this thread; returns the rows written.
   */
  rollup(): number {
    this.localRollup ??= new MetricsRollup(this.dir);
    return this.localRollup.run(this.now());
  }

  /**
   * The same in a worker thread, so the caller's event loop does not stall for the aggregation
   * (bench/snmp-rollup.ts). A call while one runs gets that run's result. A worker that died is
   * replaced at the next call.
   */
  rollupInWorker(): Promise<number> {
    if (this.rollupThread?.failed === true) {
      void this.rollupThread.close();
      this.rollupThread = undefined;
    }
    this.rollupThread ??= new RollupThread(this.dir);
    return this.rollupThread.rollup(this.now());
  }

  /** Unlinks the files whose whole period is past their tier's retention; returns how many. */
  applyRetention(): number {
    const now = this.now();
    let n = 0;
    for (const tier of TIERS) {
      const floor = this.tierFloor(tier, now);
      for (const p of listPartitions(this.dir, tier)) {
        if (p.end > floor) break;
        if (this.raw !== undefined && this.raw.db.name === p.file) {
          this.raw.db.close();
          this.raw = undefined;
        }
        // Rollups close their files after each run (rollup.ts): none is held here between runs.
        deletePartitionFiles(p.file);
        n++;
      }
    }
    return n;
  }

  /**
   * Forgets a deleted device's series in every file. A worker rollup running now may write the
   * device's rollup rows back from raw rows it read before: they are deleted again once it ends.
   */
  deleteDevice(deviceId: string): void {
    this.deleteDeviceRows(deviceId, TIERS);
    const running = this.rollupThread?.inFlight;
    if (running !== undefined) {
      const again = (): void => {
        try {
          this.deleteDeviceRows(deviceId, ['5m', '1h']);
        } catch {
          // The store was closed meanwhile: the next start's rollup no longer sees the raw rows.
        }
      };
      running.then(again, again);
    }
  }

  private deleteDeviceRows(deviceId: string, tiers: readonly MetricsTier[]): void {
    for (const tier of tiers) {
      for (const p of listPartitions(this.dir, tier)) {
        const db = this.raw?.db.name === p.file ? this.raw.db : openPartitionForWrite(p.file, tier);
        try {
          for (const t of [IF_TABLE, DEVICE_TABLE]) db.prepare(`DELETE FROM ${t} WHERE device_id = ?`).run(deviceId);
        } finally {
          if (db !== this.raw?.db) db.close();
        }
      }
    }
  }
}
