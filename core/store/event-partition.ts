/**
 * Time partitions of the event store: one SQLite database file per UTC day, `events-YYYYMMDD.db`.
 *
 * Why a file per day rather than a table per day in one file: retention then closes a connection and
 * unlinks a file, which takes no time, holds no write lock and gives the space back to the file system
 * at once; DROP TABLE inside a shared file walks every page of the day under the write lock (seconds
 * for a busy day, stalling ingestion) and leaves the file at its high-water size. A day is also a
 * self-contained file an operator can archive or copy. Partitions are not ATTACHed: each gets its own
 * connection (SQLite allows 10 attachments by default), and the reader runs one query per partition
 * and merges, which a newest-first search wants anyway. The directory listing is the catalogue.
 *
 * Inside a partition (sizes and speeds measured with bench/event-store.ts):
 * - `doc` is the event as JSON text. JSONB made field filters ~4x faster and rows ~20% smaller, but
 *   converting to it cost ~2 µs per event in the writer, about 18% of append throughput.
 * - `ts`, `id`, `org` are real columns: the time for partitions, order and keyset cursors, the
 *   event id for idempotence, the agency for scoping.
 * - `message` and `original` (event.original) are TEXT columns beside the document, NULL when the
 *   event had no such string (then the document holds whatever it had). They are the largest strings
 *   of a syslog event, and JSON.stringify pays ~1.8 ns a byte to scan a string for escapes: kept out
 *   of the document they save ~1.3 of ~6.8 µs of serialising per event on the receiving thread.
 *   Added by the second migration; files written before it (the legacy layout, everything in the
 *   document) keep working: the reader looks at each file's columns (EVENT_TABLE_LAYOUT_LEGACY), and
 *   rows written before a file was migrated have NULL columns, which every query treats as "in the
 *   document".
 * - One index, UNIQUE (ts, id): duplicate event ids with the same @timestamp (a re-delivered event) are
 *   ignored, and because it leads with time, inserts land at the right edge of the b-tree and the same
 *   index serves time ranges and newest-first order. A unique index on id alone cost ~40% of append
 *   throughput (random UUID inserts).
 * - `events_fts` is a contentless FTS5 index of the message (rowid = events rowid): nothing stored twice.
 *   detail=full keeps token positions, so phrases (and IPs, which the tokenizer splits at dots) match in
 *   order; it cost ~5% over detail=none. remove_diacritics 2 lets `viet` find `Việt`.
 *   FTS costs more than the row itself (about 60% of the writer's CPU on syslog-like messages), so
 *   its automerge is raised from 4 to 16 segments per level: less merging while appending, a few more
 *   segments to look in when searching (+5-10% appends).
 *   The writer feeds it one segment per transaction (see indexPending in event-partition-writer.ts):
 *   a segment per 100-row statement cost ~20% of the writer's CPU (docs/event-store.md).
 * - 32 KiB pages: 1 KiB rows pack better than in 4 KiB pages (+20-30% appends, 10% less disk).
 */
import { join } from 'node:path';
import type { EventTableLayout } from '../query/to-sql';
import {
  listFileNames,
  openPartitionForRead as openReadablePartition,
  openPartitionForWrite as openWritablePartition,
  utcDateStamp,
  type PartitionSchema,
} from './partition-files';
import type { SqliteDb } from './sqlite';

export const DAY_MS = 86_400_000;

const FILE_RE = /^events-(\d{4})(\d{2})(\d{2})\.db$/;

/** Files written before the second migration: message and event.original only in the document. */
export const EVENT_TABLE_LAYOUT_LEGACY: EventTableLayout = {
  table: 'events',
  docColumn: 'doc',
  docIsJsonText: true,
  hotColumns: {
    '@timestamp': { column: 'ts', type: 'epoch_ms' },
    'event.id': { column: 'id', type: 'keyword' },
    'organization.id': { column: 'org', type: 'keyword' },
  },
  ftsTable: 'events_fts',
  textField: 'message',
};

/** The current layout: message and event.original in their own columns (NULL: in the document). */
export const EVENT_TABLE_LAYOUT: EventTableLayout = {
  ...EVENT_TABLE_LAYOUT_LEGACY,
  splitColumns: { message: 'message', 'event.original': 'original' },
};

/** Migrations of one partition file; append-only. */
export const EVENT_PARTITION_MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     ts INTEGER NOT NULL,
     id TEXT NOT NULL,
     org TEXT NOT NULL,
     doc TEXT NOT NULL
   ) STRICT;
   CREATE UNIQUE INDEX events_ts_id ON events (ts, id);
   CREATE VIRTUAL TABLE events_fts USING fts5 (
     message, content = '', detail = full, columnsize = 0, tokenize = 'unicode61 remove_diacritics 2'
   );
   INSERT INTO events_fts (events_fts, rank) VALUES ('automerge', 16);`,
  // Existing rows read NULL in both: no rewrite of the file.
  `ALTER TABLE events ADD COLUMN message TEXT;
   ALTER TABLE events ADD COLUMN original TEXT;`,
];

/** True when a partition file has the split columns (second migration applied). */
export function hasSplitColumns(db: SqliteDb): boolean {
  return db.prepare(`SELECT 1 FROM pragma_table_info('events') WHERE name = 'original'`).get() !== undefined;
}

const PAGE_SIZE = 32768;

export interface PartitionFile {
  /** Days since the epoch (UTC). */
  day: number;
  file: string;
}

export function partitionDayOf(ts: number): number {
  return Math.floor(ts / DAY_MS);
}

export function partitionFileName(day: number): string {
  return `events-${utcDateStamp(day * DAY_MS)}.db`;
}

/** The partitions on disk, oldest first. */
export function listPartitions(dir: string): PartitionFile[] {
  const out: PartitionFile[] = [];
  for (const name of listFileNames(dir)) {
    const m = FILE_RE.exec(name);
    if (m === null) continue;
    out.push({ day: partitionDayOf(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))), file: join(dir, name) });
  }
  out.sort((a, b) => a.day - b.day);
  return out;
}

/** Partitions that may hold events in [from, to). */
export function partitionsOverlapping(partitions: readonly PartitionFile[], from?: number, to?: number): PartitionFile[] {
  const first = from === undefined ? -Infinity : partitionDayOf(from);
  const last = to === undefined ? Infinity : partitionDayOf(to - 1);
  return partitions.filter((p) => p.day >= first && p.day <= last);
}

const EVENT_PARTITION_SCHEMA: PartitionSchema = {
  namespace: 'events',
  migrations: EVENT_PARTITION_MIGRATIONS,
  pageSize: PAGE_SIZE,
  writePragmas: ['cache_size = -32768', 'temp_store = MEMORY'],
};

/** Opens (creating if needed) a partition for appends. */
export function openPartitionForWrite(file: string): SqliteDb {
  return openWritablePartition(file, EVENT_PARTITION_SCHEMA);
}

/** Opens an existing partition for queries; undefined when it is gone or not created yet. */
export function openPartitionForRead(file: string): SqliteDb | undefined {
  return openReadablePartition(file, { label: 'event store', readyTable: 'events_fts', readPragmas: ['cache_size = -8192'] });
}
