/**
 * CPU time per flow of the collector's path without sockets, so that a shared machine's load does not
 * move the figure much: the replayed v9 stream (bench/flows-stream.ts) handed datagram by datagram to
 * the collector's own ingest (createFlowCollectorParts: decode -> classify -> per-minute aggregate with
 * summaries and baselines -> flow events for correlation as configured -> a counting sink). Minutes are
 * closed every simulated minute so that summary building and baseline learning are in the figure too
 * (their SQLite writes are awaited outside the timed part).
 *
 *   npm run build --silent && node dist/bench/flows-cpu.js [--seconds 3] [--mode all|default|none] [--geoip]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/flows-cpu.js --mode default
 *   perf stat -e instructions:u node dist/bench/flows-cpu.js --mode default --rounds 20   (fixed work: instruction
 *     counts compare builds on a busy machine, where CPU seconds move ±15%)
 *
 * Modes: `none` aggregates only (no flow events); `default` the collector's default (flow events only for
 * flows a shipped rule or intel can match); `all` an event for every flow (netflow.correlation.flows: all).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { Metrics } from '../core/metrics';
import { createFlowCollectorParts } from '../collectors/netflow';
import { netflowConfigSchema } from '../collectors/netflow/config';
import { FlowFormatCounts } from '../collectors/netflow/metrics';
import { CountingSink } from '../collectors/netflow/testing/sink';
import type { EcsEvent } from '../core/event';
import type { FlowPeer } from '../collectors/netflow/listen/types';
import type { ClosedMinute } from '../collectors/netflow/aggregate/minute-aggregator';
import { benchAgencies, flowStream } from './flows-stream';

type Mode = 'all' | 'default' | 'none';

export interface CpuRun {
  mode: Mode;
  flows: number;
  events: number;
  cpuSeconds: number;
  /** CPU seconds of the datagrams alone (decode, classify, aggregate, flow events), without the minute closes:
   *  what a receive rate costs, since at high rates a minute's close is spread over millions of flows. */
  ingestCpuSeconds: number;
  wallSeconds: number;
  /** Aggregate rows of the first simulated minute as a digest of sorted "key totals" lines: equal before
   *  and after a speed change means the same keys with the same byte, packet and flow totals. */
  firstMinuteDigest: string;
  /** The first minute's activity (every source and destination entry, exporters, untracked) the same way. */
  firstActivityDigest: string;
  /** Wall milliseconds each minute's close took, from closeDue to its last slice (summaries, baselines, rollup). */
  closeWallMs: number[];
  /** Longest event-loop stall (ms, perf_hooks monitorEventLoopDelay) during each close and its writes. */
  closeStallMs: number[];
  /** Sliced closes: the longest slice of each (FlowAggregation.stats.closeMaxSliceMs), wall ms. */
  closeSliceMs: number[];
  /** The same longest slice in process CPU time (closeMaxSliceCpuMs). */
  closeSliceCpuMs: number[];
  /** The first minute's summary events in offered order (action, agency, addresses, summary fields). */
  firstSummaryDigest: string;
}

/** How the bench closes minutes: `sliced` as the collector's timer does, `at-once` as closeDue (before). */
type CloseMode = 'sliced' | 'at-once';

/** Counts every event and keeps the summary events' digest lines (local_hour left out: it follows the clock). */
class SummaryDigestSink extends CountingSink {
  lines: string[] = [];
  override offer(event: EcsEvent): boolean {
    const summary = (event.netflow as { summary?: Record<string, unknown> } | undefined)?.summary;
    if (summary !== undefined) {
      const { local_hour: _hour, ...fields } = summary;
      this.lines.push(`${String(event.event?.action)}|${String(event.organization?.id)}|${String(event.source?.ip)}|${String(event.destination?.ip)}|${JSON.stringify(fields)}`);
    }
    return super.offer(event);
  }
  digest(): string {
    return `${this.lines.length} events, sha256 ${createHash('sha256').update(this.lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
}

/** Sorted key + totals of every row (minute re-based to 0 so runs on different clocks compare). */
export function aggregateDigest(closed: readonly ClosedMinute[]): string {
  const lines: string[] = [];
  for (const c of closed) {
    for (const r of c.rows) lines.push(`${r.minute - c.minute}|${r.exporter}|${r.org}|${r.src}|${r.dst}|${r.srcPort}|${r.dstPort}|${r.protocol}|${r.inIf}|${r.outIf} ${r.bytes} ${r.packets} ${r.flows}`);
  }
  lines.sort();
  return `${lines.length} rows, sha256 ${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
}

/** Sorted lines of every activity entry's totals and distinct counts (what summary events are built from). */
export function activityDigest(closed: readonly ClosedMinute[]): string {
  const lines: string[] = [];
  for (const c of closed) {
    const a = c.activity;
    if (a === null) continue;
    for (const e of a.sources()) lines.push(`s|${e.exporter}|${e.agency.id}|${e.ip} ${e.bytes} ${e.packets} ${e.flows} ${e.outboundBytes} ${e.outboundFlows} ${e.distinctPorts} ${e.distinctHosts}`);
    for (const e of a.destinations()) lines.push(`d|${e.exporter}|${e.agency.id}|${e.ip} ${e.bytes} ${e.packets} ${e.flows} ${e.distinctSources} ${e.distinctPorts}`);
    for (const e of a.exporters.values()) lines.push(`e|${e.exporter} ${e.bytes} ${e.packets} ${e.flows}`);
    lines.push(`u ${a.untracked}`);
  }
  lines.sort();
  return `${lines.length} entries, sha256 ${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
}

export async function cpuRun(mode: Mode, seconds: number, geoip: boolean, rounds = 0, closeMode: CloseMode = 'sliced', conversations?: number): Promise<CpuRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'socnoc-bench-flows-cpu-'));
  const metrics = new Metrics({ defaultMetrics: false });
  const sink = new SummaryDigestSink();
  const config = netflowConfigSchema.parse({
    listeners: [{ name: 'udp', transport: 'udp', host: '127.0.0.1', port: 0 }],
    toCorrelation: mode !== 'none',
    correlation: { flows: mode === 'all' ? 'all' : 'matching' },
  });
  let simulatedNow = Date.now();
  const parts = createFlowCollectorParts({ sink, agencies: benchAgencies(), metrics, logger: pino({ level: 'silent' }), dataDir, geoip: geoip ? undefined : null }, config, pino({ level: 'silent' }));
  const counts = new FlowFormatCounts('netflow/udp');
  const ingest = parts.ingest({ name: 'udp', agency: undefined }, counts);
  const peer: FlowPeer = { address: '192.0.2.1', port: 2055, transport: 'udp', listener: 'udp' };
  const realNow = Date.now;
  let flows = 0;
  let cpu = 0;
  let ingestCpu = 0;
  let wall = 0;
  let firstMinuteDigest = '';
  let firstActivityDigest = '';
  /** Wall time of each minute close on the event loop (summaries, baselines; the writes come after). */
  const closeWallMs: number[] = [];
  const closeStallMs: number[] = [];
  const closeSliceMs: number[] = [];
  const closeSliceCpuMs: number[] = [];
  let firstSummaryDigest = '';
  try {
    // One simulated minute per round: the stream re-dated, then the minute closed (summaries, baselines).
    for (let round = 0; rounds > 0 ? round < rounds : cpu < seconds; round++) {
      const datagrams = flowStream(simulatedNow, conversations);
      Date.now = () => simulatedNow;
      const c0 = process.cpuUsage();
      const w0 = process.hrtime.bigint();
      for (let rep = 0; rep < 3; rep++) for (const d of datagrams) ingest.onDatagram(d, peer);
      const ci = process.cpuUsage(c0);
      ingestCpu += (ci.user + ci.system) / 1e6;
      const closeW0 = process.hrtime.bigint();
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const closeAt = simulatedNow + 61_000 + 60_000;
      const agg = parts.aggregation;
      const closed = agg === null ? [] : closeMode === 'sliced' ? await agg.closeDueSliced(closeAt) : agg.closeDue(closeAt);
      const closeMs = Number(process.hrtime.bigint() - closeW0) / 1e6;
      const c = process.cpuUsage(c0);
      closeWallMs.push(closeMs);
      if (firstMinuteDigest === '') {
        firstMinuteDigest = aggregateDigest(closed);
        firstActivityDigest = activityDigest(closed);
        firstSummaryDigest = sink.digest();
      }
      wall += Number(process.hrtime.bigint() - w0) / 1e9;
      Date.now = realNow;
      cpu += (c.user + c.system) / 1e6;
      flows += 3 * datagrams.length * 38;
      await parts.aggregation?.idle();
      // One more turn so a stall in the last write is sampled.
      await new Promise((resolve) => setTimeout(resolve, 2));
      delay.disable();
      closeStallMs.push(delay.max / 1e6);
      if (closeMode === 'sliced' && agg !== null) {
        closeSliceMs.push(agg.stats.closeMaxSliceMs);
        closeSliceCpuMs.push(agg.stats.closeMaxSliceCpuMs);
      }
      simulatedNow += 60_000;
    }
  } finally {
    Date.now = realNow;
    await parts.aggregation?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { mode, flows, events: sink.count, cpuSeconds: cpu, ingestCpuSeconds: ingestCpu, wallSeconds: wall, firstMinuteDigest, firstActivityDigest, closeWallMs, closeStallMs, closeSliceMs, closeSliceCpuMs, firstSummaryDigest };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, rounds: { type: 'string', default: '0' }, mode: { type: 'string' }, geoip: { type: 'boolean', default: false }, close: { type: 'string', default: 'sliced' }, conversations: { type: 'string', default: '20000' } } });
  const closeMode: CloseMode = values.close === 'at-once' ? 'at-once' : 'sliced';
  const conversations = Number(values.conversations);
  const seconds = Number(values.seconds);
  const modes: Mode[] = values.mode === undefined ? ['none', 'default', 'all'] : [values.mode as Mode];
  console.log(`flows per CPU-second (user+system of this process), collector path without sockets, v9 stream, ${seconds} CPU-s per mode${values.geoip === true ? ', GeoIP on' : ''}:`);
  // Untimed first run: the first mode measured would otherwise pay for compiling the code.
  await cpuRun('default', 0.5, values.geoip === true);
  for (const mode of modes) {
    const r = await cpuRun(mode, seconds, values.geoip === true, Number(values.rounds), closeMode, conversations);
    console.log(
      `  ${mode.padEnd(8)} ${Math.round(r.flows / r.cpuSeconds).toLocaleString('en-US').padStart(10)} flows/CPU-s  (${r.flows.toLocaleString('en-US')} flows, ${r.events.toLocaleString('en-US')} events offered, wall ${Math.round(r.flows / r.wallSeconds).toLocaleString('en-US')} flows/s)`,
    );
    console.log(`           datagrams alone (no minute close): ${Math.round(r.flows / r.ingestCpuSeconds).toLocaleString('en-US')} flows/CPU-s = ${((1e6 * r.ingestCpuSeconds) / r.flows).toFixed(3)} CPU-us/flow`);
    console.log(`           aggregates of the first minute: ${r.firstMinuteDigest}`);
    console.log(`           activity of the first minute: ${r.firstActivityDigest}`);
    const closes = [...r.closeWallMs].sort((a, b) => a - b);
    console.log(`           summary events of the first minute: ${r.firstSummaryDigest}`);
    console.log(`           minute close (${closeMode}): median ${closes[closes.length >> 1].toFixed(1)} ms, max ${closes[closes.length - 1].toFixed(1)} ms (wall, ${closes.length} closes)`);
    const stalls = [...r.closeStallMs].sort((a, b) => a - b);
    if (r.closeSliceMs.length > 0) {
      console.log(`           longest close slice: ${r.closeSliceMs.map((x) => x.toFixed(1)).join(', ')} ms wall`);
      console.log(`           longest close slice: ${r.closeSliceCpuMs.map((x) => x.toFixed(1)).join(', ')} ms process CPU`);
    }
    console.log(`           longest event-loop stall per close and its writes: median ${stalls[stalls.length >> 1].toFixed(1)} ms, max ${stalls[stalls.length - 1].toFixed(1)} ms`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
