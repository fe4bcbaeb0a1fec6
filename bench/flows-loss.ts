/**
 * Datagrams lost across a minute close on a small socket receive buffer: a collector listening on
 * loopback UDP with `udpReceiveBufferBytes` 212992 (stock Debian net.core.rmem_max; Linux grants twice
 * the request), its minute pre-filled with the replayed stream (bench/flows-stream.ts, `--conversations`
 * keys), receives a steady rate from a worker thread (the sender has its own event loop) while the
 * minute is closed by force, at once (closeDue, before speed pass 5) or in slices (closeDueSliced, what
 * the timer runs). Prints, per close mode, datagrams sent, received and lost, and the longest event-loop
 * stall. A run without a close gives the rate's own loss. `--listener` picks the plain listener (socket on
 * the main thread), the receive-thread listener (netflow.receiveThread), or both in turn.
 *
 *   npm run build --silent && node dist/bench/flows-loss.js [--rate 100000] [--seconds 4] [--conversations 40000] [--rounds 2] [--mode none|at-once|sliced] [--listener main|thread|both]
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pino from 'pino';
import { Metrics } from '../core/metrics';
import { createFlowCollectorParts } from '../collectors/netflow';
import { netflowConfigSchema } from '../collectors/netflow/config';
import { createFlowUdpListener } from '../collectors/netflow/listen/udp';
import { FlowFormatCounts } from '../collectors/netflow/metrics';
import { CountingSink } from '../collectors/netflow/testing/sink';
import type { FlowPeer } from '../collectors/netflow/listen/types';
import { benchAgencies, flowStream } from './flows-stream';

/** Stock Debian net.core.rmem_max. */
const RECEIVE_BUFFER_BYTES = 212_992;
/** Flows per replayed datagram (flows-stream.ts). */
const FLOWS_PER_DATAGRAM = 38;

type CloseMode = 'none' | 'at-once' | 'sliced';

interface SendJob {
  port: number;
  datagramsPerSecond: number;
  seconds: number;
  conversations: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Worker: sends the stream paced by the wall clock (at most 32 per turn), reports how many it sent. */
async function sender(job: SendJob): Promise<void> {
  const datagrams = flowStream(Date.now(), job.conversations);
  const s = createSocket('udp4');
  const start = process.hrtime.bigint();
  const end = job.seconds * 1e9;
  let sent = 0;
  for (;;) {
    const elapsed = Number(process.hrtime.bigint() - start);
    if (elapsed >= end) break;
    const due = Math.floor((elapsed / 1e9) * job.datagramsPerSecond);
    for (let n = 0; sent < due && n < 32; n++) {
      s.send(datagrams[sent % datagrams.length], job.port, '127.0.0.1');
      sent++;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await sleep(100);
  s.close();
  parentPort?.postMessage({ sent });
}

interface LossRun {
  mode: CloseMode;
  sent: number;
  received: number;
  closeWallMs: number;
  maxStallMs: number;
  maxSliceMs: number;
  rows: number;
}

async function lossRun(mode: CloseMode, flowsPerSecond: number, seconds: number, conversations: number, receiveThread: boolean): Promise<LossRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'socnoc-bench-flows-loss-'));
  const config = netflowConfigSchema.parse({ listeners: [{ name: 'udp', transport: 'udp', host: '127.0.0.1', port: 0 }], udpReceiveBufferBytes: RECEIVE_BUFFER_BYTES });
  const metrics = new Metrics({ defaultMetrics: false });
  const log = pino({ level: 'silent' });
  const parts = createFlowCollectorParts({ sink: new CountingSink(), agencies: benchAgencies(), metrics, logger: log, dataDir, geoip: null }, config, log);
  const ingest = parts.ingest({ name: 'udp', agency: undefined }, new FlowFormatCounts('netflow/udp'));
  // The minute to close: the stream's keys, three times over (as flows-cpu.ts fills a minute).
  const peer: FlowPeer = { address: '127.0.0.1', port: 2055, transport: 'udp', listener: 'udp' };
  const fill = flowStream(Date.now(), conversations);
  for (let rep = 0; rep < 3; rep++) for (const d of fill) ingest.onDatagram(d, peer);
  let received = 0;
  const listener = createFlowUdpListener({
    name: 'udp',
    host: '127.0.0.1',
    port: 0,
    receiveBufferBytes: RECEIVE_BUFFER_BYTES,
    onDatagram: (d, p) => {
      received++;
      ingest.onDatagram(d, p);
    },
    onError: () => undefined,
    receiveThread,
  });
  await listener.start();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const job: SendJob = { port: listener.address().port, datagramsPerSecond: flowsPerSecond / FLOWS_PER_DATAGRAM, seconds, conversations };
  const worker = new Worker(__filename, { workerData: job });
  const sent = new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { sent: number }) => resolve(m.sent));
    worker.once('error', reject);
  });
  // The close comes once the rate is steady; everything open is due at now + 2 minutes.
  await sleep(1000);
  delay.enable();
  const agg = parts.aggregation;
  let closeWallMs = 0;
  let rows = 0;
  if (agg !== null && mode !== 'none') {
    const t0 = performance.now();
    const closed = mode === 'sliced' ? await agg.closeDueSliced(Date.now() + 120_000) : agg.closeDue(Date.now() + 120_000);
    closeWallMs = performance.now() - t0;
    for (const c of closed) rows += c.rows.length;
    await agg.idle();
  }
  const total = await sent;
  await sleep(200);
  delay.disable();
  const maxSliceMs = mode === 'sliced' && agg !== null ? agg.stats.closeMaxSliceMs : 0;
  await listener.stop();
  await agg?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return { mode, sent: total, received, closeWallMs, maxStallMs: delay.max / 1e6, maxSliceMs, rows };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rate: { type: 'string', default: '100000' }, seconds: { type: 'string', default: '4' }, conversations: { type: 'string', default: '40000' }, rounds: { type: 'string', default: '2' }, mode: { type: 'string' }, listener: { type: 'string', default: 'both' } } });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const conversations = Number(values.conversations);
  console.log(`datagrams lost across a forced minute close: ${rate.toLocaleString('en-US')} flows/s (${Math.round(rate / FLOWS_PER_DATAGRAM).toLocaleString('en-US')} datagrams/s) for ${seconds} s over loopback, udpReceiveBufferBytes ${RECEIVE_BUFFER_BYTES}, ${conversations.toLocaleString('en-US')} conversations:`);
  const listeners = values.listener === 'both' ? [false, true] : [values.listener === 'thread'];
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const mode of values.mode === undefined ? (['none', 'at-once', 'sliced'] as const) : [values.mode as CloseMode]) for (const thread of listeners) {
      const r = await lossRun(mode, rate, seconds, conversations, thread);
      const lost = r.sent - r.received;
      console.log(
        `  ${mode.padEnd(8)} ${thread ? 'thread' : 'main  '} sent ${r.sent}, received ${r.received}, lost ${lost} (${((100 * lost) / Math.max(1, r.sent)).toFixed(2)}%)` +
          (mode === 'none' ? '' : `; close of ${r.rows.toLocaleString('en-US')} rows ${r.closeWallMs.toFixed(0)} ms wall`) +
          (mode === 'sliced' ? `, longest slice ${r.maxSliceMs.toFixed(1)} ms` : '') +
          `; longest event-loop stall ${r.maxStallMs.toFixed(1)} ms`,
      );
    }
  }
}

if (!isMainThread) {
  void sender(workerData as SendJob);
} else if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
