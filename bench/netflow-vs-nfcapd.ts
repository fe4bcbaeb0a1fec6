/**
 * Issue 5's benchmark: flows/s received, decoded and aggregated with no loss by socnoc's collector, next to
 * nfcapd receiving the same replayed stream in the same run.
 *
 * The stream: NetFlow v9 datagrams as a router sends them (38 flows each, template in every datagram)
 * over 20,000 conversations between 5,000 internal hosts and 20,000 public addresses, timed in the
 * current minute. A worker thread replays them over loopback UDP at a fixed rate for a few seconds; the
 * rate rises step by step, first into socnoc, then into nfcapd, until each loses something. socnoc runs
 * its default path on its main thread: listener -> decode -> classify -> per-minute aggregates (with
 * summaries and baselines, day files in a temp folder) and, unless --no-correlation, an ECS event per flow
 * for correlation (into a counting sink, standing for the pipeline). No loss means every datagram sent was
 * received and every flow in them was aggregated (socnoc) or written by nfcapd (counted with nfdump).
 *
 *   npm run build && node dist/bench/netflow-vs-nfcapd.js [--seconds 3] [--max-rate 1600000] [--no-correlation]
 */
import { execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pino from 'pino';
import { Metrics } from '../core/metrics';
import { AgencyResolver } from '../core/tenancy';
import { createFlowCollector } from '../collectors/netflow';
import { netflowConfigSchema } from '../collectors/netflow/config';
import { CountingSink } from '../collectors/netflow/testing/sink';
import { netflowV9Datagrams, V9_FLOWS_PER_DATAGRAM, type V9Flow } from '../collectors/netflow/testing/v9-datagrams';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const RATES = [50_000, 100_000, 150_000, 200_000, 300_000, 400_000, 500_000, 650_000, 800_000, 1_000_000, 1_200_000, 1_600_000];
const RECEIVE_BUFFER = 8 * 1024 * 1024;

interface SendJob {
  datagrams: Uint8Array[];
  port: number;
  /** datagrams per second */
  rate: number;
  seconds: number;
}

/** Worker: replays the datagrams in a loop, paced by the clock; reports how many it sent. */
async function sender(job: SendJob): Promise<void> {
  const s = createSocket('udp4');
  const end = Date.now() + job.seconds * 1000;
  const start = process.hrtime.bigint();
  let sent = 0;
  while (Date.now() < end) {
    const due = Math.floor((Number(process.hrtime.bigint() - start) / 1e9) * job.rate);
    for (let n = 0; sent < due && n < 64; n++) {
      s.send(job.datagrams[sent % job.datagrams.length], job.port, '127.0.0.1');
      sent++;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await sleep(100);
  s.close();
  parentPort?.postMessage({ sent });
}

function send(job: SendJob): Promise<number> {
  return new Promise((resolve, reject) => {
    const w = new Worker(__filename, { workerData: job });
    w.once('message', (m: { sent: number }) => resolve(m.sent));
    w.once('error', reject);
  });
}

function stream(nowMs: number): Buffer[] {
  const flows: V9Flow[] = [];
  const conversations = 20_000;
  for (let i = 0; i < 2 * 38 * 1000; i++) {
    const c = (i * 7919) % conversations;
    const inside = `10.${c % 10}.${(c >> 8) & 15}.${c & 255}`;
    const v = (Math.imul(c + 1, 2654435761) >>> 0) | 0x01000000;
    const outside = `${(v >>> 24) % 223 || 1}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
    const upload = i % 2 === 0;
    flows.push({
      src: upload ? inside : outside,
      dst: upload ? outside : inside,
      srcPort: upload ? 32_768 + (i % 28_000) : 443,
      dstPort: upload ? 443 : 32_768 + (i % 28_000),
      protocol: 6,
      bytes: 1500 + (i % 50_000),
      packets: 3 + (i % 40),
      firstMs: nowMs - 2000,
      lastMs: nowMs - 1000,
      inIf: 1 + (i % 4),
      outIf: 5,
      tcpFlags: 0x1b,
    });
  }
  return netflowV9Datagrams(flows, { bootMs: nowMs - 86_400_000, exportMs: nowMs });
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
}

/** flows received and aggregated by socnoc for one step */
async function socnocStep(datagrams: Buffer[], flowRate: number, seconds: number, correlation: boolean): Promise<Step> {
  const dataDir = mkdtempSync(join(tmpdir(), 'socnoc-bench-vs-nfcapd-'));
  const metrics = new Metrics({ defaultMetrics: false });
  const sink = new CountingSink();
  const config = netflowConfigSchema.parse({ listeners: [{ name: 'udp', transport: 'udp', host: '127.0.0.1', port: 0 }], udpReceiveBufferBytes: RECEIVE_BUFFER, toCorrelation: correlation });
  const agencies = new AgencyResolver(Array.from({ length: 10 }, (_, i) => ({ id: `agency-${i}`, name: `Agency ${i}`, cidrs: [`10.${i}.0.0/16`] })));
  const collector = createFlowCollector({ sink, agencies, metrics, logger: pino({ level: 'warn' }), dataDir, geoip: null }, config);
  await collector.start();
  try {
    const port = collector.listeners()[0].address().port;
    const sent = await send({ datagrams: datagrams.map((d) => new Uint8Array(d)), port, rate: Math.round(flowRate / V9_FLOWS_PER_DATAGRAM), seconds });
    await sleep(500);
    const aggregated = (await metrics.registry.getSingleMetric('socnoc_flow_aggregated_total')?.get())?.values.reduce((a, v) => a + v.value, 0) ?? 0;
    return { rate: flowRate, sentFlows: sent * V9_FLOWS_PER_DATAGRAM, gotFlows: aggregated, seconds };
  } finally {
    await collector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function nfcapdStep(datagrams: Buffer[], flowRate: number, seconds: number): Promise<Step> {
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-bench-nfcapd-'));
  const port = await freePort();
  const child = spawn('/usr/bin/nfcapd', ['-b', '127.0.0.1', '-p', String(port), '-w', dir, '-t', '600', '-B', String(RECEIVE_BUFFER)], { stdio: 'ignore' });
  try {
    await sleep(500);
    const sent = await send({ datagrams: datagrams.map((d) => new Uint8Array(d)), port, rate: Math.round(flowRate / V9_FLOWS_PER_DATAGRAM), seconds });
    await sleep(500);
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    const { stdout } = await promisify(execFile)('/usr/bin/nfdump', ['-R', dir, '-q', '-o', 'fmt:%pr'], { maxBuffer: 1 << 30 });
    let n = 0;
    for (let i = stdout.indexOf('\n'); i >= 0; i = stdout.indexOf('\n', i + 1)) n++;
    return { rate: flowRate, sentFlows: sent * V9_FLOWS_PER_DATAGRAM, gotFlows: n, seconds };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function line(who: string, s: Step): string {
  const lost = Math.max(0, s.sentFlows - s.gotFlows);
  const achieved = Math.round(s.sentFlows / s.seconds);
  return `  ${who.padEnd(7)} offered ${s.rate.toLocaleString('en-US').padStart(9)} flows/s (sent ${achieved.toLocaleString('en-US').padStart(9)}/s): got ${s.gotFlows.toLocaleString('en-US').padStart(10)} of ${s.sentFlows.toLocaleString('en-US').padStart(10)}, lost ${((100 * lost) / Math.max(1, s.sentFlows)).toFixed(3)}%`;
}

/** Highest no-loss rate: steps up until a loss; the rate actually sent (the sender may fall short) counts. */
async function highestLossless(who: string, step: (rate: number) => Promise<Step>, maxRate: number): Promise<number> {
  let best = 0;
  for (const rate of RATES.filter((r) => r <= maxRate)) {
    const s = await step(rate);
    console.log(line(who, s));
    if (s.gotFlows < s.sentFlows) break;
    best = Math.max(best, Math.round(s.sentFlows / s.seconds));
  }
  return best;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, 'max-rate': { type: 'string', default: '1600000' }, 'no-correlation': { type: 'boolean', default: false } } });
  const seconds = Number(values.seconds);
  const maxRate = Number(values['max-rate']);
  const correlation = !values['no-correlation'];
  if (!existsSync('/usr/bin/nfcapd') || !existsSync('/usr/bin/nfdump')) throw new Error('/usr/bin/nfcapd not found: apt-get install nfdump');
  const datagrams = stream(Date.now());
  console.log(`stream: ${datagrams.length} NetFlow v9 datagrams x ${V9_FLOWS_PER_DATAGRAM} flows, replayed for ${seconds} s per step; socnoc path: aggregate + summaries + baselines${correlation ? ' + an ECS event per flow for correlation' : ''}`);
  const socnoc = await highestLossless('socnoc', (rate) => socnocStep(datagrams, rate, seconds, correlation), maxRate);
  const nfcapd = await highestLossless('nfcapd', (rate) => nfcapdStep(datagrams, rate, seconds), maxRate);
  console.log(`highest no-loss rate: socnoc ${socnoc.toLocaleString('en-US')} flows/s, nfcapd ${nfcapd.toLocaleString('en-US')} flows/s`);
  console.log(`socnoc / nfcapd: ${(socnoc / Math.max(1, nfcapd)).toFixed(2)} (issue 5 target: socnoc >= 100,000 flows/s and >= 0.5)`);
  if (socnoc >= RATES.filter((r) => r <= maxRate).slice(-1)[0] * 0.95 || nfcapd >= RATES.filter((r) => r <= maxRate).slice(-1)[0] * 0.95) {
    console.log('  (a figure at the top step is a floor: raise --max-rate)');
  }
}

if (isMainThread) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  void sender(workerData as SendJob);
}
