/**
 * The agent service in the test's own process, with a real SQLite file and agent channel (HTTPS on
 * 127.0.0.1:0), a bus whose store can be slowed or failed on purpose, and every published event kept
 * for assertions. Agents talk to it with the agent package's own client (agents/src/transport.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { AgentClient, fingerprintOf } from '../../../agents/src/transport';
import { InProcessBus } from '../../bus';
import type { EcsEvent } from '../../event';
import { Metrics } from '../../metrics';
import { openSqlite, type SqliteDb } from '../../store/sqlite';
import type { AgentAuditEntry } from '../audit';
import { agentsConfigSchema } from '../config';
import type { AgentEventNormalizer } from '../channel';
import { createAgentService, type AgentService } from '../service';

export interface InProcessAgentServer {
  service: AgentService;
  db: SqliteDb;
  /** The bus agent batches are published to (a detection engine may subscribe to it). */
  bus: InProcessBus;
  dir: string;
  metrics: Metrics;
  /** Every batch the store accepted, in order. */
  stored: EcsEvent[];
  audit: AgentAuditEntry[];
  /** `https://127.0.0.1:PORT`. */
  url: string;
  /** Makes the store hold each batch until `release()` (a saturated storage). */
  holdStore(): void;
  releaseStore(): void;
  /** Makes the store reject every batch (storage unavailable) until called with false. */
  failStore(failing?: boolean): void;
  /** Moves the service's clock. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export interface InProcessServerOptions {
  /** Passed to createAgentService (app/agent-normalize.ts in production). */
  normalize?: AgentEventNormalizer;
}

export async function startInProcessAgentServer(agentsConfig: Record<string, unknown> = {}, options: InProcessServerOptions = {}): Promise<InProcessAgentServer> {
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-agents-'));
  const db = openSqlite(join(dir, 'socnoc.db'));
  const bus = new InProcessBus();
  const stored: EcsEvent[] = [];
  let held: Array<() => void> | undefined;
  let failing = false;
  bus.subscribe('events', 'store', async (batch) => {
    if (failing) throw new Error('test store: disk unavailable');
    if (held !== undefined) {
      const waiting = held;
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    stored.push(...batch);
  });
  const audit: AgentAuditEntry[] = [];
  const metrics = new Metrics({ defaultMetrics: false });
  let offset = 0;
  const config = agentsConfigSchema.parse({ listen: { host: '127.0.0.1', port: 0 }, ...agentsConfig });
  const service = await createAgentService(
    { db, dataDir: dir, bus, logger: pino({ level: 'silent' }), metrics, audit: { append: (e) => void audit.push(e) }, normalize: options.normalize, now: () => Date.now() + offset },
    config,
  );
  return {
    service,
    db,
    bus,
    dir,
    metrics,
    stored,
    audit,
    url: `https://127.0.0.1:${service.address.port}`,
    holdStore: () => {
      held = [];
    },
    releaseStore: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const resolve of waiting) resolve();
    },
    failStore: (value = true) => {
      failing = value;
    },
    advance: (ms) => {
      offset += ms;
    },
    async close() {
      held = undefined;
      await service.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ChannelAgent {
  id: string;
  secret: string;
  /** The pinned agent CA (PEM). */
  ca: string;
  client: AgentClient;
}

/**
 * Enrols one agent over the channel as the agent package does (CA fetched, checked against the
 * token, then pinned), under a chosen host name; returns a client holding its credentials.
 */
export async function enrollOverChannel(url: string, token: string, hostname: string, version = '0.1.0'): Promise<ChannelAgent> {
  const bootstrap = new AgentClient(url, undefined, undefined);
  const ca = (await bootstrap.send({ method: 'GET', path: '/agent/v1/ca' })).body.toString('utf8');
  bootstrap.close();
  if (fingerprintOf(ca) !== token.split('.')[2]) throw new Error(`${url}: CA fingerprint is not the token's`);
  const pinned = new AgentClient(url, ca, undefined);
  try {
    const answer = await pinned.json<{ agent_id: string; secret: string }>({ method: 'POST', path: '/agent/v1/enroll', body: { token, hostname, version, os: { platform: 'linux' } } });
    return { id: answer.agent_id, secret: answer.secret, ca, client: new AgentClient(url, ca, `${answer.agent_id}.${answer.secret}`) };
  } finally {
    pinned.close();
  }
}
