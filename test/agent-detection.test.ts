/**
 * Agent-shipped auth.log lines reach detection as syslog-collected ones do: the agent's own tailer,
 * disk queue and sender ship a burst of sshd failures over the real agent channel (HTTPS on
 * 127.0.0.1), the server normalizes them with app/agent-normalize.ts, and socnoc's Sigma pack in the
 * real detection engine raises "SSH Brute Force From One Address" for the agent's agency and host.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTailer } from '../agents/src/collect/file-tailer';
import { DiskQueue } from '../agents/src/queue/disk-queue';
import { QueueSender } from '../agents/src/sender';
import { createAgentLogNormalizer } from '../app/agent-normalize';
import { createAgentToken } from '../core/agents';
import { enrollOverChannel, startInProcessAgentServer, type ChannelAgent, type InProcessAgentServer } from '../core/agents/testing/in-process';
import type { EcsEvent } from '../core/event';
import { createLogger } from '../core/logger';
import { Metrics } from '../core/metrics';
import { openSqlite, type SqliteDb } from '../core/store/sqlite';
import { correlationConfigSchema } from '../correlation/config';
import { createDetectionEngine, sigmaCorrelationStage, type DetectionEngine } from '../correlation/runtime';

jest.setTimeout(60_000);

const HOST = { name: 'hn-web-01', hostname: 'hn-web-01', os: { family: 'linux' } };
const ATTACKER = '203.0.113.45';

let server: InProcessAgentServer;
let engine: DetectionEngine;
let alertsDb: SqliteDb;
let agent: ChannelAgent;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'socnoc-agent-detect-'));
  server = await startInProcessAgentServer({}, { normalize: createAgentLogNormalizer({ timezone: 'UTC' }) });
  alertsDb = openSqlite(join(dir, 'alerts.db'));
  const logger = createLogger('silent');
  engine = createDetectionEngine({ bus: server.bus, db: alertsDb, logger, metrics: new Metrics({ defaultMetrics: false }) }, correlationConfigSchema.parse({ sigma: { watch: false } }));
  engine.addStage(sigmaCorrelationStage({ logger, stateDb: alertsDb }));
  await engine.start();
  const token = await createAgentToken(server.dir, { agency: 'hanoi-doh', uses: 1 }, server.db);
  agent = await enrollOverChannel(server.url, token, HOST.hostname);
});

afterAll(async () => {
  agent?.client.close();
  await engine?.stop();
  await server?.close();
  alertsDb?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The syslog header rsyslog writes into auth.log: local time, no year, day padded with a space. */
function header(at: Date): string {
  const month = at.toLocaleString('en-US', { month: 'short' });
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${month} ${String(at.getDate()).padStart(2, ' ')} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

test('a burst of failed SSH logins shipped by an agent raises the SSH brute-force alert', async () => {
  const log = join(dir, 'auth.log');
  writeFileSync(log, '');
  const queue = new DiskQueue({ dir: join(dir, 'queue'), maxBytes: 64 << 20, segmentBytes: 1 << 20 });
  const tailer = new FileTailer({ path: log, dataset: 'linux.auth', format: 'text' }, queue, HOST);
  const sender = new QueueSender(queue, agent.client, { maxEvents: 500, maxBytes: 1 << 20, lingerMs: 100 }, () => undefined, (m) => {
    throw new Error(`refused: ${m}`);
  });
  sender.start();
  try {
    // Twelve guesses at four accounts within a few seconds, as OpenSSH writes them (Debian auth.log).
    const start = Date.now() - 15_000;
    const lines: string[] = [];
    const users = ['root', 'admin', 'ubuntu', 'oracle'];
    for (let i = 0; i < 12; i++) {
      const user = users[i % users.length];
      const invalid = user === 'root' ? '' : 'invalid user ';
      lines.push(`${header(new Date(start + i * 1000))} ${HOST.hostname} sshd[${31200 + i}]: Failed password for ${invalid}${user} from ${ATTACKER} port ${52100 + i * 7} ssh2`);
    }
    appendFileSync(log, `${lines.join('\n')}\n`);
    expect(tailer.poll()).toBe(12);
    const deadline = Date.now() + 20_000;
    while (sender.stats.sentEvents < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(sender.stats.sentEvents).toBe(12);
    await engine.idle();

    const shipped = server.stored.filter((e: EcsEvent) => e.log?.file?.path === log);
    expect(shipped).toHaveLength(12);
    expect(shipped[0]).toMatchObject({ event: { dataset: 'linux.sshd', outcome: 'failure' }, source: { ip: ATTACKER }, user: { name: 'root' }, host: { name: HOST.hostname } });

    const page = engine.alerts.search({ limit: 100 });
    const brute = page.alerts.find((a) => a.rule.name === 'SSH Brute Force From One Address');
    expect(page.alerts.map((a) => a.rule.name)).toContain('SSH Brute Force From One Address');
    expect(brute).toMatchObject({ organization: { id: 'hanoi-doh' }, group: { 'source.ip': ATTACKER, 'host.name': HOST.hostname } });
    expect(brute?.mappings.attack.techniques).toContain('T1110.001');
    // The alert points back at the agent-shipped events (stored under the agent's event ids).
    expect(brute?.event_ids.length).toBeGreaterThan(0);
    expect(brute?.event_ids.every((id) => id.startsWith(`${agent.id}:`))).toBe(true);
  } finally {
    await sender.stop();
    tailer.close();
    queue.close();
  }
});
