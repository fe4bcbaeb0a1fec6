/** Aggregates through real SQLite day files in a temp folder: write, top-N, time series, retention, summaries. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { EcsEvent } from '../../../core/event';
import { InputStats } from '../../../core/metrics';
import { UNASSIGNED, type Agency } from '../../../core/tenancy';
import { DEFAULT_SERVICE_PORTS } from '../config';
import { newFlowRecord, type FlowRecord } from '../decode/types';
import { RecordingSink } from '../testing/sink';
import { FlowAggregation } from './flow-aggregation';
import { MINUTE_MS } from './minute-aggregator';
import type { FlowSummaryFields } from './summary-events';

const DAY1 = Date.parse('2026-11-26T23:58:00.000Z');
const DAY2 = Date.parse('2026-11-27T08:00:00.000Z');
const GTVT: Agency = { id: 'so-gtvt', name: 'Sở Giao thông Vận tải' };
const YTE: Agency = { id: 'so-yte', name: 'Sở Y tế' };
const ROUTER = '192.0.2.1';

function flow(src: string, dst: string, sport: number, dport: number, endMs: number, bytes: number, packets: number, inIf = 1, outIf = 2): FlowRecord {
  const f = newFlowRecord('ipfix', ROUTER);
  Object.assign(f, { srcAddr: src, dstAddr: dst, srcPort: sport, dstPort: dport, protocol: 6, endMs, startMs: endMs - 500, bytes, packets, ipVersion: 4, inIf, outIf });
  return f;
}

let dir: string;
let clock: number;
let sink: RecordingSink;
let agg: FlowAggregation;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'socnoc-flows-'));
  clock = DAY1;
  sink = new RecordingSink();
  agg = new FlowAggregation(
    { dir, retentionDays: 30, maxKeysPerMinute: 100_000, maxKeysPerHour: 100_000, graceSeconds: 60, maxLatenessSeconds: 86_400, servicePorts: DEFAULT_SERVICE_PORTS, summary: { enabled: true, topN: 3, maxTracked: 1000, maxDistinct: 100, timezone: 'Asia/Ho_Chi_Minh' } },
    { sink, summaryStats: new InputStats('netflow/summary'), exporterAgency: () => UNASSIGNED, logger: pino({ level: 'silent' }), now: () => clock },
  );
});

afterEach(async () => {
  await agg.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Two days of traffic: web browsing of two agencies, a port scan, a flood, an upload. */
function feed(): void {
  // Day 1, last minutes: GTVT browses.
  for (let i = 0; i < 10; i++) agg.add(flow('10.0.0.5', '203.0.113.10', 50_000 + i, 443, DAY1 + i * 1000, 10_000, 10), GTVT, true, DAY1 + 60_000);
  // Day 2, minute 0: GTVT and YTE browse; a scanner probes 150 ports of a YTE server; a flood hits it.
  for (let i = 0; i < 20; i++) agg.add(flow('10.0.0.5', '203.0.113.10', 40_000 + i, 443, DAY2 + i * 100, 5_000, 5), GTVT, true, DAY2 + 30_000);
  for (let i = 0; i < 5; i++) agg.add(flow('10.1.0.9', '203.0.113.20', 40_000 + i, 80, DAY2 + 2000, 1_000, 2, 3, 2), YTE, true, DAY2 + 30_000);
  for (let p = 1; p <= 150; p++) agg.add(flow('198.51.100.66', '10.1.0.80', 61_000, p, DAY2 + 3000, 60, 1, 2, 3), YTE, false, DAY2 + 30_000);
  for (let s = 1; s <= 40; s++) agg.add(flow(`198.18.0.${s}`, '10.1.0.80', 1234, 53, DAY2 + 4000, 100_000, 1000, 2, 3), YTE, false, DAY2 + 30_000);
  // Minute 1: an upload out of the perimeter.
  agg.add(flow('10.0.0.7', '198.51.100.9', 45_000, 22, DAY2 + MINUTE_MS + 1000, 50_000_000, 40_000), GTVT, true, DAY2 + 90_000);
}

describe('flow aggregation in day files', () => {
  test('minutes are written to the file of their UTC day when their grace has passed', async () => {
    feed();
    clock = DAY2 + 119_999;
    expect(agg.closeDue().map((c) => new Date(c.minute).toISOString())).toEqual(['2026-11-26T23:58:00.000Z']);
    clock = DAY2 + 120_000;
    const first = [...agg.closeDue()];
    expect(first.map((c) => new Date(c.minute).toISOString())).toEqual(['2026-11-27T08:00:00.000Z']);
    await agg.idle();
    expect(readdirSync(dir).filter((f) => f.endsWith('.db')).sort()).toEqual(['flows-20261126.db', 'flows-20261127.db']);
    expect(agg.closeDue(DAY2 + 180_000).map((c) => c.minute)).toEqual([DAY2 + MINUTE_MS]);
  });

  test('top-N by every dimension, across two day files, scoped by agency', async () => {
    feed();
    agg.closeDue(DAY2 + 3_600_000);
    await agg.idle();
    const r = agg.reader;
    const all = { from: DAY1 - 3_600_000, to: DAY2 + 3_600_000 };
    // GTVT's 10.0.0.5 spans both days: 10 x 10 kB + 20 x 5 kB.
    expect(r.top({ ...all, by: 'source.ip', metric: 'bytes', limit: 3 })).toEqual([
      { key: '10.0.0.7', bytes: 50_000_000, packets: 40_000, flows: 1 },
      { key: '10.0.0.5', bytes: 200_000, packets: 200, flows: 30 },
      { key: '198.18.0.1', bytes: 100_000, packets: 1000, flows: 1 },
    ]);
    expect(r.top({ ...all, by: 'source.ip', metric: 'bytes', limit: 2, organizations: ['so-gtvt'] })).toEqual([
      { key: '10.0.0.7', bytes: 50_000_000, packets: 40_000, flows: 1 },
      { key: '10.0.0.5', bytes: 200_000, packets: 200, flows: 30 },
    ]);
    expect(r.top({ ...all, by: 'destination.ip', metric: 'flows', limit: 1, organizations: ['so-yte'] })).toEqual([{ key: '10.1.0.80', bytes: 4_009_000, packets: 40_150, flows: 190 }]);
    expect(r.top({ ...all, by: 'agency', metric: 'bytes', limit: 10 })).toEqual([
      { key: 'so-gtvt', bytes: 50_200_000, packets: 40_200, flows: 31 },
      { key: 'so-yte', bytes: 4_014_000, packets: 40_160, flows: 195 },
    ]);
    expect(r.top({ ...all, by: 'conversation', metric: 'packets', limit: 1, organizations: ['so-gtvt'] })).toEqual([{ key: '10.0.0.7 <-> 198.51.100.9', bytes: 50_000_000, packets: 40_000, flows: 1 }]);
    // Scan ports up to 1023 stay (one key each), the rest fold to 0; 53 carries the flood.
    const ports = r.top({ ...all, by: 'destination.port', metric: 'bytes', limit: 3, organizations: ['so-yte'] });
    expect(ports[0]).toEqual({ key: '53', bytes: 4_000_060, packets: 40_001, flows: 41 });
    expect(r.top({ ...all, by: 'source.ip', metric: 'bytes', limit: 5, organizations: [] })).toEqual([]);
    expect(r.top({ ...all, by: 'source.ip', metric: 'bytes', limit: 5, organizations: ['so-gtvt'], exporter: '192.0.2.99' })).toEqual([]);
    // One day only (the single-file path with LIMIT in SQL) gives the same answer as the merge would.
    expect(r.top({ from: DAY1, to: DAY1 + 120_000, by: 'source.ip', metric: 'bytes', limit: 5 })).toEqual([{ key: '10.0.0.5', bytes: 100_000, packets: 100, flows: 10 }]);
  });

  test('time series per minute: all, by address, by interface and direction, scoped', async () => {
    feed();
    agg.closeDue(DAY2 + 3_600_000);
    await agg.idle();
    const r = agg.reader;
    const span = { from: DAY2, to: DAY2 + 3 * MINUTE_MS, intervalMs: MINUTE_MS };
    const bytes = (points: Array<{ bytes: number }>): number[] => points.map((p) => p.bytes);
    expect(bytes(r.series({ ...span, organizations: ['so-gtvt'] }))).toEqual([100_000, 50_000_000, 0]);
    expect(bytes(r.series({ ...span, ip: '10.1.0.80' }))).toEqual([4_009_000, 0, 0]);
    expect(bytes(r.series({ ...span, ip: '10.1.0.80', organizations: ['so-gtvt'] }))).toEqual([0, 0, 0]);
    expect(bytes(r.series({ ...span, exporter: ROUTER, ifIndex: 3, direction: 'in' }))).toEqual([5_000, 0, 0]);
    expect(bytes(r.series({ ...span, exporter: ROUTER, ifIndex: 3, direction: 'out' }))).toEqual([4_009_000, 0, 0]);
    expect(bytes(r.series({ ...span, exporter: ROUTER, ifIndex: 3 }))).toEqual([4_014_000, 0, 0]);
    const hourly = r.series({ from: DAY1, to: DAY2 + 3_600_000, intervalMs: 3_600_000, organizations: ['so-gtvt'] });
    expect(hourly[0]).toEqual({ start: DAY1, bytes: 100_000, packets: 100, flows: 10 });
    expect(hourly.reduce((n, p) => n + p.flows, 0)).toBe(31);
  });

  test('retention deletes whole day files older than retentionDays and readers forget them', async () => {
    feed();
    agg.closeDue(DAY2 + 3_600_000);
    await agg.idle();
    expect(agg.reader.top({ from: DAY1, to: DAY2, by: 'agency', metric: 'bytes', limit: 5 })).toHaveLength(1);
    // 30 days after day 2's start: day 1 is older than 30 days, day 2 is not yet.
    expect(await agg.applyRetention(DAY2 - 8 * 3_600_000 + 30 * 86_400_000 + 1)).toBe(1);
    expect(existsSync(join(dir, 'flows-20261126.db'))).toBe(false);
    expect(existsSync(join(dir, 'flows-20261127.db'))).toBe(true);
    expect(agg.reader.top({ from: DAY1, to: DAY2, by: 'agency', metric: 'bytes', limit: 5 })).toEqual([]);
  });

  test('summary events: the scanner, the flooded server and the uploader, each ranked for why', async () => {
    feed();
    agg.closeDue(DAY2 + 3_600_000);
    await agg.idle();
    const summaries = sink.events.filter((e) => e.event.dataset === 'netflow.summary');
    const fields = (e: EcsEvent): FlowSummaryFields => (e.netflow as { summary: FlowSummaryFields }).summary;
    const minute0 = summaries.filter((e) => e['@timestamp'] === '2026-11-27T08:00:00.000Z');
    const scanner = minute0.find((e) => e.source?.ip === '198.51.100.66');
    expect(scanner).toMatchObject({ event: { action: 'source_activity', kind: 'metric', start: '2026-11-27T08:00:00.000Z', end: '2026-11-27T08:01:00.000Z' }, organization: { id: 'so-yte' }, observer: { ip: [ROUTER] } });
    // 150 distinct ports, counted up to maxDistinct (100).
    expect(fields(scanner as EcsEvent)).toMatchObject({ role: 'source', distinct_destination_ports: 100, distinct_capped: true, distinct_destination_hosts: 1, flows: 150 });
    expect(fields(scanner as EcsEvent).ranked_by[0]).toBe('destination_ports');
    const target = minute0.find((e) => e.destination?.ip === '10.1.0.80');
    expect(fields(target as EcsEvent)).toMatchObject({ role: 'destination', distinct_sources: 41, bytes: 4_009_000, packets: 40_150, flows: 190, ranked_by: ['bytes', 'packets', 'sources'] });
    const minute1 = summaries.filter((e) => e['@timestamp'] === '2026-11-27T08:01:00.000Z');
    const uploader = minute1.find((e) => e.source?.ip === '10.0.0.7');
    expect(fields(uploader as EcsEvent)).toMatchObject({ outbound_bytes: 50_000_000, outbound_flows: 1 });
    expect(fields(uploader as EcsEvent).ranked_by).toContain('outbound_bytes');
    const exporter = minute0.find((e) => e.event.action === 'exporter_activity');
    expect(fields(exporter as EcsEvent)).toMatchObject({ role: 'exporter', flows: 215, untracked: 0, overflow_flows: 0 });
    // Bounded: at most 3 rankings x topN sources + 3 x topN destinations + one per exporter, per minute.
    expect(minute0.length).toBeLessThanOrEqual(3 * 3 + 3 * 3 + 1);
    // A late minute is written but not summarized again.
    const before = sink.events.length;
    agg.add(flow('10.0.0.5', '203.0.113.10', 40_000, 443, DAY2 + 5000, 1, 1), GTVT, true, DAY2 + 3_600_000);
    const late = agg.closeDue(DAY2 + 3_600_000);
    expect(late.map((c) => c.late)).toEqual([true]);
    expect(sink.events.length).toBe(before);
    await agg.idle();
    expect(agg.reader.top({ from: DAY2, to: DAY2 + MINUTE_MS, by: 'source.ip', metric: 'flows', limit: 1, organizations: ['so-gtvt'] })).toEqual([{ key: '10.0.0.5', bytes: 100_001, packets: 101, flows: 21 }]);
  });
});

describe('summary events for flow analytics', () => {
  test('replies of a busy server are neither a scan nor an upload; the local hour is Vietnam time', async () => {
    // 23:00 UTC is 06:00 in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
    const at = Date.parse('2026-11-27T23:00:00.000Z');
    // A public web server answers 300 clients (443 -> ephemeral): 300 distinct hosts and ports, all replies.
    for (let c = 1; c <= 300; c++) agg.add(flow('10.2.0.10', `203.0.${c >> 8}.${c & 255}`, 443, 40_000 + c, at + 1000, 2_000_000, 1500), GTVT, true, at + 30_000);
    // One internal host uploads to a cloud service (ephemeral -> 443): initiated, outbound.
    agg.add(flow('10.2.0.20', '198.51.100.50', 51_000, 443, at + 2000, 300_000_000, 200_000), GTVT, true, at + 30_000);
    // A scanner with source port 53 (nmap -g 53) against low ports: not replies (53 -> 1..200 are all kept ports).
    for (let p = 1; p <= 200; p++) agg.add(flow('198.51.100.66', '10.2.0.30', 53, p, at + 3000, 40, 1), GTVT, false, at + 30_000);
    agg.closeDue(at + 3_600_000);
    await agg.idle();
    const fields = (e: EcsEvent | undefined): FlowSummaryFields => (e?.netflow as { summary: FlowSummaryFields }).summary;
    const sources = sink.events.filter((e) => e.event.action === 'source_activity');
    const server = sources.find((e) => e.source?.ip === '10.2.0.10');
    // Ranked by nothing (no distinct ports or hosts, no outbound bytes of its own): not reported as a source.
    expect(server).toBeUndefined();
    expect(fields(sources.find((e) => e.source?.ip === '10.2.0.20'))).toMatchObject({ outbound_bytes: 300_000_000, outbound_flows: 1, local_hour: 6 });
    expect(fields(sources.find((e) => e.source?.ip === '198.51.100.66'))).toMatchObject({ distinct_destination_ports: 100, distinct_capped: true });
    for (const e of sink.events) expect(fields(e).local_hour).toBe(6);
  });
});

describe('hourly rollup', () => {
  const queries = (r: FlowAggregation['reader']) => {
    const all = { from: DAY2 - 3_600_000, to: DAY2 + 3 * 3_600_000 };
    return {
      sources: r.top({ ...all, by: 'source.ip', metric: 'bytes', limit: 50 }),
      conversations: r.top({ ...all, by: 'conversation', metric: 'packets', limit: 50, organizations: ['so-yte'] }),
      ports: r.top({ ...all, by: 'destination.port', metric: 'flows', limit: 500 }),
      hourly: r.series({ ...all, intervalMs: 3_600_000, ip: '10.1.0.80' }),
      partial: r.top({ from: DAY2 + 30_000, to: DAY2 + 3_600_000 + 90_000, by: 'agency', metric: 'bytes', limit: 5 }),
    };
  };

  test('a complete hour is written once it closes, marked done, and queries give the same answers from it', async () => {
    feed();
    agg.closeDue(DAY2 + 3_600_000);
    await agg.idle();
    const fromMinutes = queries(agg.reader);
    expect(agg.writer.hourRowsWritten).toBe(0);
    // Hour 08:00 closes at 09:00 + grace.
    agg.closeDue(DAY2 + 3_600_000 + 60_000);
    await agg.idle();
    // 30 + 5 + 150 + 40 + 1 minute rows fold to fewer hour rows: the 20 browsing flows of minute 0 were one key already.
    expect(agg.writer.hourRowsWritten).toBeGreaterThan(0);
    expect(agg.writer.hourRowsWritten).toBeLessThanOrEqual(agg.writer.rowsWritten);
    const fromHours = queries(agg.reader);
    expect(fromHours).toEqual(fromMinutes);
    expect(fromHours.sources[0]).toEqual({ key: '10.0.0.7', bytes: 50_000_000, packets: 40_000, flows: 1 });
  });

  test('the hour the aggregation started in is never marked done (its start is missing): readers use its minutes', async () => {
    // The aggregation started at DAY1 = 23:58, so hour 23:00 of day 1 is partial.
    feed();
    agg.closeDue(DAY2 + 3 * 3_600_000);
    await agg.idle();
    const day1 = agg.reader.top({ from: DAY1 - 3_600_000, to: DAY1 + 120_000, by: 'source.ip', metric: 'bytes', limit: 5 });
    expect(day1).toEqual([{ key: '10.0.0.5', bytes: 100_000, packets: 100, flows: 10 }]);
    expect(agg.reader.series({ from: Date.parse('2026-11-26T23:00:00Z'), to: Date.parse('2026-11-27T00:00:00Z'), intervalMs: 3_600_000 })[0].flows).toBe(10);
  });

  test('a minute arriving late for a done hour is added to its rollup', async () => {
    feed();
    agg.closeDue(DAY2 + 3_600_000 + 60_000);
    await agg.idle();
    agg.add(flow('10.0.0.5', '203.0.113.10', 40_000, 443, DAY2 + 5000, 1, 1), GTVT, true, DAY2 + 3_600_000 + 70_000);
    agg.closeDue(DAY2 + 3_600_000 + 70_000);
    await agg.idle();
    const hour = { from: DAY2, to: DAY2 + 3_600_000, by: 'source.ip' as const, metric: 'flows' as const, limit: 1, organizations: ['so-gtvt'] };
    expect(agg.reader.top(hour)).toEqual([{ key: '10.0.0.5', bytes: 100_001, packets: 101, flows: 21 }]);
    // The same from the minutes (a range not on whole hours).
    expect(agg.reader.top({ ...hour, to: DAY2 + 3_599_999 })).toEqual([{ key: '10.0.0.5', bytes: 100_001, packets: 101, flows: 21 }]);
  });
});

describe('writing', () => {
  test('a large minute is one transaction written across event-loop turns: readers see all of it or nothing', async () => {
    for (let i = 0; i < 12_000; i++) agg.add(flow(`10.0.${i >> 8}.${i & 255}`, '203.0.113.10', 40_000, 443, DAY2 + 1000, 10, 1), GTVT, true, DAY2 + 2000);
    agg.closeDue(DAY2 + 120_000);
    const q = { from: DAY2, to: DAY2 + MINUTE_MS, by: 'agency' as const, metric: 'flows' as const, limit: 5 };
    let turns = 0;
    let seenPartial = false;
    let done = false;
    void agg.idle().then(() => {
      done = true;
    });
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      turns++;
      const flows = agg.reader.top(q)[0]?.flows ?? 0;
      if (flows !== 0 && flows !== 12_000) seenPartial = true;
    }
    expect(seenPartial).toBe(false);
    // 5,000 rows per turn: the loop ran in between.
    expect(turns).toBeGreaterThanOrEqual(2);
    expect(agg.reader.top(q)).toEqual([{ key: 'so-gtvt', bytes: 120_000, packets: 12_000, flows: 12_000 }]);
  });

  test('a write that fails is counted and logged, collection goes on, and its hour is not marked done', async () => {
    // A directory where the day file should be: SQLite cannot open it.
    mkdirSync(join(dir, 'flows-20261127.db'));
    feed();
    agg.closeDue(DAY2 + 3 * 3_600_000);
    await agg.idle();
    expect(agg.stats.writeErrors).toBeGreaterThanOrEqual(2);
    expect(agg.writer.hourRowsWritten).toBe(0);
    // Day 1 was written.
    expect(agg.reader.top({ from: DAY1, to: DAY1 + 120_000, by: 'agency', metric: 'flows', limit: 5 })).toEqual([{ key: 'so-gtvt', bytes: 100_000, packets: 100, flows: 10 }]);
  });
});
