/**
 * What keeps a 10,000-agent fleet cheap on the server: status events coalesced into one bus batch,
 * command long polls answered without SQLite when the agent has no command, and the YARA folder
 * looked at once per interval rather than once per heartbeat.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcsEvent } from '../event';
import { openSqlite, type SqliteDb } from '../store/sqlite';
import { CommandQueue } from './commands';
import { PublishCoalescer } from './publish-coalescer';
import { AgentRegistry, type AgentRecord } from './registry';
import { migrateAgentTables } from './schema';
import { StatusEventBatcher } from './status-events';
import { YaraRuleFolder } from './yara-rules';

let dir: string;
let db: SqliteDb;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'socnoc-agent-fleet-'));
  db = openSqlite(join(dir, 'socnoc.db'));
  migrateAgentTables(db);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function agent(id: string): AgentRecord {
  return { id, agency: 'hanoi-doh', group: '', hostname: `hn-pc-${id}`, version: '0.1.0', os: {}, secretHash: Buffer.alloc(32), enrolledAt: 0, lastSeen: 0, status: 'online', address: '10.1.2.3', revokedAt: null, revokedBy: null, stats: {} };
}

describe('StatusEventBatcher', () => {
  it('publishes a burst of status changes as one batch after the linger, in order', async () => {
    const batches: EcsEvent[][] = [];
    const batcher = new StatusEventBatcher(async (events) => void batches.push(events), () => undefined, () => Date.UTC(2026, 10, 27, 1, 4, 5), 30);
    for (let i = 0; i < 1000; i++) batcher.add(agent(`a${i}`), 'agent-online');
    expect(batches).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(1000);
    expect(batches[0][0]).toMatchObject({ event: { action: 'agent-online', dataset: 'agent.status' }, agent: { id: 'a0' }, organization: { id: 'hanoi-doh' } });
    expect(batches[0][999].agent).toMatchObject({ id: 'a999' });
  });

  it('flush() publishes at once, waits for a flush in progress, and reports a failed publish without throwing', async () => {
    const published: string[] = [];
    const errors: number[] = [];
    const batcher = new StatusEventBatcher(
      async (events) => {
        await new Promise((r) => setTimeout(r, 20));
        if (events.some((e) => e.event.action === 'agent-offline')) throw new Error('store unavailable');
        for (const e of events) published.push(String(e.event.action));
      },
      (_err, count) => errors.push(count),
      Date.now,
      10_000,
    );
    batcher.add(agent('x'), 'agent-offline');
    batcher.add(agent('y'), 'agent-offline');
    const first = batcher.flush();
    batcher.add(agent('z'), 'agent-online');
    await batcher.flush();
    await first;
    // The first batch failed (counted, not thrown); the second was published after it, alone.
    expect(errors).toEqual([2]);
    expect(published).toEqual(['agent-online']);
  });
});

describe('CommandQueue long polls', () => {
  it('answers an agent without commands from memory and still delivers a new, a pending and a redelivered command', () => {
    let now = 1_000_000;
    const q = new CommandQueue(db, { now: () => now, redeliverAfterMs: 60_000 });
    const a = agent('a1');
    // Every statement would show up here; none runs for an agent with nothing open.
    const prepare = jest.spyOn(db, 'prepare');
    expect(q.takeForAgent('a1')).toEqual([]);
    expect(prepare).not.toHaveBeenCalled();
    prepare.mockRestore();

    const cmd = q.create(a, 'file_hash', { path: '/etc/passwd' }, 'analyst.hn');
    expect(q.takeForAgent('a1').map((c) => c.id)).toEqual([cmd.id]);
    // Delivered, unanswered: not again before redeliverAfterMs, again after it (the agent may have died mid-way).
    expect(q.takeForAgent('a1')).toEqual([]);
    now += 61_000;
    expect(q.takeForAgent('a1').map((c) => c.id)).toEqual([cmd.id]);
    expect(q.complete('a1', cmd.id, true, { sha256: 'ab' })?.status).toBe('succeeded');
    const prepareAfter = jest.spyOn(db, 'prepare');
    expect(q.takeForAgent('a1')).toEqual([]);
    expect(prepareAfter).not.toHaveBeenCalled();
    prepareAfter.mockRestore();
  });

  it('a restarted server still delivers commands queued before the restart', () => {
    const before = new CommandQueue(db);
    const cmd = before.create(agent('a2'), 'isolate', {}, 'playbook:contain');
    const after = new CommandQueue(db);
    expect(after.takeForAgent('a2').map((c) => c.id)).toEqual([cmd.id]);
  });
});

describe('YaraRuleFolder', () => {
  it('looks at the folder at most once per interval and sees a changed rule after it', () => {
    let now = 0;
    const rules = join(dir, 'rules');
    mkdirSync(rules);
    writeFileSync(join(rules, 'eicar.yar'), 'rule eicar { strings: $a = "EICAR-STANDARD-ANTIVIRUS-TEST-FILE" condition: $a }\n');
    const folder = new YaraRuleFolder(rules, 5000, () => now);
    const v1 = folder.get().version;
    expect(v1).not.toBe('none');
    writeFileSync(join(rules, 'webshell.yar'), 'rule php_eval { strings: $a = "eval($_POST" condition: $a }\n');
    now += 4000;
    expect(folder.get().version).toBe(v1);
    now += 1001;
    const v2 = folder.get();
    expect(v2.version).not.toBe(v1);
    expect(v2.files.map((f) => f.name)).toEqual(['eicar.yar', 'webshell.yar']);
  });
});

describe('AgentRegistry.flushGradually', () => {
  it('writes every heartbeat-changed agent, in chunks with the event loop free between them', async () => {
    let now = 1_000;
    const registry = new AgentRegistry(db, () => now);
    const ids: string[] = [];
    for (let i = 0; i < 1200; i++) ids.push(registry.enroll({ agency: 'hue-dost', group: '', hostname: `hue-pc-${i}`, version: '0.1.0', os: {}, address: '10.0.0.1', tokenId: 't' }).id);
    now = 31_000;
    for (const id of ids) {
      const rec = registry.get(id) as AgentRecord;
      registry.touch(rec, '10.0.0.2');
      registry.updateFromHeartbeat(rec, { version: '0.1.1', hostname: rec.hostname, stats: { sent_events: 7 } });
    }
    let ranBetween = 0;
    const flushing = registry.flushGradually(500);
    setImmediate(() => ranBetween++);
    await flushing;
    // 1,200 rows in chunks of 500: the loop ran other work before the last chunk.
    expect(ranBetween).toBe(1);
    const rows = db.prepare("SELECT COUNT(*) AS n FROM agents WHERE last_seen = 31000 AND version = '0.1.1' AND address = '10.0.0.2' AND stats = '{\"sent_events\":7}'").get() as { n: number };
    expect(rows.n).toBe(1200);
    // Nothing left to write.
    const prepare = jest.spyOn(db, 'prepare');
    await registry.flushGradually();
    expect(prepare).not.toHaveBeenCalled();
    prepare.mockRestore();
  });
});

describe('PublishCoalescer', () => {
  const ev = (id: string): EcsEvent => ({ '@timestamp': '2026-11-27T01:04:05.000Z', event: { id } }) as EcsEvent;

  it('publishes at once when idle, groups the batches that arrive meanwhile, and answers each when its group is published', async () => {
    const published: string[][] = [];
    const releases: Array<() => void> = [];
    const c = new PublishCoalescer(
      (events) => {
        published.push(events.map((e) => String(e.event.id)));
        return new Promise<void>((r) => releases.push(r));
      },
      1,
    );
    const done: string[] = [];
    const first = c.submit([ev('a1')]).then(() => done.push('a'));
    const second = c.submit([ev('b1'), ev('b2')]).then(() => done.push('b'));
    const third = c.submit([ev('c1')]).then(() => done.push('c'));
    await new Promise((r) => setImmediate(r));
    // The first went alone; the two that came while it was being stored wait as one group.
    expect(published).toEqual([['a1']]);
    releases[0]();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(published).toEqual([['a1'], ['b1', 'b2', 'c1']]);
    expect(done).toEqual(['a']);
    releases[1]();
    await Promise.all([second, third]);
    expect(done).toEqual(['a', 'b', 'c']);
  });

  it('fails every batch of a group whose publish failed, and goes on with the next group', async () => {
    let calls = 0;
    const c = new PublishCoalescer(async (events) => {
      calls++;
      await new Promise((r) => setTimeout(r, 10));
      if (events.some((e) => e.event.id === 'bad')) throw new Error('event store: disk full');
    }, 1);
    const ok = c.submit([ev('x')]);
    const failing = [c.submit([ev('bad')]), c.submit([ev('y')])];
    await expect(ok).resolves.toBeUndefined();
    await expect(failing[0]).rejects.toThrow('disk full');
    await expect(failing[1]).rejects.toThrow('disk full');
    await expect(c.submit([ev('z')])).resolves.toBeUndefined();
    expect(calls).toBe(3);
  });

  it('starts a new group past maxEvents', async () => {
    const sizes: number[] = [];
    let release: () => void = () => undefined;
    const c = new PublishCoalescer(
      (events) => {
        sizes.push(events.length);
        return sizes.length === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
      },
      1,
      3,
    );
    const all = [c.submit([ev('1')]), c.submit([ev('2'), ev('3')]), c.submit([ev('4')]), c.submit([ev('5'), ev('6')])];
    await new Promise((r) => setImmediate(r));
    expect(c.pendingGroups).toBe(2);
    release();
    await Promise.all(all);
    expect(sizes).toEqual([1, 3, 2]);
  });
});
