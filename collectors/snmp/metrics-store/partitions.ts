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
import { join } from 'node:path';
import {
  listFileNames,
  openPartitionForRead as openReadablePartition,
  openPartitionForWrite as openWritablePartition,
  utcDateStamp,
  type PartitionSchema,
} from '../../../core/store/partition-files';
import type { SqliteDb } from '../../../core/store/sqlite';
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
  return join(dir, `${tier}-${utcDateStamp(start, tier !== '1h')}.db`);
}

/** The partitions of one tier on disk, oldest first. */
export function listPartitions(dir: string, tier: MetricsTier): MetricsPartition[] {
  const out: MetricsPartition[] = [];
  for (const name of listFileNames(dir)) {
    const m = FILE_RE.exec(name);
    if (m === null || m[1] !== tier) continue;
    // Monthly files have no day; daily files must have one.
    if ((tier === '1h') !== (m[4] === undefined)) continue;
    const start = Date.UTC(Number(m[2]), Number(m[3]) - 1, m[4] !== undefined ? Number(m[4]) : 1);
    out.push({ tier, start, end: periodOf(tier, start).end, file: join(dir, name) });
  }
  out.sort((a, b) => a.start - b.start);
  return out;
}

const SCHEMAS: Readonly<Record<MetricsTier, PartitionSchema>> = {
  raw: { namespace: 'snmp_metrics_raw', migrations: RAW_MIGRATIONS },
  '5m': { namespace: 'snmp_metrics_5m', migrations: ROLLUP_MIGRATIONS },
  '1h': { namespace: 'snmp_metrics_1h', migrations: ROLLUP_MIGRATIONS },
};

/** Opens (creating if needed) a partition for writes. */
export function openPartitionForWrite(file: string, tier: MetricsTier): SqliteDb {
  return openWritablePartition(file, SCHEMAS[tier]);
}

/** Opens an existing partition for queries; undefined when it is gone or not initialised yet. */
export function openPartitionForRead(file: string): SqliteDb | undefined {
  return openReadablePartition(file, { label: 'snmp metrics', readyTable: DEVICE_TABLE });
}
