/**
 * SNMP poller throughput: DEVICES simulated switches with IFACES interfaces each (system group,
 * ifTable, ifXTable with Counter64 columns) in worker threads on 127.0.0.1, plus DEAD devices whose
 * ports have no agent, polled by the real poller with its default concurrency on a fixed interval.
 * Prints, per poll cycle: completion time, polls/s, interfaces/s, values read/s, the live devices'
 * poll durations (a dead device must not delay them) and how busy the poller's thread was.
 *
 *   npm run build && node dist/bench/snmp.js
 *   BENCH_DEVICES=2000 BENCH_IFACES=50 BENCH_DEAD=100 BENCH_CYCLES=2 BENCH_INTERVAL_S=60 node dist/bench/snmp.js
 *   BENCH_AGENT=net-snmp …   use net-snmp's Agent (slow: it, not the poller, becomes the bottleneck)
 *
 * The default agent is testing/fast-agent.ts (pre-encoded answers), so the poller is what is measured;
 * agents and poller still share the machine's cores.
 */
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pino from 'pino';
import { configDeviceSource } from '../collectors/snmp/poll/device-source';
import { createSnmpPoller, type PollReport } from '../collectors/snmp/poll/poller';
import { snmpPollerConfigSchema, type DeviceConfig } from '../collectors/snmp/config';
import { freeUdpPort } from '../collectors/snmp/testing/peers';
import { startFastAgent, type FastAgent } from '../collectors/snmp/testing/fast-agent';
import { ScriptedAgent, type ScriptedInterface } from '../collectors/snmp/testing/scripted-agent';
import type { IngestSink } from '../core/pipeline/types';
import { Metrics } from '../core/metrics';
import { AgencyResolver } from '../core/tenancy';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 200);
const IFACES = Number(process.env.BENCH_IFACES ?? 50);
const DEAD = Number(process.env.BENCH_DEAD ?? Math.ceil(DEVICES / 20));
const CYCLES = Number(process.env.BENCH_CYCLES ?? 2);
const INTERVAL_S = Number(process.env.BENCH_INTERVAL_S ?? 30);
const WORKERS = Number(process.env.BENCH_AGENT_WORKERS ?? 2);
const AGENT = process.env.BENCH_AGENT === 'net-snmp' ? 'net-snmp' : 'fast';

interface AgentWorkerData {
  count: number;
  ifaces: number;
  first: number;
}

function interfaces(n: number): ScriptedInterface[] {
  const out: ScriptedInterface[] = [];
  for (let i = 1; i <= n; i++) {
    out.push({ index: i, name: `Gi1/0/${i}`, speed: 1_000_000_000, highSpeed: 1000, admin: 1, oper: i % 7 === 0 ? 2 : 1, inOctets32: i * 1000, outOctets32: i * 500, inErrors: 0, inDiscards: 0, hcInOctets: BigInt(i) * 1_000_000n, hcOutOctets: BigInt(i) * 500_000n, hc: true });
  }
  return out;
}

/** Worker: starts `count` agents, posts their ports (net-snmp agents: moves their octet counters every second). */
async function agentWorker(data: AgentWorkerData): Promise<void> {
  if (AGENT === 'fast') {
    const fast: FastAgent[] = [];
    for (let i = 0; i < data.count; i++) fast.push(await startFastAgent(`SIM-SW-${data.first + i}`, data.ifaces));
    parentPort?.postMessage(fast.map((a) => a.port));
    parentPort?.on('message', () => {
      for (const a of fast) a.close();
      process.exit(0);
    });
    return;
  }
  const agents: ScriptedAgent[] = [];
  const booted = Date.now();
  for (let i = 0; i < data.count; i++) agents.push(await ScriptedAgent.start(`SIM-SW-${data.first + i}`, interfaces(data.ifaces), 100));
  parentPort?.postMessage(agents.map((a) => a.port));
  let tick = 0;
  setInterval(() => {
    tick++;
    for (const a of agents) {
      a.setUptime(Math.floor((Date.now() - booted) / 10) + 100);
      // A few interfaces per agent per second: moving counters without flooding the worker.
      const i = a.interfaces.get(1 + (tick % data.ifaces));
      if (i !== undefined) a.update(i.index, { hcInOctets: i.hcInOctets + 12_500_000n, hcOutOctets: i.hcOutOctets + 6_250_000n });
    }
  }, 1000).unref();
  parentPort?.on('message', () => {
    for (const a of agents) a.close();
    process.exit(0);
  });
}

function startAgents(): Promise<{ ports: number[]; workers: Worker[] }> {
  const per = Math.ceil(DEVICES / WORKERS);
  const workers: Worker[] = [];
  const jobs: Promise<number[]>[] = [];
  for (let w = 0; w < WORKERS; w++) {
    const count = Math.min(per, DEVICES - w * per);
    if (count <= 0) break;
    const worker = new Worker(__filename, { workerData: { count, ifaces: IFACES, first: w * per } satisfies AgentWorkerData });
    workers.push(worker);
    jobs.push(new Promise((resolve, reject) => {
      worker.once('message', (ports: number[]) => resolve(ports));
      worker.once('error', reject);
    }));
  }
  return Promise.all(jobs).then((lists) => ({ ports: lists.flat(), workers }));
}

const nullSink: IngestSink = { offer: () => true, onDrain: () => undefined };

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Values the poll read: the system group and each interface's columns. */
function valuesRead(r: PollReport): number {
  const s = r.sample;
  if (s === undefined) return 0;
  let n = Object.keys(s.system).length + s.processorLoads.length + s.storage.length * 5;
  for (const i of s.interfaces.values()) {
    n += Object.keys(i.counters).length;
    for (const v of [i.name, i.descr, i.alias, i.type, i.speedBps, i.adminStatus, i.operStatus, i.discontinuityTicks]) if (v !== undefined) n++;
  }
  return n;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const { ports, workers } = await startAgents();
  const deadPorts: number[] = [];
  for (let i = 0; i < DEAD; i++) deadPorts.push(await freeUdpPort());
  console.log(`agents (${AGENT}): ${ports.length} × ${IFACES} interfaces in ${WORKERS} worker threads, ${DEAD} dead devices; started in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const devices: DeviceConfig[] = [
    ...ports.map((port, i) => ({ name: `sim-${i}`, address: '127.0.0.1', port, tags: [], snmp: { version: '2c' as const, community: 'public' } })),
    ...deadPorts.map((port, i) => ({ name: `dead-${i}`, address: '127.0.0.1', port, tags: [], snmp: { version: '2c' as const, community: 'public' } })),
  ];
  const config = snmpPollerConfigSchema.parse({ spreadStart: false, defaultIntervalSeconds: INTERVAL_S });
  const poller = createSnmpPoller(
    { sink: nullSink, agencies: new AgencyResolver([]), metrics: new Metrics({ defaultMetrics: false }), logger: pino({ level: 'silent' }), devices: configDeviceSource(devices, INTERVAL_S) },
    config,
  );
  const cycles: PollReport[][] = [];
  const cycleStart: number[] = [];
  const cycleStartWall: number[] = [];
  let cycle = -1;
  poller.onPoll((r) => cycles[cycle]?.push(r));
  const total = devices.length;
  console.log(`poller: concurrency ${config.concurrency} (down lane ${config.downConcurrency}), timeout ${config.timeoutMs} ms × ${config.retries + 1}, interval ${INTERVAL_S} s, maxRepetitions ${config.maxRepetitions}`);
  for (cycle = 0; cycle < CYCLES; cycle++) {
    cycles[cycle] = [];
    cycleStart[cycle] = performance.now();
    cycleStartWall[cycle] = Date.now();
    const eluStart = performance.eventLoopUtilization();
    if (cycle === 0) await poller.start();
    while (cycles[cycle].length < total) await new Promise((r) => setTimeout(r, 20));
    const reports = cycles[cycle];
    const live = reports.filter((r) => r.deviceId.startsWith('sim-'));
    const lastLive = Math.max(...live.map((r) => r.at));
    const elapsedAll = (performance.now() - cycleStart[cycle]) / 1000;
    const liveDurations = live.map((r) => r.durationMs).sort((a, b) => a - b);
    const failedLive = live.filter((r) => !r.ok).length;
    const ifaces = live.reduce((n, r) => n + (r.sample?.interfaces.size ?? 0), 0);
    const values = live.reduce((n, r) => n + valuesRead(r), 0);
    const liveSpan = (lastLive - cycleStartWall[cycle]) / 1000;
    const elu = performance.eventLoopUtilization(eluStart).utilization;
    console.log(
      `cycle ${cycle + 1}: all ${total} devices in ${elapsedAll.toFixed(2)} s; live ones by ${liveSpan.toFixed(2)} s → ${(live.length / liveSpan).toFixed(0)} polls/s, ` +
        `${(ifaces / liveSpan).toFixed(0)} interfaces/s, ${(values / liveSpan).toFixed(0)} values/s; live poll ms p50 ${percentile(liveDurations, 0.5).toFixed(0)} p99 ${percentile(liveDurations, 0.99).toFixed(0)} max ${liveDurations[liveDurations.length - 1].toFixed(0)}; failed live ${failedLive}; poller thread busy ${(elu * 100).toFixed(0)} %`,
    );
    if (cycle + 1 < CYCLES) {
      const nextAt = cycleStart[cycle] + INTERVAL_S * 1000;
      const wait = nextAt - performance.now() - 50;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
  await poller.stop();
  for (const w of workers) w.postMessage('stop');
  console.log(`target: 2,000 devices × 50 interfaces per 60 s cycle = 33 polls/s, 1,667 interfaces/s`);
}

if (isMainThread) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  void agentWorker(workerData as AgentWorkerData);
}
