/**
 * Rollups of the metrics store: completed 5-minute buckets of raw rows, then completed hours of
 * 5-minute rows, since the last run (state.db remembers how far each tier went). Pure SQL through
 * ATTACH: no row crosses into JavaScript. It owns its connections, so it runs the same in the
 * store's thread (SnmpMetricsStore.rollup) or in a worker (rollup-worker.ts): SQLite's WAL lets
 * the poller keep appending raw rows and the API keep reading while a rollup writes.
 */
import { join } from 'node:path';
import { applyMigrations, openSqlite, type SqliteDb } from '../../../core/store/sqlite';
import {
  DEVICE_TABLE,
  FIVE_MINUTES_MS,
  HOUR_MS,
  IF_TABLE,
  TIER_BUCKET_MS,
  listPartitions,
  openPartitionForWrite,
  partitionFile,
  periodOf,
  type MetricsPartition,
  type MetricsTier,
} from './partitions';
import { DEVICE_METRICS, INTERFACE_METRICS } from './series';

const STATE_MIGRATIONS = ['CREATE TABLE snmp_metrics_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);'];
const ROLLED_KEY: Readonly<Record<'5m' | '1h', string>> = { '5m': 'rolled_5m_to', '1h': 'rolled_1h_to' };

const aggregates = (names: readonly string[], fromRollup: boolean): string =>
  names.map((n) => (fromRollup ? `AVG(${n}), MAX(${n}_max)` : `AVG(${n}), MAX(${n})`)).join(', ');
const rollupColumns = (names: readonly string[]): string => names.map((n) => `${n}, ${n}_max`).join(', ');

/** Opens (creating if needed) the folder's state file, where rollups record how far they went. */
export function openMetricsState(dir: string): SqliteDb {
  const db = openSqlite(join(dir, 'state.db'));
  try {
    applyMigrations(db, 'snmp_metrics_state', STATE_MIGRATIONS);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export class MetricsRollup {
  private readonly state: SqliteDb;
  /** Rollup partitions open for writing, by file; only the latest period of each tier stays open. */
  private readonly writers = new Map<string, SqliteDb>();

  constructor(private readonly dir: string) {
    this.state = openMetricsState(dir);
  }

  /**
   * Rolls up what completed before `now`; returns the rows written. The rollup files are closed
   * again at the end (one open per run, every 5 minutes), so that between runs retention may
   * unlink any of them and nothing here holds a deleted file.
   */
  run(now: number): number {
    try {
      let rows = this.rollTier('5m', Math.floor(now / FIVE_MINUTES_MS) * FIVE_MINUTES_MS);
      const fiveTo = this.mark('5m') ?? 0;
      rows += this.rollTier('1h', Math.min(Math.floor(now / HOUR_MS) * HOUR_MS, Math.floor(fiveTo / HOUR_MS) * HOUR_MS));
      return rows;
    } finally {
      this.closeWriters();
    }
  }

  close(): void {
    this.closeWriters();
    this.state.close();
  }

  private closeWriters(): void {
    for (const db of this.writers.values()) db.close();
    this.writers.clear();
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
    // After the rows: a run cut short (a crash, a terminated worker) is redone next time (INSERT OR REPLACE).
    this.state.prepare('INSERT OR REPLACE INTO snmp_metrics_state (key, value) VALUES (?, ?)').run(ROLLED_KEY[tier], until);
    return rows;
  }

  /** One source file's [from, to) into the target tier's file. */
  private rollPartition(src: MetricsPartition, tier: '5m' | '1h', bucket: number, fromRollup: boolean, from: number, to: number): number {
    const target = this.writer(tier, from);
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

  private writer(tier: '5m' | '1h', ts: number): SqliteDb {
    const file = partitionFile(this.dir, tier, periodOf(tier, ts).start);
    let db = this.writers.get(file);
    if (db === undefined) {
      for (const [f, open] of this.writers) {
        if (f.startsWith(join(this.dir, `${tier}-`))) {
          open.close();
          this.writers.delete(f);
        }
      }
      db = openPartitionForWrite(file, tier);
      this.writers.set(file, db);
    }
    return db;
  }
}
