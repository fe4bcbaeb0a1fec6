/**
 * Writes closed minutes and hours into their day file, one transaction each, and applies retention.
 * Keeps the current day's connection open (minutes arrive in order; a late minute of an earlier day opens
 * that file for the moment).
 *
 * The `*Chunked` variants keep one transaction but insert `chunkRows` rows per event-loop turn: a busy
 * minute (200,000 keys) took ~2 s to insert on a loaded 2-core machine, long enough for the UDP receive
 * buffers to overflow if the loop were held. Readers use their own connections and see the minute once it
 * commits (WAL). Callers must not start another write before a chunked one settles (FlowAggregation
 * serializes them).
 */
import { mkdirSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { SqliteDb } from '../../../core/store/sqlite';
import { dayOf, deleteDayFile, listDays, openDayFile } from './day-files';
import type { ClosedHour } from './hour-rollup';
import type { ClosedMinute, FlowAggregateRow } from './minute-aggregator';
import { setImmediate as nextTurn } from 'node:timers/promises';

const COLUMNS = 'exporter, org, src, dst, src_port, dst_port, protocol, in_if, out_if, bytes, packets, flows';

interface OpenDay {
  day: number;
  db: SqliteDb;
  minuteInsert: Database.Statement;
  hourInsert: Database.Statement;
  markDone: Database.Statement;
  writeMinute: (rows: FlowAggregateRow[]) => void;
  writeHour: (hour: number, rows: FlowAggregateRow[], markDone: boolean) => void;
}

function insertRows(stmt: Database.Statement, rows: readonly FlowAggregateRow[], time: number, from = 0, to = rows.length): void {
  for (let i = from; i < to; i++) {
    const r = rows[i];
    stmt.run(time, r.exporter, r.org, r.src, r.dst, r.srcPort, r.dstPort, r.protocol, r.inIf, r.outIf, r.bytes, r.packets, r.flows);
  }
}

export class FlowAggregateWriter {
  private open: OpenDay | null = null;
  rowsWritten = 0;
  hourRowsWritten = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  write(closed: ClosedMinute): void {
    if (closed.rows.length === 0) return;
    this.withDay(dayOf(closed.minute), (d) => d.writeMinute(closed.rows));
    this.rowsWritten += closed.rows.length;
  }

  /** A closed hour's rollup, marked done (readable). A partial hour is not written: readers use its minutes. */
  writeHour(closed: ClosedHour): void {
    if (!closed.complete) return;
    this.withDay(dayOf(closed.hour), (d) => d.writeHour(closed.hour, closed.rows, true));
    this.hourRowsWritten += closed.rows.length;
  }

  /** Late rows for an hour already done: extra rows of its rollup. */
  addToHour(hour: number, rows: readonly FlowAggregateRow[]): void {
    if (rows.length === 0) return;
    this.withDay(dayOf(hour), (d) => d.writeHour(hour, rows as FlowAggregateRow[], false));
    this.hourRowsWritten += rows.length;
  }

  /** As write(), yielding to the event loop every `chunkRows` rows inside the one transaction. */
  async writeChunked(closed: ClosedMinute, chunkRows: number): Promise<void> {
    if (closed.rows.length === 0) return;
    await this.chunked(closed.minute, closed.rows, 'minute', false, chunkRows);
    this.rowsWritten += closed.rows.length;
  }

  async writeHourChunked(closed: ClosedHour, chunkRows: number): Promise<void> {
    if (!closed.complete) return;
    await this.chunked(closed.hour, closed.rows, 'hour', true, chunkRows);
    this.hourRowsWritten += closed.rows.length;
  }

  async addToHourChunked(hour: number, rows: readonly FlowAggregateRow[], chunkRows: number): Promise<void> {
    if (rows.length === 0) return;
    await this.chunked(hour, rows, 'hour', false, chunkRows);
    this.hourRowsWritten += rows.length;
  }

  private async chunked(time: number, rows: readonly FlowAggregateRow[], table: 'minute' | 'hour', markDone: boolean, chunkRows: number): Promise<void> {
    const day = dayOf(time);
    let d: OpenDay;
    let transient = false;
    if (this.open !== null && this.open.day === day) d = this.open;
    else if (this.open !== null && day < this.open.day) {
      d = this.connect(day);
      transient = true;
    } else {
      this.closeOpen();
      d = this.connect(day);
      this.open = d;
    }
    const stmt = table === 'minute' ? d.minuteInsert : d.hourInsert;
    try {
      d.db.exec('BEGIN');
      try {
        for (let i = 0; i < rows.length; i += chunkRows) {
          if (i > 0) await nextTurn();
          insertRows(stmt, rows, time, i, Math.min(rows.length, i + chunkRows));
        }
        if (markDone) d.markDone.run(time);
        d.db.exec('COMMIT');
      } catch (err) {
        if (d.db.inTransaction) d.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      if (transient) d.db.close();
    }
  }

  /** Deletes the day files wholly older than `olderThanMs`; returns how many. */
  applyRetention(olderThanMs: number): number {
    const limit = dayOf(olderThanMs);
    let n = 0;
    for (const day of listDays(this.dir)) {
      if (day >= limit) break;
      if (this.open !== null && this.open.day === day) this.closeOpen();
      deleteDayFile(this.dir, day);
      n++;
    }
    return n;
  }

  close(): void {
    this.closeOpen();
  }

  private withDay(day: number, write: (d: OpenDay) => void): void {
    if (this.open !== null && this.open.day === day) return write(this.open);
    // Minutes come in order, so the newer day stays open; an older (late) day is opened just for the write.
    if (this.open !== null && day < this.open.day) {
      const d = this.connect(day);
      try {
        write(d);
      } finally {
        d.db.close();
      }
      return;
    }
    this.closeOpen();
    this.open = this.connect(day);
    write(this.open);
  }

  private connect(day: number): OpenDay {
    const db = openDayFile(this.dir, day);
    const minuteInsert = db.prepare(`INSERT INTO flow_minutes (minute, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const hourInsert = db.prepare(`INSERT INTO flow_hours (hour, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const markDone = db.prepare('INSERT OR IGNORE INTO flow_hours_done (hour) VALUES (?)');
    const writeMinute = db.transaction((rows: FlowAggregateRow[]) => {
      if (rows.length > 0) insertRows(minuteInsert, rows, rows[0].minute);
    });
    const writeHour = db.transaction((hour: number, rows: FlowAggregateRow[], done: boolean) => {
      insertRows(hourInsert, rows, hour);
      if (done) markDone.run(hour);
    });
    return { day, db, minuteInsert, hourInsert, markDone, writeMinute: (rows) => writeMinute(rows), writeHour: (hour, rows, done) => writeHour(hour, rows, done) };
  }

  private closeOpen(): void {
    if (this.open === null) return;
    this.open.db.close();
    this.open = null;
  }
}
