/**
 * Appends event rows to the day partitions and drops old partitions. Synchronous: it runs on the
 * main thread inside SqliteEventStore, or alone in a worker thread inside WorkerEventStore.
 *
 * Speed (see bench/event-store.ts): one transaction per partition per batch; rows go in with
 * multi-row INSERT statements of CHUNK rows (one call into SQLite per chunk instead of per row); their
 * FTS entries go in after all rows, one statement each, so FTS5 writes one segment per transaction
 * (see indexPending). A rowid table gives a new row max(rowid)+1, so when a chunk inserts all
 * its rows (no duplicates) their rowids are known without asking; a chunk with duplicates reads back
 * the rowids it actually inserted. Ids, documents, messages and full-text inputs are bound as UTF-8
 * bytes (see ./event-rows.ts) and cast to TEXT, so the columns hold the same text as when strings
 * were bound. Writes always use the current layout (message and event.original in their own
 * columns): opening a partition for writing migrates it.
 */
import type { Statement } from 'better-sqlite3';
import { join } from 'node:path';
import type { SqliteDb } from './sqlite';
import { listPartitions, openPartitionForWrite, partitionDayOf, partitionFileName, DAY_MS } from './event-partition';
import { deletePartitionFiles } from './partition-files';
import { docBytesOf, idBytesOf, idOf, messageBytesOf, orgOf, originalBytesOf, rowCount, textBytesOf, textOf, type EventRowBatch } from './event-rows';

/**
 * Rows per multi-row INSERT. 100 rather than 50: ~0.8 µs less writer CPU per syslog event
 * (bench/syslog-stages.ts, alternated runs, 7.3-7.8 against 8.1-9.0 on a loaded 2-core machine);
 * 200 measured no better.
 */
const CHUNK = 100;
const ROW_COLUMNS = '(ts, id, org, doc, message, original)';
/** CAST(NULL AS TEXT) stays NULL: a message that is not a string stays in the document. */
const ROW_VALUES = '(?, CAST(? AS TEXT), ?, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT))';
const COLUMNS = 6;
/** Write connections kept open; late events for older days open theirs and the least used closes. */
const MAX_OPEN_PARTITIONS = 4;

export interface AppendOutcome {
  inserted: number;
  /** Already stored (same event.id and @timestamp). */
  duplicates: number;
  /** Older than the last retention cutoff: their partition is gone, they would be dropped anyway. */
  expired: number;
}

/** Rows of one batch that belong to one partition. */
interface RowGroup {
  rows: EventRowBatch;
  indices: number[];
}

class WritePartition {
  private readonly insertChunk: Statement;
  private readonly insertOne: Statement;
  private readonly ftsOne: Statement;
  private readonly insertedSince: Statement;
  private readonly chunkArgs: Array<string | number | Uint8Array | null> = new Array<string | number | Uint8Array | null>(CHUNK * COLUMNS);
  /** Full-text entries of the rows inserted in the current transaction, indexed after all rows. */
  private readonly ftsRowids: number[] = [];
  private readonly ftsTexts: Array<Uint8Array | string> = [];
  private maxRowid: number;

  constructor(readonly day: number, readonly db: SqliteDb) {
    const rows = new Array<string>(CHUNK).fill(ROW_VALUES).join(', ');
    this.insertChunk = db.prepare(`INSERT OR IGNORE INTO events ${ROW_COLUMNS} VALUES ${rows}`);
    this.insertOne = db.prepare(`INSERT OR IGNORE INTO events ${ROW_COLUMNS} VALUES ${ROW_VALUES}`);
    this.ftsOne = db.prepare('INSERT INTO events_fts (rowid, message) VALUES (?, CAST(? AS TEXT))');
    this.insertedSince = db.prepare('SELECT rowid AS rowid, id AS id FROM events WHERE rowid > ? ORDER BY rowid');
    this.maxRowid = this.readMaxRowid();
  }

  /**
   * Inserts each part's rows (the rows at `indices` of its batch) in one transaction for all parts;
   * returns how many rows of each part were new.
   */
  append(parts: readonly RowGroup[]): number[] {
    const inserted = new Array<number>(parts.length).fill(0);
    try {
      this.db.transaction(() => {
        for (let p = 0; p < parts.length; p++) {
          const { rows, indices } = parts[p];
          let k = 0;
          let n = 0;
          for (; k + CHUNK <= indices.length; k += CHUNK) n += this.appendChunk(rows, indices, k);
          for (; k < indices.length; k++) n += this.appendOne(rows, indices[k]);
          inserted[p] = n;
        }
        this.indexPending();
      })();
    } catch (err) {
      this.ftsRowids.length = 0;
      this.ftsTexts.length = 0;
      // Rolled back: the rowids counted in memory were never committed.
      this.maxRowid = this.readMaxRowid();
      throw err;
    }
    return inserted;
  }

  /**
   * Feeds the transaction's rows to the FTS index, one single-row statement each, after every row
   * insert. Why not multi-row statements: a statement that writes several rows opens a statement
   * savepoint, and FTS5 flushes its pending terms to a new segment at every savepoint once it is part
   * of the transaction; chunks of 100 made a segment per 100 rows, and flushing and merging those
   * tiny segments was about half of the index's cost (~20% of the writer's CPU). Single-row inserts
   * open no savepoint: one segment per transaction.
   */
  private indexPending(): void {
    const rowids = this.ftsRowids;
    const texts = this.ftsTexts;
    const insert = this.ftsOne;
    for (let k = 0; k < rowids.length; k++) insert.run(rowids[k], texts[k]);
    rowids.length = 0;
    texts.length = 0;
  }

  private readMaxRowid(): number {
    const row = this.db.prepare('SELECT max(rowid) AS m FROM events').get() as { m: number | null };
    return row.m ?? 0;
  }

  private appendChunk(rows: EventRowBatch, indices: readonly number[], start: number): number {
    const args = this.chunkArgs;
    for (let j = 0; j < CHUNK; j++) {
      const i = indices[start + j];
      const at = COLUMNS * j;
      args[at] = rows.ts[i];
      args[at + 1] = idBytesOf(rows, i);
      args[at + 2] = orgOf(rows, i);
      args[at + 3] = docBytesOf(rows, i);
      args[at + 4] = messageBytesOf(rows, i);
      args[at + 5] = originalBytesOf(rows, i);
    }
    const before = this.maxRowid;
    const result = this.insertChunk.run(args);
    if (result.changes === CHUNK && Number(result.lastInsertRowid) === before + CHUNK) {
      for (let j = 0; j < CHUNK; j++) {
        this.ftsRowids.push(before + 1 + j);
        this.ftsTexts.push(textBytesOf(rows, indices[start + j]));
      }
      this.maxRowid = before + CHUNK;
      return CHUNK;
    }
    if (result.changes === 0) return 0;
    // Some rows were duplicates: index the rows this chunk really inserted.
    const textById = new Map<string, string>();
    for (let j = CHUNK - 1; j >= 0; j--) {
      const i = indices[start + j];
      textById.set(idOf(rows, i), textOf(rows, i));
    }
    const added = this.insertedSince.all(before) as Array<{ rowid: number; id: string }>;
    for (const row of added) {
      this.ftsRowids.push(row.rowid);
      this.ftsTexts.push(textById.get(row.id) ?? '');
      if (row.rowid > this.maxRowid) this.maxRowid = row.rowid;
    }
    return added.length;
  }

  private appendOne(rows: EventRowBatch, i: number): number {
    const result = this.insertOne.run(rows.ts[i], idBytesOf(rows, i), orgOf(rows, i), docBytesOf(rows, i), messageBytesOf(rows, i), originalBytesOf(rows, i));
    if (result.changes !== 1) return 0;
    const rowid = Number(result.lastInsertRowid);
    this.ftsRowids.push(rowid);
    this.ftsTexts.push(textBytesOf(rows, i));
    this.maxRowid = rowid;
    return 1;
  }
}

export class EventPartitionWriter {
  /** Most recently used last. */
  private readonly open = new Map<number, WritePartition>();
  /** Days before this one were dropped by retention. */
  private expiredBeforeDay = -Infinity;
  private closed = false;

  constructor(private readonly dir: string) {}

  append(rows: EventRowBatch): AppendOutcome {
    return this.appendBatches([rows])[0];
  }

  /**
   * Appends several batches with one transaction per partition for all of them: the worker hands
   * over every batch that queued up while it was busy, and bigger transactions cost less per row
   * (one commit, one FTS segment, fewer merges). Outcomes are per batch; if a partition's transaction
   * fails, the whole call throws and no batch is acknowledged (a retry is safe: ids are idempotent).
   */
  appendBatches(batches: readonly EventRowBatch[]): AppendOutcome[] {
    if (this.closed) throw new Error(`event store ${this.dir}: append after close`);
    const outcomes: AppendOutcome[] = batches.map(() => ({ inserted: 0, duplicates: 0, expired: 0 }));
    // Row groups by day; a batch nearly always holds one day, sometimes two around midnight.
    const days: number[] = [];
    const groups: RowGroup[][] = [];
    const owners: number[][] = [];
    for (let b = 0; b < batches.length; b++) {
      const rows = batches[b];
      const n = rowCount(rows);
      let lastDay = NaN;
      let lastIndices: number[] = [];
      for (let i = 0; i < n; i++) {
        const day = partitionDayOf(rows.ts[i]);
        if (day !== lastDay) {
          let at = days.indexOf(day);
          if (at < 0) {
            at = days.length;
            days.push(day);
            groups.push([]);
            owners.push([]);
          }
          const dayGroups = groups[at];
          const last = dayGroups.length - 1;
          if (last >= 0 && owners[at][last] === b) lastIndices = dayGroups[last].indices;
          else {
            lastIndices = [];
            dayGroups.push({ rows, indices: lastIndices });
            owners[at].push(b);
          }
          lastDay = day;
        }
        lastIndices.push(i);
      }
    }
    for (let g = 0; g < days.length; g++) {
      const dayGroups = groups[g];
      const dayOwners = owners[g];
      if (days[g] < this.expiredBeforeDay) {
        for (let k = 0; k < dayGroups.length; k++) outcomes[dayOwners[k]].expired += dayGroups[k].indices.length;
        continue;
      }
      const inserted = this.partition(days[g]).append(dayGroups);
      for (let k = 0; k < dayGroups.length; k++) {
        const outcome = outcomes[dayOwners[k]];
        outcome.inserted += inserted[k];
        outcome.duplicates += dayGroups[k].indices.length - inserted[k];
      }
    }
    return outcomes;
  }

  /** Drops every partition whose whole day lies before `olderThan` (epoch ms); returns how many. */
  applyRetention(olderThan: number): number {
    const cutoffDay = Math.floor(olderThan / DAY_MS);
    let dropped = 0;
    for (const p of listPartitions(this.dir)) {
      if (p.day >= cutoffDay) continue;
      const open = this.open.get(p.day);
      if (open !== undefined) {
        open.db.close();
        this.open.delete(p.day);
      }
      deletePartitionFiles(p.file);
      dropped++;
    }
    if (cutoffDay > this.expiredBeforeDay) this.expiredBeforeDay = cutoffDay;
    return dropped;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.open.values()) p.db.close();
    this.open.clear();
  }

  private partition(day: number): WritePartition {
    const existing = this.open.get(day);
    if (existing !== undefined) {
      // Re-insert to mark as most recently used.
      this.open.delete(day);
      this.open.set(day, existing);
      return existing;
    }
    if (this.open.size >= MAX_OPEN_PARTITIONS) {
      const [oldestDay, oldest] = this.open.entries().next().value as [number, WritePartition];
      oldest.db.close();
      this.open.delete(oldestDay);
    }
    const file = join(this.dir, partitionFileName(day));
    let db: SqliteDb;
    try {
      db = openPartitionForWrite(file);
    } catch (err) {
      throw new Error(`cannot open partition ${file} for writing: ${(err as Error).message}`, { cause: err });
    }
    let partition: WritePartition;
    try {
      partition = new WritePartition(day, db);
    } catch (err) {
      db.close();
      throw err;
    }
    this.open.set(day, partition);
    return partition;
  }
}
