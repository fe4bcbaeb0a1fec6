/**
 * Endpoint agent benchmark (npm run bench:agents [-- --agents 10000 --seconds 30 --rate 20000]):
 *   1. One real agent process tailing a file → the agent server (its own process) → the durable
 *      event store: events per second end to end, and what the agent and server spend.
 *   2. N simulated agents against one server: each holds its own TLS connection and speaks the real
 *      agent wire protocol (bearer credentials, heartbeat JSON, gzip NDJSON batches, Retry-After
 *      honoured), heartbeating every `--heartbeat-seconds` (30, as deployed) and shipping its share of
 *      `--rate` events/s in a batch every `--batch-seconds`. Reports connections, heartbeats/s,
 *      events/s stored, latency, the server's RSS and CPU.
 * The simulated agents run in this process on the same machine, so they take CPU from the server:
 * the figures are a floor for a dedicated server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { connect, createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const { values: argv } = parseArgs({
  options: {
    agents: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '20000' },
    'heartbeat-seconds': { type: 'string', default: '30' },
    'batch-seconds': { type: 'string', default: '5' },
    'single-lines': { type: 'string', default: '200000' },
    only: { type: 'string', default: 'all' },
    /** agents.ingest.maxConcurrentBatches of the server under test. */
    'max-concurrent': { type: 'string', default: '' },
  },
});
const N_AGENTS = Number(argv.agents);
const SECONDS = Number(argv.seconds);
const RATE = Number(argv.rate);
const HEARTBEAT_S = Number(argv['heartbeat-seconds']);
const BATCH_S = Number(argv['batch-seconds']);
const SINGLE_LINES = Number(argv['single-lines']);

/** The repository root, from dist/bench or bench/. */
const REPO = resolve(__dirname, __dirname.includes(`${join('dist', 'bench')}`) ? '../..' : '..');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class BenchServer {
  private child: ChildProcess | undefined;
  private waiting: Array<(line: string) => void> = [];
  port = 0;
  ca = '';

  constructor(readonly dataDir: string) {}

  async start(agentsConfig: Record<string, unknown>): Promise<void> {
    const child = spawn(process.execPath, ['--max-semi-space-size=64', join(REPO, 'dist/bench/agents-server.js')], {
      env: { ...process.env, SOCNOC_BENCH_DATA_DIR: this.dataDir, SOCNOC_BENCH_AGENTS_CONFIG: JSON.stringify(agentsConfig) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.child = child;
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => this.waiting.shift()?.(line));
    const ready = JSON.parse(await new Promise<string>((r) => this.waiting.push(r))) as { port: number; ca: string };
    this.port = ready.port;
    this.ca = ready.ca;
  }

  control<T>(req: Record<string, unknown>): Promise<T> {
    return new Promise((resolveReply, reject) => {
      this.waiting.push((line) => {
        const r = JSON.parse(line) as { ok: boolean; value: T; error?: string };
        if (r.ok) resolveReply(r.value);
        else reject(new Error(r.error));
      });
      this.child?.stdin?.write(`${JSON.stringify(req)}\n`);
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    await new Promise<void>((r) => {
      child.once('exit', () => r());
      child.kill('SIGTERM');
    });
  }
}

interface ServerStats {
  stored: number;
  rss: number;
  peakRss: number;
  cpuMs: number;
  wallMs: number;
  heartbeats: number;
  batches: number;
  deferred: number;
}

/** utime+stime (ms) and RSS (bytes) of a process, from /proc. */
function procUsage(pid: number): { cpuMs: number; rss: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssPages = Number(fields[21]);
  return { cpuMs: ticks * 10, rss: rssPages * 4096 };
}

const mb = (b: number): string => `${(b / 1048576).toFixed(0)} MB`;

function sshdLine(i: number): string {
  return `Nov 27 01:04:05 web01 sshd[${1000 + (i % 30000)}]: Failed password for invalid user admin${i} from 203.0.113.${i % 250} port ${1024 + (i % 60000)} ssh2`;
}

async function singleAgent(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-bench-agent-'));
  const server = new BenchServer(join(dir, 'data'));
  const log = join(dir, 'auth.log');
  writeFileSync(log, '');
  let agent: ChildProcess | undefined;
  try {
    await server.start({
      listen: { host: '127.0.0.1', port: 0 },
      defaultConfig: { heartbeatSeconds: 5, tailPollMs: 100, files: [{ path: log, dataset: 'linux.auth' }], inventory: { intervalSeconds: 0 }, yara: { enabled: false }, batch: { maxEvents: 5000, maxBytes: 4 * 1024 * 1024 } },
    });
    const dist = join(dir, 'agent-dist');
    const built = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'agents/tsconfig.json'), '--outDir', dist], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`agent build failed: ${built.stdout}${built.stderr}`);
    const env = { ...process.env, SOCNOC_AGENT_HOME: join(dir, 'home') };
    const token = await server.control<string>({ op: 'token', agency: 'bench' });
    const enrolled = spawnSync(process.execPath, [join(dist, 'cli.js'), 'enroll', '--server', `https://127.0.0.1:${server.port}`, '--token', token], { env, encoding: 'utf8' });
    if (enrolled.status !== 0) throw new Error(`enrol failed: ${enrolled.stderr}`);
    // The flags of the systemd unit (agents/install/socnoc-agent.service).
    agent = spawn(process.execPath, ['--max-semi-space-size=4', join(dist, 'cli.js'), 'run'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    await sleep(1500);
    const agentPid = agent.pid as number;
    const agentBefore = procUsage(agentPid);
    const before = await server.control<ServerStats>({ op: 'stats' });
    const started = Date.now();
    const chunk = 10_000;
    for (let i = 0; i < SINGLE_LINES; i += chunk) {
      const lines: string[] = [];
      for (let j = i; j < Math.min(SINGLE_LINES, i + chunk); j++) lines.push(sshdLine(j));
      appendFileSync(log, `${lines.join('\n')}\n`);
    }
    const written = Date.now() - started;
    let stats = before;
    let agentPeakRss = 0;
    while (stats.stored - before.stored < SINGLE_LINES && Date.now() - started < 600_000) {
      await sleep(200);
      stats = await server.control<ServerStats>({ op: 'stats' });
      agentPeakRss = Math.max(agentPeakRss, procUsage(agentPid).rss);
    }
    const elapsed = (Date.now() - started) / 1000;
    const agentAfter = procUsage(agentPid);
    const stored = stats.stored - before.stored;
    console.log('\n== one agent, end to end (file tail → disk queue → HTTPS → server → durable store) ==');
    console.log(`lines written: ${SINGLE_LINES} in ${written} ms; stored: ${stored} in ${elapsed.toFixed(1)} s → ${Math.round(stored / elapsed)} events/s`);
    console.log(`agent CPU: ${((agentAfter.cpuMs - agentBefore.cpuMs) / 1000).toFixed(1)} s (${(((agentAfter.cpuMs - agentBefore.cpuMs) / 1000 / elapsed) * 100).toFixed(0)}% of a core); agent RSS idle before the burst ${mb(agentBefore.rss)}, peak ${mb(agentPeakRss)}`);
    console.log(`server CPU: ${((stats.cpuMs - before.cpuMs) / 1000).toFixed(1)} s (${(((stats.cpuMs - before.cpuMs) / (stats.wallMs - before.wallMs)) * 100).toFixed(0)}% of a core); server RSS ${mb(stats.rss)}`);
  } finally {
    agent?.kill('SIGKILL');
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One simulated agent: its own TLS connection, one request at a time, as the real agent's sender does. */
class SimAgent {
  socket: TLSSocket | undefined;
  busy = false;
  private buf: Buffer = Buffer.alloc(0);
  private onReply: ((status: number, retryAfter: number) => void) | undefined;
  batchesSent = 0;

  constructor(
    readonly bearer: string,
    readonly host: string,
    readonly port: number,
    /** One context for the whole fleet: parsing the CA per connection would dominate the client's CPU. */
    readonly context: SecureContext,
  ) {}

  connect(): Promise<void> {
    return new Promise((resolveConn, reject) => {
      const s = connect({ host: this.host, port: this.port, secureContext: this.context, checkServerIdentity: () => undefined, minVersion: 'TLSv1.2' }, () => resolveConn());
      s.setNoDelay(true); // as node:https does; Nagle would hold small requests ~40 ms
      s.on('data', (d: Buffer) => this.onData(d));
      s.on('error', (err) => {
        if (this.socket === s) this.socket = undefined;
        reject(err);
        this.finish(0, 0);
      });
      s.on('close', () => {
        if (this.socket === s) this.socket = undefined;
        this.finish(0, 0);
      });
      this.socket = s;
    });
  }

  private finish(status: number, retryAfter: number): void {
    const cb = this.onReply;
    this.onReply = undefined;
    this.buf = Buffer.alloc(0);
    cb?.(status, retryAfter);
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    const headEnd = this.buf.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buf.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const lenMatch = /\r\ncontent-length: (\d+)/i.exec(head);
    const len = lenMatch === null ? 0 : Number(lenMatch[1]);
    if (this.buf.length < headEnd + 4 + len) return;
    const ra = /\r\nretry-after: (\d+)/i.exec(head);
    if (/\r\nconnection: close/i.test(head)) this.socket?.destroy();
    this.finish(status, ra === null ? 0 : Number(ra[1]));
  }

  /** Sends one request; resolves with the status (0: connection failed) and Retry-After seconds. */
  async request(path: string, body: Buffer, gzip: boolean): Promise<{ status: number; retryAfter: number }> {
    if (this.socket === undefined || this.socket.destroyed) {
      const connected = await this.connect().then(() => true, () => false);
      if (!connected) return { status: 0, retryAfter: 0 };
    }
    const head =
      `POST ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\nauthorization: Bearer ${this.bearer}\r\n` +
      `content-type: ${gzip ? 'application/x-ndjson' : 'application/json'}\r\n${gzip ? 'content-encoding: gzip\r\n' : ''}content-length: ${body.length}\r\n\r\n`;
    return new Promise((resolveReply) => {
      this.onReply = (status, retryAfter) => resolveReply({ status, retryAfter });
      this.socket?.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
    });
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function simulatedAgents(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-bench-agents-'));
  const server = new BenchServer(join(dir, 'data'));
  try {
    const ingest = argv['max-concurrent'] === '' ? {} : { ingest: { maxConcurrentBatches: Number(argv['max-concurrent']) } };
    await server.start({ listen: { host: '127.0.0.1', port: 0 }, ...ingest, defaultConfig: { heartbeatSeconds: HEARTBEAT_S } });
    const creds = await server.control<string[]>({ op: 'mint', n: N_AGENTS, agency: 'bench' });
    const context = createSecureContext({ ca: server.ca, minVersion: 'TLSv1.2' });
    const agents = creds.map((c) => new SimAgent(c, '127.0.0.1', server.port, context));
    const base = await server.control<ServerStats>({ op: 'stats' });
    console.log(`\n== ${N_AGENTS} simulated agents, one server (heartbeat every ${HEARTBEAT_S} s, ${RATE} events/s in batches every ${BATCH_S} s per agent) ==`);
    console.log(`server RSS with ${N_AGENTS} agents registered, no connection: ${mb(base.rss)}`);

    const startupHeartbeat = Buffer.from(JSON.stringify({ hostname: 'bench-host', version: '0.1.0', stats: {} }));
    // Connections: at most 200 TLS handshakes in flight, as a fleet reconnecting after an outage would be spread by jitter.
    let next = 0;
    let failedConnects = 0;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        while (next < agents.length) {
          const a = agents[next++];
          // The real agent heartbeats as soon as it starts; a connection that never sends a request is closed by the server's headers timeout.
          const ok = await a.connect().then(() => true, () => false);
          if (!ok) failedConnects++;
          else await a.request('/agent/v1/heartbeat', startupHeartbeat, false);
        }
      }),
    );
    const connectS = (Date.now() - t0) / 1000;
    const afterConnect = await server.control<ServerStats>({ op: 'stats' });
    const open = agents.filter((a) => a.socket !== undefined && !a.socket.destroyed).length;
    console.log(`connections: ${open} open (${failedConnects} failed) in ${connectS.toFixed(1)} s (${Math.round(open / connectS)} TLS handshakes/s); server RSS ${mb(afterConnect.rss)}, CPU ${((afterConnect.cpuMs - base.cpuMs) / 1000).toFixed(1)} s`);

    // Event bodies: per batch index, shared by agents (the server prefixes event ids with the agent id).
    const perBatch = Math.max(1, Math.round((RATE * BATCH_S) / N_AGENTS));
    const bodies: Buffer[] = [];
    const maxBatches = Math.ceil(SECONDS / BATCH_S) + 1;
    for (let b = 0; b < maxBatches; b++) {
      const lines: string[] = [];
      for (let i = 0; i < perBatch; i++) lines.push(JSON.stringify({ '@timestamp': '2026-11-27T01:04:05.000Z', message: sshdLine(b * perBatch + i), event: { id: `b${b}-${i}`, kind: 'event', dataset: 'linux.auth' }, log: { file: { path: '/var/log/auth.log' } } }));
      bodies.push(gzipSync(`${lines.join('\n')}\n`));
    }
    const heartbeat = Buffer.from(JSON.stringify({ hostname: 'bench-host', version: '0.1.0', config_version: 'x', rules_version: 'none', stats: { queue_pending_bytes: 0, queue_segments: 1, queue_dropped_events: 0, sent_events: 0 } }));

    const lat = { batch: [] as number[], hb: [] as number[] };
    const counts = { batchOk: 0, hbOk: 0, deferred: 0, failed: 0, late: 0, eventsAcked: 0 };
    const startLoad = await server.control<ServerStats>({ op: 'stats' });
    await server.control({ op: 'reset-peak' });
    const started = Date.now();
    const deadline = started + SECONDS * 1000;

    // Each agent: heartbeats and batches at its own phase, one request at a time; a busy agent sends late.
    const runAgent = async (a: SimAgent, idx: number): Promise<void> => {
      let nextHb = started + (idx / agents.length) * HEARTBEAT_S * 1000;
      let nextBatch = started + (((idx * 7919) % agents.length) / agents.length) * BATCH_S * 1000;
      while (Date.now() < deadline) {
        const due = Math.min(nextHb, nextBatch);
        if (due >= deadline) return;
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
        else if (wait < -1000) counts.late++;
        const isHb = nextHb <= nextBatch;
        const t = Date.now();
        if (isHb) {
          const r = await a.request('/agent/v1/heartbeat', heartbeat, false);
          if (r.status === 200) {
            counts.hbOk++;
            lat.hb.push(Date.now() - t);
          } else counts.failed++;
          nextHb += HEARTBEAT_S * 1000;
        } else {
          const body = bodies[Math.min(a.batchesSent, bodies.length - 1)];
          const r = await a.request('/agent/v1/events', body, true);
          if (r.status === 200) {
            counts.batchOk++;
            counts.eventsAcked += perBatch;
            lat.batch.push(Date.now() - t);
            a.batchesSent++;
            nextBatch += BATCH_S * 1000;
          } else if (r.status === 503 || r.status === 429) {
            counts.deferred++;
            nextBatch = Date.now() + Math.max(1, r.retryAfter) * 1000 * (0.5 + Math.random()); // the agent's backoff: Retry-After with jitter
          } else {
            counts.failed++;
            nextBatch = Date.now() + 1000;
          }
        }
      }
    };
    await Promise.all(agents.map((a, i) => runAgent(a, i)));
    const loadS = (Date.now() - started) / 1000;
    const end = await server.control<ServerStats>({ op: 'stats' });
    for (const a of agents) a.socket?.destroy();
    lat.batch.sort((x, y) => x - y);
    lat.hb.sort((x, y) => x - y);
    const storedDuring = end.stored - startLoad.stored;
    const cpuPct = ((end.cpuMs - startLoad.cpuMs) / (end.wallMs - startLoad.wallMs)) * 100;
    const own = process.cpuUsage();
    console.log(`load phase: ${loadS.toFixed(1)} s`);
    console.log(`heartbeats: ${counts.hbOk} answered (${Math.round(counts.hbOk / loadS)}/s), p50 ${percentile(lat.hb, 50)} ms, p99 ${percentile(lat.hb, 99)} ms`);
    console.log(`event batches: ${counts.batchOk} acknowledged of ${perBatch} events (${Math.round(counts.batchOk / loadS)} req/s), p50 ${percentile(lat.batch, 50)} ms, p99 ${percentile(lat.batch, 99)} ms; refused with 429/503 + Retry-After: ${counts.deferred}; failed: ${counts.failed}; sends >1 s late: ${counts.late}`);
    console.log(`events acknowledged: ${counts.eventsAcked} (${Math.round(counts.eventsAcked / loadS)}/s of ${RATE}/s offered); stored durably: ${storedDuring} (incl. status events)`);
    console.log(`server: CPU ${cpuPct.toFixed(0)}% of one core (2 cores = 200%), RSS ${mb(end.rss)}, peak ${mb(end.peakRss)}; client simulator CPU ${((own.user + own.system) / 1e6).toFixed(1)} s in total`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (argv.only === 'all' || argv.only === 'single') await singleAgent();
  if (argv.only === 'all' || argv.only === 'fleet') await simulatedAgents();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
