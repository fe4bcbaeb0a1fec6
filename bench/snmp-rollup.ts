/**
 * The metrics store's 5-minute rollup at DEVICES × IFACES (one poll a minute, 5 polls per device
 * in the bucket), run on the main thread (`rollup()`, before) and in a worker thread
 * (`rollupInWorker()`, after), alternately RUNS times each on the same raw file. Prints, per run:
 * the rollup's wall time, the main thread's longest stall while it ran (a 1 ms timer's largest
 * gap), and the main thread's busy time from its event-loop utilisation (its CPU time, whatever
 * the other thread or process does); then the same timer with no rollup, the noise floor (other
 * processes on the machine, GC).
 *
 *   npm run build --silent && node dist/bench/snmp-rollup.js
 *   BENCH_DEVICES=2000 BENCH_IFACES=50 BENCH_RUNS=3 node dist/bench/snmp-rollup.js
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PollReport } from '../collectors/snmp/poll/poller';
import type { DeviceSample, InterfaceRates, InterfaceSample } from '../collectors/snmp/poll/types';
import { SnmpMetricsStore } from '../collectors/snmp/metrics-store/store';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 2000);
const IFACES = Number(process.env.BENCH_IFACES ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MINUTE = 60_000;
// A UTC day start + 10 minutes: the bucket [T0, T0 + 5 min) is complete at NOW.
const T0 = Date.UTC(2026, 10, 27, 0, 10, 0);
const NOW = T0 + 5 * MINUTE + 1000;

function deviceReport(device: number, at: number, minute: number): PollReport {
  const interfaces = new Map<number, InterfaceSample>();
  const rates = new Map<number, InterfaceRates>();
  for (let i = 1; i <= IFACES; i++) {
    interfaces.set(i, { index: i, operStatus: i % 7 === 0 ? 2 : 1, counters: {} });
    const bps = (device % 97) * 1e6 + i * 1e5 + minute * 1e4;
    rates.set(i, { inBps: bps, outBps: bps / 2, inPps: bps / 8000, outPps: bps / 16000, inErrorsPs: 0, outErrorsPs: 0, inDiscardsPs: 0, outDiscardsPs: 0, utilizationPct: bps / 1e7 });
  }
  const sample: DeviceSample = { at, system: { name: `sw-${device}` }, interfaces, processorLoads: [20 + (device % 50)], storage: [], errors: [] };
  return { deviceId: `dev-${device}`, organizationId: 'bench', at, ok: true, status: 'up', durationMs: 40, sample, rates };
}

interface RunFigures {
  mode: 'main thread' | 'worker' | 'no rollup';
  rows: number;
  wallMs: number;
  maxStallMs: number;
  mainBusyMs: number;
}

/** Runs `rollup` while a 1 ms timer measures the main thread's longest gap between ticks. */
async function measure(mode: RunFigures['mode'], rollup: () => number | Promise<number>): Promise<RunFigures> {
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    if (t - last > maxGap) maxGap = t - last;
    last = t;
  }, 1);
  await new Promise((r) => setTimeout(r, 50));
  maxGap = 0;
  last = performance.now();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  // Started from a timer callback, as noc.ts's setInterval does.
  const rows = await new Promise<number>((resolve, reject) => {
    setTimeout(() => {
      Promise.resolve()
        .then(rollup)
        .then(resolve, reject);
    }, 0);
  });
  const wallMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 20));
  const elu = performance.eventLoopUtilization(elu0);
  clearInterval(timer);
  return { mode, rows, wallMs, maxStallMs: maxGap, mainBusyMs: elu.active };
}

/** Forgets every rollup so the next run redoes the same work. */
function resetRollups(dir: string): void {
  for (const f of readdirSync(dir)) if (f.startsWith('5m-') || f.startsWith('1h-') || f.startsWith('state.db')) rmSync(join(dir, f), { force: true });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-bench-rollup-'));
  try {
    let store = new SnmpMetricsStore(dir, { rawRetentionDays: 2, fiveMinuteRetentionDays: 30, hourlyRetentionDays: 730, now: () => NOW });
    const w0 = performance.now();
    for (let m = 0; m < 5; m++) for (let d = 0; d < DEVICES; d++) store.record(deviceReport(d, T0 + m * MINUTE + (d % 50) * 100, m));
    console.log(`raw rows: ${store.rowsWritten} (${DEVICES} devices × ${IFACES} interfaces × 5 polls + device rows) written in ${((performance.now() - w0) / 1000).toFixed(1)} s`);
    store.close();

    const results: RunFigures[] = [];
    for (let run = 0; run < RUNS; run++) {
      for (const mode of ['main thread', 'worker'] as const) {
        resetRollups(dir);
        let now = T0;
        store = new SnmpMetricsStore(dir, { rawRetentionDays: 2, fiveMinuteRetentionDays: 30, hourlyRetentionDays: 730, now: () => now });
        // Both modes first roll up to T0 (nothing there): the worker's start-up (module loading) is
        // paid once per process, not per rollup, and both measured runs do the same work.
        if (mode === 'worker') await store.rollupInWorker();
        else store.rollup();
        now = NOW;
        const r = await measure(mode, mode === 'worker' ? () => store.rollupInWorker() : () => store.rollup());
        await store.stopRollupThread();
        store.close();
        results.push(r);
        console.log(`${mode.padEnd(11)}  rows ${r.rows}  rollup ${r.wallMs.toFixed(0)} ms wall  longest main-thread stall ${r.maxStallMs.toFixed(1)} ms  main thread busy ${r.mainBusyMs.toFixed(1)} ms`);
      }
    }
    // The noise floor: the same timer over the same time with no rollup (other processes, GC).
    const idleMs = results.reduce((n, r) => n + r.wallMs, 0) / results.length;
    for (let run = 0; run < RUNS; run++) {
      const r = await measure('no rollup', () => new Promise<number>((resolve) => setTimeout(() => resolve(0), idleMs)));
      results.push(r);
      console.log(`no rollup    ${r.wallMs.toFixed(0)} ms wall  longest main-thread stall ${r.maxStallMs.toFixed(1)} ms  main thread busy ${r.mainBusyMs.toFixed(1)} ms`);
    }
    for (const mode of ['main thread', 'worker', 'no rollup'] as const) {
      const rs = results.filter((r) => r.mode === mode);
      const worst = Math.max(...rs.map((r) => r.maxStallMs));
      const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      console.log(`${mode}: median rollup ${median(rs.map((r) => r.wallMs)).toFixed(0)} ms, median main-thread busy ${median(rs.map((r) => r.mainBusyMs)).toFixed(1)} ms, worst stall ${worst.toFixed(1)} ms`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
