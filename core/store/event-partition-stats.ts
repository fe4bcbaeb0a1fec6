/**
 * What the event store holds on disk, for the retention page: each day partition with its size, and
 * the oldest stored event. Reads the partition files directly (read-only connections), so it works
 * whichever EventStore implementation (in-process or worker thread) writes them.
 */
import { statSync } from 'node:fs';
import { DAY_MS, listPartitions, openPartitionForRead } from './event-partition';

export interface EventPartitionStat {
  /** UTC day of the partition, `YYYY-MM-DD`. */
  day: string;
  /** Bytes of the database file and its write-ahead log. */
  bytes: number;
}

export interface EventStoreDiskStats {
  /** Oldest first. */
  partitions: EventPartitionStat[];
  totalBytes: number;
  /** Epoch ms of the oldest stored event; null when no event is stored. */
  oldestEventAt: number | null;
}

function fileBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch (err) {
    // Dropped by retention between listing and stat, or no WAL at the moment.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

/** MIN(ts) of one partition (an index seek on UNIQUE (ts, id)); null when empty, gone or being created. */
function oldestIn(file: string): number | null {
  const db = openPartitionForRead(file);
  if (db === undefined) return null;
  try {
    const row = db.prepare('SELECT MIN(ts) AS ts FROM events').get() as { ts: number | null };
    return row.ts;
  } finally {
    db.close();
  }
}

export function eventStoreDiskStats(dir: string): EventStoreDiskStats {
  const partitions: EventPartitionStat[] = [];
  let totalBytes = 0;
  let oldestEventAt: number | null = null;
  for (const p of listPartitions(dir)) {
    const bytes = fileBytes(p.file) + fileBytes(`${p.file}-wal`);
    totalBytes += bytes;
    partitions.push({ day: new Date(p.day * DAY_MS).toISOString().slice(0, 10), bytes });
    // Oldest first: the first partition holding a row has the oldest event.
    if (oldestEventAt === null) oldestEventAt = oldestIn(p.file);
  }
  return { partitions, totalBytes, oldestEventAt };
}
