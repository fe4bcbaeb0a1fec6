/**
 * Time series of poll results in tiers of SQLite files (partitions.ts): raw rows (one per device and
 * per interface per poll), 5-minute and hourly rollups (average and maximum), each kept its own
 * number of days; retention unlinks whole day (or month) files. Reads aggregate into `step`
 * buckets from the finest tier still holding each part of the range; partial buckets from several
 * files merge by sum, count and maximum. Writes are one transaction per poll.
 */
import type { Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { applyMigrations, openSqlite, type SqliteDb } from '../../../core/store/sqlite';
import type { PollReport } from '../poll/poller';
import { memoryUsedPct, meanLoad } from '../poll/device-status';
import {
  DAY_MS,
  DEVICE_TABLE,
  FIVE_MINUTES_MS,
  HOUR_MS,
  IF_TABLE,
  TIER_BUCKET_MS,
  TIERS,
  listPartitions,
  openPartitionForRead,
  openPartitionForWrite,
  partitionFile,
  periodOf,
  type MetricsPartition,
  type MetricsTier,
} from './partitions';
import { deletePartitionFiles } from '../../../core/store/partition-files';
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

const STATE_MIGRATIONS = ['CREATE TABLE snmp_metrics_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);'];
const ROLLED_KEY: Readonly<Record<'5m' | '1h', string>> = { '5m': 'rolled_5m_to', '1h': 'rolled_1h_to' };

const aggregates = (names: readonly string[], fromRollup: boolean): string =>
  names.map((n) => (fromRollup ? `AVG(${n}), MAX(${n}_max)` : `AVG(${n}), MAX(${n})`)).join(', ');
const rollupColumns = (names: readonly string[]): string => names.map((n) => `${n}, ${n}_max`).join(', ');

export class SnmpMetricsStore {
  private readonly now: () => number;
  private readonly state: SqliteDb;
  private raw: RawWriter | undefined;
  /** Rollup partitions open for writing, by file. */
  private readonly rollupWriters = new Map<string, SqliteDb>();
  rowsWritten = 0;

  /** `dir` holds the partitions and a small state file (how far rollups went). */
  constructor(
    private readonly dir: string,
    private readonly options: MetricsStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    mkdirSync(dir, { recursive: true });
    this.state = openSqlite(join(dir, 'state.db'));
    applyMigrations(this.state, 'snmp_metrics_state', STATE_MIGRATIONS);
  }

  /** Stores one poll (call from SnmpPoller.onPoll). */
  record(report: PollReport): void {
    this.rawWriter(report.at).write(report);
  }

  /** Closes every file; the store is unusable afterwards. */
  close(): void {
    this.raw?.db.close();
    this.raw = undefined;
    for (const db of this.rollupWriters.values()) db.close();
    this.rollupWriters.clear();
    this.state.close();
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
   * the last run; returns the rows written.
   */
  rollup(): number {
    const now = this.now();
    let rows = this.rollTier('5m', Math.floor(now / FIVE_MINUTES_MS) * FIVE_MINUTES_MS);
    const fiveTo = this.mark('5m') ?? 0;
    rows += this.rollTier('1h', Math.min(Math.floor(now / HOUR_MS) * HOUR_MS, Math.floor(fiveTo / HOUR_MS) * HOUR_MS));
    return rows;
  }

  private mark(tier: '5m' | '1h'): number | undefined {
    return (this.state.prepare('SELECT value FROM snmp_metrics_state WHERE key = ?').get(ROLLED_KEY[tier]) as { value: number } | undefined)?.value;
  }

  private rollTier(tier: '5m' | '1h', until: number): number {
    const source: MetricsTier = tier === '5m' ? 'raw' : '5m';
    const sources = listPartitions(this.dir, source);
    const since = this.mark(tier) ?? (sources.length > 0 ? sources[0].start : until);
    if (since >= until) return 0;
    const bucket = TIER_BUCKET_MS[tier];
    const fromRollup = source !== 'raw';
    let rows = 0;
    for (const p of sources) {
      if (p.end <= since || p.start >= until) continue;
      rows += this.rollPartition(p, tier, bucket, fromRollup, Math.max(since, p.start), Math.min(until, p.end));
    }
    this.state.prepare('INSERT OR REPLACE INTO snmp_metrics_state (key, value) VALUES (?, ?)').run(ROLLED_KEY[tier], until);
    return rows;
  }

  /** One source file's [from, to) into the target tier's file, through ATTACH (no rows cross into JS). */
  private rollPartition(src: MetricsPartition, tier: '5m' | '1h', bucket: number, fromRollup: boolean, from: number, to: number): number {
    const target = this.rollupWriter(tier, from);
    target.prepare('ATTACH DATABASE ? AS src').run(src.file);
    try {
      return target.transaction(() => {
        let n = target
          .prepare(
            `INSERT OR REPLACE INTO main.${IF_TABLE} (device_id, if_index, ts, ${rollupColumns(INTERFACE_METRICS)})
             SELECT device_id, if_index, (ts / ${bucket}) * ${bucket} AS b, ${aggregates(INTERFACE_METRICS, fromRollup)} FROM src.${IF_TABLE}
             WHERE ts >= ? AND ts < ? GROUP BY device_id, if_index, b`,
          )
          .run(from, to).changes;
        n += target
          .prepare(
            `INSERT OR REPLACE INTO main.${DEVICE_TABLE} (device_id, ts, ${rollupColumns(DEVICE_METRICS)})
             SELECT device_id, (ts / ${bucket}) * ${bucket} AS b, ${aggregates(DEVICE_METRICS, fromRollup)} FROM src.${DEVICE_TABLE}
             WHERE ts >= ? AND ts < ? GROUP BY device_id, b`,
          )
          .run(from, to).changes;
        return n;
      })();
    } finally {
      target.prepare('DETACH DATABASE src').run();
    }
  }

  private rollupWriter(tier: '5m' | '1h', ts: number): SqliteDb {
    const file = partitionFile(this.dir, tier, periodOf(tier, ts).start);
    let db = this.rollupWriters.get(file);
    if (db === undefined) {
      // Only the latest period of each tier stays open.
      for (const [f, open] of this.rollupWriters) {
        if (f.startsWith(join(this.dir, `${tier}-`))) {
          open.close();
          this.rollupWriters.delete(f);
        }
      }
      db = openPartitionForWrite(file, tier);
      this.rollupWriters.set(file, db);
    }
    return db;
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
        const open = this.rollupWriters.get(p.file);
        if (open !== undefined) {
          open.close();
          this.rollupWriters.delete(p.file);
        }
        deletePartitionFiles(p.file);
        n++;
      }
    }
    return n;
  }

  /** Forgets a deleted device's series in every file. */
  deleteDevice(deviceId: string): void {
    for (const tier of TIERS) {
      for (const p of listPartitions(this.dir, tier)) {
        const db = this.raw?.db.name === p.file ? this.raw.db : (this.rollupWriters.get(p.file) ?? openPartitionForWrite(p.file, tier));
        try {
          for (const t of [IF_TABLE, DEVICE_TABLE]) db.prepare(`DELETE FROM ${t} WHERE device_id = ?`).run(deviceId);
        } finally {
          if (db !== this.raw?.db && !this.rollupWriters.has(p.file)) db.close();
        }
      }
    }
  }
}
