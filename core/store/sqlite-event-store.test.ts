import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcsEvent } from '../event';
import { parseQuery } from '../query/parse';
import type { EventStore } from './event-store';
import { EventSearchCursorError } from './search-cursor';
import { SqliteEventStore } from './sqlite-event-store';
import { NOT_STORED } from '../event-hints';
import { WorkerEventStore } from './worker-event-store';

const DAY = 86_400_000;
const FIXTURE: EcsEvent[] = readFileSync(join(__dirname, 'testdata', 'events.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as EcsEvent);
/** Fixture events are numbered by the last digits of their id (…-000000000007 is event 7). */
const numberOf = (e: EcsEvent): number => Number(e.event.id.slice(-12));

/** A realistic sshd failure, the bulk of what a SOC stores. */
function sshdEvent(n: number, ts: number, org: string, word = 'ssh2'): EcsEvent {
  const ip = `198.18.${(n >> 8) & 255}.${n & 255}`;
  const message = `Failed password for invalid user oracle from ${ip} port ${40000 + (n % 20000)} ${word}`;
  return {
    '@timestamp': new Date(ts).toISOString(),
    message,
    event: {
      id: `gen-${String(n).padStart(6, '0')}`,
      original: `<38>Nov 27 01:04:05 bastion-01 sshd[${1000 + n}]: ${message}`,
      kind: 'event',
      category: ['authentication'],
      type: ['start'],
      action: 'ssh_login',
      outcome: 'failure',
      dataset: 'syslog.linux_sshd',
    },
    organization: { id: org },
    source: { ip, port: 40000 + (n % 20000) },
    user: { name: 'oracle' },
    host: { name: 'bastion-01' },
  };
}

type StoreFactory = (dir: string) => EventStore;

describe.each<[string, StoreFactory]>([
  ['SqliteEventStore', (dir) => new SqliteEventStore({ dir })],
  ['WorkerEventStore', (dir) => new WorkerEventStore({ dir })],
])('%s', (_name, open) => {
  let dir: string;
  let store: EventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-events-'));
    store = open(dir);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function ids(query: string, extra: { organizations?: string[]; from?: number; to?: number } = {}): Promise<number[]> {
    const result = await store.search({ query: parseQuery(query), limit: 100, ...extra });
    expect(result.total).toBe(result.events.length);
    return result.events.map(numberOf).sort((a, b) => a - b);
  }

  test('leaves out events marked for detection only (socnoc.store: false)', async () => {
    const [kept, marked] = FIXTURE;
    await store.append([{ ...marked, socnoc: NOT_STORED }, kept]);
    await store.append([{ ...marked, socnoc: NOT_STORED }]);
    const result = await store.search({ limit: 100 });
    expect(result.events.map(numberOf)).toEqual([numberOf(kept)]);
  });

  test('round trip: nested ECS objects come back whole, newest first', async () => {
    await store.append(FIXTURE);
    const result = await store.search({ limit: 100 });
    expect(result.total).toBe(FIXTURE.length);
    expect(result.next).toBeNull();
    const expected = [...FIXTURE].sort((a, b) => Date.parse(b['@timestamp']) - Date.parse(a['@timestamp']));
    expect(result.events).toEqual(expected);
    const asa = result.events.find((e) => numberOf(e) === 4);
    expect(asa?.observer?.ingress?.zone).toBe('outside');
    expect(asa?.cisco).toEqual({ asa: { connection_id: '1851325' } });
    expect(readdirSync(dir)).toContain('events-20261127.db');
  });

  test('agency scoping on every kind of query', async () => {
    await store.append(FIXTURE);
    expect(await ids('', { organizations: ['so-yte'] })).toEqual([3, 6]);
    expect(await ids('', { organizations: ['so-yte', 'so-gd'] })).toEqual([3, 5, 6]);
    expect(await ids('', { organizations: ['unassigned'] })).toEqual([10]);
    expect(await store.search({ limit: 10, organizations: [] })).toEqual({ total: 0, events: [], next: null });
    expect(await store.count({ organizations: ['so-tttt'] })).toBe(5);
    expect(await store.count({ organizations: [] })).toBe(0);
    expect(await store.count({ query: parseQuery('event.outcome:failure'), organizations: ['so-tttt'] })).toBe(3);
    expect(await store.topValues({ field: 'user.name', size: 10, organizations: ['so-yte'] })).toEqual([
      { value: 'Nguyen.Van.A', count: 1 },
      { value: 'tranthib', count: 1 },
    ]);
    const buckets = await store.histogram({ intervalMs: DAY, organizations: ['so-gd'] });
    expect(buckets).toEqual([{ start: Date.UTC(2026, 10, 27), count: 1 }]);
    expect(await store.histogram({ intervalMs: DAY, organizations: [] })).toEqual([]);
    expect(await store.topValues({ field: 'user.name', size: 10, organizations: [] })).toEqual([]);
  });

  describe('queries over the fixture', () => {
    let shared: EventStore;
    let sharedDir: string;

    beforeAll(async () => {
      sharedDir = mkdtempSync(join(tmpdir(), 'socnoc-events-'));
      shared = open(sharedDir);
      await shared.append(FIXTURE);
    });

    afterAll(async () => {
      await shared.close();
      rmSync(sharedDir, { recursive: true, force: true });
    });

    async function sharedIds(query: string): Promise<number[]> {
      const result = await shared.search({ query: parseQuery(query), limit: 100 });
      expect(result.total).toBe(result.events.length);
      expect(await shared.count({ query: parseQuery(query) })).toBe(result.total);
      return result.events.map(numberOf).sort((a, b) => a - b);
    }

    test.each<[string, number[]]>([
      ['source.ip:203.0.113.45', [1, 2]],
      ['source.ip:203.0.113.0/24', [1, 2]],
      ['source.ip:10.20.0.0/16', [3, 6]],
      ['destination.ip:10.1.0.0/20', [4]],
      ['observer.ip:172.16.0.0/12', [4]],
      ['source.ip:"203.0.113.0/24"', []],
      ['user.name:ROOT', [1]],
      ['user.name:adm*', [2]],
      ['user.name:?dmin', [2]],
      ['user.name:s_c*', []],
      ['user.name:svc_b*', [10]],
      ['user.name:*', [1, 2, 3, 6, 7, 10]],
      ['not user.name:*', [4, 5, 8, 9]],
      ['host.name:"dc01.soyte.gov.vn"', [6]],
      ['event.category:authentication', [1, 2, 3, 6, 7]],
      ['event.category:IAM', [7]],
      ['observer.ip:172.16.0.1', [4]],
      ['destination.port:443', [4]],
      ['destination.port >= 100', [4]],
      ['destination.port < 100', [5]],
      ['http.response.status_code >= 400 and http.response.status_code < 404', [7]],
      ['event.severity:6', [4]],
      ['winlog.event_id:4625', [6]],
      ['@timestamp >= "2026-11-27T01:07:00Z"', [6, 7, 8, 9, 10]],
      ['@timestamp < "2026-11-27T01:05:00Z"', [1, 2]],
      ['@timestamp:"2026-11-27T08:04:05+07:00"', [1]],
      ['organization.id:SO-TTTT', [1, 2, 4, 8, 9]],
      ['organization.id:unassigned', [10]],
      ['event.id:8f1e2b0c-0001-4a6e-9d1a-000000000003', [3]],
      ['event.action:(logon-failed or account-locked)', [6, 7]],
      ['event.outcome:failure and not user.name:root', [2, 6, 8]],
      ['(event.dataset:syslog.linux_sshd or event.dataset:syslog.windows_security) and event.outcome:failure', [1, 2, 6]],
      ['labels.env:prod', [10]],
      ['url.original:*dang-nhap*', [7]],
      ['tags:(ssh and not windows)', [1, 2, 3]],
      ['nosuch.field:x', []],
    ])('query %s', async (query, expected) => {
      expect(await sharedIds(query)).toEqual(expected);
    });

    test.each<[string, number[]]>([
      ['Failed password', [1, 2, 6]],
      ['"Failed password for invalid"', [2]],
      ['"password failed"', []],
      ['pass*', [1, 2, 6]],
      ['203.0.113.45', [1, 2]],
      ['viet', [7]],
      ['đăng nhập', [7]],
      ['GigabitEthernet1/0/24', [9]],
      ['message:"Unknown user name"', [6]],
      ['message:failed', [1, 2, 6]],
      ['sudo or nmap', [8, 10]],
      ['not failed', [3, 4, 5, 7, 8, 9, 10]],
      ['*backup*', [10]],
      ['failed and event.outcome:failure and user.name:admin', [2]],
    ])('free text %s', async (query, expected) => {
      expect(await sharedIds(query)).toEqual(expected);
    });

    test('free text of punctuation only scans messages', async () => {
      const expected = FIXTURE.filter((e) => typeof e.message === 'string' && e.message.includes('/'))
        .map(numberOf)
        .sort((a, b) => a - b);
      expect(expected.length).toBeGreaterThan(0);
      expect(await sharedIds('"/"')).toEqual(expected);
    });
  });

  test('cursor pagination walks every event once, across partitions and equal timestamps', async () => {
    const start = Date.UTC(2026, 10, 25, 22);
    const events: EcsEvent[] = [];
    // 330 events over three UTC days, ten per millisecond value, so (ts, id) ties are the rule.
    for (let n = 0; n < 330; n++) events.push(sshdEvent(n, start + Math.floor(n / 10) * 5_000_000, n % 3 === 0 ? 'so-yte' : 'so-tttt'));
    await store.append(events.slice(0, 200));
    await store.append(events.slice(200));
    expect(readdirSync(dir).filter((f) => f.endsWith('.db'))).toHaveLength(3);

    for (const params of [{}, { organizations: ['so-yte'] }, { query: parseQuery('source.ip:198.18.0.* or source.ip:198.18.1.1*') }]) {
      const expectedTotal = await store.count(params);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      let previousTs = Infinity;
      do {
        const page = await store.search({ ...params, limit: 7, cursor });
        expect(page.total).toBe(expectedTotal);
        for (const e of page.events) {
          const ts = Date.parse(e['@timestamp']);
          expect(ts).toBeLessThanOrEqual(previousTs);
          previousTs = ts;
          seen.push(e.event.id);
        }
        cursor = page.next ?? undefined;
        pages++;
      } while (cursor !== undefined && pages < 100);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(expectedTotal);
      expect(pages).toBe(Math.ceil(expectedTotal / 7));
    }
  });

  test('time bounds select partitions and rows', async () => {
    const start = Date.UTC(2026, 10, 25);
    const events = [0, 1, 2].flatMap((d) => [sshdEvent(d * 2, start + d * DAY + 1000, 'so-tttt'), sshdEvent(d * 2 + 1, start + d * DAY + 7200_000, 'so-tttt')]);
    await store.append(events);
    expect(await store.count({ from: start + DAY, to: start + 2 * DAY })).toBe(2);
    expect(await store.count({ from: start + DAY + 2000 })).toBe(3);
    expect(await store.count({ to: start + DAY + 1000 })).toBe(2);
    expect(await store.count({ from: start + DAY, to: start + DAY })).toBe(0);
    const page = await store.search({ from: start + DAY, to: start + 3 * DAY, limit: 3 });
    expect(page.events.map((e) => e.event.id)).toEqual(['gen-000005', 'gen-000004', 'gen-000003']);
    expect(page.total).toBe(4);
  });

  test('an invalid cursor or limit is refused with a clear error', async () => {
    await expect(store.search({ limit: 10, cursor: 'garbage!' })).rejects.toBeInstanceOf(EventSearchCursorError);
    await expect(store.search({ limit: 10, cursor: Buffer.from('[1,2,3]').toString('base64url') })).rejects.toThrow(/invalid cursor/);
    await expect(store.search({ limit: 0 })).rejects.toThrow(/limit must be an integer from 1/);
    await expect(store.histogram({ intervalMs: 0 })).rejects.toThrow(/intervalMs must be a positive integer/);
    await expect(store.histogram({ intervalMs: 1, from: 0, to: DAY })).rejects.toThrow(/max 10000/);
    await expect(store.topValues({ field: 'x); drop table events; --', size: 5 })).rejects.toThrow(/invalid field name/);
  });

  test('duplicates are ignored, in whole batches and mixed into chunks', async () => {
    await store.append(FIXTURE);
    await store.append(FIXTURE);
    expect(await store.count({})).toBe(FIXTURE.length);

    const start = Date.UTC(2026, 10, 27, 2);
    const first = Array.from({ length: 120 }, (_, n) => sshdEvent(n, start + n, 'so-tttt', `w${n}x`));
    await store.append(first);
    // 60 old and 60 new interleaved: multi-row chunks that are partly duplicates.
    const mixed: EcsEvent[] = [];
    for (let n = 60; n < 180; n++) mixed.push(sshdEvent(n, start + n, 'so-tttt', `w${n}x`));
    mixed.sort((a, b) => (a.event.id < b.event.id ? 1 : -1));
    await store.append(mixed);
    expect(await store.count({ query: parseQuery('event.dataset:syslog.linux_sshd and user.name:oracle') })).toBe(180);
    // The full-text index lines up with the rows that were really inserted.
    for (const n of [0, 59, 60, 119, 120, 150, 179]) {
      const found = await store.search({ query: parseQuery(`w${n}x`), limit: 5 });
      expect(found.events.map((e) => e.event.id)).toEqual([`gen-${String(n).padStart(6, '0')}`]);
    }
  });

  test('restart keeps data, and appends after it index correctly', async () => {
    await store.append(FIXTURE);
    await store.close();
    store = open(dir);
    expect(await store.count({})).toBe(FIXTURE.length);
    expect(await ids('"Failed password"')).toEqual([1, 2]);
    const later = Array.from({ length: 75 }, (_, n) => sshdEvent(n, Date.UTC(2026, 10, 27, 3) + n, 'so-gd', `after${n}restart`));
    await store.append(later);
    await store.append(FIXTURE);
    expect(await store.count({})).toBe(FIXTURE.length + 75);
    const hit = await store.search({ query: parseQuery('after74restart'), limit: 5 });
    expect(hit.events.map((e) => e.event.id)).toEqual(['gen-000074']);
  });

  test('retention drops whole partitions and queries keep working', async () => {
    const start = Date.UTC(2026, 10, 24);
    const events = [0, 1, 2, 3].map((d) => sshdEvent(d, start + d * DAY + 3600_000, 'so-tttt'));
    await store.append(events);
    expect(await store.count({})).toBe(4);
    // A cutoff inside day 2 drops days 0 and 1 only: day 2 still holds events newer than the cutoff.
    expect(await store.applyRetention(start + 2 * DAY + 12 * 3600_000)).toBe(2);
    expect(readdirSync(dir).filter((f) => f.endsWith('.db')).sort()).toEqual(['events-20261126.db', 'events-20261127.db']);
    expect(await store.count({})).toBe(2);
    const page = await store.search({ limit: 10 });
    expect(page.events.map((e) => e.event.id)).toEqual(['gen-000003', 'gen-000002']);
    // A late event for a dropped day is not stored again.
    await store.append([sshdEvent(99, start + 3600_000, 'so-tttt')]);
    expect(await store.count({})).toBe(2);
    await store.append([sshdEvent(100, start + 3 * DAY + 7200_000, 'so-tttt')]);
    expect(await store.count({})).toBe(3);
    expect(await store.applyRetention(start)).toBe(0);
  });

  test('a partition that cannot be written fails that append, not the store', async () => {
    // A directory where the day's database file should be: SQLite cannot open it.
    mkdirSync(join(dir, 'events-20261201.db'));
    const blocked = sshdEvent(1, Date.UTC(2026, 11, 1, 5), 'so-tttt');
    await expect(store.append([blocked])).rejects.toThrow(/cannot open partition .*events-20261201.db for writing: unable to open database file/);
    await store.append([sshdEvent(2, Date.UTC(2026, 11, 2, 5), 'so-tttt')]);
    expect(await store.count({})).toBe(1);
  });

  test('topValues counts array elements and merges partitions', async () => {
    await store.append(FIXTURE);
    expect(await store.topValues({ field: 'event.category', size: 3 })).toEqual([
      { value: 'authentication', count: 5 },
      { value: 'network', count: 3 },
      { value: 'iam', count: 1 },
    ]);
    expect(await store.topValues({ field: 'source.ip', size: 1 })).toEqual([{ value: '203.0.113.45', count: 2 }]);
    expect(await store.topValues({ field: 'destination.port', size: 5 })).toEqual([
      { value: '443', count: 1 },
      { value: '53', count: 1 },
    ]);
    expect(await store.topValues({ field: 'organization.id', size: 2 })).toEqual([
      { value: 'so-tttt', count: 5 },
      { value: 'so-yte', count: 2 },
    ]);
    const nextDay = Date.UTC(2026, 10, 28, 1);
    await store.append([sshdEvent(1, nextDay, 'so-yte'), sshdEvent(2, nextDay + 1, 'so-yte'), sshdEvent(3, nextDay + 2, 'so-yte')]);
    expect(await store.topValues({ field: 'organization.id', size: 1 })).toEqual([{ value: 'so-tttt', count: 5 }]);
    expect(await store.topValues({ field: 'organization.id', size: 2, query: parseQuery('event.outcome:failure') })).toEqual([
      { value: 'so-yte', count: 4 },
      { value: 'so-tttt', count: 3 },
    ]);
  });

  test('histogram buckets, filled between the bounds', async () => {
    await store.append(FIXTURE);
    const from = Date.UTC(2026, 10, 27, 1, 3);
    const to = Date.UTC(2026, 10, 27, 1, 12);
    const minute = await store.histogram({ intervalMs: 60_000, from, to });
    expect(minute.map((b) => b.count)).toEqual([0, 2, 1, 2, 1, 1, 1, 1, 1]);
    expect(minute[0].start).toBe(from);
    const hourly = await store.histogram({ intervalMs: 3600_000, query: parseQuery('event.outcome:failure') });
    expect(hourly).toEqual([{ start: Date.UTC(2026, 10, 27, 1), count: 4 }]);
  });
});

describe('store shapes of input', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-events-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('events without organization, id or a sane time are stored under the receive time', async () => {
    const store = new SqliteEventStore({ dir });
    try {
      const odd = { '@timestamp': 'not a time', message: 'orphan line', event: {} } as unknown as EcsEvent;
      const farFuture = { '@timestamp': '+275760-09-13T00:00:00.000Z', message: 'orphan from the future', event: { id: 'future-1' } } as EcsEvent;
      const before = Date.now();
      await store.append([odd, farFuture]);
      const page = await store.search({ query: parseQuery('orphan'), limit: 5, from: before - 1000 });
      expect(page.events).toHaveLength(2);
      expect(page.events).toContainEqual(odd);
      expect(page.events).toContainEqual(farFuture);
      expect(await store.count({ organizations: ['unassigned'] })).toBe(2);
      const dayFile = (ms: number): string => `events-${new Date(ms).toISOString().slice(0, 10).replace(/-/g, '')}.db`;
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.db'))) expect([dayFile(before), dayFile(Date.now())]).toContain(file);
    } finally {
      await store.close();
    }
  });

  test('a closed store refuses calls', async () => {
    const store = new SqliteEventStore({ dir });
    await store.close();
    await expect(store.append([])).rejects.toThrow(/closed/);
    await expect(store.count({})).rejects.toThrow(/closed/);
  });

  test('a worker store and a plain store read the same files', async () => {
    const writer = new WorkerEventStore({ dir });
    await writer.append(FIXTURE);
    const reader = new SqliteEventStore({ dir });
    try {
      expect(await reader.count({ query: parseQuery('event.outcome:failure') })).toBe(4);
      expect(writer.appended).toEqual({ inserted: FIXTURE.length, duplicates: 0, expired: 0 });
    } finally {
      await reader.close();
      await writer.close();
    }
  });
});
