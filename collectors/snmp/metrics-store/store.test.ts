/**
 * The tiered metrics store on real SQLite files in a temporary folder: raw rows per day file,
 * 5-minute and hourly rollups, reads that pick the finest tier still holding each part of the
 * range, and retention that unlinks whole files.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PollReport } from '../poll/poller';
import type { DeviceSample, InterfaceRates } from '../poll/types';
import { MetricsStoreError, SnmpMetricsStore } from './store';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);

function report(at: number, inBps: number, ok = true, deviceId = 'dev-1'): PollReport {
  const sample: DeviceSample = {
    at,
    system: { name: 'sw' },
    interfaces: new Map([[3, { index: 3, name: 'Gi0/3', operStatus: 1, counters: {} }]]),
    processorLoads: [40, 60],
    storage: [{ index: 1, type: 'ram', descr: 'Physical memory', sizeBytes: 1000, usedBytes: 900 }, { index: 2, type: 'other', descr: 'Cached memory', usedBytes: 400 }],
    errors: [],
  };
  const rates = new Map<number, InterfaceRates>([[3, { inBps, outBps: inBps / 2, utilizationPct: inBps / 1e7 }]]);
  return ok
    ? { deviceId, organizationId: 'a', at, ok, status: 'up', durationMs: 12, sample, rates }
    : { deviceId, organizationId: 'a', at, ok, status: 'down', durationMs: 1000, error: 'timeout' };
}

describe('SnmpMetricsStore', () => {
  let dir: string;
  let now = T0;
  let store: SnmpMetricsStore;
  const files = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.db') && f !== 'state.db').sort();
  const inBps = (from: number, to: number, stepMs: number) => store.query({ deviceId: 'dev-1', metric: 'in_bps', ifIndex: 3, from, to, stepMs });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-snmp-metrics-'));
    now = T0;
    store = new SnmpMetricsStore(dir, { rawRetentionDays: 2, fiveMinuteRetentionDays: 30, hourlyRetentionDays: 730, now: () => now });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('averages and maxes raw samples into step buckets; device metrics need no interface', () => {
    for (let i = 0; i < 10; i++) store.record(report(T0 + i * 60_000, (i + 1) * 1e6));
    store.record(report(T0 + 10 * 60_000, 0, false));
    now = T0 + 11 * 60_000;
    expect(inBps(T0, T0 + 10 * 60_000, 300_000)).toEqual([
      { t: T0, value: 3e6, max: 5e6 },
      { t: T0 + 300_000, value: 8e6, max: 10e6 },
    ]);
    const up = store.query({ deviceId: 'dev-1', metric: 'up', from: T0, to: T0 + 11 * 60_000, stepMs: 11 * 60_000 });
    expect(up[0].value).toBeCloseTo(10 / 11, 6);
    const mem = store.query({ deviceId: 'dev-1', metric: 'memory_used_pct', from: T0, to: T0 + 60_000, stepMs: 60_000 });
    expect(mem[0].value).toBeCloseTo(50, 6); // 900 used - 400 cached of 1000
    expect(store.query({ deviceId: 'dev-1', metric: 'cpu_load_pct', from: T0, to: T0 + 60_000, stepMs: 60_000 })[0].value).toBe(50);
    expect(files()).toEqual(['raw-20261101.db']);
  });

  it('writes one raw file per UTC day and merges a bucket that spans two of them', () => {
    store.record(report(T0 + DAY - 60_000, 2e6));
    store.record(report(T0 + DAY, 4e6));
    store.record(report(T0 + DAY + 60_000, 9e6));
    now = T0 + DAY + 120_000;
    expect(files()).toEqual(['raw-20261101.db', 'raw-20261102.db']);
    expect(inBps(T0 + DAY - 120_000, T0 + DAY + 120_000, 240_000)).toEqual([{ t: T0 + DAY - 120_000, value: 5e6, max: 9e6 }]);
  });

  it('rolls raw rows up to 5 minutes and 5 minutes up to hours, and reads each part of a range from the tier that still holds it', () => {
    // Three hours of polls, one a minute, in_bps = the minute number × 1e6.
    for (let m = 0; m < 180; m++) store.record(report(T0 + m * 60_000, (m + 1) * 1e6));
    now = T0 + 3 * HOUR + 60_000;
    expect(store.rollup()).toBeGreaterThan(0);
    expect(store.rollup()).toBe(0); // nothing new
    expect(files()).toEqual(['1h-202611.db', '5m-20261101.db', 'raw-20261101.db']);

    // Three days later raw is past retention (2 days): its file is gone, 5-minute rollups answer.
    now = T0 + 3 * DAY;
    expect(store.applyRetention()).toBe(1);
    expect(files()).toEqual(['1h-202611.db', '5m-20261101.db']);
    expect(inBps(T0, T0 + 10 * 60_000, 300_000)).toEqual([
      { t: T0, value: 3e6, max: 5e6 },
      { t: T0 + 300_000, value: 8e6, max: 10e6 },
    ]);

    // Past 30 days only the hourly rollups remain: hour 0 averages minutes 1..60, hour 2 peaks at 180.
    now = T0 + 31 * DAY;
    expect(store.applyRetention()).toBe(1);
    expect(files()).toEqual(['1h-202611.db']);
    expect(inBps(T0, T0 + 3 * HOUR, HOUR)).toEqual([
      { t: T0, value: 30.5e6, max: 60e6 },
      { t: T0 + HOUR, value: 90.5e6, max: 120e6 },
      { t: T0 + 2 * HOUR, value: 150.5e6, max: 180e6 },
    ]);

    // A monthly file goes once its whole month is past two years.
    now = Date.UTC(2028, 11, 1);
    expect(store.applyRetention()).toBe(1);
    expect(files()).toEqual([]);
    expect(inBps(T0, T0 + 3 * HOUR, HOUR)).toEqual([]);
  });

  it('does not roll up an hour before its last 5 minutes are rolled', () => {
    for (let m = 0; m < 59; m++) store.record(report(T0 + m * 60_000, 1e6));
    now = T0 + 59 * 60_000 + 1;
    store.rollup();
    expect(files()).toEqual(['5m-20261101.db', 'raw-20261101.db']);
    store.record(report(T0 + 59 * 60_000 + 2, 1e6));
    now = T0 + HOUR + 1;
    store.rollup();
    expect(files()).toContain('1h-202611.db');
  });

  it('forgets a deleted device in every tier', () => {
    for (let m = 0; m < 10; m++) {
      store.record(report(T0 + m * 60_000, 1e6));
      store.record(report(T0 + m * 60_000, 1e6, true, 'dev-2'));
    }
    now = T0 + HOUR + 60_000;
    store.rollup();
    store.deleteDevice('dev-1');
    expect(inBps(T0, T0 + HOUR, HOUR)).toEqual([]);
    expect(store.query({ deviceId: 'dev-2', metric: 'in_bps', ifIndex: 3, from: T0, to: T0 + HOUR, stepMs: HOUR })).toHaveLength(1);
  });

  it('rolls up in a worker thread to the same rows, one run at a time, while raw rows keep coming', async () => {
    for (let m = 0; m < 180; m++) store.record(report(T0 + m * 60_000, (m + 1) * 1e6));
    now = T0 + 3 * HOUR + 60_000;
    const first = store.rollupInWorker();
    // A second call while the first runs gets the same run; the poller's writes go on meanwhile.
    expect(store.rollupInWorker()).toBe(first);
    store.record(report(T0 + 180 * 60_000, 1e6));
    const rows = await first;
    expect(rows).toBeGreaterThan(0);
    expect(await store.rollupInWorker()).toBe(0); // nothing new completed
    expect(files()).toEqual(['1h-202611.db', '5m-20261101.db', 'raw-20261101.db']);
    // Read from the rollups alone (raw past retention): the same figures as the in-thread rollup's test above.
    now = T0 + 31 * DAY;
    expect(inBps(T0, T0 + 3 * HOUR, HOUR)).toEqual([
      { t: T0, value: 30.5e6, max: 60e6 },
      { t: T0 + HOUR, value: 90.5e6, max: 120e6 },
      { t: T0 + 2 * HOUR, value: 150.5e6, max: 180e6 },
    ]);
    // The worker and this thread share state.db: the in-thread rollup has nothing left to do.
    now = T0 + 3 * HOUR + 60_000;
    expect(store.rollup()).toBe(0);
    await store.stopRollupThread();
  });

  it('deletes a device while a worker rollup is under way: none of its rows survive in any tier', async () => {
    for (let m = 0; m < 60; m++) {
      store.record(report(T0 + m * 60_000, 1e6));
      store.record(report(T0 + m * 60_000, 1e6, true, 'dev-2'));
    }
    now = T0 + HOUR + 60_000;
    const running = store.rollupInWorker();
    store.deleteDevice('dev-1');
    await running;
    await new Promise((r) => setImmediate(r));
    const anyTier = (deviceId: string) => store.query({ deviceId, metric: 'in_bps', ifIndex: 3, from: T0, to: T0 + HOUR, stepMs: HOUR });
    now = T0 + 31 * DAY; // rollups only
    expect(anyTier('dev-1')).toEqual([]);
    expect(anyTier('dev-2')).toEqual([{ t: T0, value: 1e6, max: 1e6 }]);
    await store.stopRollupThread();
  });

  it('refuses interface metrics without an interface and ranges with too many points', () => {
    expect(() => store.query({ deviceId: 'dev-1', metric: 'in_bps', from: T0, to: T0 + 1, stepMs: 1 })).toThrow(MetricsStoreError);
    expect(() => store.query({ deviceId: 'dev-1', metric: 'up', from: T0, to: T0 + DAY, stepMs: 1000 })).toThrow(/more than 10000 points/);
  });
});
