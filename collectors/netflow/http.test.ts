/** GET /api/v1/flows/top and /flows/timeseries on a real server over real day files, scoped by agency. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startHarness, type Harness, type TestUser } from '../../core/http/testdata/harness';
import { UNASSIGNED, type Agency } from '../../core/tenancy';
import { FlowAggregation } from './aggregate/flow-aggregation';
import { DEFAULT_SERVICE_PORTS } from './config';
import { newFlowRecord, type FlowRecord } from './decode/types';
import { flowsHttpModule } from './http';

const HN: Agency = { id: 'hanoi-doh', name: 'Hanoi DOH' };
const DN: Agency = { id: 'danang-dof', name: 'Da Nang DOF' };
const T = Date.parse('2026-11-27T02:00:00.000Z');
const NOW = T + 3_600_000;
const ROUTER = '192.0.2.1';

function flow(src: string, dst: string, dport: number, endMs: number, bytes: number, packets: number, inIf: number): FlowRecord {
  const f = newFlowRecord('netflow_v9', ROUTER);
  Object.assign(f, { srcAddr: src, dstAddr: dst, srcPort: 55_000, dstPort: dport, protocol: 17, endMs, bytes, packets, ipVersion: 4, inIf, outIf: 9 });
  return f;
}

interface TopBody {
  from: string;
  to: string;
  top: Array<{ key: string; bytes: number; packets: number; flows: number }>;
}
interface SeriesBody {
  interval_seconds: number;
  series: Array<{ time: string; bytes: number; packets: number; flows: number }>;
}
interface ErrorBody {
  error: { code: string; message: string; parameter?: string };
}

let dir: string;
let h: Harness;
let agg: FlowAggregation;
const tokens: Partial<Record<TestUser, string>> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'socnoc-flows-http-'));
  agg = new FlowAggregation(
    { dir, retentionDays: 30, maxKeysPerMinute: 1000, maxKeysPerHour: 1000, graceSeconds: 0, maxLatenessSeconds: 86_400, servicePorts: DEFAULT_SERVICE_PORTS, summary: { enabled: false, topN: 1, maxTracked: 1, maxDistinct: 2, timezone: 'UTC' } },
    // Started before the hour, so the hour 02:00 gets a complete rollup that /top reads.
    { exporterAgency: () => UNASSIGNED, logger: pino({ level: 'silent' }), now: () => T - 1000 },
  );
  for (let m = 0; m < 10; m++) {
    agg.add(flow('10.1.0.5', '203.0.113.53', 53, T + m * 60_000 + 5000, 1000, 10, 1), HN, true, T + m * 60_000 + 6000);
    agg.add(flow('10.1.0.6', '203.0.113.80', 443, T + m * 60_000 + 5000, 3000, 20, 2), HN, true, T + m * 60_000 + 6000);
    agg.add(flow('10.2.0.7', '203.0.113.80', 443, T + m * 60_000 + 5000, 50_000, 40, 3), DN, true, T + m * 60_000 + 6000);
  }
  agg.closeDue(NOW + 60_000);
  await agg.idle();
  expect(agg.writer.hourRowsWritten).toBe(3);
  h = await startHarness({ modules: [flowsHttpModule({ aggregates: agg.reader, now: () => NOW })] });
  for (const u of ['admin', 'analyst.hn', 'analyst.dn', 'noc.hn', 'auditor'] as const) tokens[u] = (await h.login(u)).token;
});

afterAll(async () => {
  await h.close();
  await agg.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function get<T>(path: string, user?: TestUser, status = 200): Promise<T> {
  const res = await h.get(path, user === undefined ? undefined : { token: tokens[user] });
  const body = (await res.json()) as T;
  if (res.status !== status) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

describe('GET /api/v1/flows/top', () => {
  const range = 'from=2026-11-27T02:00:00Z&to=2026-11-27T03:00:00Z';

  test('admin sees every agency; the contract shape { top: [{ key, bytes, packets, flows }] }', async () => {
    const body = await get<TopBody>(`/api/v1/flows/top?by=source.ip&${range}`, 'admin');
    expect(body.top).toEqual([
      { key: '10.2.0.7', bytes: 500_000, packets: 400, flows: 10 },
      { key: '10.1.0.6', bytes: 30_000, packets: 200, flows: 10 },
      { key: '10.1.0.5', bytes: 10_000, packets: 100, flows: 10 },
    ]);
    expect([body.from, body.to]).toEqual(['2026-11-27T02:00:00.000Z', '2026-11-27T03:00:00.000Z']);
    const agencies = await get<TopBody>(`/api/v1/flows/top?by=agency&${range}`, 'admin');
    expect(agencies.top.map((e) => e.key)).toEqual(['danang-dof', 'hanoi-doh']);
  });

  test('an analyst, an operator and an auditor see their agencies only', async () => {
    const hn = await get<TopBody>(`/api/v1/flows/top?by=destination.ip&${range}`, 'analyst.hn');
    expect(hn.top).toEqual([
      { key: '203.0.113.80', bytes: 30_000, packets: 200, flows: 10 },
      { key: '203.0.113.53', bytes: 10_000, packets: 100, flows: 10 },
    ]);
    expect((await get<TopBody>(`/api/v1/flows/top?by=destination.ip&${range}`, 'noc.hn')).top).toEqual(hn.top);
    const dn = await get<TopBody>(`/api/v1/flows/top?by=conversation&metric=packets&${range}`, 'analyst.dn');
    expect(dn.top).toEqual([{ key: '10.2.0.7 <-> 203.0.113.80', bytes: 500_000, packets: 400, flows: 10 }]);
    const auditor = await get<TopBody>(`/api/v1/flows/top?by=destination.port&metric=flows&limit=1&${range}`, 'auditor');
    expect(auditor.top).toEqual([{ key: '443', bytes: 530_000, packets: 600, flows: 20 }]);
  });

  test('default range is the last hour; a range with no data is empty', async () => {
    expect((await get<TopBody>('/api/v1/flows/top?by=source.ip', 'admin')).top).toHaveLength(3);
    expect((await get<TopBody>('/api/v1/flows/top?by=source.ip&from=2026-11-20&to=2026-11-21', 'admin')).top).toEqual([]);
    expect((await get<TopBody>(`/api/v1/flows/top?by=source.ip&exporter=192.0.2.2&${range}`, 'admin')).top).toEqual([]);
  });

  test('bad parameters are named; no token is 401', async () => {
    expect((await get<ErrorBody>('/api/v1/flows/top?by=source.port', 'admin', 400)).error.parameter).toBe('by');
    expect((await get<ErrorBody>('/api/v1/flows/top?by=source.ip&limit=0', 'admin', 400)).error.parameter).toBe('limit');
    expect((await get<ErrorBody>('/api/v1/flows/top?by=source.ip&metric=octets', 'admin', 400)).error.parameter).toBe('metric');
    expect((await get<ErrorBody>('/api/v1/flows/top?by=source.ip&exporter=router1', 'admin', 400)).error.message).toMatch(/exporter.*not an IPv4 or IPv6 address/);
    expect((await get<ErrorBody>('/api/v1/flows/top?by=source.ip&from=2026-11-27T03:00:00Z&to=2026-11-27T02:00:00Z', 'admin', 400)).error.message).toMatch(/before "to"/);
    expect((await h.get('/api/v1/flows/top?by=source.ip')).status).toBe(401);
  });
});

describe('GET /api/v1/flows/timeseries', () => {
  const range = 'from=2026-11-27T02:00:00Z&to=2026-11-27T02:15:00Z';

  test('per 5 minutes, for an address, an interface and the whole scope', async () => {
    const all = await get<SeriesBody>(`/api/v1/flows/timeseries?${range}&interval=5m`, 'admin');
    expect(all.interval_seconds).toBe(300);
    expect(all.series).toEqual([
      { time: '2026-11-27T02:00:00.000Z', bytes: 270_000, packets: 350, flows: 15 },
      { time: '2026-11-27T02:05:00.000Z', bytes: 270_000, packets: 350, flows: 15 },
      { time: '2026-11-27T02:10:00.000Z', bytes: 0, packets: 0, flows: 0 },
    ]);
    const ip = await get<SeriesBody>(`/api/v1/flows/timeseries?${range}&interval=5m&ip=203.0.113.53`, 'admin');
    expect(ip.series.map((p) => p.bytes)).toEqual([5000, 5000, 0]);
    const ifIn = await get<SeriesBody>(`/api/v1/flows/timeseries?${range}&interval=5m&exporter=${ROUTER}&interface=3&direction=in`, 'admin');
    expect(ifIn.series.map((p) => p.bytes)).toEqual([250_000, 250_000, 0]);
    const ifOut = await get<SeriesBody>(`/api/v1/flows/timeseries?${range}&interval=5m&exporter=${ROUTER}&interface=3&direction=out`, 'admin');
    expect(ifOut.series.map((p) => p.bytes)).toEqual([0, 0, 0]);
  });

  test('scoped: Hanoi does not see the Da Nang interface traffic; default interval is whole minutes', async () => {
    const hn = await get<SeriesBody>(`/api/v1/flows/timeseries?${range}&exporter=${ROUTER}&interface=3`, 'analyst.hn');
    expect(hn.interval_seconds).toBe(60);
    expect(hn.series).toHaveLength(15);
    expect(hn.series.every((p) => p.bytes === 0)).toBe(true);
    const dn = await get<SeriesBody>(`/api/v1/flows/timeseries?${range}&exporter=${ROUTER}&interface=3`, 'analyst.dn');
    expect(dn.series.slice(0, 11).map((p) => p.bytes)).toEqual([...Array<number>(10).fill(50_000), 0]);
  });

  test('an interface needs its exporter; intervals are whole minutes and bounded', async () => {
    expect((await get<ErrorBody>(`/api/v1/flows/timeseries?${range}&interface=3`, 'admin', 400)).error.message).toMatch(/needs "exporter"/);
    expect((await get<ErrorBody>(`/api/v1/flows/timeseries?${range}&interval=90s`, 'admin', 400)).error.parameter).toBe('interval');
    expect((await get<ErrorBody>('/api/v1/flows/timeseries?from=2020-01-01&to=2026-01-01&interval=1m', 'admin', 400)).error.message).toMatch(/more than 10000 buckets/);
  });
});

describe('GET /api/v1/flows/timeseries over long ranges', () => {
  test('a day by default: hourly buckets starting on the hour, answered from the rollup', async () => {
    const body = await get<SeriesBody>('/api/v1/flows/timeseries?from=2026-11-26T03:30:00Z&to=2026-11-27T03:30:00Z', 'analyst.hn');
    expect(body.interval_seconds % 3600).toBe(0);
    expect(body.series[0].time).toBe('2026-11-26T03:00:00.000Z');
    const hour = body.series.find((p) => p.time === '2026-11-27T02:00:00.000Z');
    expect(hour).toEqual({ time: '2026-11-27T02:00:00.000Z', bytes: 40_000, packets: 300, flows: 20 });
  });
});
