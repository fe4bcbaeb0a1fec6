import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deletePartitionFiles, listFileNames, openPartitionForRead, openPartitionForWrite, utcDateStamp } from './partition-files';

const SCHEMA = { namespace: 'sample', migrations: ['CREATE TABLE samples (ts INTEGER NOT NULL)'] };

describe('partition files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-partition-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stamps UTC days and months, not local ones', () => {
    // 2026-03-01T00:30:00+07:00 is still February 28th in UTC.
    const ts = Date.parse('2026-03-01T00:30:00+07:00');
    expect(utcDateStamp(ts)).toBe('20260228');
    expect(utcDateStamp(ts, false)).toBe('202602');
    expect(utcDateStamp(Date.UTC(987, 0, 5))).toBe('09870105');
  });

  it('lists only regular files, and nothing for a missing folder', () => {
    expect(listFileNames(join(dir, 'missing'))).toEqual([]);
    writeFileSync(join(dir, 'events-20260101.db'), '');
    mkdirSync(join(dir, 'events-20260102.db'));
    expect(listFileNames(dir)).toEqual(['events-20260101.db']);
  });

  it('reads a partition only once its schema exists, and not after deletion', () => {
    const file = join(dir, 'sample-20260101.db');
    expect(openPartitionForRead(file, { label: 'sample store', readyTable: 'samples' })).toBeUndefined();
    const writer = openPartitionForWrite(file, SCHEMA);
    writer.prepare('INSERT INTO samples (ts) VALUES (?)').run(1);
    const reader = openPartitionForRead(file, { label: 'sample store', readyTable: 'samples' });
    expect(reader?.prepare('SELECT COUNT(*) AS n FROM samples').get()).toEqual({ n: 1 });
    expect(() => reader?.prepare('INSERT INTO samples (ts) VALUES (2)').run()).toThrow(/readonly|query_only/i);
    expect(openPartitionForRead(file, { label: 'sample store', readyTable: 'other' })).toBeUndefined();
    reader?.close();
    writer.close();
    deletePartitionFiles(file);
    expect(existsSync(file)).toBe(false);
    expect(() => deletePartitionFiles(file)).not.toThrow();
  });

  it('names the store and the file when a partition cannot be read', () => {
    const file = join(dir, 'sample-20260102.db');
    mkdirSync(file);
    expect(() => openPartitionForRead(file, { label: 'sample store', readyTable: 'samples' })).toThrow(/sample store: cannot read partition .*sample-20260102\.db/);
  });
});
