/**
 * The agent channel's limits and liveness on a real HTTPS listener: oversized batches are refused
 * with 413, invalid events with 400 naming the line, a saturated ingest answers 429 + Retry-After (a
 * failing store 503 + Retry-After) and the agent's own sender backs off and later delivers everything
 * once; a quiet agent's events linger into few requests; agents that stop sending
 * heartbeats turn offline (an agent.status event) and online again when they come back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DiskQueue } from '../../agents/src/queue/disk-queue';
import { QueueSender } from '../../agents/src/sender';
import type { Reply } from '../../agents/src/transport';
import type { EcsEvent } from '../event';
import { request } from 'node:https';
import { enrollOverChannel, startInProcessAgentServer, type ChannelAgent, type InProcessAgentServer } from './testing/in-process';
import { waitFor } from './testing/harness';

let server: InProcessAgentServer;
let a1: ChannelAgent;
let a2: ChannelAgent;
const dirs: string[] = [];

const LIMITS = { maxCompressedBytes: 4096, maxBatchBytes: 16_384, maxEventsPerBatch: 5, maxEventBytes: 2048, maxConcurrentBatches: 1, retryAfterSeconds: 1 };

beforeAll(async () => {
  server = await startInProcessAgentServer({ ingest: LIMITS, offlineAfterHeartbeats: 3, defaultConfig: { heartbeatSeconds: 10 } });
  const token = (await import('./index')).createAgentToken;
  const t = await token(server.dir, { agency: 'hue-dost', uses: 2 }, server.db);
  a1 = await enrollOverChannel(server.url, t, 'hue-web-01');
  a2 = await enrollOverChannel(server.url, t, 'hue-db-01');
});

afterAll(async () => {
  a1?.client.close();
  a2?.client.close();
  await server?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function sshd(i: number, agent = 'web'): string {
  return JSON.stringify({
    '@timestamp': '2026-11-27T01:04:05.000Z',
    message: `Failed password for invalid user admin${i} from 203.0.113.${i % 250} port ${40000 + i} ssh2`,
    event: { id: `${agent}-${i}`, kind: 'event', dataset: 'linux.auth' },
  });
}

function post(agent: ChannelAgent, ndjson: string): Promise<Reply> {
  return agent.client.send({ method: 'POST', path: '/agent/v1/events', ndjson, gzip: true });
}

/** A body already gzip-compressed (a bomb, incompressible noise), sent as it is. */
function postGzipped(agent: ChannelAgent, body: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const req = request(
      {
        hostname: url.hostname,
        port: Number(url.port),
        method: 'POST',
        path: '/agent/v1/events',
        ca: agent.ca,
        checkServerIdentity: () => undefined,
        headers: { authorization: `Bearer ${agent.id}.${agent.secret}`, 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const agentIdOf = (e: EcsEvent): string | undefined => (e.agent as { id?: string } | undefined)?.id;
const message = (r: Reply): string => (JSON.parse(r.body.toString('utf8')) as { error: { message: string } }).error.message;

describe('ingest limits', () => {
  it('accepts a valid batch and stamps the agency and agent', async () => {
    const r = await post(a1, `${sshd(1)}\n${sshd(2)}\n`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.toString('utf8'))).toEqual({ accepted: 2 });
    const stored = server.stored.filter((e) => e.event.dataset === 'linux.auth');
    expect(stored.map((e) => e.event.id)).toEqual([`${a1.id}:web-1`, `${a1.id}:web-2`]);
    expect(stored[0]).toMatchObject({ organization: { id: 'hue-dost' }, agent: { id: a1.id, name: 'hue-web-01' }, host: { name: 'hue-web-01' } });
  });

  it('refuses oversized batches with 413 and says which limit', async () => {
    const tooMany = await post(a1, `${[1, 2, 3, 4, 5, 6].map((i) => sshd(i)).join('\n')}\n`);
    expect(tooMany.status).toBe(413);
    expect(message(tooMany)).toBe(`agent ${a1.id} batch: more than 5 events in one batch`);

    const longLine = JSON.stringify({ '@timestamp': '2026-11-27T01:04:05.000Z', message: 'x'.repeat(3000), event: { id: 'long' } });
    const tooLong = await post(a1, `${longLine}\n`);
    expect(tooLong.status).toBe(413);
    expect(message(tooLong)).toMatch(/line 1 is \d+ bytes, over the limit of 2048$/);

    // Incompressible bytes over the compressed-body limit: refused before they are read in full.
    const noise = await postGzipped(a1, gzipSync(randomBytes(8192), { level: 0 }));
    expect(noise.status).toBe(413);
    expect(message(noise)).toMatch(/body of \d+ bytes exceeds the limit of 4096/);

    // A gzip bomb: small on the wire, over maxBatchBytes once inflated.
    const bomb = gzipSync(Buffer.alloc(1024 * 1024, 0x61));
    expect(bomb.length).toBeLessThan(4096);
    const inflated = await postGzipped(a1, bomb);
    expect(inflated.status).toBe(413);
    expect(message(inflated)).toBe(`agent ${a1.id} batch: decompressed size exceeds 16384 bytes`);
  });

  it('refuses invalid events with 400 naming the line and the field', async () => {
    const noTime = await post(a1, `${sshd(7)}\n${JSON.stringify({ message: 'x', event: { id: 'e8' } })}\n`);
    expect(noTime.status).toBe(400);
    expect(message(noTime)).toBe(`agent ${a1.id} batch: line 2: @timestamp: Invalid input: expected string, received undefined`);
    const badTime = await post(a1, `${JSON.stringify({ '@timestamp': '27/11/2026 01:04', event: { id: 'e9' } })}\n`);
    expect(message(badTime)).toBe(`agent ${a1.id} batch: line 1: @timestamp: must be an ISO 8601 time with a zone`);
    const notJson = await post(a1, '{"@timestamp": \n');
    expect(notJson.status).toBe(400);
    expect(message(notJson)).toMatch(/^agent .* batch: line 1: not JSON: /);
    const notGzip = await a1.client.send({ method: 'POST', path: '/agent/v1/events', ndjson: 'plain', gzip: false });
    expect(notGzip.status).toBe(400);
    // Nothing of a refused batch is stored.
    expect(server.stored.some((e) => e.event.id === `${a1.id}:web-7`)).toBe(false);
  });
});

describe('saturated ingest', () => {
  it('answers 429 with Retry-After while storage is busy, keeping the connection; the agent backs off and then delivers every event once', async () => {
    server.holdStore();
    // Agent 1's batch takes the only ingest slot and waits on the store.
    const held = post(a1, `${sshd(100)}\n`);
    await new Promise((r) => setTimeout(r, 100));
    const busy = await post(a2, `${sshd(1, 'db')}\n`);
    expect(busy.status).toBe(429);
    expect(busy.headers['retry-after']).toBe('1');
    // The refused body was drained, so the agent's kept-alive TLS connection is reused, not re-handshaken.
    expect(busy.headers.connection).not.toBe('close');

    // Agent 2's real queue and sender, shipping 23 events in batches of 5.
    const dir = mkdtempSync(join(tmpdir(), 'agent-queue-'));
    dirs.push(dir);
    const queue = new DiskQueue({ dir, maxBytes: 64 << 20, segmentBytes: 1 << 20 });
    const lines = Array.from({ length: 23 }, (_, i) => sshd(i, 'db'));
    queue.append(lines);
    const logged: string[] = [];
    const sender = new QueueSender(queue, a2.client, { maxEvents: 5, maxBytes: 1 << 20 }, (_l, m) => void logged.push(m), (m) => {
      throw new Error(`refused: ${m}`);
    });
    sender.start();
    await new Promise((r) => setTimeout(r, 1500));
    expect(sender.stats.sentEvents).toBe(0);
    expect(sender.stats.failedAttempts).toBeGreaterThanOrEqual(1);
    expect(logged[0]).toMatch(/HTTP 429: .*server busy, retry later\); retry in \d+ ms/);
    // Retry-After is honoured: at most one retry per second while the slot stays taken.
    expect(sender.stats.failedAttempts).toBeLessThanOrEqual(2);

    server.releaseStore();
    expect((await held).status).toBe(200);
    const deadline = Date.now() + 15_000;
    while (sender.stats.sentEvents < 23 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await sender.stop();
    queue.close();
    const fromA2 = server.stored.filter((e) => agentIdOf(e) === a2.id && e.event.dataset === 'linux.auth').map((e) => e.event.id);
    expect(fromA2).toEqual(lines.map((_, i) => `${a2.id}:db-${i}`));
    expect(server.service.stats.batchesDeferred).toBeGreaterThanOrEqual(2);
    const scraped = await server.metrics.registry.metrics();
    expect(scraped).toMatch(/socnoc_agents_batches_deferred_total \d+/);
  });
});

describe('bytes in flight', () => {
  it('refuses with 429 a batch whose bytes would take the batches in progress over maxInFlightBytes; a batch that fits passes', async () => {
    const own = await startInProcessAgentServer({ ingest: { maxConcurrentBatches: 8, maxInFlightBytes: 1024 * 1024, retryAfterSeconds: 1 } });
    try {
      const t = await (await import('./index')).createAgentToken(own.dir, { agency: 'hue-dost', uses: 1 }, own.db);
      const a = await enrollOverChannel(own.url, t, 'hue-log-01');
      // ~2 KB sshd events (long messages, as a verbose PAM conversation writes), highly compressible on the wire.
      const batch = (tag: string, n: number): string => `${Array.from({ length: n }, (_, i) => JSON.stringify({ '@timestamp': '2026-11-27T01:04:05.000Z', message: `Failed password for admin from 203.0.113.9 port 4000 ssh2 ${'x'.repeat(1900)}`, event: { id: `${tag}-${i}` } })).join('\n')}\n`;
      own.holdStore();
      const big = post(a, batch('big', 350)); // ~700 KB decompressed, held in the store
      await new Promise((r) => setTimeout(r, 200));
      const over = await post(a, batch('over', 250)); // +500 KB > 1 MB
      expect(over.status).toBe(429);
      expect(over.headers['retry-after']).toBe('1');
      expect(message(over)).toMatch(/server busy \(\d+ bytes of batches in progress\), retry later$/);
      const fits = post(a, batch('fits', 100)); // +200 KB: fits beside the held one
      await new Promise((r) => setTimeout(r, 200));
      own.releaseStore();
      expect((await big).status).toBe(200);
      expect((await fits).status).toBe(200);
      expect((await post(a, batch('over', 250))).status).toBe(200);
      const ids = own.stored.map((e) => e.event.id.slice(a.id.length + 1));
      expect(ids.filter((id) => id.startsWith('over-'))).toHaveLength(250);
      expect(ids.filter((id) => id.startsWith('big-'))).toHaveLength(350);
      a.client.close();
    } finally {
      await own.close();
    }
  });
});

describe('storage failure', () => {
  it('answers 503 with Retry-After when the store fails, stores nothing of the batch, and the agent delivers it once the store is back', async () => {
    server.failStore();
    const refused = await post(a1, `${sshd(300)}\n`);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(message(refused)).toBe(`agent ${a1.id} batch: storage unavailable, retry later`);

    const dir = mkdtempSync(join(tmpdir(), 'agent-queue-'));
    dirs.push(dir);
    const queue = new DiskQueue({ dir, maxBytes: 64 << 20, segmentBytes: 1 << 20 });
    const lines = Array.from({ length: 3 }, (_, i) => sshd(400 + i));
    queue.append(lines);
    const sender = new QueueSender(queue, a1.client, { maxEvents: 5, maxBytes: 1 << 20 }, () => undefined, (m) => {
      throw new Error(`refused: ${m}`);
    });
    sender.start();
    await new Promise((r) => setTimeout(r, 700));
    expect(sender.stats.lastError).toMatch(/HTTP 503: .*storage unavailable/);
    server.failStore(false);
    const deadline = Date.now() + 10_000;
    while (sender.stats.sentEvents < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await sender.stop();
    queue.close();
    const ids = server.stored.map((e) => e.event.id).filter((id) => /:web-(300|40\d)$/.test(id));
    expect(ids).toEqual(lines.map((_, i) => `${a1.id}:web-${400 + i}`));
  });
});

describe('batching', () => {
  it('lingers a batch that is not full, so events queued one at a time go out in a few requests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-queue-'));
    dirs.push(dir);
    const queue = new DiskQueue({ dir, maxBytes: 64 << 20, segmentBytes: 1 << 20 });
    const batchesBefore = server.service.stats.batches;
    const sender = new QueueSender(queue, a1.client, { maxEvents: 5, maxBytes: 1 << 20, lingerMs: 300 }, () => undefined, (m) => {
      throw new Error(`refused: ${m}`);
    });
    sender.start();
    // Four events 40 ms apart (one append each, as a tailer polling a quiet log would queue them).
    for (let i = 0; i < 4; i++) {
      queue.append([sshd(500 + i)]);
      await new Promise((r) => setTimeout(r, 40));
    }
    const deadline = Date.now() + 5000;
    while (sender.stats.sentEvents < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await sender.stop();
    queue.close();
    expect(sender.stats.sentEvents).toBe(4);
    expect(sender.stats.sentBatches).toBe(1);
    expect(server.service.stats.batches - batchesBefore).toBe(1);
  });

  it('sends a full batch at once, without lingering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-queue-'));
    dirs.push(dir);
    const queue = new DiskQueue({ dir, maxBytes: 64 << 20, segmentBytes: 1 << 20 });
    queue.append(Array.from({ length: 5 }, (_, i) => sshd(600 + i)));
    const sender = new QueueSender(queue, a1.client, { maxEvents: 5, maxBytes: 1 << 20, lingerMs: 5000 }, () => undefined, (m) => {
      throw new Error(`refused: ${m}`);
    });
    const started = Date.now();
    sender.start();
    while (sender.stats.sentEvents < 5 && Date.now() - started < 4000) await new Promise((r) => setTimeout(r, 20));
    const took = Date.now() - started;
    await sender.stop();
    queue.close();
    expect(sender.stats.sentEvents).toBe(5);
    expect(took).toBeLessThan(4000);
  });
});

describe('liveness', () => {
  const heartbeat = (a: ChannelAgent, hostname: string): Promise<unknown> => a.client.json({ method: 'POST', path: '/agent/v1/heartbeat', body: { hostname, version: '0.1.0', stats: { queue_pending_bytes: 0 } } });
  const statusEvents = (agentId: string): string[] => server.stored.filter((e) => e.event.dataset === 'agent.status' && agentIdOf(e) === agentId).map((e) => String(e.event.action));

  it('turns an agent offline after the missed heartbeats, with an agent.status event, and online when it returns', async () => {
    await heartbeat(a1, 'hue-web-01');
    await heartbeat(a2, 'hue-db-01');
    await server.service.sweep();
    expect(statusEvents(a1.id)).toEqual(['agent-enrolled']);

    // Two intervals late is not yet offline; more than three is.
    server.advance(25_000);
    await heartbeat(a2, 'hue-db-01');
    await server.service.sweep();
    expect(server.service.registry.get(a1.id)?.status).toBe('online');
    server.advance(6_000);
    await server.service.sweep();
    expect(server.service.registry.get(a1.id)?.status).toBe('offline');
    expect(server.service.registry.get(a2.id)?.status).toBe('online');
    expect(statusEvents(a1.id)).toEqual(['agent-enrolled', 'agent-offline']);
    const offline = server.stored.find((e) => e.event.action === 'agent-offline' && agentIdOf(e) === a1.id);
    expect(offline).toMatchObject({ event: { kind: 'state', severity: 5, module: 'socnoc_agent' }, organization: { id: 'hue-dost' }, host: { name: 'hue-web-01' }, labels: { agent_status: 'offline' } });
    expect(offline?.message).toContain('offline: no heartbeat');

    // A second sweep reports nothing new.
    await server.service.sweep();
    expect(statusEvents(a1.id)).toEqual(['agent-enrolled', 'agent-offline']);
    // The status is written to the database, not only kept in memory.
    expect((server.db.prepare('SELECT status FROM agents WHERE id = ?').get(a1.id) as { status: string }).status).toBe('offline');

    await heartbeat(a1, 'hue-web-01');
    expect(server.service.registry.get(a1.id)?.status).toBe('online');
    // The online event is published with others in a batch, not before the heartbeat is answered.
    await waitFor('agent-online event', () => (statusEvents(a1.id).length === 3 ? true : undefined));
    expect(statusEvents(a1.id)).toEqual(['agent-enrolled', 'agent-offline', 'agent-online']);
  });
});
