/**
 * The agent channel: a dedicated HTTPS listener (TLS 1.2+) that only agents talk to. Plain
 * node:https with a small route table rather than express: it serves thousands of heartbeats and
 * batches a second and never shares middleware with the user API. Every request but `ca` and
 * `enroll` carries `Authorization: Bearer <agent id>.<secret>`, checked against the registry.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { EventBus } from '../bus';
import type { EcsEvent } from '../event';
import type { AgentConfigStore } from './config-store';
import type { CommandQueue } from './commands';
import { EnrollmentTokenError, type EnrollmentTokenStore } from './enrollment-tokens';
import { gunzipBounded, IngestError, parseEventLines, stampAgentEvents } from './ingest';
import type { AgentsConfig } from './config';
import type { AgentServerStats } from './metrics';
import type { AgentPki } from './pki';
import type { AgentRecord, AgentRegistry } from './registry';
import { PublishCoalescer } from './publish-coalescer';
import { agentStatusEvent, StatusEventBatcher } from './status-events';
import { commandResultSchema, enrollBodySchema, heartbeatBodySchema, inventorySchema } from './wire';
import type { YaraRuleFolder } from './yara-rules';
import type { AgentAuditSink } from './audit';

export interface AgentChannelDeps {
  config: AgentsConfig;
  pki: AgentPki;
  registry: AgentRegistry;
  tokens: EnrollmentTokenStore;
  configs: AgentConfigStore;
  commands: CommandQueue;
  yaraRules: YaraRuleFolder;
  bus: EventBus;
  stats: AgentServerStats;
  logger: Logger;
  audit?: AgentAuditSink;
  /** Applied to every stamped event before it is published (app/ maps agent log lines like syslog). */
  normalize?: AgentEventNormalizer;
  now: () => number;
}

/** Refines one stamped agent event; returns the event to publish (the same object or a new one). Must not throw. */
export type AgentEventNormalizer = (event: EcsEvent) => EcsEvent;

class ChannelError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const SMALL_BODY = 1024 * 1024;

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

/**
 * Reads and discards a request body, then resolves: a refusal answered before the body was read
 * would otherwise have to close the connection, and thousands of agents reconnecting with new TLS
 * handshakes is the load the refusal is meant to shed.
 */
function discardBody(req: IncomingMessage): Promise<void> {
  if (req.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    req.on('end', resolve);
    req.on('error', () => resolve());
    req.resume();
  });
}

/** Reads the whole body up to `limit` bytes; over it, answers 413 and closes the connection. */
function readBody(req: IncomingMessage, limit: number, what: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.reject(new ChannelError(413, `${what}: body of ${declared} bytes exceeds the limit of ${limit}`, { connection: 'close' }));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(new ChannelError(413, `${what}: body exceeds the limit of ${limit} bytes`, { connection: 'close' }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

async function readJson<T>(req: IncomingMessage, schema: ZodType<T>, limit: number, what: string): Promise<T> {
  let body = await readBody(req, limit, what);
  if (req.headers['content-encoding'] === 'gzip') body = gunzipBounded(body, limit * 4, what);
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new ChannelError(400, `${what}: body is not JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChannelError(400, `${what}: ${issue.path.map(String).join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
}

function peerAddress(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? '';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

export class AgentChannel {
  private server: Server | undefined;
  private ingestInFlight = 0;
  /** Decompressed NDJSON bytes of the batches being parsed and stored (the memory they hold). */
  private ingestBytesInFlight = 0;
  private readonly pollAborts = new Set<() => void>();
  /** agent-online and agent-offline events, published in batches (see StatusEventBatcher). */
  readonly statusBatch: StatusEventBatcher;
  /** Agent batches published to the bus in groups (one store commit for many small batches). */
  private readonly batches: PublishCoalescer;

  constructor(private readonly deps: AgentChannelDeps) {
    this.batches = new PublishCoalescer((events) => deps.bus.publish('events', events));
    this.statusBatch = new StatusEventBatcher(
      (events) => deps.bus.publish('events', events),
      (err, count) => deps.logger.warn({ err, count }, 'agent status events not published'),
      deps.now,
    );
  }

  get inFlight(): number {
    return this.ingestInFlight;
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    const { pki } = this.deps;
    const server = createServer(
      {
        // The CA travels in the chain so that an agent can pin it.
        cert: `${pki.cert.trimEnd()}\n${pki.caCert.trimEnd()}\n`,
        key: pki.key,
        minVersion: 'TLSv1.2',
        keepAliveTimeout: 120_000,
        requestTimeout: 0,
      },
      (req, res) => {
        this.route(req, res).catch((err: unknown) => this.fail(req, res, err));
      },
    );
    server.headersTimeout = 30_000;
    const stats = this.deps.stats;
    server.on('connection', (socket: Socket) => {
      stats.connections++;
      socket.once('close', () => stats.connections--);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(server.address() as AddressInfo);
      });
    });
  }

  async close(): Promise<void> {
    for (const abort of [...this.pollAborts]) abort();
    await this.statusBatch.flush();
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 2000).unref();
    });
  }

  private fail(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    if (err instanceof ChannelError || err instanceof IngestError) {
      const headers = err instanceof ChannelError ? err.headers : err.status === 413 ? { connection: 'close' } : {};
      send(res, err.status, { error: { message: err.message } }, headers);
      return;
    }
    this.deps.logger.error({ err, url: req.url }, 'agent channel request failed');
    send(res, 500, { error: { message: 'internal error' } });
  }

  private authenticate(req: IncomingMessage): AgentRecord {
    const auth = req.headers.authorization;
    if (auth === undefined || !auth.startsWith('Bearer ')) throw new ChannelError(401, 'agent credentials required (Authorization: Bearer <agent id>.<secret>)');
    const found = this.deps.registry.authenticate(auth.slice(7));
    if (found === 'unknown') throw new ChannelError(401, 'unknown agent or wrong secret');
    if (found === 'revoked') throw new ChannelError(403, 'agent revoked');
    return found;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/agent/v1/ca') {
      res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(this.deps.pki.caCert);
      return;
    }
    if (method === 'POST' && path === '/agent/v1/enroll') return this.enroll(req, res);
    const agent = this.authenticate(req);
    if (this.deps.registry.touch(agent, peerAddress(req))) this.statusBatch.add(agent, 'agent-online');
    if (method === 'POST' && path === '/agent/v1/events') return this.ingest(req, res, agent);
    if (method === 'POST' && path === '/agent/v1/heartbeat') return this.heartbeat(req, res, agent);
    if (method === 'GET' && path === '/agent/v1/config') {
      const eff = this.deps.configs.effective(agent.agency, agent.group);
      send(res, 200, { version: eff.version, config: eff.config });
      return;
    }
    if (method === 'GET' && path === '/agent/v1/yara-rules') {
      send(res, 200, this.deps.yaraRules.get());
      return;
    }
    if (method === 'POST' && path === '/agent/v1/inventory') {
      const inventory = await readJson(req, inventorySchema, SMALL_BODY * 8, `agent ${agent.id} inventory`);
      this.deps.registry.setInventory(agent, inventory);
      send(res, 204);
      return;
    }
    if (method === 'GET' && path === '/agent/v1/commands') return this.pollCommands(res, agent, q < 0 ? '' : url.slice(q + 1));
    const m = /^\/agent\/v1\/commands\/([0-9a-f-]{36})\/result$/.exec(path);
    if (method === 'POST' && m !== null) {
      const body = await readJson(req, commandResultSchema, 64 * 1024 * 1024, `agent ${agent.id} command ${m[1]} result`);
      const done = this.deps.commands.complete(agent.id, m[1], body.ok, body.result);
      if (done !== undefined) {
        this.deps.audit?.append({ actor: `agent:${agent.id}`, action: 'agent.command.completed', organization: agent.agency, target: done.id, details: { type: done.type, ok: body.ok } });
      }
      send(res, 204);
      return;
    }
    throw new ChannelError(404, `${method} ${path}: no such agent endpoint`);
  }

  private async enroll(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req, enrollBodySchema, SMALL_BODY, 'enrolment');
    let grant;
    try {
      grant = this.deps.tokens.consume(body.token);
    } catch (err) {
      if (err instanceof EnrollmentTokenError) {
        this.deps.stats.enrollmentsRefused++;
        throw new ChannelError(403, `enrolment refused: ${err.message}`);
      }
      throw err;
    }
    const { id, secret } = this.deps.registry.enroll({
      agency: grant.agency,
      group: grant.group,
      hostname: body.hostname,
      version: body.version,
      os: body.os,
      address: peerAddress(req),
      tokenId: grant.id,
    });
    this.deps.stats.enrollments++;
    const agent = this.deps.registry.get(id) as AgentRecord;
    this.deps.audit?.append({ actor: `token:${grant.id}`, action: 'agent.enrolled', organization: grant.agency, target: id, details: { hostname: body.hostname } });
    await this.publishStatus(agent, 'agent-enrolled');
    const eff = this.deps.configs.effective(grant.agency, grant.group);
    send(res, 200, { agent_id: id, secret, organization: { id: grant.agency }, group: grant.group, config: eff });
  }

  private async heartbeat(req: IncomingMessage, res: ServerResponse, agent: AgentRecord): Promise<void> {
    const hb = await readJson(req, heartbeatBodySchema, SMALL_BODY, `agent ${agent.id} heartbeat`);
    this.deps.registry.updateFromHeartbeat(agent, hb);
    this.deps.stats.heartbeats++;
    const eff = this.deps.configs.effective(agent.agency, agent.group);
    send(res, 200, { config_version: eff.version, rules_version: this.deps.yaraRules.get().version, server_time: new Date(this.deps.now()).toISOString() });
  }

  private async ingest(req: IncomingMessage, res: ServerResponse, agent: AgentRecord): Promise<void> {
    const limits = this.deps.config.ingest;
    const what = `agent ${agent.id} batch`;
    if (this.ingestInFlight >= limits.maxConcurrentBatches) {
      // Backpressure: 429 (load, RFC 6585), kept distinct from 503 (storage failing). The agent keeps
      // the batch on disk and retries after the pause; the body is drained (it is at most
      // maxCompressedBytes) so the connection stays open.
      this.deps.stats.batchesDeferred++;
      const declared = Number(req.headers['content-length'] ?? '0');
      if (declared > limits.maxCompressedBytes) throw new ChannelError(413, `${what}: body of ${declared} bytes exceeds the limit of ${limits.maxCompressedBytes}`, { connection: 'close' });
      await discardBody(req);
      throw new ChannelError(429, `${what}: server busy, retry later`, { 'retry-after': String(limits.retryAfterSeconds) });
    }
    this.ingestInFlight++;
    try {
      const raw = await readBody(req, limits.maxCompressedBytes, what);
      const ndjson = req.headers['content-encoding'] === 'gzip' ? gunzipBounded(raw, limits.maxBatchBytes, what) : raw;
      if (ndjson.length > limits.maxBatchBytes) throw new IngestError(413, `${what}: ${ndjson.length} bytes exceeds the limit of ${limits.maxBatchBytes}`);
      // Memory bound: many small batches pass the count limit; their bytes together must fit too
      // (one batch alone always may, whatever its size under maxBatchBytes).
      if (this.ingestBytesInFlight > 0 && this.ingestBytesInFlight + ndjson.length > limits.maxInFlightBytes) {
        this.deps.stats.batchesDeferred++;
        throw new ChannelError(429, `${what}: server busy (${this.ingestBytesInFlight} bytes of batches in progress), retry later`, { 'retry-after': String(limits.retryAfterSeconds) });
      }
      this.ingestBytesInFlight += ndjson.length;
      try {
        await this.storeBatch(ndjson, agent, what, res);
      } finally {
        this.ingestBytesInFlight -= ndjson.length;
      }
    } finally {
      this.ingestInFlight--;
    }
  }

  /** Parses, stamps, normalizes and publishes one batch; answers 200 once the bus (the store) acknowledged it. */
  private async storeBatch(ndjson: Buffer, agent: AgentRecord, what: string, res: ServerResponse): Promise<void> {
    const limits = this.deps.config.ingest;
    let events;
    try {
      events = parseEventLines(ndjson, limits, what);
    } catch (err) {
      this.deps.stats.batchesRejected++;
      throw err;
    }
    const stamped = stampAgentEvents(events, agent, new Date(this.deps.now()).toISOString());
    const normalize = this.deps.normalize;
    if (normalize !== undefined) for (let i = 0; i < stamped.length; i++) stamped[i] = normalize(stamped[i]);
    this.deps.stats.input.received += stamped.length;
    try {
      await this.batches.submit(stamped);
    } catch (err) {
      this.deps.logger.warn({ err, agent: agent.id }, 'agent batch not stored; the agent will retry');
      throw new ChannelError(503, `${what}: storage unavailable, retry later`, { 'retry-after': String(limits.retryAfterSeconds) });
    }
    this.deps.stats.input.parsed += stamped.length;
    this.deps.stats.input.stored += stamped.length;
    this.deps.stats.batches++;
    send(res, 200, { accepted: stamped.length });
  }

  private async pollCommands(res: ServerResponse, agent: AgentRecord, query: string): Promise<void> {
    const waitParam = new URLSearchParams(query).get('wait');
    const waitS = Math.min(Math.max(Number(waitParam ?? '0') || 0, 0), this.deps.config.commandPollSeconds);
    let commands = this.deps.commands.takeForAgent(agent.id);
    if (commands.length === 0 && waitS > 0) {
      let onAbort: (() => void) | undefined;
      const signal = { aborted: false, onAbort: (fn: () => void) => (onAbort = fn) };
      const abort = (): void => {
        signal.aborted = true;
        onAbort?.();
      };
      this.pollAborts.add(abort);
      res.once('close', abort);
      await this.deps.commands.waitFor(agent.id, waitS * 1000, signal);
      this.pollAborts.delete(abort);
      res.off('close', abort);
      if (res.destroyed) return;
      if (agent.revokedAt !== null) throw new ChannelError(403, 'agent revoked');
      commands = this.deps.commands.takeForAgent(agent.id);
    }
    send(res, 200, { commands: commands.map((c) => ({ id: c.id, type: c.type, args: c.args, created_at: c.created_at })) });
  }

  async publishStatus(agent: AgentRecord, action: 'agent-enrolled' | 'agent-online' | 'agent-offline' | 'agent-revoked'): Promise<void> {
    try {
      await this.deps.bus.publish('events', [agentStatusEvent(agent, action, this.deps.now())]);
    } catch (err) {
      this.deps.logger.warn({ err, agent: agent.id, action }, 'agent status event not published');
    }
  }
}
