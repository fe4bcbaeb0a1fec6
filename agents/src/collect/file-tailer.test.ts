import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskQueue } from '../queue/disk-queue';
import { FileTailer } from './file-tailer';

const host = { name: 'web01', hostname: 'web01' };
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tailer-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function openQueue(): DiskQueue {
  return new DiskQueue({ dir: join(dir, 'queue'), maxBytes: 64 * 1024 * 1024, segmentBytes: 1024 * 1024 });
}

function drain(q: DiskQueue): string[] {
  const out: string[] = [];
  for (;;) {
    const b = q.read(1000, 1024 * 1024);
    if (b === undefined) return out;
    for (const l of b.lines) out.push((JSON.parse(l) as { message: string }).message);
    q.commit(b.end);
  }
}

const line = (i: number): string => `Nov 27 01:04:05 web01 sshd[4242]: Accepted publickey for deploy${i} from 198.51.100.7 port 51514 ssh2`;

test('resumes after a restart from the queued marker, without repeating or skipping lines', () => {
  const log = join(dir, 'auth.log');
  writeFileSync(log, `${line(0)}\n${line(1)}\npartial`);
  let q = openQueue();
  let t = new FileTailer({ path: log, dataset: 'linux.auth', format: 'text' }, q, host);
  expect(t.poll()).toBe(2);
  expect(drain(q)).toEqual([line(0), line(1)]);
  appendFileSync(log, ` line\n${line(2)}\n`);
  t.close();
  q.close();
  q = openQueue();
  t = new FileTailer({ path: log, dataset: 'linux.auth', format: 'text' }, q, host);
  t.poll();
  expect(drain(q)).toEqual(['partial line', line(2)]);
  appendFileSync(log, `${line(3)}\n`);
  t.poll();
  expect(drain(q)).toEqual([line(3)]);
  q.close();
});

test('follows rotation by rename, reading the old file through its grace period, and copytruncate', () => {
  const log = join(dir, 'auth.log');
  writeFileSync(log, `${line(0)}\n`);
  const q = openQueue();
  let now = 0;
  const t = new FileTailer({ path: log, dataset: 'linux.auth', format: 'text' }, q, host, 1000, () => now);
  t.poll();
  renameSync(log, `${log}.1`);
  writeFileSync(log, `${line(2)}\n`);
  appendFileSync(`${log}.1`, `${line(1)}\n`);
  t.poll();
  appendFileSync(`${log}.1`, `${line(1.5)}`); // unterminated, flushed when the old file goes quiet
  now += 2000;
  t.poll(); // it grew: the grace period starts again
  now += 2000;
  t.poll();
  expect(drain(q).sort()).toEqual([line(0), line(1), line(1.5), line(2)].sort());
  appendFileSync(log, `${line(3)}\n`);
  t.poll();
  truncateSync(log, 0);
  appendFileSync(log, `${line(4)}\n`);
  t.poll();
  expect(drain(q)).toEqual([line(3), line(4)]);
  q.close();
});

test('a restart while the rotated file still had unread lines finds it by inode', () => {
  const log = join(dir, 'auth.log');
  writeFileSync(log, `${line(0)}\n`);
  let q = openQueue();
  let t = new FileTailer({ path: log, dataset: 'linux.auth', format: 'text' }, q, host, 0);
  t.poll();
  t.close();
  q.close();
  appendFileSync(log, `${line(1)}\n`);
  renameSync(log, `${log}.1`);
  writeFileSync(log, `${line(2)}\n`);
  q = openQueue();
  t = new FileTailer({ path: log, dataset: 'linux.auth', format: 'text' }, q, host, 0);
  t.poll();
  t.poll();
  expect(drain(q)).toEqual([line(0), line(1), line(2)]);
  q.close();
});

test('a restart during the grace period keeps both files', () => {
  const log = join(dir, 'auth.log');
  writeFileSync(log, `${line(0)}\n`);
  let q = openQueue();
  let t = new FileTailer({ path: log, dataset: 'linux.auth', format: 'text' }, q, host, 60_000);
  t.poll();
  expect(drain(q)).toEqual([line(0)]);
  renameSync(log, `${log}.1`);
  writeFileSync(log, `${line(1)}\n`);
  t.poll();
  appendFileSync(log, `${line(2)}\n`);
  t.poll();
  expect(drain(q)).toEqual([line(1), line(2)]);
  t.close();
  q.close();
  appendFileSync(log, `${line(3)}\n`);
  appendFileSync(`${log}.1`, `${line(0.5)}\n`);
  q = openQueue();
  t = new FileTailer({ path: log, dataset: 'linux.auth', format: 'text' }, q, host, 60_000);
  t.poll();
  expect(drain(q).sort()).toEqual([line(0.5), line(3)].sort());
  appendFileSync(log, `${line(4)}\n`);
  t.poll();
  expect(drain(q)).toEqual([line(4)]);
  q.close();
});

test('a backlog is queued in bounded appends over several polls, each checkpointed, and resumes after a restart', () => {
  const log = join(dir, 'auth.log');
  // ~9 MB of sshd lines: more than one poll takes (4 MB), far more than one append (256 KB).
  const total = 80_000;
  const chunk: string[] = [];
  for (let i = 0; i < total; i++) chunk.push(line(i));
  writeFileSync(log, `${chunk.join('\n')}\n`);
  let q = openQueue();
  const appended: number[] = [];
  const spy = jest.spyOn(q, 'append').mockImplementation(function (this: DiskQueue, lines: readonly string[], markers?: Record<string, unknown>) {
    appended.push(lines.length);
    DiskQueue.prototype.append.call(this, lines, markers);
  });
  let t = new FileTailer({ path: log, dataset: 'linux.auth', format: 'text' }, q, host);
  const first = t.poll();
  expect(first).toBeGreaterThan(0);
  expect(first).toBeLessThan(total);
  // Each append holds about 256 KB of file text (a line is ~110 bytes), never the whole backlog.
  expect(Math.max(...appended)).toBeLessThanOrEqual(Math.ceil((256 * 1024) / 100));
  expect(appended.length).toBeGreaterThan(4);
  spy.mockRestore();
  // A restart between polls resumes at the last checkpoint: nothing repeated, nothing skipped.
  t.close();
  q.close();
  q = openQueue();
  t = new FileTailer({ path: log, dataset: 'linux.auth', format: 'text' }, q, host);
  let read = first;
  for (let polls = 0; polls < 10 && read < total; polls++) read += t.poll();
  expect(read).toBe(total);
  const messages = drain(q);
  expect(messages.length).toBe(total);
  expect(messages[0]).toBe(line(0));
  expect(messages[total - 1]).toBe(line(total - 1));
  expect(new Set(messages).size).toBe(total);
  q.close();
});

test('text lines carry the host time zone (event.timezone) for the server to read their header time', () => {
  const log = join(dir, 'auth.log');
  writeFileSync(log, `${line(0)}\n`);
  const q = openQueue();
  const t = new FileTailer({ path: log, dataset: 'agent.file', format: 'text' }, q, host);
  t.poll();
  const b = q.read(10, 1 << 20);
  const ev = JSON.parse(b?.lines[0] ?? '{}') as { event: { timezone: string; dataset: string }; log: { file: { path: string } } };
  expect(ev.event.timezone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  expect(ev.event.dataset).toBe('agent.file');
  expect(ev.log.file.path).toBe(log);
  q.close();
});
