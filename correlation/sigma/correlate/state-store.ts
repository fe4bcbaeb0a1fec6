/**
 * Keeps the correlation engine's state in SQLite so that a restart resumes half-filled windows:
 * one row per correlation rule (its open groups as JSON), replaced as a whole in one transaction
 * on each save. CorrelationStatePersister saves periodically and on stop.
 */
import { applyMigrations, openSqlite, type SqliteDb } from '../../../core/store/sqlite';
import type { CorrelationEngine, RestoreResult } from './engine';
import type { CorrelationSnapshot } from './snapshot';

const MIGRATIONS = [
  `CREATE TABLE correlation_state (
     correlation_key TEXT PRIMARY KEY,
     fingerprint TEXT NOT NULL,
     groups INTEGER NOT NULL,
     state TEXT NOT NULL
   );
   CREATE TABLE correlation_state_meta (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     version INTEGER NOT NULL,
     saved_at TEXT NOT NULL,
     watermark REAL
   );`,
];

interface StateRow {
  correlation_key: string;
  fingerprint: string;
  state: string;
}

interface MetaRow {
  version: number;
  saved_at: string;
  watermark: number | null;
}

export interface SaveInfo {
  correlations: number;
  groups: number;
  bytes: number;
  ms: number;
}

export class CorrelationStateStore {
  constructor(private readonly db: SqliteDb) {
    applyMigrations(db, 'correlation_state', MIGRATIONS);
  }

  save(snapshot: CorrelationSnapshot): SaveInfo {
    const started = Date.now();
    let bytes = 0;
    let groups = 0;
    const insert = this.db.prepare('INSERT INTO correlation_state (correlation_key, fingerprint, groups, state) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      this.db.exec('DELETE FROM correlation_state');
      for (const c of snapshot.correlations) {
        if (c.groups.length === 0) continue;
        const json = JSON.stringify(c.groups);
        bytes += json.length;
        groups += c.groups.length;
        insert.run(c.key, c.fingerprint, c.groups.length, json);
      }
      this.db
        .prepare('INSERT INTO correlation_state_meta (id, version, saved_at, watermark) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version, saved_at = excluded.saved_at, watermark = excluded.watermark')
        .run(snapshot.version, snapshot.savedAt, snapshot.watermark);
    })();
    return { correlations: snapshot.correlations.length, groups, bytes, ms: Date.now() - started };
  }

  /** The last saved snapshot (unvalidated: CorrelationEngine.restore checks it), or undefined. */
  load(): unknown {
    const meta = this.db.prepare('SELECT version, saved_at, watermark FROM correlation_state_meta WHERE id = 1').get() as MetaRow | undefined;
    if (meta === undefined) return undefined;
    const rows = this.db.prepare('SELECT correlation_key, fingerprint, state FROM correlation_state ORDER BY correlation_key').all() as StateRow[];
    const correlations = rows.map((row) => {
      let groups: unknown;
      try {
        groups = JSON.parse(row.state);
      } catch (err) {
        throw new Error(`correlation state of '${row.correlation_key}': invalid JSON: ${(err as Error).message}`, { cause: err });
      }
      return { key: row.correlation_key, fingerprint: row.fingerprint, groups };
    });
    return { version: meta.version, savedAt: meta.saved_at, watermark: meta.watermark, correlations };
  }
}

/** Opens (or creates) a state database file with its tables. */
export function openCorrelationStateStore(file: string): { db: SqliteDb; store: CorrelationStateStore } {
  const db = openSqlite(file);
  return { db, store: new CorrelationStateStore(db) };
}

export interface PersisterOptions {
  /** Save period (default 30 s). */
  intervalMs?: number;
  onError?: (err: Error) => void;
  onSaved?: (info: SaveInfo) => void;
}

export class CorrelationStatePersister {
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;

  constructor(
    private readonly engine: CorrelationEngine,
    private readonly store: CorrelationStateStore,
    private readonly options: PersisterOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 30_000;
  }

  /**
   * Loads the last saved state into the engine; call before feeding events. A state that cannot
   * be read is reported through onError and the engine starts empty.
   */
  restore(): RestoreResult | undefined {
    try {
      const saved = this.store.load();
      return saved === undefined ? undefined : this.engine.restore(saved);
    } catch (err) {
      this.report(err);
      return undefined;
    }
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.saveNow(), this.intervalMs);
    this.timer.unref();
  }

  saveNow(): SaveInfo | undefined {
    try {
      const info = this.store.save(this.engine.snapshot());
      this.options.onSaved?.(info);
      return info;
    } catch (err) {
      this.report(err);
      return undefined;
    }
  }

  /** Stops the timer and saves once more. */
  stop(): SaveInfo | undefined {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    return this.saveNow();
  }

  private report(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    if (this.options.onError) this.options.onError(error);
  }
}
