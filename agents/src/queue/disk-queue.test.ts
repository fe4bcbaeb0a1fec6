import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskQueue } from './disk-queue';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'queue-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ev = (i: number): string => JSON.stringify({ '@timestamp': '2026-11-27T01:04:05.000Z', message: `Failed password for root from 203.0.113.${i % 250} port 22 ssh2 #${i}`, event: { id: `id-${i}` } });

test('acknowledged events are not read again after a reopen; unacknowledged ones are', () => {
  let q = new DiskQueue({ dir, maxBytes: 64 << 20, segmentBytes: 4096 });
  q.append(Array.from({ length: 100 }, (_, i) => ev(i)), { cursor: 'c100' });
  const first = q.read(30, 1 << 20);
  expect(first?.lines).toHaveLength(30);
  q.commit(first!.end);
  const second = q.read(30, 1 << 20); // sent, never acknowledged (crash)
  expect(second?.lines[0]).toBe(ev(30));
  q.close();
  q = new DiskQueue({ dir, maxBytes: 64 << 20, segmentBytes: 4096 });
  expect(q.marker('cursor')).toBe('c100');
  const all: string[] = [];
  for (let b = q.read(1000, 1 << 20); b !== undefined; b = q.read(1000, 1 << 20)) {
    all.push(...b.lines);
    q.commit(b.end);
  }
  expect(all).toEqual(Array.from({ length: 70 }, (_, i) => ev(30 + i)));
  expect(readdirSync(dir).filter((f) => f.endsWith('.seg'))).toHaveLength(1);
  q.close();
});

test('a half-written line left by a crash is cut on reopen', () => {
  let q = new DiskQueue({ dir, maxBytes: 64 << 20, segmentBytes: 1 << 20 });
  q.append([ev(1)]);
  q.close();
  appendFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.seg'))!), '{"@timestamp":"2026-');
  q = new DiskQueue({ dir, maxBytes: 64 << 20, segmentBytes: 1 << 20 });
  q.append([ev(2)]);
  expect(q.read(10, 1 << 20)?.lines).toEqual([ev(1), ev(2)]);
  q.close();
});

test('over the cap the oldest whole segments are dropped and their events counted', () => {
  const q = new DiskQueue({ dir, maxBytes: 1 << 20, segmentBytes: 64 * 1024 });
  for (let i = 0; i < 20_000; i += 100) q.append(Array.from({ length: 100 }, (_, k) => ev(i + k)));
  const stats = q.stats();
  expect(stats.droppedSegments).toBeGreaterThan(0);
  let left = 0;
  let firstLeft: string | undefined;
  for (let b = q.read(5000, 8 << 20); b !== undefined; b = q.read(5000, 8 << 20)) {
    firstLeft ??= b.lines[0];
    left += b.lines.length;
    q.commit(b.end);
  }
  expect(left + stats.droppedEvents).toBe(20_000);
  // The newest events are the ones kept.
  expect(firstLeft).toBe(ev(stats.droppedEvents));
  q.close();
});

/** The one segment file of the queue. */
function segmentFile(): string {
  return join(dir, readdirSync(dir).find((f) => f.endsWith('.seg'))!);
}

test('an append cut short after whole lines but before its markers is undone on reopen, so its source reads them once more', () => {
  let q = new DiskQueue({ dir, maxBytes: 64 << 20, segmentBytes: 1 << 20 });
  q.append([ev(1), ev(2)], { 'tail:/var/log/auth.log': { ino: 7, off: 200 } });
  q.close();
  const file = segmentFile();
  const complete = readFileSync(file);
  // The next append as it would be written, stopped at each point a crash can leave it.
  const next = `#~\n${ev(3)}\n${ev(4)}\n#${JSON.stringify({ 'tail:/var/log/auth.log': { ino: 7, off: 400 } })}\n`;
  const lineEnds = [...next].flatMap((c, i) => (c === '\n' ? [i + 1] : []));
  for (const cut of [3, lineEnds[1], lineEnds[2], lineEnds[2] + 5]) {
    writeFileSync(file, Buffer.concat([complete, Buffer.from(next.slice(0, cut))]));
    q = new DiskQueue({ dir, maxBytes: 64 << 20, segmentBytes: 1 << 20 });
    expect(q.marker('tail:/var/log/auth.log')).toEqual({ ino: 7, off: 200 });
    expect(q.read(10, 1 << 20)?.lines).toEqual([ev(1), ev(2)]);
    expect(readFileSync(file).equals(complete)).toBe(true);
    q.close();
  }
  // Written whole, it stays.
  writeFileSync(file, Buffer.concat([complete, Buffer.from(next)]));
  q = new DiskQueue({ dir, maxBytes: 64 << 20, segmentBytes: 1 << 20 });
  expect(q.marker('tail:/var/log/auth.log')).toEqual({ ino: 7, off: 400 });
  expect(q.read(10, 1 << 20)?.lines).toEqual([ev(1), ev(2), ev(3), ev(4)]);
  q.close();
});

test('appends without markers (no source to read again) keep their whole lines after a crash', () => {
  let q = new DiskQueue({ dir, maxBytes: 64 << 20, segmentBytes: 1 << 20 });
  q.append([ev(1)], { cursor: 'c1' });
  q.append([ev(2), ev(3)]);
  q.close();
  appendFileSync(segmentFile(), `${ev(4)}\n{"@timestamp":"2026-`);
  q = new DiskQueue({ dir, maxBytes: 64 << 20, segmentBytes: 1 << 20 });
  expect(q.marker('cursor')).toBe('c1');
  expect(q.read(10, 1 << 20)?.lines).toEqual([ev(1), ev(2), ev(3), ev(4)]);
  q.close();
});
