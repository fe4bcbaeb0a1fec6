/**
 * Flow aggregate day files: `<dataDir>/flows/flows-YYYYMMDD.db`, one SQLite file per UTC day, as the
 * event store partitions events (core/store/event-partition.ts, files handled by core/store/partition-files.ts): retention unlinks whole files, which is
 * instant and returns the space, and a day is a file an operator can copy.
 *
 * `flow_minutes` holds one row per aggregate key and minute. Late flows add rows for a minute already
 * written (no unique key: readers always SUM ... GROUP BY), which keeps writes append-only and cheap.
 * Indexes: (org, minute) for the agency-scoped queries every non-admin makes; (minute) for the rest.
 * `flow_hours` is the hourly rollup of the same rows, used for hours listed in `flow_hours_done`.
 */
import { join } from 'node:path';
import { deletePartitionFiles, listFileNames, openPartitionForWrite, utcDateStamp, type PartitionSchema } from '../../../core/store/partition-files';
import type { SqliteDb } from '../../../core/store/sqlite';

export const DAY_MS = 86_400_000;

const FILE_RE = /^flows-(\d{4})(\d{2})(\d{2})\.db$/;

export const FLOW_DAY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE flow_minutes (
     minute INTEGER NOT NULL,
     exporter TEXT NOT NULL,
     org TEXT NOT NULL,
     src TEXT NOT NULL,
     dst TEXT NOT NULL,
     src_port INTEGER NOT NULL,
     dst_port INTEGER NOT NULL,
     protocol INTEGER NOT NULL,
     in_if INTEGER NOT NULL,
     out_if INTEGER NOT NULL,
     bytes INTEGER NOT NULL,
     packets INTEGER NOT NULL,
     flows INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX flow_minutes_org_minute ON flow_minutes (org, minute);
   CREATE INDEX flow_minutes_minute ON flow_minutes (minute);`,
  // Hourly rollup (hour-rollup.ts): same columns per hour; an hour is read only once listed in flow_hours_done.
  `CREATE TABLE flow_hours (
     hour INTEGER NOT NULL,
     exporter TEXT NOT NULL,
     org TEXT NOT NULL,
     src TEXT NOT NULL,
     dst TEXT NOT NULL,
     src_port INTEGER NOT NULL,
     dst_port INTEGER NOT NULL,
     protocol INTEGER NOT NULL,
     in_if INTEGER NOT NULL,
     out_if INTEGER NOT NULL,
     bytes INTEGER NOT NULL,
     packets INTEGER NOT NULL,
     flows INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX flow_hours_org_hour ON flow_hours (org, hour);
   CREATE INDEX flow_hours_hour ON flow_hours (hour);
   CREATE TABLE flow_hours_done (hour INTEGER PRIMARY KEY) STRICT;`,
];

export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export function dayFileName(day: number): string {
  return `flows-${utcDateStamp(day * DAY_MS)}.db`;
}

/** Days that have a file in `dir`, ascending. */
export function listDays(dir: string): number[] {
  const days: number[] = [];
  for (const name of listFileNames(dir)) {
    const m = FILE_RE.exec(name);
    if (m !== null) days.push(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS);
  }
  return days.sort((a, b) => a - b);
}

const FLOW_DAY_SCHEMA: PartitionSchema = { namespace: 'flows', migrations: FLOW_DAY_MIGRATIONS };

export function openDayFile(dir: string, day: number): SqliteDb {
  return openPartitionForWrite(join(dir, dayFileName(day)), FLOW_DAY_SCHEMA);
}

/** Deletes a day file and its WAL companions; its connections must be closed first. */
export function deleteDayFile(dir: string, day: number): void {
  deletePartitionFiles(join(dir, dayFileName(day)));
}
