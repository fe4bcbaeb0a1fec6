/**
 * The agent server for bench/agents.ts, in its own process so its CPU and memory are its own: the
 * agent channel (HTTPS) on 127.0.0.1, an InProcessBus and the durable WorkerEventStore under
 * SOCNOC_BENCH_DATA_DIR. Prints `{"port", "ca"}` once listening, then answers one JSON line per
 * stdin line: `mint` (N agent identities, made in the registry directly: enrolling 10,000 agents
 * over TLS one by one would only measure enrolment), `token`, `stats`.
 */
import { createInterface } from 'node:readline';
import pino from 'pino';
import { InProcessBus } from '../core/bus';
import { Metrics } from '../core/metrics';
import { openSqlite } from '../core/store/sqlite';
import { WorkerEventStore } from '../core/store/worker-event-store';
import { agentsConfigSchema } from '../core/agents/config';
import { createAgentService } from '../core/agents/service';
import { createAgentToken } from '../core/agents';
import { createAgentLogNormalizer } from '../app/agent-normalize';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

async function main(): Promise<void> {
  const dataDir = process.env.SOCNOC_BENCH_DATA_DIR as string;
  const config = agentsConfigSchema.parse(JSON.parse(process.env.SOCNOC_BENCH_AGENTS_CONFIG ?? '{}'));
  const store = new WorkerEventStore({ dir: join(dataDir, 'events') });
  const bus = new InProcessBus();
  let stored = 0;
  bus.subscribe('events', 'store', async (batch) => {
    await store.append(batch);
    stored += batch.length;
  });
  const db = openSqlite(join(dataDir, 'socnoc.db'));
  const service = await createAgentService(
    {
      db,
      dataDir,
      bus,
      logger: pino({ level: 'warn' }, pino.destination(2)),
      metrics: new Metrics({ defaultMetrics: false }),
      // As app/start.ts does: tailed syslog-style lines parsed like syslog (SOCNOC_BENCH_NORMALIZE=off: raw).
      normalize: process.env.SOCNOC_BENCH_NORMALIZE === 'off' ? undefined : createAgentLogNormalizer({ timezone: 'UTC' }),
    },
    config,
  );
  const caCert = readFileSync(join(dataDir, 'agents', 'tls', 'ca.crt'), 'utf8');
  const reply = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v)}\n`);
  // Two connections per agent: the open-file limit caps the fleet one process can hold.
  const nofile = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  reply({ port: service.address.port, ca: caCert, maxOpenFiles: nofile === null ? 0 : Number(nofile[1]) });
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  sampler.unref();
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const req = JSON.parse(line) as { op: string; n?: number; agency?: string };
    const run = async (): Promise<unknown> => {
      switch (req.op) {
        case 'mint': {
          const out: string[] = [];
          for (let i = 0; i < (req.n ?? 0); i++) {
            const { id, secret } = service.registry.enroll({ agency: req.agency ?? 'bench', group: '', hostname: `bench-${i}`, version: '0.1.0', os: {}, address: '127.0.0.1', tokenId: 'bench' });
            out.push(`${id}.${secret}`);
          }
          return out;
        }
        case 'token':
          return createAgentToken(dataDir, { agency: req.agency ?? 'bench', uses: 1, expires: '1h' }, db);
        case 'stats': {
          const cpu = process.cpuUsage(cpuStart);
          const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
          return { stored, rss: process.memoryUsage().rss, peakRss, cpuMs: (cpu.user + cpu.system) / 1000, wallMs, heartbeats: service.stats.heartbeats, batches: service.stats.batches, deferred: service.stats.batchesDeferred, connections: service.stats.connections, heapUsed: process.memoryUsage().heapUsed };
        }
        case 'reset-peak':
          peakRss = process.memoryUsage().rss;
          return { ok: true };
        default:
          throw new Error(`unknown op ${req.op}`);
      }
    };
    run().then(
      (value) => reply({ ok: true, value }),
      (err: unknown) => reply({ ok: false, error: (err as Error).message }),
    );
  });
  process.on('SIGTERM', () => {
    void service
      .stop()
      .then(() => store.close())
      .then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench agents server: ${(err as Error).stack}\n`);
  process.exit(1);
});
