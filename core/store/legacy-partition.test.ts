/**
 * Partitions written before message and event.original got their own columns (the first migration
 * only, everything in the JSON document) stay readable, and a day file migrated while it already held
 * rows answers every query over its old and new rows alike.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcsEvent } from '../event';
import { parseQuery } from '../query/parse';
import { EVENT_PARTITION_MIGRATIONS, partitionFileName, partitionDayOf } from './event-partition';
import type { EventStore } from './event-store';
import { applyMigrations, openSqlite } from './sqlite';
import { SqliteEventStore } from './sqlite-event-store';
import { WorkerEventStore } from './worker-event-store';

const FIXTURE: EcsEvent[] = readFileSync(join(__dirname, 'testdata', 'events.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as EcsEvent);

const NOV_27 = Date.UTC(2026, 10, 27);

/** Writes `events` as the store did before the split columns: the first migration, the old INSERTs. */
function writeLegacyPartition(dir: string, events: readonly EcsEvent[]): string {
  const file = join(dir, partitionFileName(partitionDayOf(NOV_27)));
  const db = openSqlite(file, { pageSize: 32768 });
  try {
    applyMigrations(db, 'events', EVENT_PARTITION_MIGRATIONS.slice(0, 1));
    const insert = db.prepare('INSERT OR IGNORE INTO events (ts, id, org, doc) VALUES (?, ?, ?, ?)');
    const fts = db.prepare('INSERT INTO events_fts (rowid, message) VALUES (?, ?)');
    db.transaction(() => {
      for (const e of events) {
        const info = insert.run(Date.parse(e['@timestamp']), e.event.id, e.organization?.id ?? 'unassigned', JSON.stringify(e));
        fts.run(info.lastInsertRowid, e.message ?? e.event.original ?? '');
      }
    })();
  } finally {
    db.close();
  }
  return file;
}

/** A Cisco ASA deny as the collector stores it today. */
function asaDeny(n: number): EcsEvent {
  const message = `Deny tcp src outside:198.51.100.${n}/4431${n} dst inside:10.1.1.5/22 by access-group "OUTSIDE_IN" [0x0, 0x0]`;
  return {
    '@timestamp': new Date(NOV_27 + 3_600_000 * 5 + n * 1000).toISOString(),
    message,
    event: { id: `asa-${n}`, original: `<164>Nov 27 2026 05:00:0${n}: %ASA-4-106023: ${message}`, dataset: 'cisco.asa', action: 'deny' },
    organization: { id: 'so-tttt' },
    source: { ip: `198.51.100.${n}` },
  };
}

describe.each<[string, (dir: string) => EventStore]>([
  ['SqliteEventStore', (dir) => new SqliteEventStore({ dir })],
  ['WorkerEventStore', (dir) => new WorkerEventStore({ dir })],
])('a partition in the legacy layout, through %s', (_name, open) => {
  let dir: string;
  let file: string;
  let store: EventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-legacy-'));
    file = writeLegacyPartition(dir, FIXTURE);
    store = open(dir);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function count(query: string): Promise<number> {
    return store.count({ query: parseQuery(query) });
  }

  test('reads back whole events and answers message and event.original queries', async () => {
    const page = await store.search({ limit: 100 });
    expect(page.events).toEqual([...FIXTURE].sort((a, b) => Date.parse(b['@timestamp']) - Date.parse(a['@timestamp'])));
    expect(await count('"Failed password"')).toBe(2);
    expect(await count('message:*assword*')).toBe(FIXTURE.filter((e) => e.message?.includes('assword')).length);
    expect(await count('event.original:*sshd*')).toBe(FIXTURE.filter((e) => e.event.original?.includes('sshd')).length);
    expect(await count('message:*')).toBe(FIXTURE.filter((e) => typeof e.message === 'string').length);
    expect(await count('not event.original:*')).toBe(FIXTURE.filter((e) => e.event.original === undefined).length);
    const sshd = FIXTURE.filter((e) => e.event.original?.includes('sshd'));
    const top = await store.topValues({ field: 'event.original', size: 1, query: parseQuery('event.original:*sshd*') });
    expect(sshd.map((e) => e.event.original)).toContain(top[0].value);
  });

  test('appending migrates the file; old and new rows answer the same queries, also on an open reader', async () => {
    // The reader opens the file while it is still legacy.
    expect(await count('event.original:*ASA*')).toBe(FIXTURE.filter((e) => e.event.original?.includes('ASA')).length);
    const before = await count('event.original:*ASA*');
    const added = [asaDeny(1), asaDeny(2), asaDeny(3)];
    await store.append(added);
    expect(await count('event.original:*ASA*')).toBe(before + 3);
    expect(await count('"OUTSIDE_IN"')).toBe(3);
    expect(await count('message:*access-group*')).toBe(3);
    expect(await count('event.original:"<164>Nov 27 2026 05:00:02: %ASA-4-106023: ' + added[1].message?.replace(/"/g, '\\"') + '"')).toBe(1);
    const page = await store.search({ query: parseQuery('event.action:deny and source.ip:198.51.100.0/24'), limit: 10 });
    expect(page.events).toEqual([added[2], added[1], added[0]]);
    // Everything, old rows and new, in one newest-first page with the fields back in place.
    const all = await store.search({ limit: 100 });
    expect(all.total).toBe(FIXTURE.length + 3);
    const withMessage = FIXTURE.filter((e) => typeof e.message === 'string').length;
    expect(all.events.filter((e) => typeof e.message === 'string')).toHaveLength(withMessage + 3);
    expect(await count('message:*')).toBe(withMessage + 3);
    // New rows keep message and event.original out of the document; old rows are left as written.
    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare('SELECT id, doc, message, original FROM events ORDER BY rowid').all() as Array<{ id: string; doc: string; message: string | null; original: string | null }>;
      const fresh = rows.filter((r) => r.id.startsWith('asa-'));
      expect(fresh.map((r) => r.message)).toEqual(added.map((e) => e.message));
      for (const r of fresh) expect(r.doc).not.toContain('access-group');
      const old = rows.filter((r) => !r.id.startsWith('asa-'));
      expect(old.every((r) => r.message === null && r.original === null)).toBe(true);
    } finally {
      db.close();
    }
  });
});
