import { openSqlite, type SqliteDb } from '../../../core/store/sqlite';
import type { PollReport } from '../poll/poller';
import type { DeviceSample, InterfaceRates } from '../poll/types';
import { MetricsStoreError, SnmpMetricsStore } from './store';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);

function report(at: number, inBps: number, ok = true): PollReport {
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
    ? { deviceId: 'dev-1', organizationId: 'a', at, ok, status: 'up', durationMs: 12, sample, rates }
    : { deviceId: 'dev-1', organizationId: 'a', at, ok, status: 'down', durationMs: 1000, error: 'timeout' };
}

describe('SnmpMetricsStore', () => {
  let db: SqliteDb;
  let now = T0;
  let store: SnmpMetricsStore;
  beforeEach(() => {
    db = openSqlite(':memory:');
    now = T0;
    store = new SnmpMetricsStore(db, { retentionDays: 2, rollupRetentionDays: 30, now: () => now });
  });
  afterEach(() => db.close());

  it('averages and maxes raw samples into step buckets; device metrics need no interface', () => {
    for (let i = 0; i < 10; i++) store.record(report(T0 + i * 60_000, (i + 1) * 1e6));
    store.record(report(T0 + 10 * 60_000, 0, false));
    now = T0 + 11 * 60_000;
    const pts = store.query({ deviceId: 'dev-1', metric: 'in_bps', ifIndex: 3, from: T0, to: T0 + 10 * 60_000, stepMs: 300_000 });
    expect(pts).toEqual([
      { t: T0, value: 3e6, max: 5e6 },
      { t: T0 + 300_000, value: 8e6, max: 10e6 },
    ]);
    const up = store.query({ deviceId: 'dev-1', metric: 'up', from: T0, to: T0 + 11 * 60_000, stepMs: 11 * 60_000 });
    expect(up[0].value).toBeCloseTo(10 / 11, 6);
    const mem = store.query({ deviceId: 'dev-1', metric: 'memory_used_pct', from: T0, to: T0 + 60_000, stepMs: 60_000 });
    expect(mem[0].value).toBeCloseTo(50, 6); // 900 used - 400 cached of 1000
    expect(store.query({ deviceId: 'dev-1', metric: 'cpu_load_pct', from: T0, to: T0 + 60_000, stepMs: 60_000 })[0].value).toBe(50);
  });

  it('reads rollups for the part of the range past the raw retention, and deletes what is past both', () => {
    for (let i = 0; i < 10; i++) store.record(report(T0 + i * 60_000, (i + 1) * 1e6));
    now = T0 + 20 * 60_000;
    expect(store.rollup()).toBeGreaterThan(0);
    expect(store.rollup()).toBe(0); // nothing new to roll up
    now = T0 + 3 * DAY;
    expect(store.applyRetention()).toBe(20); // the raw rows: 10 device + 10 interface
    const pts = store.query({ deviceId: 'dev-1', metric: 'in_bps', ifIndex: 3, from: T0, to: T0 + 10 * 60_000, stepMs: 300_000 });
    expect(pts).toEqual([
      { t: T0, value: 3e6, max: 5e6 },
      { t: T0 + 300_000, value: 8e6, max: 10e6 },
    ]);
    now = T0 + 31 * DAY;
    store.applyRetention();
    expect(store.query({ deviceId: 'dev-1', metric: 'in_bps', ifIndex: 3, from: T0, to: T0 + 10 * 60_000, stepMs: 300_000 })).toEqual([]);
  });

  it('refuses interface metrics without an interface and ranges with too many points', () => {
    expect(() => store.query({ deviceId: 'dev-1', metric: 'in_bps', from: T0, to: T0 + 1, stepMs: 1 })).toThrow(MetricsStoreError);
    expect(() => store.query({ deviceId: 'dev-1', metric: 'up', from: T0, to: T0 + DAY, stepMs: 1000 })).toThrow(/more than 10000 points/);
  });
});
