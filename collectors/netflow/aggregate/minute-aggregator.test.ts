import { UNASSIGNED, type Agency } from '../../../core/tenancy';
import { decodeFlowPacket, FlowTemplateCache } from '../decode';
import { newFlowRecord, type FlowRecord } from '../decode/types';
import { NETFLOW_CAPTURES, readCapture, type CaptureName } from '../testdata/captures';
import { DEFAULT_SERVICE_PORTS } from '../config';
import { FlowMinuteAggregator, MINUTE_MS, type ClosedMinute, type FlowAggregatorOptions } from './minute-aggregator';

const T0 = Date.parse('2026-11-27T03:00:00.000Z');
const GTVT: Agency = { id: 'so-gtvt', name: 'Sở Giao thông Vận tải' };

function options(extra: Partial<FlowAggregatorOptions> = {}): FlowAggregatorOptions {
  return { maxKeysPerMinute: 100_000, graceMs: 60_000, maxLatenessMs: 3_600_000, servicePorts: DEFAULT_SERVICE_PORTS, activity: null, ...extra };
}

function flow(src: string, dst: string, sport: number, dport: number, endMs: number, bytes = 1000, packets = 10, protocol = 6): FlowRecord {
  const f = newFlowRecord('netflow_v9', '192.0.2.9');
  f.srcAddr = src;
  f.dstAddr = dst;
  f.srcPort = sport;
  f.dstPort = dport;
  f.protocol = protocol;
  f.endMs = endMs;
  f.startMs = endMs - 1000;
  f.bytes = bytes;
  f.packets = packets;
  f.ipVersion = 4;
  return f;
}

function decodedFlows(name: CaptureName): FlowRecord[] {
  const cache = new FlowTemplateCache();
  const flows: FlowRecord[] = [];
  for (const pkt of readCapture(name)) flows.push(...decodeFlowPacket(pkt, { exporter: '192.0.2.9', receivedMs: T0 }, cache).flows);
  return flows;
}

function sums(rows: ClosedMinute['rows'] | FlowRecord[], key: (r: { srcAddr?: string; src?: string; protocol: number }) => string): Map<string, [number, number, number]> {
  const m = new Map<string, [number, number, number]>();
  for (const r of rows) {
    const k = key(r);
    const v = m.get(k) ?? [0, 0, 0];
    v[0] += r.bytes;
    v[1] += r.packets;
    v[2] += 'flows' in r ? r.flows : 1;
    m.set(k, v);
  }
  return m;
}

describe('per-minute aggregation of real exporter flows', () => {
  test.each([...NETFLOW_CAPTURES])('%s: bytes, packets and flows per source address equal the raw flows', (name) => {
    const flows = decodedFlows(name);
    expect(flows.length).toBeGreaterThan(100);
    // Flow times are the capture's (Nov 2026, hours before T0): let every one count in its own minute.
    const agg = new FlowMinuteAggregator(options({ maxLatenessMs: 365 * 86_400_000 }));
    const now = Math.max(...flows.map((f) => f.endMs)) + 1000;
    for (const f of flows) agg.add(f, GTVT, false, now);
    const closed = agg.closeAll();
    const rows = closed.flatMap((c) => c.rows);
    expect(agg.stats).toMatchObject({ flows: flows.length, clockSkew: 0, overflowFlows: 0, late: 0 });
    expect(sums(rows, (r) => r.src ?? '')).toEqual(sums(flows, (r) => r.srcAddr ?? ''));
    const pair = (r: { src?: string; dst?: string; srcAddr?: string; dstAddr?: string; protocol: number }): string => `${r.src ?? r.srcAddr} ${r.dst ?? r.dstAddr} ${r.protocol}`;
    expect(sums(rows, pair as (r: object) => string)).toEqual(sums(flows, pair as (r: object) => string));
    // Each flow sits in the minute of its last packet.
    const perMinute = new Map(closed.map((c) => [c.minute, c.rows.reduce((n, r) => n + r.flows, 0)]));
    const expected = new Map<number, number>();
    for (const f of flows) expected.set(f.endMs - (f.endMs % MINUTE_MS), (expected.get(f.endMs - (f.endMs % MINUTE_MS)) ?? 0) + 1);
    expect(perMinute).toEqual(expected);
  });

  test('ports: ephemeral client ports fold to 0, well-known and service ports stay, ICMP has none', () => {
    const agg = new FlowMinuteAggregator(options());
    agg.add(flow('10.0.0.5', '203.0.113.7', 51_234, 443, T0 + 1000), GTVT, true, T0 + 2000);
    agg.add(flow('10.0.0.5', '203.0.113.7', 40_001, 443, T0 + 2000), GTVT, true, T0 + 2000);
    agg.add(flow('203.0.113.7', '10.0.0.5', 443, 51_234, T0 + 3000), GTVT, false, T0 + 3000);
    agg.add(flow('10.0.0.5', '10.0.0.9', 50_000, 3389, T0 + 3000), GTVT, false, T0 + 3000);
    agg.add(flow('10.0.0.5', '10.0.0.9', 0, 0x0800, T0 + 3000, 84, 1, 1), GTVT, false, T0 + 3000);
    const rows = agg.closeAll()[0].rows.map((r) => `${r.src}:${r.srcPort} ${r.dst}:${r.dstPort}/${r.protocol} ${r.flows}`).sort();
    expect(rows).toEqual(['10.0.0.5:0 10.0.0.9:0/1 1', '10.0.0.5:0 10.0.0.9:3389/6 1', '10.0.0.5:0 203.0.113.7:443/6 2', '203.0.113.7:443 10.0.0.5:0/6 1']);
  });

  test('a minute closes only after its grace; a later flow for it is kept as a late row', () => {
    const agg = new FlowMinuteAggregator(options({ graceMs: 30_000 }));
    agg.add(flow('10.0.0.1', '10.0.0.2', 1000, 80, T0 + 10_000), GTVT, false, T0 + 11_000);
    agg.add(flow('10.0.0.1', '10.0.0.2', 1000, 80, T0 + 65_000), GTVT, false, T0 + 66_000);
    expect(agg.closeDue(T0 + 89_999)).toEqual([]);
    // Within the grace, a flow of the first minute still joins its row.
    agg.add(flow('10.0.0.1', '10.0.0.2', 1000, 80, T0 + 59_000, 500, 5), GTVT, false, T0 + 80_000);
    const first = agg.closeDue(T0 + 90_000);
    expect(first.map((c) => [c.minute, c.late, c.rows.length, c.rows[0].bytes, c.rows[0].flows])).toEqual([[T0, false, 1, 1500, 2]]);
    // After the close: a late bucket for the same minute, handed out at the next check.
    agg.add(flow('10.0.0.1', '10.0.0.2', 1000, 80, T0 + 30_000, 7, 1), GTVT, false, T0 + 95_000);
    expect(agg.stats.late).toBe(1);
    const late = agg.closeDue(T0 + 95_000);
    expect(late.map((c) => [c.minute, c.late, c.rows[0].bytes])).toEqual([[T0, true, 7]]);
    expect(agg.closeDue(T0 + 149_999)).toEqual([]);
    expect(agg.closeDue(T0 + 150_000).map((c) => c.minute)).toEqual([T0 + MINUTE_MS]);
  });

  test('flows dated in the future or beyond maxLateness count in the minute they arrive', () => {
    const agg = new FlowMinuteAggregator(options({ maxLatenessMs: 600_000 }));
    const now = T0 + 30_000;
    agg.add(flow('10.0.0.1', '10.0.0.2', 1000, 80, now + 5 * MINUTE_MS), GTVT, false, now);
    agg.add(flow('10.0.0.1', '10.0.0.2', 1000, 80, now - 11 * MINUTE_MS), GTVT, false, now);
    agg.add(flow('10.0.0.1', '10.0.0.2', 1000, 80, 0), GTVT, false, now);
    agg.add(flow('10.0.0.1', '10.0.0.2', 1000, 80, now - 9 * MINUTE_MS), GTVT, false, now);
    expect(agg.stats.clockSkew).toBe(2);
    const closed = agg.closeAll();
    expect(closed.map((c) => [c.minute, c.rows[0].flows])).toEqual([
      [T0 - 9 * MINUTE_MS, 1],
      [T0, 3],
    ]);
  });

  test('the lateness check follows the clock: a flow of the same minute after the clock moved on is skewed', () => {
    const agg = new FlowMinuteAggregator(options({ maxLatenessMs: 0 }));
    agg.add(flow('10.0.0.1', '10.0.0.2', 1000, 80, T0 + 10_000), GTVT, false, T0 + 30_000);
    agg.add(flow('10.0.0.1', '10.0.0.2', 1000, 80, T0 + 15_000), GTVT, false, T0 + 40_000);
    // The clock is in the next minute now: with no lateness allowed, T0's flows count in the current minute.
    agg.add(flow('10.0.0.1', '10.0.0.2', 1000, 80, T0 + 20_000), GTVT, false, T0 + 61_000);
    expect(agg.stats.clockSkew).toBe(1);
    expect(agg.closeAll().map((c) => [c.minute, c.rows[0].flows])).toEqual([
      [T0, 2],
      [T0 + MINUTE_MS, 1],
    ]);
  });

  test('overflow: keys beyond the limit fold into one "other" row per exporter and agency; totals stay exact', () => {
    const agg = new FlowMinuteAggregator(options({ maxKeysPerMinute: 10 }));
    let bytes = 0;
    for (let i = 0; i < 50; i++) {
      const agency = i % 2 === 0 ? GTVT : UNASSIGNED;
      agg.add(flow(`10.0.1.${i}`, '10.0.0.2', 1000, 80, T0 + 1000 + i, 100 + i), agency, false, T0 + 2000);
      bytes += 100 + i;
    }
    expect(agg.openKeys).toBe(12);
    const [minute] = agg.closeAll();
    expect(minute.overflowFlows).toBe(40);
    expect(agg.stats.overflowFlows).toBe(40);
    const other = minute.rows.filter((r) => r.src === '');
    expect(other.map((r) => [r.org, r.flows, r.dstPort, r.protocol])).toEqual([
      ['so-gtvt', 20, 0, 0],
      ['unassigned', 20, 0, 0],
    ]);
    expect(minute.rows.reduce((n, r) => n + r.bytes, 0)).toBe(bytes);
    expect(minute.rows.reduce((n, r) => n + r.flows, 0)).toBe(50);
  });

  test('sFlow: the agent (metering device) is the exporter of the row', () => {
    const agg = new FlowMinuteAggregator(options());
    const f = flow('10.0.0.1', '10.0.0.2', 1000, 80, T0 + 1000);
    f.agentAddress = '10.20.0.1';
    agg.add(f, GTVT, false, T0 + 2000);
    expect(agg.closeAll()[0].rows[0].exporter).toBe('10.20.0.1');
  });
});
