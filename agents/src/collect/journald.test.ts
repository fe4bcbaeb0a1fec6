/**
 * journald entries as `journalctl -o json` prints them (testdata/, see its README: this machine has
 * no journal, so the live `journalctl` is replaced by a script that prints the recorded entries and
 * records the arguments it was started with).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskQueue } from '../queue/disk-queue';
import { journalEntryToEvent, JournaldReader } from './journald';

const SAMPLE = join(__dirname, 'testdata', 'journalctl-o-json.jsonl');
const entries = readFileSync(SAMPLE, 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('journalEntryToEvent', () => {
  it('maps an sshd entry to ECS with the time journald received it', () => {
    expect(journalEntryToEvent(entries[0])).toEqual({
      '@timestamp': '2026-11-27T01:04:05.123Z',
      message: 'Failed password for invalid user admin from 203.0.113.77 port 51514 ssh2',
      event: { kind: 'event', dataset: 'agent.journald' },
      process: { pid: 48213, name: 'sshd', executable: '/usr/sbin/sshd', command_line: 'sshd: admin [priv]', user: { id: '0' } },
      log: { level: 'informational', syslog: { severity: { code: 6, name: 'informational' }, facility: { code: 4 }, appname: 'sshd', procid: '48213' } },
      systemd: { unit: 'ssh.service', transport: 'syslog', slice: 'system.slice' },
      journald: { cursor: entries[0].__CURSOR, boot_id: '9f4c1a2b7d3e4f5a8b6c0d1e2f3a4b5c', host: 'web01' },
    });
  });

  it('keeps leading spaces of sudo messages and maps priority notice', () => {
    const e = journalEntryToEvent(entries[1]);
    expect(e.message).toBe('  deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/cat /etc/shadow');
    expect(e.log).toEqual({ level: 'notice', syslog: { severity: { code: 5, name: 'notice' }, facility: { code: 10 }, appname: 'sudo' } });
    expect(e.process).toMatchObject({ name: 'sudo', pid: 48390, user: { id: '1000' } });
    expect(e['@timestamp']).toBe('2026-11-27T01:04:07.469Z');
  });

  it('handles kernel entries without a process and messages journalctl printed as bytes', () => {
    const kernel = journalEntryToEvent(entries[2]);
    expect(kernel.process).toBeUndefined();
    expect(kernel.systemd).toEqual({ transport: 'kernel' });
    expect(String(kernel.message)).toContain('[UFW BLOCK] IN=eth0');
    const bytes = journalEntryToEvent(entries[3]);
    expect(bytes.message).toBe('Accepted publickey for deploy from 192.0.2.44 port 40022 ssh2: ED25519 SHA256:Zk3\ufffd');
  });
});

describe('JournaldReader', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'journald-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A journalctl stand-in: records its arguments, prints the sample and follows (sleeps) until stopped. */
  function fakeJournalctl(): string {
    const script = join(dir, 'journalctl');
    writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" >> '${join(dir, 'args')}'\necho --- >> '${join(dir, 'args')}'\ncat '${SAMPLE}'\nexec sleep 60\n`);
    chmodSync(script, 0o755);
    return script;
  }

  async function waitForLines(queue: DiskQueue, n: number): Promise<string[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const lines = queue.read(1000, 1 << 20)?.lines ?? [];
      if (lines.length >= n || Date.now() > deadline) return lines;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('queues every entry with its cursor and resumes after that cursor on the next start', async () => {
    const command = fakeJournalctl();
    const host = { name: 'web01', hostname: 'web01' };
    let queue = new DiskQueue({ dir: join(dir, 'queue'), maxBytes: 64 << 20, segmentBytes: 1 << 20 });
    const warnings: string[] = [];
    let reader = new JournaldReader(queue, host, ['_SYSTEMD_UNIT=ssh.service'], (m) => void warnings.push(m), command);
    reader.start();
    const lines = await waitForLines(queue, entries.length);
    reader.stop();
    expect(lines).toHaveLength(entries.length);
    const first = JSON.parse(lines[0]) as { '@timestamp': string; event: { id: string; dataset: string; module: string }; host: { name: string } };
    expect(first['@timestamp']).toBe('2026-11-27T01:04:05.123Z');
    expect(first.event).toMatchObject({ dataset: 'agent.journald', module: 'socnoc_agent' });
    expect(first.host.name).toBe('web01');
    expect(queue.marker('journald:cursor')).toBe(entries[entries.length - 1].__CURSOR);
    queue.close();

    // Restart: the cursor comes back from the queue, so journalctl resumes after the last queued entry.
    queue = new DiskQueue({ dir: join(dir, 'queue'), maxBytes: 64 << 20, segmentBytes: 1 << 20 });
    reader = new JournaldReader(queue, host, ['_SYSTEMD_UNIT=ssh.service'], (m) => void warnings.push(m), command);
    reader.start();
    await waitForLines(queue, entries.length * 2);
    reader.stop();
    queue.close();
    const runs = readFileSync(join(dir, 'args'), 'utf8').split('---\n').filter((r) => r !== '').map((r) => r.trim().split('\n'));
    expect(runs[0]).toEqual(['-o', 'json', '--follow', '--no-pager', '-n', '0', '_SYSTEMD_UNIT=ssh.service']);
    expect(runs[1]).toEqual(['-o', 'json', '--follow', '--no-pager', `--after-cursor=${String(entries[entries.length - 1].__CURSOR)}`, '_SYSTEMD_UNIT=ssh.service']);
    expect(warnings).toEqual([]);
  });

  it('reports a missing journalctl instead of failing', async () => {
    const queue = new DiskQueue({ dir: join(dir, 'queue'), maxBytes: 64 << 20, segmentBytes: 1 << 20 });
    const warnings: string[] = [];
    const reader = new JournaldReader(queue, { name: 'h', hostname: 'h' }, [], (m) => void warnings.push(m), join(dir, 'no-such-journalctl'));
    reader.start();
    const deadline = Date.now() + 5000;
    while (warnings.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    reader.stop();
    queue.close();
    expect(warnings[0]).toMatch(/^journalctl not started: spawn .*no-such-journalctl ENOENT$/);
  });
});
