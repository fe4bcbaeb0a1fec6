/**
 * Issue 5's benchmark: flows/s received, decoded and aggregated with no loss by socnoc's collector, next to
 * nfcapd receiving the same replayed stream in the same run.
 *
 * The stream (bench/flows-stream.ts): NetFlow v9 datagrams as a router sends them (38 flows each, template
 * in every datagram) over 20,000 conversations between 5,000 internal hosts and 20,000 public addresses,
 * timed in the current minute. A sender process replays them over loopback UDP at a fixed rate for a few
 * seconds; the rate rises step by step until a step loses something, for each path in turn:
 *   - socnoc `aggregate`: listener -> decode -> classify -> per-minute aggregates with summaries and
 *     baselines (day files in a temp folder), no flow events (netflow.toCorrelation false);
 *   - socnoc `full`, the collector as `socnoc start` configures it by default: the same plus GeoIP (the
 *     shipped database) and flow events for the flows a rule or intel can match (netflow.correlation
 *     `matching`), offered to a counting sink standing for the pipeline;
 *   - with --all-events, also every flow as an event (netflow.correlation.flows: all);
 *   - nfcapd (nfdump 1.7), counted with nfdump afterwards.
 * No loss is judged by counters: socnoc received every datagram sent (socnoc_input_received_total),
 * aggregated every flow in them (socnoc_flow_aggregated_total) and dropped none (socnoc_input_dropped_total);
 * nfcapd wrote every flow sent. A step that loses is run once more before it counts (the machine is
 * shared); the highest lossless rate actually sent is reported, and the CPU time the receiver used per
 * flow over its lossless steps (socnoc: process.cpuUsage of its process; nfcapd: /proc/<pid>/stat), which
 * the load of a shared machine moves far less than the rates.
 *
 *   npm run build && node dist/bench/netflow-vs-nfcapd.js [--seconds 3] [--min-rate 0] [--max-rate 4000000]
 *     [--paths aggregate,full,all-events] [--all-events] [--only socnoc|nfcapd] [--receive-thread on|off]
 */
import { execFile, fork, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import pino from 'pino';
import { Metrics } from '../core/metrics';
import { createFlowCollector } from '../collectors/netflow';
import { netflowConfigSchema } from '../collectors/netflow/config';
import { CountingSink } from '../collectors/netflow/testing/sink';
import { V9_FLOWS_PER_DATAGRAM } from '../collectors/netflow/testing/v9-datagrams';
import { benchAgencies, flowStream } from './flows-stream';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const RATES = [50_000, 100_000, 150_000, 200_000, 300_000, 400_000, 500_000, 650_000, 800_000, 1_000_000, 1_200_000, 1_600_000, 2_000_000, 2_400_000, 3_200_000, 4_000_000];
const RECEIVE_BUFFER = 8 * 1024 * 1024;

interface SendJob {
  /** The stream's time base (the sender rebuilds the same datagrams). */
  streamMs: number;
  port: number;
  /** datagrams per second */
  rate: number;
  seconds: number;
}

/** Sender process: replays the datagrams in a loop, paced by the clock; reports how many it sent. */
async function sender(job: SendJob): Promise<void> {
  const datagrams = flowStream(job.streamMs);
  const s = createSocket('udp4');
  const end = Date.now() + job.seconds * 1000;
  const start = process.hrtime.bigint();
  let sent = 0;
  while (Date.now() < end) {
    const due = Math.floor((Number(process.hrtime.bigint() - start) / 1e9) * job.rate);
    for (let n = 0; sent < due && n < 64; n++) {
      s.send(datagrams[sent % datagrams.length], job.port, '127.0.0.1');
      sent++;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await sleep(100);
  s.close();
  process.send?.({ sent });
}

/** The sender runs in its own process, so the receiver's CPU time is its own. */
function send(job: SendJob): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--sender', JSON.stringify(job)], { stdio: 'inherit' });
    child.once('message', (m: { sent: number }) => resolve(m.sent));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`sender exited with ${code}`));
    });
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createSocket('udp4');
    probe.bind(0, '127.0.0.1', () => {
      const p = probe.address().port;
      probe.close(() => resolve(p));
    });
  });
}

interface Step {
  rate: number;
  sentFlows: number;
  gotFlows: number;
  seconds: number;
  /** socnoc: flow events offered to the pipeline. */
  events?: number;
  /** CPU seconds the receiver used during the step (socnoc: this process; nfcapd: from /proc). */
  cpuSeconds: number;
}

type SocnocPath = 'aggregate' | 'full' | 'all-events';

async function metricSum(metrics: Metrics, name: string): Promise<number> {
  return (await metrics.registry.getSingleMetric(name)?.get())?.values.reduce((a, v) => a + v.value, 0) ?? 0;
}

/** netflow.receiveThread for the socnoc steps (`--receive-thread on|off`, default on as shipped). */
let receiveThread = true;

/** One step into socnoc's collector; got = flows aggregated, or 0 when a datagram was not received or a record dropped. */
async function socnocStep(streamMs: number, flowRate: number, seconds: number, path: SocnocPath): Promise<Step> {
  const dataDir = mkdtempSync(join(tmpdir(), 'socnoc-bench-vs-nfcapd-'));
  const metrics = new Metrics({ defaultMetrics: false });
  const sink = new CountingSink();
  const config = netflowConfigSchema.parse({
    listeners: [{ name: 'udp', transport: 'udp', host: '127.0.0.1', port: 0 }],
    udpReceiveBufferBytes: RECEIVE_BUFFER,
    toCorrelation: path !== 'aggregate',
    correlation: { flows: path === 'all-events' ? 'all' : 'matching' },
    receiveThread,
  });
  // GeoIP as socnoc start builds it (the shipped database) on the paths with flow events.
  const collector = createFlowCollector({ sink, agencies: benchAgencies(), metrics, logger: pino({ level: 'warn' }), dataDir, geoip: path === 'aggregate' ? null : undefined }, config);
  await collector.start();
  try {
    const port = collector.listeners()[0].address().port;
    const cpu0 = process.cpuUsage();
    const sent = await send({ streamMs, port, rate: Math.round(flowRate / V9_FLOWS_PER_DATAGRAM), seconds });
    await sleep(500);
    const cpu = process.cpuUsage(cpu0);
    const received = await metricSum(metrics, 'socnoc_input_received_total');
    const aggregated = await metricSum(metrics, 'socnoc_flow_aggregated_total');
    const dropped = await metricSum(metrics, 'socnoc_input_dropped_total');
    const complete = received === sent && dropped === 0;
    return { rate: flowRate, sentFlows: sent * V9_FLOWS_PER_DATAGRAM, gotFlows: complete ? aggregated : Math.min(aggregated, received * V9_FLOWS_PER_DATAGRAM - dropped), seconds, events: sink.count, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    await collector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function nfcapdStep(streamMs: number, flowRate: number, seconds: number): Promise<Step> {
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-bench-nfcapd-'));
  const port = await freePort();
  const child = spawn('/usr/bin/nfcapd', ['-b', '127.0.0.1', '-p', String(port), '-w', dir, '-t', '600', '-B', String(RECEIVE_BUFFER)], { stdio: 'ignore' });
  try {
    await sleep(500);
    const pid = child.pid ?? 0;
    const cpu0 = procCpuSeconds(pid);
    const sent = await send({ streamMs, port, rate: Math.round(flowRate / V9_FLOWS_PER_DATAGRAM), seconds });
    await sleep(500);
    // Before SIGTERM: what it spent receiving, not writing its file at exit.
    const cpuSeconds = procCpuSeconds(pid) - cpu0;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    const { stdout } = await promisify(execFile)('/usr/bin/nfdump', ['-R', dir, '-q', '-o', 'fmt:%pr'], { maxBuffer: 1 << 30 });
    let n = 0;
    for (let i = stdout.indexOf('\n'); i >= 0; i = stdout.indexOf('\n', i + 1)) n++;
    return { rate: flowRate, sentFlows: sent * V9_FLOWS_PER_DATAGRAM, gotFlows: n, seconds, cpuSeconds };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function line(who: string, s: Step): string {
  const lost = Math.max(0, s.sentFlows - s.gotFlows);
  const achieved = Math.round(s.sentFlows / s.seconds);
  const events = s.events === undefined ? '' : `, ${s.events.toLocaleString('en-US')} events`;
  return `  ${who.padEnd(16)} offered ${s.rate.toLocaleString('en-US').padStart(9)} flows/s (sent ${achieved.toLocaleString('en-US').padStart(9)}/s): got ${s.gotFlows.toLocaleString('en-US').padStart(10)} of ${s.sentFlows.toLocaleString('en-US').padStart(10)}, lost ${((100 * lost) / Math.max(1, s.sentFlows)).toFixed(3)}%, CPU ${((1e6 * s.cpuSeconds) / Math.max(1, s.gotFlows)).toFixed(2)} us/flow${events}`;
}

/** Set when a step's sender could not offer its rate (the summary says the rate is the sender's ceiling). */
let senderCeiling = false;

interface Outcome {
  /** Highest lossless rate actually sent, flows/s. */
  rate: number;
  /** CPU seconds per flow over the lossless steps (load-independent cost). */
  cpuPerFlow: number;
}

/** Highest no-loss rate: steps up until a loss; the rate actually sent (the sender may fall short) counts. */
async function highestLossless(who: string, step: (rate: number) => Promise<Step>, minRate: number, maxRate: number): Promise<Outcome> {
  let best = 0;
  let cpu = 0;
  let flows = 0;
  for (const rate of RATES.filter((r) => r >= minRate && r <= maxRate)) {
    let s = await step(rate);
    console.log(line(who, s));
    if (s.sentFlows < 0.95 * rate * s.seconds) {
      // The sender process could not offer the step's rate: what is measured beyond is the sender.
      console.log(`  ${who}: the sender fell short of ${rate.toLocaleString('en-US')} flows/s on this machine; stepping stops (its ceiling, not the receiver's)`);
      senderCeiling = true;
      if (s.gotFlows < s.sentFlows) break;
      best = Math.max(best, Math.round(s.sentFlows / s.seconds));
      cpu += s.cpuSeconds;
      flows += s.gotFlows;
      break;
    }
    if (s.gotFlows < s.sentFlows) {
      // Once more: another process may have had the core for a moment.
      s = await step(rate);
      console.log(line(`${who} (again)`, s));
      if (s.gotFlows < s.sentFlows) break;
    }
    best = Math.max(best, Math.round(s.sentFlows / s.seconds));
    cpu += s.cpuSeconds;
    flows += s.gotFlows;
  }
  return { rate: best, cpuPerFlow: flows > 0 ? cpu / flows : 0 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '3' }, 'min-rate': { type: 'string', default: '0' }, 'max-rate': { type: 'string', default: '4000000' }, paths: { type: 'string' }, 'receive-thread': { type: 'string', default: 'on' }, 'all-events': { type: 'boolean', default: false }, only: { type: 'string' } },
  });
  const seconds = Number(values.seconds);
  const maxRate = Number(values['max-rate']);
  const minRate = Number(values['min-rate']);
  if (!existsSync('/usr/bin/nfcapd') || !existsSync('/usr/bin/nfdump')) throw new Error('/usr/bin/nfcapd not found: apt-get install nfdump');
  const streamMs = Date.now();
  console.log(`stream: ${flowStream(streamMs).length} NetFlow v9 datagrams x ${V9_FLOWS_PER_DATAGRAM} flows, replayed for ${seconds} s per step from a separate process`);
  receiveThread = values['receive-thread'] !== 'off';
  const paths: SocnocPath[] = values.paths === undefined ? ['aggregate', 'full'] : (values.paths.split(',') as SocnocPath[]);
  if (values['all-events'] === true && !paths.includes('all-events')) paths.push('all-events');
  const results: Array<[string, Outcome]> = [];
  if (values.only !== 'nfcapd') {
    // One untimed step first: every step starts a new collector, but in a process whose code is compiled.
    await socnocStep(streamMs, 20_000, 1, 'full');
    for (const path of paths) results.push([`socnoc ${path}`, await highestLossless(`socnoc ${path}`, (rate) => socnocStep(streamMs, rate, seconds, path), minRate, maxRate)]);
  }
  const nfcapd = values.only === 'socnoc' ? { rate: 0, cpuPerFlow: 0 } : await highestLossless('nfcapd', (rate) => nfcapdStep(streamMs, rate, seconds), minRate, maxRate);
  const top = RATES.filter((r) => r <= maxRate).slice(-1)[0];
  const us = (o: Outcome): string => `${(o.cpuPerFlow * 1e6).toFixed(2)} CPU-us/flow`;
  console.log('highest no-loss rate (flows/s, wall clock: depends on the CPU share the machine gives) and CPU time per flow received (load-independent):');
  for (const [who, o] of results) {
    const ratio = nfcapd.rate > 0 ? ` = ${(o.rate / nfcapd.rate).toFixed(2)} x nfcapd's rate` : '';
    const cpuRatio = nfcapd.cpuPerFlow > 0 && o.cpuPerFlow > 0 ? `, ${(o.cpuPerFlow / nfcapd.cpuPerFlow).toFixed(1)} x nfcapd's CPU per flow` : '';
    console.log(`  ${who.padEnd(18)} ${o.rate.toLocaleString('en-US').padStart(10)}${o.rate >= top * 0.95 ? ' (top step: a floor)' : ''}${ratio}; ${us(o)}${cpuRatio}`);
  }
  if (nfcapd.rate > 0) console.log(`  ${'nfcapd'.padEnd(18)} ${nfcapd.rate.toLocaleString('en-US').padStart(10)}${nfcapd.rate >= top * 0.95 ? ' (top step: a floor)' : ''}; ${us(nfcapd)}`);
  if (senderCeiling) console.log('  (a rate marked as the top step or stopped by the sender is a floor: the sender process could not offer more here)');
  console.log('issue 5 target: socnoc >= 100,000 flows/s and >= 0.5 x nfcapd');
}

if (process.argv[2] === '--sender') {
  void sender(JSON.parse(process.argv[3]) as SendJob);
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
