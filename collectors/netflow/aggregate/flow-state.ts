/**
 * What flow analytics learn and must keep across restarts: the rate baselines and the known externally
 * reachable services, in `<dataDir>/flows/flow-state.db` (not a day file: retention never deletes it).
 *
 * Saved as a whole snapshot (delete + insert in one transaction): the state is bounded (maxKeys per
 * table), and a snapshot every few minutes costs less than a write per change. The snapshot is copied out
 * of the live maps first, then inserted `chunkRows` per event-loop turn, so listeners keep receiving.
 */
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { applyMigrations, openSqlite, type SqliteDb } from '../../../core/store/sqlite';
import type { ExternalServiceTracker } from './external-services';
import type { RateBaselines } from './rate-baselines';
import type { HourlyBaselines } from './hourly-baselines';

export const FLOW_STATE_FILE = 'flow-state.db';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE flow_baselines (
     kind TEXT NOT NULL,
     key TEXT NOT NULL,
     seq INTEGER NOT NULL,
     mean REAL NOT NULL,
     variance REAL NOT NULL,
     first_minute INTEGER NOT NULL,
     last_minute INTEGER NOT NULL,
     PRIMARY KEY (kind, key)
   ) STRICT;
   CREATE TABLE flow_services (
     key TEXT PRIMARY KEY,
     seq INTEGER NOT NULL,
     first_seen INTEGER NOT NULL,
     last_seen INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE flow_state_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;`,
  // Hour-of-day profiles: 24 x (mean, variance, last local minute) as a little-endian float64 blob.
  `CREATE TABLE flow_hourly_baselines (
     kind TEXT NOT NULL,
     key TEXT NOT NULL,
     seq INTEGER NOT NULL,
     first_minute INTEGER NOT NULL,
     buckets BLOB NOT NULL,
     PRIMARY KEY (kind, key)
   ) STRICT;`,
];

/** The learned state a FlowAggregation keeps; any part may be absent (switched off). */
export interface FlowLearnedState {
  baselines: ReadonlyMap<string, RateBaselines>;
  /** Hour-of-day profiles by kind; absent or empty when off. */
  hourly?: ReadonlyMap<string, HourlyBaselines>;
  services: ExternalServiceTracker | null;
}

interface BaselineRow {
  kind: string;
  key: string;
  mean: number;
  variance: number;
  first_minute: number;
  last_minute: number;
}

interface HourlyRow {
  kind: string;
  key: string;
  first_minute: number;
  buckets: Buffer;
}

interface ServiceRow {
  key: string;
  first_seen: number;
  last_seen: number;
}

/** A copy of the state, taken synchronously so a chunked save sees one consistent minute. */
interface Snapshot {
  baselines: BaselineRow[];
  hourly: HourlyRow[];
  services: ServiceRow[];
  learningSince: number | null;
}

export class FlowStateFile {
  private readonly db: SqliteDb;
  private readonly insertBaseline: Database.Statement;
  private readonly insertService: Database.Statement;
  private readonly insertHourly: Database.Statement;
  private readonly setMeta: Database.Statement;

  /** Opens (creating) `<dir>/flow-state.db`. */
  constructor(dir: string) {
    this.db = openSqlite(join(dir, FLOW_STATE_FILE));
    applyMigrations(this.db, 'flow_state', MIGRATIONS);
    this.insertBaseline = this.db.prepare('INSERT INTO flow_baselines (kind, key, seq, mean, variance, first_minute, last_minute) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertHourly = this.db.prepare('INSERT INTO flow_hourly_baselines (kind, key, seq, first_minute, buckets) VALUES (?, ?, ?, ?, ?)');
    this.insertService = this.db.prepare('INSERT INTO flow_services (key, seq, first_seen, last_seen) VALUES (?, ?, ?, ?)');
    this.setMeta = this.db.prepare('INSERT INTO flow_state_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
  }

  /** Loads the saved state into empty trackers, in their eviction order. Returns the rows restored. */
  load(state: FlowLearnedState): number {
    let n = 0;
    const rows = this.db.prepare('SELECT kind, key, mean, variance, first_minute, last_minute FROM flow_baselines ORDER BY kind, seq').all() as BaselineRow[];
    for (const r of rows) {
      const b = state.baselines.get(r.kind);
      if (b === undefined) continue;
      b.restore(r.key, { mean: r.mean, variance: r.variance, firstMinute: r.first_minute, lastMinute: r.last_minute });
      n++;
    }
    if (state.hourly !== undefined && state.hourly.size > 0) {
      const hourlyRows = this.db.prepare('SELECT kind, key, first_minute, buckets FROM flow_hourly_baselines ORDER BY kind, seq').all() as HourlyRow[];
      for (const r of hourlyRows) {
        const h = state.hourly.get(r.kind);
        // Copied out of the row's buffer: Float64Array needs 8-byte alignment.
        if (h !== undefined && r.buckets.length % 8 === 0 && h.restore(r.key, r.first_minute, new Float64Array(new Uint8Array(r.buckets).buffer))) n++;
      }
    }
    if (state.services !== null) {
      for (const r of this.db.prepare('SELECT key, first_seen, last_seen FROM flow_services ORDER BY seq').all() as ServiceRow[]) {
        state.services.remember(r.key, { firstSeen: r.first_seen, lastSeen: r.last_seen });
        n++;
      }
      const since = this.db.prepare("SELECT value FROM flow_state_meta WHERE name = 'services_learning_since'").get() as { value: number } | undefined;
      if (since !== undefined) state.services.learningSince = since.value;
    }
    return n;
  }

  /** Copies the state now (synchronously) and writes it, yielding every `chunkRows` rows. */
  async save(state: FlowLearnedState, chunkRows: number): Promise<number> {
    const snap = snapshot(state);
    const db = this.db;
    db.exec('BEGIN');
    try {
      db.exec('DELETE FROM flow_baselines');
      db.exec('DELETE FROM flow_services');
      db.exec('DELETE FROM flow_hourly_baselines');
      let n = 0;
      for (let i = 0; i < snap.baselines.length; i++, n++) {
        if (n > 0 && n % chunkRows === 0) await nextTurn();
        const r = snap.baselines[i];
        this.insertBaseline.run(r.kind, r.key, i, r.mean, r.variance, r.first_minute, r.last_minute);
      }
      for (let i = 0; i < snap.hourly.length; i++, n++) {
        if (n > 0 && n % chunkRows === 0) await nextTurn();
        const r = snap.hourly[i];
        this.insertHourly.run(r.kind, r.key, i, r.first_minute, r.buckets);
      }
      for (let i = 0; i < snap.services.length; i++, n++) {
        if (n > 0 && n % chunkRows === 0) await nextTurn();
        const r = snap.services[i];
        this.insertService.run(r.key, i, r.first_seen, r.last_seen);
      }
      if (snap.learningSince !== null) this.setMeta.run('services_learning_since', snap.learningSince);
      db.exec('COMMIT');
      return n;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    this.db.close();
  }
}

function snapshot(state: FlowLearnedState): Snapshot {
  const baselines: BaselineRow[] = [];
  for (const [kind, b] of state.baselines) {
    for (const [key, s] of b.entriesInOrder()) baselines.push({ kind, key, mean: s.mean, variance: s.variance, first_minute: s.firstMinute, last_minute: s.lastMinute });
  }
  const hourly: HourlyRow[] = [];
  if (state.hourly !== undefined) {
    for (const [kind, h] of state.hourly) {
      for (const [key, p] of h.entriesInOrder()) hourly.push({ kind, key, first_minute: p.firstMinute, buckets: Buffer.from(p.buckets.slice().buffer) });
    }
  }
  const services: ServiceRow[] = [];
  let learningSince: number | null = null;
  if (state.services !== null) {
    for (const [key, s] of state.services.entriesInOrder()) services.push({ key, first_seen: s.firstSeen, last_seen: s.lastSeen });
    learningSince = state.services.learningSince;
  }
  return { baselines, hourly, services, learningSince };
}
