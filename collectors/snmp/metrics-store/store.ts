/**
 * Time series of poll results in SQLite: one raw row per device and per interface per poll, and
 * 5-minute rollups (average and maximum) kept longer. Reads aggregate into `step` buckets, from
 * the rollups for the part of the range older than the raw retention. Writes are one transaction
 * per poll (one device row + one row per interface).
 */
import type { SqliteDb } from '../../../core/store/sqlite';
import { applyMigrations } from '../../../core/store/sqlite';
import type { PollReport } from '../poll/poller';
import { memoryUsedPct, meanLoad } from '../poll/device-status';
import { DEVICE_METRICS, INTERFACE_METRICS, METRICS_MIGRATIONS, ROLLUP_MS, isInterfaceMetric, type MetricName } from './series';

const DAY_MS = 86_400_000;
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
  retentionDays: number;
  rollupRetentionDays: number;
  now?: () => number;
}

export class MetricsStoreError extends Error {
  override name = 'MetricsStoreError';
}

function sqlNumber(n: number | undefined): number | null {
  return n === undefined || !Number.isFinite(n) ? null : n;
}

export class SnmpMetricsStore {
  private readonly now: () => number;
  private readonly insertIf;
  private readonly insertDevice;
  private readonly writePoll;
  rowsWritten = 0;

  constructor(
    private readonly db: SqliteDb,
    private readonly options: MetricsStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    applyMigrations(db, 'snmp_metrics', METRICS_MIGRATIONS);
    this.insertIf = db.prepare(
      `INSERT OR REPLACE INTO snmp_if_samples (device_id, if_index, ts, ${INTERFACE_METRICS.join(', ')}) VALUES (?, ?, ?, ${INTERFACE_METRICS.map(() => '?').join(', ')})`,
    );
    this.insertDevice = db.prepare(`INSERT OR REPLACE INTO snmp_device_samples (device_id, ts, ${DEVICE_METRICS.join(', ')}) VALUES (?, ?, ${DEVICE_METRICS.map(() => '?').join(', ')})`);
    this.writePoll = db.transaction((r: PollReport) => this.writeRows(r));
  }

  /** Stores one poll (call from SnmpPoller.onPoll). */
  record(report: PollReport): void {
    this.writePoll(report);
  }

  private writeRows(r: PollReport): void {
    const s = r.sample;
    const up = r.ok ? 1 : 0;
    const cpu = s !== undefined ? meanLoad(s.processorLoads) : undefined;
    const mem = s !== undefined ? memoryUsedPct(s) : undefined;
    this.insertDevice.run(r.deviceId, r.at, up, sqlNumber(cpu), sqlNumber(mem), sqlNumber(r.durationMs));
    this.rowsWritten++;
    if (s === undefined) return;
    for (const i of s.interfaces.values()) {
      const rate = r.rates?.get(i.index);
      const operUp = i.operStatus === undefined ? null : i.operStatus === 1 ? 1 : 0;
      this.insertIf.run(
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

  /** Buckets of `stepMs` over [from, to): raw rows where they are kept, rollups before. */
  query(q: MetricQuery): MetricPoint[] {
    if (!(q.stepMs > 0) || q.to <= q.from) throw new MetricsStoreError('need from < to and a positive step');
    if ((q.to - q.from) / q.stepMs > MAX_POINTS) throw new MetricsStoreError(`range / step gives more than ${MAX_POINTS} points; use a larger step`);
    const iface = isInterfaceMetric(q.metric);
    if (iface && q.ifIndex === undefined) throw new MetricsStoreError(`metric ${q.metric} is per interface: give the interface`);
    const rawFrom = this.now() - this.options.retentionDays * DAY_MS;
    // Align the switch-over to the step so no bucket mixes raw rows and rollups.
    const cut = Math.min(q.to, Math.max(q.from, Math.ceil(rawFrom / q.stepMs) * q.stepMs));
    const points: MetricPoint[] = [];
    if (cut > q.from) points.push(...this.read(q, iface, true, q.from, cut));
    if (q.to > cut) points.push(...this.read(q, iface, false, cut, q.to));
    return points;
  }

  private read(q: MetricQuery, iface: boolean, rollup: boolean, from: number, to: number): MetricPoint[] {
    const table = iface ? (rollup ? 'snmp_if_rollup_5m' : 'snmp_if_samples') : rollup ? 'snmp_device_rollup_5m' : 'snmp_device_samples';
    const col = q.metric;
    const maxCol = rollup ? `${col}_max` : col;
    const where = iface ? 'device_id = ? AND if_index = ?' : 'device_id = ?';
    const sql = `SELECT CAST((ts - ?) / ? AS INTEGER) AS b, AVG(${col}) AS v, MAX(${maxCol}) AS m FROM ${table}
      WHERE ${where} AND ts >= ? AND ts < ? AND ${col} IS NOT NULL GROUP BY b ORDER BY b`;
    const args: Array<string | number> = [q.from, q.stepMs, q.deviceId];
    if (iface) args.push(q.ifIndex as number);
    args.push(from, to);
    const rows = this.db.prepare(sql).all(...args) as Array<{ b: number; v: number; m: number }>;
    return rows.map((r) => ({ t: q.from + r.b * q.stepMs, value: r.v, max: r.m }));
  }

  /** Rolls completed 5-minute buckets up since the last run; returns the rows written. */
  rollup(): number {
    const until = Math.floor(this.now() / ROLLUP_MS) * ROLLUP_MS;
    const meta = this.db.prepare("SELECT value FROM snmp_metrics_meta WHERE key = 'rolled_up_to'").get() as { value: number } | undefined;
    const oldest = this.db.prepare('SELECT MIN(ts) AS t FROM snmp_device_samples').get() as { t: number | null };
    const since = meta?.value ?? (oldest.t !== null ? Math.floor(oldest.t / ROLLUP_MS) * ROLLUP_MS : until);
    if (since >= until) return 0;
    const agg = (names: readonly string[]): string => names.map((n) => `AVG(${n}), MAX(${n})`).join(', ');
    const cols = (names: readonly string[]): string => names.map((n) => `${n}, ${n}_max`).join(', ');
    let rows = 0;
    this.db.transaction(() => {
      rows += this.db
        .prepare(
          `INSERT OR REPLACE INTO snmp_if_rollup_5m (device_id, if_index, ts, ${cols(INTERFACE_METRICS)})
           SELECT device_id, if_index, (ts / ${ROLLUP_MS}) * ${ROLLUP_MS} AS b, ${agg(INTERFACE_METRICS)} FROM snmp_if_samples
           WHERE ts >= ? AND ts < ? GROUP BY device_id, if_index, b`,
        )
        .run(since, until).changes;
      rows += this.db
        .prepare(
          `INSERT OR REPLACE INTO snmp_device_rollup_5m (device_id, ts, ${cols(DEVICE_METRICS)})
           SELECT device_id, (ts / ${ROLLUP_MS}) * ${ROLLUP_MS} AS b, ${agg(DEVICE_METRICS)} FROM snmp_device_samples
           WHERE ts >= ? AND ts < ? GROUP BY device_id, b`,
        )
        .run(since, until).changes;
      this.db.prepare("INSERT OR REPLACE INTO snmp_metrics_meta (key, value) VALUES ('rolled_up_to', ?)").run(until);
    })();
    return rows;
  }

  /** Deletes raw rows and rollups past their retention; returns the rows deleted. */
  applyRetention(): number {
    const now = this.now();
    const raw = now - this.options.retentionDays * DAY_MS;
    const rolled = now - this.options.rollupRetentionDays * DAY_MS;
    let n = 0;
    n += this.db.prepare('DELETE FROM snmp_if_samples WHERE ts < ?').run(raw).changes;
    n += this.db.prepare('DELETE FROM snmp_device_samples WHERE ts < ?').run(raw).changes;
    n += this.db.prepare('DELETE FROM snmp_if_rollup_5m WHERE ts < ?').run(rolled).changes;
    n += this.db.prepare('DELETE FROM snmp_device_rollup_5m WHERE ts < ?').run(rolled).changes;
    return n;
  }

  /** Forgets a deleted device's series. */
  deleteDevice(deviceId: string): void {
    for (const t of ['snmp_if_samples', 'snmp_if_rollup_5m', 'snmp_device_samples', 'snmp_device_rollup_5m']) this.db.prepare(`DELETE FROM ${t} WHERE device_id = ?`).run(deviceId);
  }
}
