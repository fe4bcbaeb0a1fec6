/**
 * Flow collector throughput: real exporter datagrams (softflowd NetFlow v9, ~25 flows per datagram)
 * replayed over loopback UDP at rising rates into the collector (listener -> decode -> normalize -> a
 * counting sink), and IPFIX over TCP as fast as backpressure allows. A worker thread sends, so the
 * collector's thread does only the receiving. Prints, per rate, flows/s received and lost; with nfcapd
 * installed, the same stream into nfcapd in the same run, for scale. Also: decode + normalize without
 * sockets, to separate the socket cost.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/netflow-collector.js [--seconds 3] [--max-rate 800000] [--no-nfcapd]
 */
import { execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pino from 'pino';
import { Metrics } from '../core/metrics';
import { AgencyResolver } from '../core/tenancy';
import { createFlowCollector } from '../collectors/netflow';
import { netflowConfigSchema } from '../collectors/netflow/config';
import { decodeFlowPacket, FlowTemplateCache } from '../collectors/netflow/decode';
import { FlowNormalizer } from '../collectors/netflow/normalize';
import { readCapture, type CaptureName } from '../collectors/netflow/testdata/captures';
import { CountingSink } from '../collectors/netflow/testing/sink';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface SendJob {
  kind: 'udp' | 'tcp';
  capture: CaptureName;
  port: number;
  /** datagrams per second (udp) */
  rate: number;
  seconds: number;
}

/** Worker: sends the capture's packets in a loop, paced by the wall clock; reports what it sent. */
async function sender(job: SendJob): Promise<void> {
  const packets = readCapture(job.capture);
  const end = Date.now() + job.seconds * 1000;
  let sent = 0;
  if (job.kind === 'udp') {
    const s = createSocket('udp4');
    const start = process.hrtime.bigint();
    while (Date.now() < end) {
      const due = Math.floor((Number(process.hrtime.bigint() - start) / 1e9) * job.rate);
      // At most 64 per turn so the send queue drains between turns.
      for (let n = 0; sent < due && n < 64; n++) {
        s.send(packets[sent % packets.length], job.port, '127.0.0.1');
        sent++;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await sleep(200);
    s.close();
  } else {
    const whole = Buffer.concat(packets);
    const socket = connect(job.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    while (Date.now() < end) {
      if (!socket.write(whole)) await new Promise<void>((resolve) => socket.once('drain', () => resolve()));
      sent += packets.length;
    }
    await new Promise<void>((resolve) => socket.end(() => resolve()));
  }
  parentPort?.postMessage({ sent });
}

function send(job: SendJob): Promise<number> {
  return new Promise((resolve, reject) => {
    const w = new Worker(__filename, { workerData: job });
    w.once('message', (m: { sent: number }) => resolve(m.sent));
    w.once('error', reject);
  });
}

/** Flows in one pass over a capture, and one pass's datagrams. */
function captureFlows(capture: CaptureName): { flows: number; packets: number } {
  const cache = new FlowTemplateCache();
  let flows = 0;
  const packets = readCapture(capture);
  for (const p of packets) flows += decodeFlowPacket(p, { exporter: '127.0.0.1', receivedMs: Date.now() }, cache).flows.length;
  return { flows, packets: packets.length };
}

function decodeNormalizeOnly(capture: CaptureName, seconds: number): number {
  const packets = readCapture(capture);
  const cache = new FlowTemplateCache();
  const normalizer = new FlowNormalizer({ agencies: new AgencyResolver([{ id: 'a', name: 'A', cidrs: ['10.0.0.0/24'] }]), internalNetworks: ['10.0.0.0/8'] });
  const sink = new CountingSink();
  const ctxIn = { exporter: '127.0.0.1', receivedMs: 0 };
  const run = (deadline: bigint): number => {
    let flows = 0;
    while (process.hrtime.bigint() < deadline) {
      for (const p of packets) {
        ctxIn.receivedMs = Date.now();
        const r = decodeFlowPacket(p, ctxIn, cache);
        const ctx = normalizer.packetContext('127.0.0.1', ctxIn.receivedMs);
        for (const f of r.flows) sink.offer(normalizer.flowEvent(f, ctx));
        flows += r.flows.length;
      }
    }
    return flows;
  };
  run(process.hrtime.bigint() + 500_000_000n);
  const t0 = process.hrtime.bigint();
  const flows = run(t0 + BigInt(Math.round(seconds * 1e9)));
  return flows / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function nfcapdStep(job: Omit<SendJob, 'port'>, port: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-bench-nfcapd-'));
  const child = spawn('/usr/bin/nfcapd', ['-b', '127.0.0.1', '-p', String(port), '-w', dir, '-t', '600', '-B', String(8 * 1024 * 1024)], { stdio: 'ignore' });
  await sleep(500);
  await send({ ...job, port });
  await sleep(500);
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  const { stdout } = await promisify(execFile)('/usr/bin/nfdump', ['-R', dir, '-q', '-o', 'fmt:%pr'], { maxBuffer: 1 << 30 });
  rmSync(dir, { recursive: true, force: true });
  let n = 0;
  for (let i = stdout.indexOf('\n'); i >= 0; i = stdout.indexOf('\n', i + 1)) n++;
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, 'max-rate': { type: 'string', default: '800000' }, 'no-nfcapd': { type: 'boolean', default: false } } });
  const seconds = Number(values.seconds);
  const maxRate = Number(values['max-rate']);
  const withNfcapd = !values['no-nfcapd'] && existsSync('/usr/bin/nfcapd') && existsSync('/usr/bin/nfdump');
  const capture: CaptureName = 'softflowd-v9';
  const per = captureFlows(capture);
  const flowsPerDatagram = per.flows / per.packets;
  console.log(`capture ${capture}: ${per.flows} flows in ${per.packets} datagrams (${flowsPerDatagram.toFixed(1)} flows/datagram), ${seconds} s per step`);
  console.log(`decode + normalize only (no sockets, one core): ${Math.round(decodeNormalizeOnly(capture, seconds)).toLocaleString('en-US')} flows/s`);

  const sink = new CountingSink();
  const metrics = new Metrics({ defaultMetrics: false });
  const config = netflowConfigSchema.parse({
    listeners: [
      { name: 'udp', transport: 'udp', host: '127.0.0.1', port: 0 },
      { name: 'tcp', transport: 'tcp', host: '127.0.0.1', port: 0 },
    ],
  });
  const collector = createFlowCollector({ sink, agencies: new AgencyResolver([{ id: 'a', name: 'A', cidrs: ['10.0.0.0/24'] }]), metrics, logger: pino({ level: 'warn' }) }, config);
  await collector.start();
  const udpPort = collector.listeners()[0].address().port;
  const probe = createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', () => resolve()));
  probe.setRecvBufferSize(config.udpReceiveBufferBytes);
  console.log(`UDP receive buffer: ${probe.getRecvBufferSize()} bytes granted for ${config.udpReceiveBufferBytes} requested`);
  probe.close();
  const tcpPort = collector.listeners()[1].address().port;
  const udpStats = metrics.input('netflow/udp');

  console.log('\nUDP NetFlow v9, offered rate -> received (socnoc) | received (nfcapd, same run)');
  const rates = [50_000, 100_000, 200_000, 300_000, 400_000, 600_000, 800_000, 1_200_000].filter((r) => r <= maxRate);
  let bestLossless = 0;
  let lossSeen = false;
  for (const flowRate of rates) {
    const datagramRate = Math.round(flowRate / flowsPerDatagram);
    const before = sink.count;
    const receivedBefore = udpStats.received;
    const sentDatagrams = await send({ kind: 'udp', capture, port: udpPort, rate: datagramRate, seconds });
    await sleep(300);
    const sentFlows = Math.round((sentDatagrams / per.packets) * per.flows);
    const got = sink.count - before;
    const lostDatagrams = sentDatagrams - (udpStats.received - receivedBefore);
    const lossPct = (100 * Math.max(0, sentFlows - got)) / sentFlows;
    if (lostDatagrams > 0) lossSeen = true;
    else if (!lossSeen) bestLossless = flowRate;
    let line = `  ${flowRate.toLocaleString('en-US').padStart(9)} flows/s offered: socnoc ${Math.round(got / seconds).toLocaleString('en-US').padStart(9)} flows/s, lost ${lossPct.toFixed(2)}% (${Math.max(0, lostDatagrams)} datagrams)`;
    if (withNfcapd) {
      const nfPort = await new Promise<number>((resolve) => {
        const probe = createSocket('udp4');
        probe.bind(0, '127.0.0.1', () => {
          const p = probe.address().port;
          probe.close(() => resolve(p));
        });
      });
      const nfFlows = await nfcapdStep({ kind: 'udp', capture, rate: datagramRate, seconds }, nfPort);
      line += ` | nfcapd ${Math.round(nfFlows / seconds).toLocaleString('en-US').padStart(9)} flows/s, lost ${((100 * Math.max(0, sentFlows - nfFlows)) / sentFlows).toFixed(2)}%`;
    }
    console.log(line);
    if (lossPct > 20) break;
  }
  console.log(`  highest offered rate before the first loss: ${bestLossless.toLocaleString('en-US')} flows/s`);

  console.log('\nIPFIX over TCP (pmacct capture), as fast as backpressure allows:');
  const tcpPer = captureFlows('pmacct-ipfix');
  const before = sink.count;
  const t0 = Date.now();
  const sentMessages = await send({ kind: 'tcp', capture: 'pmacct-ipfix', port: tcpPort, rate: 0, seconds });
  const expected = Math.round((sentMessages / tcpPer.packets) * tcpPer.flows);
  while (sink.count - before < expected && Date.now() - t0 < seconds * 1000 + 10_000) await sleep(20);
  const took = (Date.now() - t0) / 1000;
  console.log(`  ${(sink.count - before).toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} flows in ${took.toFixed(2)} s: ${Math.round((sink.count - before) / took).toLocaleString('en-US')} flows/s`);

  await collector.stop();
  const mem = process.memoryUsage();
  console.log(`\nrss ${(mem.rss / 1048576).toFixed(0)} MiB, heap used ${(mem.heapUsed / 1048576).toFixed(0)} MiB; failed ${udpStats.totalFailed()}, dropped ${udpStats.totalDropped()}`);
}

if (isMainThread) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  void sender(workerData as SendJob);
}
