/**
 * Time-partitioned SQLite files in one folder (the event store's days, the SNMP metrics store's days
 * and months): naming by UTC date, listing, opening for writes and reads, and retention by unlinking.
 * Why files rather than tables: see core/store/event-partition.ts. The directory listing is the
 * catalogue, so each store only supplies its file-name pattern, migrations and the table that marks a
 * file as ready.
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync, unlinkSync, type Dirent } from 'node:fs';
import { applyMigrations, openSqlite, type SqliteDb } from './sqlite';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `YYYYMMDD` (or `YYYYMM` when `withDay` is false) of the UTC date holding `ts`. */
export function utcDateStamp(ts: number, withDay = true): string {
  const d = new Date(ts);
  const ym = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}`;
  return withDay ? `${ym}${pad(d.getUTCDate(), 2)}` : ym;
}

/** Names of the regular files in `dir`; none when the folder does not exist yet. */
export function listFileNames(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const names: string[] = [];
  for (const entry of entries) if (entry.isFile()) names.push(entry.name);
  return names;
}

export interface PartitionSchema {
  /** Migration namespace inside each file. */
  namespace: string;
  migrations: readonly string[];
  /** Page size for a new file. */
  pageSize?: number;
  /** Pragmas set on every write connection before migrating (`cache_size = -32768`). */
  writePragmas?: readonly string[];
}

/** Opens (creating if needed) a partition for writes, with its schema migrated. */
export function openPartitionForWrite(file: string, schema: PartitionSchema): SqliteDb {
  const db = openSqlite(file, schema.pageSize === undefined ? {} : { pageSize: schema.pageSize });
  try {
    for (const pragma of schema.writePragmas ?? []) db.pragma(pragma);
    applyMigrations(db, schema.namespace, schema.migrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export interface PartitionReadOptions {
  /** Names the store in errors: `event store`. */
  label: string;
  /** A table the last migration creates: until it exists a writer is still creating the file. */
  readyTable: string;
  /** Pragmas set on every read connection (`cache_size = -8192`). */
  readPragmas?: readonly string[];
}

/**
 * Opens an existing partition for queries, or returns undefined when it is gone (dropped by
 * retention) or its schema is not created yet (a writer is creating it right now). No pragma that
 * writes: journal_mode would initialise a file the writer has just created, before its page size.
 */
export function openPartitionForRead(file: string, options: PartitionReadOptions): SqliteDb | undefined {
  let db: SqliteDb;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch (err) {
    if (!existsSync(file)) return undefined;
    throw new Error(`${options.label}: cannot read partition ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma('query_only = ON');
    db.pragma('busy_timeout = 5000');
    for (const pragma of options.readPragmas ?? []) db.pragma(pragma);
    if (db.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(options.readyTable) === undefined) {
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
