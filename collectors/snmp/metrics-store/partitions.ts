/**
 * The metrics store's files: one SQLite file per tier and period in one folder,
 *
 *   raw-YYYYMMDD.db   one row per device and per interface per poll, one file per UTC day
 *   5m-YYYYMMDD.db    5-minute average and maximum, one file per UTC day
 *   1h-YYYYMM.db      hourly average and maximum, one file per UTC month
 *
 * For the reason core/store/event-partition.ts gives: retention unlinks whole files, which takes no
 * time, holds no write lock and gives the space back at once, where DELETE through a ts index on a
 * table of 100 million rows (2,000 devices × 50 interfaces × 1,440 polls a day) walks and rewrites
 * pages under the write lock for minutes and leaves the file at its high-water size. A 5-minute or
 * hourly bucket never straddles a file (days and months start on the hour).
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync, unlinkSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { applyMigrations, openSqlite, type SqliteDb } from '../../../core/store/sqlite';
import { DEVICE_METRICS, INTERFACE_METRICS } from './series';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const FIVE_MINUTES_MS = 300_000;

export type MetricsTier = 'raw' | '5m' | '1h';
export const TIERS: readonly MetricsTier[] = ['raw', '5m', '1h'];

/** Bucket size of each tier; 0 for raw (one row per poll). */
export const TIER_BUCKET_MS: Readonly<Record<MetricsTier, number>> = { raw: 0, '5m': FIVE_MINUTES_MS, '1h': HOUR_MS };

export interface MetricsPartition {
  tier: MetricsTier;
  /** Start of the period (UTC day or month), epoch ms. */
  start: number;
  /** End of the period, exclusive. */
  end: number;
  file: string;
}

const FILE_RE = /^(raw|5m|1h)-(\d{4})(\d{2})(\d{2})?\.db$/;

function columns(names: readonly string[], withMax: boolean): string {
  return names.map((n) => (withMax ? `${n} REAL, ${n}_max REAL` : `${n} REAL`)).join(', ');
}

/** Table names are the same in every tier; rollup tiers add `<metric>_max` columns. */
export const IF_TABLE = 'if_metrics';
export const DEVICE_TABLE = 'device_metrics';

function migrations(withMax: boolean): readonly string[] {
  return [
    `CREATE TABLE ${IF_TABLE} (device_id TEXT NOT NULL, if_index INTEGER NOT NULL, ts INTEGER NOT NULL, ${columns(INTERFACE_METRICS, withMax)},
       PRIMARY KEY (device_id, if_index, ts)) WITHOUT ROWID;
     CREATE TABLE ${DEVICE_TABLE} (device_id TEXT NOT NULL, ts INTEGER NOT NULL, ${columns(DEVICE_METRICS, withMax)},
       PRIMARY KEY (device_id, ts)) WITHOUT ROWID;`,
  ];
}

const RAW_MIGRATIONS = migrations(false);
const ROLLUP_MIGRATIONS = migrations(true);

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The period of `tier` holding time `ts`: [start, end). */
export function periodOf(tier: MetricsTier, ts: number): { start: number; end: number } {
  if (tier !== '1h') {
    const start = Math.floor(ts / DAY_MS) * DAY_MS;
    return { start, end: start + DAY_MS };
  }
  const d = new Date(ts);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return { start, end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

export function partitionFile(dir: string, tier: MetricsTier, start: number): string {
  const d = new Date(start);
  const ym = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}`;
  return join(dir, tier === '1h' ? `1h-${ym}.db` : `${tier}-${ym}${pad(d.getUTCDate(), 2)}.db`);
}

/** The partitions of one tier on disk, oldest first. */
export function listPartitions(dir: string, tier: MetricsTier): MetricsPartition[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: MetricsPartition[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const m = FILE_RE.exec(entry.name);
    if (m === null || m[1] !== tier) continue;
    // Monthly files have no day; daily files must have one.
    if ((tier === '1h') !== (m[4] === undefined)) continue;
    const start = Date.UTC(Number(m[2]), Number(m[3]) - 1, m[4] !== undefined ? Number(m[4]) : 1);
    out.push({ tier, start, end: periodOf(tier, start).end, file: join(dir, entry.name) });
  }
  out.sort((a, b) => a.start - b.start);
  return out;
}

/** Opens (creating if needed) a partition for writes. */
export function openPartitionForWrite(file: string, tier: MetricsTier): SqliteDb {
  const db = openSqlite(file);
  try {
    applyMigrations(db, `snmp_metrics_${tier}`, tier === 'raw' ? RAW_MIGRATIONS : ROLLUP_MIGRATIONS);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Opens an existing partition for queries; undefined when it is gone or not initialised yet. */
export function openPartitionForRead(file: string): SqliteDb | undefined {
  let db: SqliteDb;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch (err) {
    if (!existsSync(file)) return undefined;
    throw new Error(`snmp metrics: cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma('query_only = ON');
    db.pragma('busy_timeout = 5000');
    if (db.prepare(`SELECT 1 FROM sqlite_master WHERE name = '${DEVICE_TABLE}'`).get() === undefined) {
      db.close();
      return undefined;
    }
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Removes a partition's files (database, WAL, shared memory); missing files are fine. */
export function deletePartitionFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      unlinkSync(file + suffix);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
