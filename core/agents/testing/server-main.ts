/**
 * A socnoc agent server in its own process for tests and the benchmark: the agent channel with a
 * real InProcessBus and WorkerEventStore under SOCNOC_TEST_DATA_DIR, so a test can kill -9 it.
 * Prints one JSON line `{"ready": true, "port", "ca_sha256"}`, then answers control requests (one
 * JSON per stdin line: revoke, command, command_get, events, count, agents, sweep) with one JSON line each.
 */
import { createInterface } from 'node:readline';
import pino from 'pino';
import { InProcessBus } from '../../bus';
import { Metrics } from '../../metrics';
import { parseQuery } from '../../query/parse';
import { openSqlite } from '../../store/sqlite';
import { WorkerEventStore } from '../../store/worker-event-store';
import { agentsConfigSchema } from '../config';
import { createAgentService } from '../service';
import type { CommandType } from '../commands';

async function main(): Promise<void> {
  const dataDir = process.env.SOCNOC_TEST_DATA_DIR as string;
  const config = agentsConfigSchema.parse(JSON.parse(process.env.SOCNOC_TEST_AGENTS_CONFIG ?? '{}'));
  const logger = pino({ level: process.env.SOCNOC_TEST_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const store = new WorkerEventStore({ dir: `${dataDir}/events` });
  const bus = new InProcessBus();
  bus.subscribe('events', 'store', (batch) => store.append(batch));
  const db = openSqlite(`${dataDir}/socnoc.db`);
  const audit: unknown[] = [];
  const service = await createAgentService({ db, dataDir, bus, logger, metrics: new Metrics({ defaultMetrics: false }), audit: { append: (e) => audit.push(e) } }, config);
  const reply = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v)}\n`);
  reply({ ready: true, port: service.address.port, ca_sha256: service.caFingerprint });
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const req = JSON.parse(line) as { op: string; agent?: string; type?: string; args?: Record<string, unknown>; id?: string; q?: string; limit?: number };
    const run = async (): Promise<unknown> => {
      switch (req.op) {
        case 'revoke':
          return { agent: (await service.revoke(req.agent as string, 'user:test')).id };
        case 'command':
          return service.sendCommand(req.agent as string, req.type as CommandType, req.args ?? {}, 'user:test');
        case 'command_get':
          return service.commands.get(req.id as string) ?? null;
        case 'events': {
          const r = await store.search({ query: req.q ? parseQuery(req.q) : undefined, limit: req.limit ?? 10_000 });
          return { total: r.total, events: r.events };
        }
        case 'count':
          return { count: await store.count({ query: req.q ? parseQuery(req.q) : undefined }) };
        case 'agents':
          return { agents: service.registry.list(undefined).map((a) => ({ id: a.id, status: a.status, hostname: a.hostname, revoked: a.revokedAt !== null, stats: a.stats })) };
        case 'inventory':
          return service.registry.inventory(req.agent as string) ?? null;
        case 'sweep':
          await service.sweep();
          return { ok: true };
        case 'audit':
          return { audit };
        case 'memory':
          return { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
        default:
          throw new Error(`unknown op ${req.op}`);
      }
    };
    run().then(
      (v) => reply({ ok: true, value: v }),
      (err: unknown) => reply({ ok: false, error: (err as Error).message }),
    );
  });
  const stop = (): void => {
    void service.stop().then(() => store.close()).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`agent test server: ${(err as Error).stack}\n`);
  process.exit(1);
});
