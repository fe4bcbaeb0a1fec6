/** A minute closed in slices (the timer's path): receive work runs between slices; results equal closeDue. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { InputStats } from '../../../core/metrics';
import { UNASSIGNED, type Agency } from '../../../core/tenancy';
import { DEFAULT_SERVICE_PORTS } from '../config';
import { newFlowRecord, type FlowRecord } from '../decode/types';
import { RecordingSink } from '../testing/sink';
import { FlowAggregation } from './flow-aggregation';
import { MINUTE_MS, type ClosedMinute } from './minute-aggregator';
import { FlowEventIds } from '../normalize/event-ids';
import { MinuteActivity } from './minute-activity';
import { STEP_ITEMS } from './slices';
import { buildSummaryEvents, buildSummaryEventsSteps, topBy } from './summary-events';

const T0 = Date.parse('2026-11-27T08:00:00.000Z');
const GTVT: Agency = { id: 'so-gtvt', name: 'Sở Giao thông Vận tải' };
const ROUTER = '192.0.2.1';
/** Distinct conversations in the big minute: enough rows that a close takes many slices. */
const CONVERSATIONS = 30_000;

function flow(i: number, endMs: number): FlowRecord {
  const f = newFlowRecord('ipfix', ROUTER);
  const src = `10.0.${(i >> 8) & 255}.${i & 255}`;
  const dst = `203.0.${(i * 7) & 127}.${(i >> 7) & 255}`;
  Object.assign(f, { srcAddr: src, dstAddr: dst, srcPort: 40_000 + (i % 1000), dstPort: 443, protocol: 6, endMs, startMs: endMs - 500, bytes: 1000 + i, packets: 2 + (i % 9), ipVersion: 4, inIf: 1, outIf: 2 });
  return f;
}

function rowLines(closed: readonly ClosedMinute[]): string[] {
  const lines: string[] = [];
  for (const c of closed) for (const r of c.rows) lines.push(`${r.minute}|${r.org}|${r.src}|${r.dst}|${r.srcPort}|${r.dstPort} ${r.bytes} ${r.packets} ${r.flows}`);
  return lines.sort();
}

const dirs: string[] = [];
function aggregation(sink: RecordingSink, now: () => number): FlowAggregation {
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-flows-sliced-'));
  dirs.push(dir);
  return new FlowAggregation(
    {
      dir,
      retentionDays: 30,
      maxKeysPerMinute: 100_000,
      maxKeysPerHour: 100_000,
      graceSeconds: 60,
      maxLatenessSeconds: 86_400,
      servicePorts: DEFAULT_SERVICE_PORTS,
      summary: { enabled: true, topN: 5, maxTracked: 100_000, maxDistinct: 100, timezone: 'Asia/Ho_Chi_Minh' },
      baseline: { enabled: true, halfLifeMinutes: 60, warmupMinutes: 5, maxKeys: 100_000 },
    },
    { sink, summaryStats: new InputStats('netflow/summary'), exporterAgency: () => UNASSIGNED, logger: pino({ level: 'silent' }), now },
  );
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('sliced minute close', () => {
  it('lets flows in between slices and closes with the same rows and summaries as closeDue', async () => {
    const clock = T0 + 2 * MINUTE_MS + 1000;
    const atOnceSink = new RecordingSink();
    const slicedSink = new RecordingSink();
    const atOnce = aggregation(atOnceSink, () => clock);
    const sliced = aggregation(slicedSink, () => clock);
    let fed = 0;
    for (let i = 0; i < CONVERSATIONS; i++) {
      atOnce.add(flow(i, T0 + 1000), GTVT, true, clock);
      sliced.add(flow(i, T0 + 1000), GTVT, true, clock);
      fed += 1000 + i;
    }
    const expected = atOnce.closeDue(clock);

    // Receive work while the sliced close runs: new flows of the next minute and a late one of the closing minute.
    let received = 0;
    let closing = true;
    const receive = (): void => {
      if (!closing) return;
      sliced.add(flow(CONVERSATIONS + received, T0 + 2 * MINUTE_MS + 500), GTVT, true, clock);
      fed += 1000 + CONVERSATIONS + received;
      if (received === 0) {
        sliced.add(flow(0, T0 + 2000), GTVT, true, clock);
        fed += 1000;
      }
      received++;
      setImmediate(receive);
    };
    setImmediate(receive);
    const closed = await sliced.closeDueSliced(clock);
    closing = false;

    expect(received).toBeGreaterThan(0);
    expect(sliced.stats.closeSlices).toBeGreaterThan(1);
    expect(rowLines(closed)).toEqual(rowLines(expected));
    const summaries = (events: typeof slicedSink.events): string[] => events.map((e) => JSON.stringify([e.event?.action, e.source?.ip, e.destination?.ip, (e.netflow as { summary?: unknown }).summary]));
    expect(summaries(slicedSink.events)).toEqual(summaries(atOnceSink.events));
    expect(slicedSink.events.length).toBeGreaterThan(0);

    // Everything received during the close is in a later minute or the late bucket: counted once.
    const rest = await sliced.closeDueSliced(T0 + 4 * MINUTE_MS);
    let total = 0;
    for (const c of [...closed, ...rest]) for (const r of c.rows) total += r.bytes;
    expect(total).toBe(fed);
    expect(rest.some((c) => c.late)).toBe(true);
    await Promise.all([atOnce.stop(), sliced.stop()]);
  });

  it('stop waits for a close in progress', async () => {
    const sink = new RecordingSink();
    const clock = T0 + 2 * MINUTE_MS + 1000;
    const agg = aggregation(sink, () => clock);
    for (let i = 0; i < CONVERSATIONS; i++) agg.add(flow(i, T0 + 1000), GTVT, true, clock);
    const closing = agg.closeDueSliced(clock);
    await agg.stop();
    const closed = await closing;
    expect(closed.map((c) => c.rows.length)).toEqual([CONVERSATIONS]);
    expect(sink.events.length).toBeGreaterThan(0);
  });

  it('topBy keeps the highest scores with ties in input order, as a stable sort does', () => {
    const items = [3, 0, 5, 3, 9, 5, 1, 3, 7, -2, 5];
    const sorted = items.filter((v) => v > 0).sort((a, b) => b - a);
    for (const n of [0, 1, 3, 5, 20]) {
      const indexed = items.map((v, i) => ({ v, i }));
      const stable = indexed.filter((x) => x.v > 0).sort((a, b) => b.v - a.v).slice(0, n);
      expect(topBy(indexed, n, (x) => x.v)).toEqual(stable);
      expect(topBy(items, n, (v) => v)).toEqual(sorted.slice(0, n));
    }
  });

  it('builds summary events with a pause every few hundred entries and the same events as at once', () => {
    const activity = new MinuteActivity({ maxTracked: 100_000, maxDistinct: 100 });
    for (let i = 0; i < 5_000; i++) {
      const f = flow(i, T0 + 1000);
      activity.add(ROUTER, GTVT, f.srcAddr, -1, f.dstAddr, -1, 443, f.bytes, f.packets, true, true);
    }
    const context = (ids: FlowEventIds) => ({ minute: T0, closedIso: new Date(T0 + 2 * MINUTE_MS).toISOString(), topN: 5, maxDistinct: 100, overflowFlows: 0, localHour: 15, ids });
    const atOnce = buildSummaryEvents(activity, context(new FlowEventIds()), () => GTVT);
    const job = buildSummaryEventsSteps(activity, context(new FlowEventIds()), () => GTVT);
    let pauses = 0;
    let r = job.next();
    while (r.done !== true) {
      pauses++;
      r = job.next();
    }
    // 5,000 sources and 5,000 destinations: at least one pause per STEP_ITEMS entries of each side.
    expect(pauses).toBeGreaterThanOrEqual(Math.floor(10_000 / STEP_ITEMS));
    const lines = (events: typeof atOnce): string[] => events.map((e) => JSON.stringify([e.event?.action, e.source?.ip, e.destination?.ip, (e.netflow as { summary?: unknown }).summary]));
    expect(lines(r.value)).toEqual(lines(atOnce));
    // Source ranked by outbound bytes: the 5 highest byte counts (bytes = 1000 + i), highest first.
    const rankedBy = (e: (typeof atOnce)[number]): string[] => (e.netflow as { summary: { ranked_by: string[] } }).summary.ranked_by;
    expect(r.value.filter((e) => rankedBy(e).includes('outbound_bytes')).map((e) => e.source?.bytes)).toEqual([5999, 5998, 5997, 5996, 5995]);
  });
});
