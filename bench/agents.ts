/**
 * Endpoint agent benchmark (npm run bench:agents [-- --agents 10000 --seconds 30 --rate 20000]):
 *   1. One real agent process tailing a file → the agent server (its own process) → the durable
 *      event store: events per second end to end, and what the agent and server spend.
 *   2. N simulated agents against one server process: the agents are simulated in `--sim-procs`
 *      forked processes (bench/agents-sim.ts), each agent with its real per-agent secret and the
 *      real agent's connections (a kept-alive TLS connection for heartbeats and batches, one holding
 *      the command long poll), heartbeating every `--heartbeat-seconds` (30, as deployed) and
 *      shipping its share of `--rate` events/s in a batch every `--batch-seconds` (the sender's
 *      lingerMs for a fleet). Reports connections held, heartbeats/s, events/s stored, latency
 *      p50/p99, refusals (429) and resends, and the server process's own CPU time and RSS.
 * Everything runs on one machine: the simulators take CPU from the server, so wall-clock rates are
 * a floor for a dedicated server; the server's CPU time per second of load is its own.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { SimResult } from './agents-sim';

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
    /** Simulator processes; each holds its share of the agents' connections. */
    'sim-procs': { type: 'string', default: '4' },
    /** `off`: no command long poll (one connection per agent instead of two). */
    'long-poll': { type: 'string', default: 'on' },
    /** A folder: the server process writes a V8 CPU profile there (node --cpu-prof). */
    'server-cpu-prof': { type: 'string', default: '' },
  },
});
const N_AGENTS = Number(argv.agents);
const SECONDS = Number(argv.seconds);
const RATE = Number(argv.rate);
const HEARTBEAT_S = Number(argv['heartbeat-seconds']);
const BATCH_S = Number(argv['batch-seconds']);
const SINGLE_LINES = Number(argv['single-lines']);
const SIM_PROCS = Number(argv['sim-procs']);
const LONG_POLL = argv['long-poll'] !== 'off';

/** The repository root, from dist/bench or bench/. */
const REPO = resolve(__dirname, __dirname.includes(`${join('dist', 'bench')}`) ? '../..' : '..');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class BenchServer {
  private child: ChildProcess | undefined;
  private waiting: Array<(line: string) => void> = [];
  port = 0;
  ca = '';
  maxOpenFiles = 0;

  constructor(readonly dataDir: string) {}

  async start(agentsConfig: Record<string, unknown>): Promise<void> {
    const prof = argv['server-cpu-prof'] === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${argv['server-cpu-prof']}`];
    const child = spawn(process.execPath, ['--max-semi-space-size=64', ...prof, join(REPO, 'dist/bench/agents-server.js')], {
      env: { ...process.env, SOCNOC_BENCH_DATA_DIR: this.dataDir, SOCNOC_BENCH_AGENTS_CONFIG: JSON.stringify(agentsConfig) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.child = child;
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => this.waiting.shift()?.(line));
    const ready = JSON.parse(await new Promise<string>((r) => this.waiting.push(r))) as { port: number; ca: string; maxOpenFiles: number };
    this.port = ready.port;
    this.ca = ready.ca;
    this.maxOpenFiles = ready.maxOpenFiles;
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
  connections: number;
  heapUsed: number;
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

function percentile(hist: Map<number, number>, p: number): number {
  const keys = [...hist.keys()].sort((a, b) => a - b);
  let total = 0;
  for (const k of keys) total += hist.get(k) as number;
  const want = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const k of keys) {
    seen += hist.get(k) as number;
    if (seen >= want) return k;
  }
  return 0;
}

function merge(into: Map<number, number>, pairs: Array<[number, number]>): void {
  for (const [k, v] of pairs) into.set(k, (into.get(k) ?? 0) + v);
}

/** Forks the simulator processes; resolves when each has connected its agents. */
class SimProcesses {
  readonly children: ChildProcess[] = [];
  private readonly inbox: Array<Array<(m: Record<string, unknown>) => void>> = [];

  constructor(n: number) {
    for (let i = 0; i < n; i++) {
      // A small young generation, as the server's bench does not need: these processes only hold sockets.
      const child = fork(join(REPO, 'dist/bench/agents-sim.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      this.children.push(child);
      const queue: Array<(m: Record<string, unknown>) => void> = [];
      this.inbox.push(queue);
      child.on('message', (m: Record<string, unknown>) => queue.shift()?.(m));
    }
  }

  /** Sends one message to each child and waits for one answer from each. */
  all<T>(messages: Array<Record<string, unknown>>): Promise<T[]> {
    return Promise.all(
      this.children.map(
        (c, i) =>
          new Promise<T>((resolveMsg) => {
            this.inbox[i].push((m) => resolveMsg(m as T));
            c.send(messages[i]);
          }),
      ),
    );
  }

  close(): void {
    for (const c of this.children) if (c.connected) c.send({ type: 'close' });
  }
}

async function simulatedAgents(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-bench-agents-'));
  const server = new BenchServer(join(dir, 'data'));
  let sims: SimProcesses | undefined;
  try {
    const ingest = argv['max-concurrent'] === '' ? {} : { ingest: { maxConcurrentBatches: Number(argv['max-concurrent']) } };
    await server.start({ listen: { host: '127.0.0.1', port: 0 }, ...ingest, defaultConfig: { heartbeatSeconds: HEARTBEAT_S } });
    const needFiles = N_AGENTS * (LONG_POLL ? 2 : 1) + 200;
    if (server.maxOpenFiles < needFiles) {
      throw new Error(`the server process may open ${server.maxOpenFiles} files and needs ${needFiles} for ${N_AGENTS} agents' connections: raise the limit (as root: ulimit -Hn 65536; ulimit -n 65536; deploy/systemd/socnoc.service sets LimitNOFILE=65536)`);
    }
    const creds = await server.control<string[]>({ op: 'mint', n: N_AGENTS, agency: 'bench' });
    const base = await server.control<ServerStats>({ op: 'stats' });
    const procs = Math.max(1, Math.min(SIM_PROCS, N_AGENTS));
    const perBatch = Math.max(1, Math.round((RATE * BATCH_S) / N_AGENTS));
    console.log(`\n== ${N_AGENTS} simulated agents in ${procs} processes, one server process (heartbeat every ${HEARTBEAT_S} s, command long poll ${LONG_POLL ? 'held' : 'off'}, ${RATE} events/s offered as ${perBatch} events per agent every ${BATCH_S} s) ==`);
    console.log(`server with ${N_AGENTS} agents registered, no connection: RSS ${mb(base.rss)}, CPU so far ${(base.cpuMs / 1000).toFixed(1)} s`);

    sims = new SimProcesses(procs);
    const slices = Array.from({ length: procs }, (_, p) => creds.filter((_c, i) => i % procs === p));
    const t0 = Date.now();
    const connected = await sims.all<{ open: number; failed: number; ms: number }>(
      slices.map((slice, index) => ({ type: 'init', port: server.port, ca: server.ca, creds: slice, heartbeatSeconds: HEARTBEAT_S, batchSeconds: BATCH_S, eventsPerBatch: perBatch, seconds: SECONDS, longPoll: LONG_POLL, connectConcurrency: Math.ceil(200 / procs), index })),
    );
    const connectS = (Date.now() - t0) / 1000;
    await sleep(2000); // let the first long polls and heartbeats settle before measuring memory
    const afterConnect = await server.control<ServerStats>({ op: 'stats' });
    const open = connected.reduce((n, c) => n + c.open, 0);
    const failed = connected.reduce((n, c) => n + c.failed, 0);
    console.log(
      `connect: ${open} TLS connections open at the clients (${failed} failed) in ${connectS.toFixed(1)} s; server holds ${afterConnect.connections}; server RSS ${mb(afterConnect.rss)} (+${((afterConnect.rss - base.rss) / 1024 / Math.max(1, afterConnect.connections)).toFixed(1)} KB per connection), heap ${mb(afterConnect.heapUsed)}; server CPU for the handshakes ${((afterConnect.cpuMs - base.cpuMs) / 1000).toFixed(1)} s`,
    );

    const startAt = Date.now() + 500;
    await server.control({ op: 'reset-peak' });
    const startLoad = await server.control<ServerStats>({ op: 'stats' });
    const results = await sims.all<SimResult>(slices.map(() => ({ type: 'go', startAt })));
    const end = await server.control<ServerStats>({ op: 'stats' });
    const loadS = (end.wallMs - startLoad.wallMs) / 1000;
    const sum = (k: keyof SimResult): number => results.reduce((n, r) => n + (r[k] as number), 0);
    const hb = new Map<number, number>();
    const batch = new Map<number, number>();
    for (const r of results) {
      merge(hb, r.heartbeatMs);
      merge(batch, r.batchMs);
    }
    const serverCpuS = (end.cpuMs - startLoad.cpuMs) / 1000;
    const stored = end.stored - startLoad.stored;
    console.log(`load phase: ${loadS.toFixed(1)} s wall; server holds ${end.connections} connections at the end`);
    console.log(`heartbeats accepted: ${end.heartbeats - startLoad.heartbeats} (${((end.heartbeats - startLoad.heartbeats) / loadS).toFixed(0)}/s; ${N_AGENTS}/${HEARTBEAT_S} s = ${(N_AGENTS / HEARTBEAT_S).toFixed(0)}/s due), client-side latency p50 ${percentile(hb, 50)} ms, p99 ${percentile(hb, 99)} ms; failed ${sum('heartbeatsFailed')}`);
    console.log(`command long polls answered (25 s wait): ${sum('polls')}, failed ${sum('pollsFailed')}`);
    console.log(
      `event batches: ${sum('batchesOk')} acknowledged (${(sum('batchesOk') / loadS).toFixed(0)}/s), latency p50 ${percentile(batch, 50)} ms, p99 ${percentile(batch, 99)} ms; refused with 429/503: ${sum('refused')} (server counted ${end.deferred - startLoad.deferred}); resent and then acknowledged: ${sum('retriedOk')}; still waiting to be resent at the end: ${sum('batchesPending')}; failed otherwise: ${sum('batchesFailed')}; reconnects: ${sum('reconnects')}; sends >1 s late: ${sum('lateSends')}`,
    );
    console.log(`events: ${sum('eventsAcked')} acknowledged (${(sum('eventsAcked') / loadS).toFixed(0)}/s of ${RATE}/s offered); stored durably by the server: ${stored} (${(stored / loadS).toFixed(0)}/s)`);
    console.log(
      `server CPU time per unit of work (everything in the load phase divided, so an upper bound for each): ${((serverCpuS * 1e6) / Math.max(1, stored)).toFixed(0)} µs per event stored; at that cost ${RATE} events/s need ${((serverCpuS / Math.max(1, stored)) * RATE * 100).toFixed(0)}% of one core`,
    );
    console.log(
      `server process: CPU ${serverCpuS.toFixed(1)} s over ${loadS.toFixed(1)} s = ${((serverCpuS / loadS) * 100).toFixed(0)}% of one core (CPU time, not wall); RSS ${mb(end.rss)}, peak ${mb(end.peakRss)}; simulators: CPU ${(sum('cpuMs') / 1000).toFixed(1)} s in total, RSS ${mb(results.reduce((n, r) => Math.max(n, r.rss), 0))} the largest`,
    );
  } finally {
    sims?.close();
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
