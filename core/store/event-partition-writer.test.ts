import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcsEvent } from '../event';
import { parseQuery } from '../query/parse';
import { EventPartitionWriter } from './event-partition-writer';
import { docBytesOf, encodeEventRows, eventOf, idOf, messageBytesOf, orgOf, originalBytesOf, rowCount, textOf } from './event-rows';
import { SqliteEventStore } from './sqlite-event-store';
import { WorkerEventStore } from './worker-event-store';

const NOV_27 = Date.UTC(2026, 10, 27, 23, 59, 58);

/** A FortiGate-style event whose message holds quotes and Vietnamese text (multi-byte UTF-8). */
function event(n: number, ts: number): EcsEvent {
  const message = `date=2026-11-27 devname="FGT-HN-${n}" user="Nguyễn Văn ${n}" action="deny" msg="Truy cập bị chặn"`;
  return {
    '@timestamp': new Date(ts).toISOString(),
    message,
    event: { id: `evt-${String(n).padStart(6, '0')}`, original: `<189>${message}`, dataset: 'fortinet.fortigate', action: 'deny' },
    organization: { id: n % 2 === 0 ? 'hanoi' : 'danang' },
    source: { ip: `10.0.${n >> 8}.${n & 255}` },
  };
}

describe('encodeEventRows', () => {
  test('documents are the events as JSON text without message and event.original, which travel beside them', () => {
    const events = [event(1, NOV_27), event(2, NOV_27 + 1)];
    const copies = events.map((e) => structuredClone(e));
    const rows = encodeEventRows(events);
    const decoder = new TextDecoder();
    const doc = JSON.parse(decoder.decode(docBytesOf(rows, 0))) as EcsEvent;
    expect(doc.message).toBeUndefined();
    expect(doc.event.original).toBeUndefined();
    expect(doc.event.dataset).toBe('fortinet.fortigate');
    expect(decoder.decode(messageBytesOf(rows, 0) ?? undefined)).toBe(events[0].message);
    expect(decoder.decode(originalBytesOf(rows, 0) ?? undefined)).toBe(events[0].event.original);
    expect(events.map((_, i) => eventOf(rows, i))).toEqual(events);
    // The caller's events are left as they were, key order included.
    expect(events).toEqual(copies);
    expect(JSON.stringify(events)).toBe(JSON.stringify(copies));
    expect([idOf(rows, 0), idOf(rows, 1)]).toEqual(['evt-000001', 'evt-000002']);
    expect([...rows.ts]).toEqual([NOV_27, NOV_27 + 1]);
    expect(textOf(rows, 0)).toContain('Nguyễn Văn 1');
    // Agencies are sent once per batch, with an index per event.
    expect(rows.orgNames).toEqual(['danang', 'hanoi']);
    expect([orgOf(rows, 0), orgOf(rows, 1)]).toEqual(['danang', 'hanoi']);
  });

  test('an event without id, message or agency gets a fresh id, event.original as its text, and unassigned', () => {
    const bare: EcsEvent = { '@timestamp': 'not a time', event: { original: '<13>raw line' } } as EcsEvent;
    const empty: EcsEvent = { '@timestamp': new Date(NOV_27).toISOString() } as EcsEvent;
    const rows = encodeEventRows([bare, empty], NOV_27 + 42);
    expect(rowCount(rows)).toBe(2);
    expect(idOf(rows, 0)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(textOf(rows, 0)).toBe('<13>raw line');
    expect(textOf(rows, 1)).toBe('');
    expect(messageBytesOf(rows, 0)).toBeNull();
    expect(originalBytesOf(rows, 1)).toBeNull();
    expect([eventOf(rows, 0), eventOf(rows, 1)]).toEqual([bare, empty]);
    expect([orgOf(rows, 0), orgOf(rows, 1)]).toEqual(['unassigned', 'unassigned']);
    // An unparsable @timestamp is stored at the store's clock.
    expect([...rows.ts]).toEqual([NOV_27 + 42, NOV_27]);
  });

  test('@timestamp is read as Date.parse reads it, including the forms the fast path leaves to it', () => {
    const times = [
      '2026-11-27T23:59:58.123Z',
      '2024-02-29T12:00:00.000Z',
      '2026-02-29T12:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-11-27T24:00:00.000Z',
      '2026-11-27T10:15:01+07:00',
      '2026-11-27T10:15:01.5Z',
      '1999-12-31T23:59:59.999Z',
    ];
    const rows = encodeEventRows(times.map((t, n) => ({ ...event(n, 0), '@timestamp': t })), 7);
    expect([...rows.ts]).toEqual(times.map((t) => (Number.isNaN(Date.parse(t)) ? 7 : Date.parse(t))));
  });

  test('a batch larger than the first guess of its size grows its buffer', () => {
    const big: EcsEvent = { ...event(3, NOV_27), message: 'ế'.repeat(5000) };
    const rows = encodeEventRows([event(1, NOV_27), big, event(2, NOV_27)]);
    expect(eventOf(rows, 1)).toEqual(big);
    expect(eventOf(rows, 2)).toEqual(event(2, NOV_27));
  });

  test('an event with a message and no event object is stored, message beside the document', () => {
    const noMeta = { '@timestamp': new Date(NOV_27).toISOString(), message: 'agent line without event fields' } as unknown as EcsEvent;
    const copy = structuredClone(noMeta);
    const rows = encodeEventRows([noMeta]);
    expect(textOf(rows, 0)).toBe('agent line without event fields');
    expect(originalBytesOf(rows, 0)).toBeNull();
    expect(JSON.parse(new TextDecoder().decode(docBytesOf(rows, 0)))).toEqual({ '@timestamp': copy['@timestamp'] });
    expect(eventOf(rows, 0)).toEqual(copy);
    expect(noMeta).toEqual(copy);
  });

  test('a message or event.original that is not a string stays in the document', () => {
    const odd = { ...event(4, NOV_27), message: { text: 'structured' }, event: { id: 'evt-odd', original: 42 } } as unknown as EcsEvent;
    const rows = encodeEventRows([odd]);
    expect(messageBytesOf(rows, 0)).toBeNull();
    expect(originalBytesOf(rows, 0)).toBeNull();
    expect(JSON.parse(new TextDecoder().decode(docBytesOf(rows, 0)))).toEqual(odd);
    expect(eventOf(rows, 0)).toEqual(odd);
    expect(textOf(rows, 0)).toBe('');
  });
});

describe('EventPartitionWriter.appendBatches', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-writer-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('writes several batches together and reports each one: days, duplicates, expired', async () => {
    const writer = new EventPartitionWriter(dir);
    // 120 rows cross the chunked path (100 rows per statement) and the per-row path.
    const first = Array.from({ length: 120 }, (_, i) => event(i, NOV_27));
    // The second batch repeats 60 of the first and crosses midnight into 28 November.
    const second = [...first.slice(0, 60), ...Array.from({ length: 70 }, (_, i) => event(1000 + i, NOV_27 + (i % 2) * 5000))];
    const outcomes = writer.appendBatches([encodeEventRows(first), encodeEventRows(second)]);
    expect(outcomes).toEqual([
      { inserted: 120, duplicates: 0, expired: 0 },
      { inserted: 70, duplicates: 60, expired: 0 },
    ]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.db')).sort()).toEqual(['events-20261127.db', 'events-20261128.db']);
    writer.applyRetention(Date.UTC(2026, 10, 28));
    expect(writer.appendBatches([encodeEventRows([event(5000, NOV_27)]), encodeEventRows([event(5001, NOV_27 + 5000)])])).toEqual([
      { inserted: 0, duplicates: 0, expired: 1 },
      { inserted: 1, duplicates: 0, expired: 0 },
    ]);
    writer.close();

    const reader = new SqliteEventStore({ dir });
    try {
      expect(await reader.count({})).toBe(36);
      // Multi-byte text survives the trip as bytes into a TEXT column: full-text and field queries match it.
      expect(await reader.count({ query: parseQuery('"Văn 1035"') })).toBe(1);
      const page = await reader.search({ query: parseQuery('event.id:evt-001035'), limit: 1 });
      expect(page.events).toEqual([event(1035, NOV_27 + 5000)]);
    } finally {
      await reader.close();
    }
  });

  test('each transaction adds one full-text segment, however many 100-row statements it takes', async () => {
    const writer = new EventPartitionWriter(dir);
    // 530 rows: five 100-row statements and 30 single rows; then a batch with 40 duplicates and 60 new rows.
    const first = Array.from({ length: 530 }, (_, i) => event(i, NOV_27 - 10_000));
    writer.appendBatches([encodeEventRows(first)]);
    const file = join(dir, 'events-20261127.db');
    // FTS5 data rows of a segment carry its id above bit 37 (fts5Int.h, FTS5_SEGMENT_ROWID).
    const segments = (): number => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare('SELECT count(DISTINCT id >> 37) AS n FROM events_fts_data WHERE id >> 37 > 0').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect(segments()).toBe(1);
    const second = [...first.slice(0, 40), ...Array.from({ length: 60 }, (_, i) => event(2000 + i, NOV_27 - 5000))];
    expect(writer.appendBatches([encodeEventRows(second)])).toEqual([{ inserted: 60, duplicates: 40, expired: 0 }]);
    expect(segments()).toBe(2);
    writer.close();
    const reader = new SqliteEventStore({ dir });
    try {
      expect(await reader.count({ query: parseQuery('"Truy cập"') })).toBe(590);
      expect(await reader.count({ query: parseQuery('"Văn 437"') })).toBe(1);
      expect(await reader.count({ query: parseQuery('"Văn 2059"') })).toBe(1);
    } finally {
      await reader.close();
    }
  });
});

describe('WorkerEventStore', () => {
  test('appends sent without waiting are written together and each is acknowledged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'socnoc-writer-'));
    const store = new WorkerEventStore({ dir });
    try {
      const batches = Array.from({ length: 6 }, (_, b) => Array.from({ length: 300 }, (_, i) => event(b * 300 + i, NOV_27 - i * 1000)));
      // A duplicate inside the burst is counted once as a duplicate.
      batches.push(batches[0].slice(0, 10));
      await Promise.all(batches.map((batch) => store.append(batch)));
      expect(store.appended).toEqual({ inserted: 1800, duplicates: 10, expired: 0 });
      expect(await store.count({ organizations: ['hanoi'] })).toBe(900);
      expect(await store.count({ query: parseQuery('"Truy cập"') })).toBe(1800);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
