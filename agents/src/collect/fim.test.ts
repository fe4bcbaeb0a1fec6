import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { DiskQueue } from '../queue/disk-queue';
import { FileIntegrityMonitor } from './fim';

let dir: string;
let watched: string;
let queueDir: string;
let baselineFile: string;
const host = { name: 'web01', hostname: 'web01' };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fim-'));
  watched = join(dir, 'etc');
  mkdirSync(watched);
  queueDir = join(dir, 'queue');
  baselineFile = join(dir, 'fim-baseline.json');
  writeFileSync(join(watched, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n');
  writeFileSync(join(watched, 'sudoers'), 'root ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface FimEventJson {
  event: { action: string; id: string };
  file: { path: string; hash?: { sha256: string }; mode?: string };
  fim?: { previous: { hash: { sha256: string } }; changes: string[] };
}

function openQueue(): DiskQueue {
  return new DiskQueue({ dir: queueDir, maxBytes: 64 << 20, segmentBytes: 1 << 20 });
}

function monitor(queue: DiskQueue): FileIntegrityMonitor {
  return new FileIntegrityMonitor({ paths: [watched], maxFileBytes: 1 << 20, watch: false, baselineFile }, queue, host, () => undefined, (m) => {
    throw new Error(m);
  });
}

/** Every event still queued (nothing is acknowledged in these tests). */
function queued(queue: DiskQueue): FimEventJson[] {
  return (queue.read(10_000, 64 << 20)?.lines ?? []).map((l) => JSON.parse(l) as FimEventJson);
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

test('the first scan records a baseline silently; later scans report each kind of change once', async () => {
  const queue = openQueue();
  const fim = monitor(queue);
  await fim.scan();
  expect(queued(queue)).toEqual([]);

  const passwd = join(watched, 'passwd');
  const before = readFileSync(passwd, 'utf8');
  const after = `${before}backdoor:x:0:0::/root:/bin/bash\n`;
  writeFileSync(passwd, after);
  chmodSync(join(watched, 'sudoers'), 0o666);
  writeFileSync(join(watched, 'shadow'), 'root:$y$j9T$abc$def:19700:0:99999:7:::\n');
  await fim.scan();
  await fim.scan(); // nothing new: nothing more reported
  const events = queued(queue);
  expect(events.map((e) => `${e.event.action} ${e.file.path}`).sort()).toEqual([
    `file-created ${join(watched, 'shadow')}`,
    `file-modified ${passwd}`,
    `file-permissions-changed ${join(watched, 'sudoers')}`,
  ]);
  const modified = events.find((e) => e.event.action === 'file-modified');
  expect(modified?.fim?.previous.hash.sha256).toBe(sha(before));
  expect(modified?.file.hash?.sha256).toBe(sha(after));
  expect(events.find((e) => e.event.action === 'file-permissions-changed')?.file.mode).toBe('0666');

  unlinkSync(join(watched, 'shadow'));
  await fim.scan();
  expect(queued(queue).slice(3).map((e) => `${e.event.action} ${e.file.path}`)).toEqual([`file-deleted ${join(watched, 'shadow')}`]);
  fim.close();
  queue.close();
});

test('a crash between queueing a change and saving the baseline does not report the change twice', async () => {
  let queue = openQueue();
  let fim = monitor(queue);
  await fim.scan();
  const oldBaseline = readFileSync(baselineFile, 'utf8');
  writeFileSync(join(watched, 'sudoers'), 'root ALL=(ALL:ALL) ALL\nattacker ALL=(ALL) NOPASSWD: ALL\n');
  await fim.scan();
  expect(queued(queue).map((e) => e.event.action)).toEqual(['file-modified']);
  fim.close();
  queue.close();
  // The crash: the queue append (one fsync with the baseline marker) happened, the baseline file write did not.
  writeFileSync(baselineFile, oldBaseline);

  queue = openQueue();
  fim = monitor(queue);
  await fim.scan();
  expect(queued(queue).map((e) => e.event.action)).toEqual(['file-modified']);
  // The restored baseline is the new content: a further change is compared with it.
  writeFileSync(join(watched, 'sudoers'), 'root ALL=(ALL:ALL) ALL\n');
  await fim.scan();
  const events = queued(queue);
  expect(events.map((e) => e.event.action)).toEqual(['file-modified', 'file-modified']);
  expect(events[1].fim?.previous.hash.sha256).toBe(sha('root ALL=(ALL:ALL) ALL\nattacker ALL=(ALL) NOPASSWD: ALL\n'));
  fim.close();
  queue.close();
});

test('a baseline written before generations existed (a bare path map) still loads', async () => {
  const queue = openQueue();
  let fim = monitor(queue);
  await fim.scan();
  const saved = JSON.parse(readFileSync(baselineFile, 'utf8')) as { generation: number; files: Record<string, unknown> };
  writeFileSync(baselineFile, JSON.stringify(saved.files));
  fim.close();
  fim = monitor(queue);
  await fim.scan();
  expect(queued(queue)).toEqual([]);
  writeFileSync(join(watched, 'passwd'), 'root:x:0:0::/root:/bin/bash\n');
  await fim.scan();
  expect(queued(queue).map((e) => e.event.action)).toEqual(['file-modified']);
  fim.close();
  queue.close();
});
