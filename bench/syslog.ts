/**
 * Full-path syslog benchmark: a real `socnoc start` child process (receive → parse → normalize →
 * pipeline → SQLite) driven over UDP and TCP at rising rates, next to bare Node receivers measured
 * in the same run. Prints the highest rate with no loss, the sustained TCP rate, the server's CPU
 * per event and its memory over time. Run: npm run bench:syslog [-- --seconds 3 --max-rate 400000]
 *
 * The sender shares the machine with the server, so it sends prebuilt buffers (a ring of distinct
 * messages) and reports its own CPU per message; the bare TCP reader shows what the sender can push.
 * Correlation (Sigma detection) is off unless `--correlation on`: the target figure is for the
 * syslog path itself. `--node-options` passes V8/Node flags to the server (e.g. --max-semi-space-size=64).
 * `--phases udp,tcp,unpaced` picks the parts to run; the unpaced run prints the server's CPU per
 * message per thread (main, the store's writer, the rest: GC helpers, libuv), which holds on a busy
 * machine where rates do not. `--pipeline-batch N` and `--pipeline-in-flight N` set the server's
 * pipeline.batchSize and pipeline.maxInFlight. For CPU per
 * stage of the path without sockets, see bench/syslog-stages.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SYSLOG_BENCH_TEMPLATES as TEMPLATES, SYSLOG_BENCH_TIME_TEXT } from './syslog-templates';

const { values: argv } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    'max-rate': { type: 'string', default: '400000' },
    'tcp-total': { type: 'string', default: '1000000' },
    correlation: { type: 'string', default: 'off' },
    'node-options': { type: 'string', default: '' },
    phases: { type: 'string', default: 'udp,tcp,unpaced' },
    /** The server's pipeline.batchSize (events per batch handed to the store); unset keeps socnoc's default. */
    'pipeline-batch': { type: 'string', default: '' },
    /** The server's pipeline.maxInFlight (batches handed to the store, not yet committed). */
    'pipeline-in-flight': { type: 'string', default: '' },
    /** Pass the server's stdout through (for --trace-gc and similar flags). */
    'server-stdout': { type: 'boolean', default: false },
  },
});
const STEP_SECONDS = Number(argv.seconds);
const MAX_RATE = Number(argv['max-rate']);
const TCP_TOTAL = Number(argv['tcp-total']);
const CORRELATION = argv.correlation === 'on';
const NODE_OPTIONS = argv['node-options'].split(' ').filter((s) => s.length > 0);
/** Which parts run: `udp` (rising UDP rates), `tcp` (rising paced TCP rates), `unpaced` (TCP overload with CPU per thread). */
const PHASES = new Set(argv.phases.split(',').filter((s) => s.length > 0));
const UDP_RATES = [25_000, 50_000, 75_000, 100_000, 150_000, 200_000, 300_000, 400_000].filter((r) => r <= MAX_RATE);
const TCP_RATES = [50_000, 100_000, 150_000, 200_000, 300_000, 400_000, 600_000].filter((r) => r <= MAX_RATE * 1.5);

/** Distinct messages in the sender's ring; a run sends them again and again (event ids come from the server). */
const RING = 100_000;
/** Messages per prebuilt TCP write. */
const TCP_CHUNK = 500;
/**
 * Each template's time of day is rewritten with the sender's clock as messages go out: devices stamp
 * messages with a clock that moves. (With one fixed time for a whole run, every event would land in
 * the same millisecond of the store's (time, id) index at a random place, a pathology real traffic
 * does not have.)
 */
const TIME_TEXT = SYSLOG_BENCH_TIME_TEXT;

const DATAGRAMS: Buffer[] = Array.from({ length: RING }, (_, i) => Buffer.from(TEMPLATES[i % TEMPLATES.length] + i));
const TCP_CHUNKS: Array<{ bytes: Buffer; timeAt: number[] }> = Array.from({ length: RING / TCP_CHUNK }, (_, c) => {
  const frames: Buffer[] = [];
  for (let i = c * TCP_CHUNK; i < (c + 1) * TCP_CHUNK; i++) frames.push(Buffer.from(`${DATAGRAMS[i].length} `), DATAGRAMS[i]);
  const bytes = Buffer.concat(frames);
  const timeAt: number[] = [];
  for (let at = bytes.indexOf(TIME_TEXT); at >= 0; at = bytes.indexOf(TIME_TEXT, at + 1)) timeAt.push(at);
  return { bytes, timeAt };
});
const DATAGRAM_TIME_AT = TEMPLATES.map((t) => t.indexOf(TIME_TEXT));

let clockSecond = 0;
let clockText = TIME_TEXT;
/** The current UTC time of day, HH:MM:SS. */
function timeOfDay(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== clockSecond) {
    clockSecond = second;
    clockText = new Date(second * 1000).toISOString().slice(11, 19);
  }
  return clockText;
}

function stampedDatagram(i: number): Buffer {
  const buf = DATAGRAMS[i % RING];
  buf.write(timeOfDay(), DATAGRAM_TIME_AT[i % TEMPLATES.length], 'latin1');
  return buf;
}

function stampedChunk(c: number): Buffer {
  const chunk = TCP_CHUNKS[c];
  const now = timeOfDay();
  for (const at of chunk.timeAt) chunk.bytes.write(now, at, 'latin1');
  return chunk.bytes;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const p = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(p));
    });
  });
}

function memoryMiB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** User + system CPU seconds of a process (all its threads). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** User + system CPU seconds of each thread of a process, by thread id (the main thread's id is the pid). */
function threadCpuSeconds(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the thread ended between listing and reading
    }
  }
  return out;
}

function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Sends `rate` datagrams/s for `seconds`, in 5 ms slices. Returns how many were sent. */
async function blastUdp(port: number, rate: number, seconds: number): Promise<number> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.connect(port, '127.0.0.1', () => r()));
  const start = Date.now();
  let sent = 0;
  const total = Math.round(rate * seconds);
  let inFlight = 0;
  const done = (): void => {
    inFlight--;
  };
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * rate));
    while (sent < due) {
      inFlight++;
      sock.send(stampedDatagram(sent), done);
      sent++;
    }
    await sleep(5);
  }
  while (inFlight > 0) await sleep(5);
  sock.close();
  return sent;
}

/** Writes octet-counted frames at `rate`/s (or as fast as the socket takes them when rate = Infinity). */
async function blastTcp(port: number, rate: number, total: number): Promise<{ sent: number; seconds: number }> {
  const sock: Socket = await new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const start = Date.now();
  let sent = 0;
  let chunk = 0;
  while (sent < total) {
    const due = rate === Infinity ? total : Math.min(total, Math.floor(((Date.now() - start) / 1000) * rate));
    while (sent + TCP_CHUNK <= due || (sent < due && due === total)) {
      // A tail shorter than a chunk is cut from the next prebuilt chunk at a frame boundary.
      const n = Math.min(TCP_CHUNK, total - sent);
      const buf = n === TCP_CHUNK ? stampedChunk(chunk) : prefixFrames(stampedChunk(chunk), n);
      chunk = (chunk + 1) % TCP_CHUNKS.length;
      sent += n;
      if (!sock.write(buf)) await new Promise((r) => sock.once('drain', r));
    }
    if (sent < total) await sleep(5);
  }
  await new Promise<void>((r) => sock.end(r));
  return { sent, seconds: (Date.now() - start) / 1000 };
}

/** The first `n` octet-counted frames of a chunk. */
function prefixFrames(chunk: Buffer, n: number): Buffer {
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const space = chunk.indexOf(32, pos);
    pos = space + 1 + Number(chunk.toString('latin1', pos, space));
  }
  return chunk.subarray(0, pos);
}

class Server {
  private constructor(
    readonly child: ChildProcess,
    readonly http: number,
    readonly udp: number,
    readonly tcp: number,
    readonly token: string,
    readonly dir: string,
  ) {}

  static async start(): Promise<Server> {
    const dir = mkdtempSync(join(tmpdir(), 'socnoc-bench-'));
    const [http, udp, tcp] = [await freePort(), await freePort(), await freePort()];
    writeFileSync(
      join(dir, 'socnoc.yaml'),
      JSON.stringify({
        dataDir: join(dir, 'data'),
        log: { level: 'warn' },
        http: { host: '127.0.0.1', port: http },
        netflow: { enabled: false },
        snmp: { traps: { enabled: false } },
        correlation: { enabled: CORRELATION },
        pipeline: {
          ...(argv['pipeline-batch'] ? { batchSize: Number(argv['pipeline-batch']) } : {}),
          ...(argv['pipeline-in-flight'] ? { maxInFlight: Number(argv['pipeline-in-flight']) } : {}),
        },
        syslog: { listeners: [{ name: 'udp', protocol: 'udp', host: '127.0.0.1', port: udp }, { name: 'tcp', protocol: 'tcp', host: '127.0.0.1', port: tcp }] },
      }),
    );
    const child = spawn(process.execPath, [...NODE_OPTIONS, join(__dirname, '..', 'app', 'cli.js'), 'start', '--config', join(dir, 'socnoc.yaml')], {
      env: { ...process.env, SOCNOC_ADMIN_PASSWORD: 'bench-password-1' },
      stdio: ['ignore', argv['server-stdout'] ? 'inherit' : 'ignore', 'inherit'],
    });
    for (let i = 0; ; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${http}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: 'bench-password-1' }),
        });
        if (res.ok) return new Server(child, http, udp, tcp, ((await res.json()) as { token: string }).token, dir);
      } catch {
        // not up yet
      }
      if (i > 200 || child.exitCode !== null) {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw new Error('socnoc did not start');
      }
      await sleep(100);
    }
  }

  get pid(): number {
    return this.child.pid as number;
  }

  async counter(name: string, input: string): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${this.http}/metrics`, { headers: { authorization: `Bearer ${this.token}` } })).text();
    let total = 0;
    for (const line of text.split('\n')) if (line.startsWith(`${name}{`) && line.includes(`input="${input}"`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
    return total;
  }

  /** Waits until the stored count stops moving (or reaches `want`). */
  async settle(input: string, want: number): Promise<number> {
    let last = -1;
    let stable = 0;
    for (;;) {
      const now = await this.counter('socnoc_input_stored_total', input);
      if (now >= want) return now;
      stable = now === last ? stable + 1 : 0;
      if (stable >= 6) return now;
      last = now;
      await sleep(250);
    }
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    await new Promise((r) => this.child.once('exit', r));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs a bare receiver script in its own process; it prints 'ready', and its count when sent anything. */
async function bareReceiver(code: string, drive: (port: number) => Promise<number>): Promise<{ sent: number; got: number; seconds: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', code.replace('PORT', String(port))], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise((r) => child.once('message', r));
  const t0 = Date.now();
  const sent = await drive(port);
  const got: number = await new Promise((r) => {
    child.once('message', (m) => r(m as number));
    child.send('count');
  });
  const seconds = (Date.now() - t0) / 1000;
  child.kill();
  return { sent, got, seconds };
}

/** Reference: a bare Node UDP receiver with the same 4 MiB buffer, counting datagrams. Returns how many it lost. */
async function bareUdpLost(rate: number, seconds: number): Promise<number> {
  const code = `
    const s = require('node:dgram').createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    let n = 0; s.on('message', () => n++);
    s.bind(PORT, '127.0.0.1', () => process.send('ready'));
    process.on('message', () => setTimeout(() => process.send(n), 300));`;
  const r = await bareReceiver(code, (port) => blastUdp(port, rate, seconds));
  return r.sent - r.got;
}

/**
 * Reference: a bare Node TCP reader that splits octet-counted frames and decodes each to a string,
 * replying once it has `total` frames: how fast this sender can push when the receiver does nothing else.
 */
async function bareTcpRate(total: number): Promise<number> {
  const code = `
    let n = 0, want = 0, rest = Buffer.alloc(0), reply = null;
    const done = () => { if (reply && n >= want) { process.send(n); reply = null; } };
    require('node:net').createServer((c) => c.on('data', (d) => {
      let b = rest.length ? Buffer.concat([rest, d]) : d, p = 0;
      for (;;) { const sp = b.indexOf(32, p); if (sp < 0) break; const len = Number(b.toString('latin1', p, sp)); if (sp + 1 + len > b.length) break; b.toString('utf8', sp + 1, sp + 1 + len); n++; p = sp + 1 + len; }
      rest = b.subarray(p); done();
    })).listen(PORT, '127.0.0.1', () => process.send('ready'));
    process.on('message', () => { want = ${total}; reply = true; done(); });`;
  const r = await bareReceiver(code, async (port) => (await blastTcp(port, Infinity, total)).sent);
  return r.got / r.seconds;
}

interface Sample {
  ms: number;
  stored: number;
  rss: number;
}

/** Rate between the samples where 20% and 90% of `total` were stored: the steady state, without start-up and drain. */
function steadyRate(samples: readonly Sample[], total: number): number {
  const a = samples.find((s) => s.stored >= total * 0.2);
  const b = samples.find((s) => s.stored >= total * 0.9);
  if (a === undefined || b === undefined || b.ms <= a.ms) return NaN;
  return ((b.stored - a.stored) * 1000) / (b.ms - a.ms);
}

/** The TCP overload run: as fast as backpressure allows, with the server's CPU per message per thread. */
async function unpacedTcp(server: Server, tcpStoredSoFar: number): Promise<{ steady: number; endToEnd: number; bareTcp: number }> {
  const pid = server.pid;
  console.log(`\nTCP, as fast as backpressure allows: ${TCP_TOTAL} messages (sustained overload)`);
  const samples: Sample[] = [];
  const cpu0 = cpuSeconds(pid);
  const threads0 = threadCpuSeconds(pid);
  const ownCpu0 = ownCpuSeconds();
  const t0 = Date.now();
  let sending = true;
  const send = blastTcp(server.tcp, Infinity, TCP_TOTAL).then((r) => {
    sending = false;
    return r;
  });
  for (;;) {
    const stored = (await server.counter('socnoc_input_stored_total', 'syslog/tcp')) - tcpStoredSoFar;
    samples.push({ ms: Date.now() - t0, stored, rss: memoryMiB(pid).rss });
    if (stored >= TCP_TOTAL || (!sending && samples.length > 8 && samples[samples.length - 8].stored === stored)) break;
    await sleep(250);
  }
  const { sent } = await send;
  const last = samples[samples.length - 1];
  const seconds = last.ms / 1000;
  const serverCpuUs = ((cpuSeconds(pid) - cpu0) * 1e6) / last.stored;
  const threads = threadCpuSeconds(pid);
  const senderCpuUs = ((ownCpuSeconds() - ownCpu0) * 1e6) / sent;
  const steady = steadyRate(samples, TCP_TOTAL);
  const quarter = (q: number): number => Math.max(...samples.filter((s) => s.ms >= (last.ms * q) / 4 && s.ms <= (last.ms * (q + 1)) / 4).map((s) => s.rss));
  console.log(`  stored ${last.stored}/${sent} in ${seconds.toFixed(2)} s = ${(last.stored / seconds).toFixed(0)} msg/s end to end; steady ${steady.toFixed(0)} msg/s (20%→90% stored)`);
  console.log(`  server CPU ${serverCpuUs.toFixed(1)} µs/message (all threads); sender CPU ${senderCpuUs.toFixed(1)} µs/message`);
  const perThread = [...threads.entries()].map(([tid, s]) => ({ tid, us: ((s - (threads0.get(tid) ?? 0)) * 1e6) / last.stored })).sort((a, b) => b.us - a.us);
  const main = perThread.find((t) => t.tid === pid)?.us ?? NaN;
  const others = perThread.filter((t) => t.tid !== pid);
  const rest = others.slice(1).reduce((sum, t) => sum + t.us, 0);
  console.log(`  server CPU per thread, µs/message: main ${main.toFixed(1)}, busiest other (the store's writer) ${(others[0]?.us ?? NaN).toFixed(1)}, all others ${rest.toFixed(1)}`);
  console.log(`  server RSS MiB, max per quarter of the run: ${[0, 1, 2, 3].map((q) => quarter(q).toFixed(0)).join(' → ')}`);
  const bareTcp = await bareTcpRate(TCP_TOTAL);
  console.log(`  this sender into a bare Node reader that splits and decodes frames: ${bareTcp.toFixed(0)} msg/s`);

  return { steady, endToEnd: last.stored / seconds, bareTcp };
}

async function main(): Promise<void> {
  console.log(`socnoc syslog benchmark — node ${process.version}, ${STEP_SECONDS}s per step, correlation ${CORRELATION ? 'on' : 'off'}${NODE_OPTIONS.length ? `, server flags ${NODE_OPTIONS.join(' ')}` : ''}`);
  const server = await Server.start();
  const pid = server.pid;
  try {
    console.log('\nUDP (full path: receive, parse, normalize, store) vs bare Node UDP receiver');
    console.log('  rate/s    socnoc lost   bare lost   server RSS MiB');
    let bestUdp = 0;
    let bestBare = 0;
    let udpStoredSoFar = 0;
    for (const rate of PHASES.has('udp') ? UDP_RATES : []) {
      const sent = await blastUdp(server.udp, rate, STEP_SECONDS);
      const stored = await server.settle('syslog/udp', udpStoredSoFar + sent);
      const lost = udpStoredSoFar + sent - stored;
      udpStoredSoFar = stored;
      const bareLost = await bareUdpLost(rate, STEP_SECONDS);
      if (lost === 0) bestUdp = rate;
      if (bareLost === 0) bestBare = rate;
      console.log(`  ${String(rate).padStart(7)}  ${String(lost).padStart(12)}  ${String(bareLost).padStart(10)}   ${memoryMiB(pid).rss.toFixed(0).padStart(6)}`);
    }

    console.log('\nTCP, octet-counted, one connection, paced');
    console.log('  rate/s    achieved/s   stored lag after send (s)   server RSS MiB');
    let bestTcp = 0;
    let tcpStoredSoFar = 0;
    for (const rate of PHASES.has('tcp') ? TCP_RATES : []) {
      const total = Math.round(rate * STEP_SECONDS);
      const { sent, seconds } = await blastTcp(server.tcp, rate, total);
      const endedAt = Date.now();
      const stored = await server.settle('syslog/tcp', tcpStoredSoFar + sent);
      const lag = (Date.now() - endedAt) / 1000;
      const lost = tcpStoredSoFar + sent - stored;
      tcpStoredSoFar = stored;
      const achieved = sent / seconds;
      // Sustained: nothing lost, the sender was not held back, and storage kept up within a second and a half.
      if (lost === 0 && achieved >= rate * 0.95 && lag <= 1.5) bestTcp = rate;
      console.log(`  ${String(rate).padStart(7)}  ${achieved.toFixed(0).padStart(11)}  ${lag.toFixed(2).padStart(26)}   ${memoryMiB(pid).rss.toFixed(0).padStart(6)}${lost ? `  LOST ${lost}` : ''}`);
    }

    let steady = NaN;
    let endToEnd = NaN;
    let bareTcp = NaN;
    if (PHASES.has('unpaced')) ({ steady, endToEnd, bareTcp } = await unpacedTcp(server, tcpStoredSoFar));
    console.log('\nSummary');
    console.log(`  UDP highest rate with no loss: socnoc ${bestUdp}/s, bare Node receiver ${bestBare}/s (ratio ${bestBare ? (bestUdp / bestBare).toFixed(2) : 'n/a'})`);
    console.log(`  TCP highest sustained paced rate: ${bestTcp}/s; unpaced steady ${steady.toFixed(0)}/s, end to end ${endToEnd.toFixed(0)}/s (sender alone: ${bareTcp.toFixed(0)}/s)`);
    const mem = memoryMiB(pid);
    console.log(`  server memory: RSS now ${mem.rss.toFixed(0)} MiB, peak ${mem.hwm.toFixed(0)} MiB`);
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
