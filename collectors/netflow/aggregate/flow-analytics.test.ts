/**
 * Learned baselines and new externally reachable services on summary events, through FlowAggregation with
 * real SQLite files in a temp folder: constructed minutes (quiet history, then a spike), a restart in the
 * middle (the learned state is read back from flow-state.db), and the cases that must stay quiet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { EcsEvent } from '../../../core/event';
import { InputStats } from '../../../core/metrics';
import type { Agency } from '../../../core/tenancy';
import { DEFAULT_SERVICE_PORTS } from '../config';
import { newFlowRecord, type FlowRecord } from '../decode/types';
import { RecordingSink } from '../testing/sink';
import { FlowAggregation } from './flow-aggregation';
import { MINUTE_MS } from './minute-aggregator';
import type { FlowSummaryFields } from './summary-events';

const T0 = Date.parse('2026-11-20T00:00:00.000Z');
const YTE: Agency = { id: 'so-yte', name: 'Sở Y tế' };
const ROUTER = '192.0.2.1';

function flow(src: string, dst: string, sport: number, dport: number, endMs: number, bytes: number, packets: number, protocol = 6): FlowRecord {
  const f = newFlowRecord('ipfix', ROUTER);
  Object.assign(f, { srcAddr: src, dstAddr: dst, srcPort: sport, dstPort: dport, protocol, endMs, startMs: endMs - 500, bytes, packets, ipVersion: 4, inIf: 1, outIf: 2 });
  return f;
}

let dir: string;
let clock: number;
let sink: RecordingSink;
let agg: FlowAggregation;

function open(learningMinutes = 60): FlowAggregation {
  return new FlowAggregation(
    {
      dir,
      retentionDays: 30,
      maxKeysPerMinute: 100_000,
      maxKeysPerHour: 100_000,
      graceSeconds: 0,
      maxLatenessSeconds: 86_400,
      servicePorts: DEFAULT_SERVICE_PORTS,
      summary: { enabled: true, topN: 10, maxTracked: 1000, maxDistinct: 1024, timezone: 'Asia/Ho_Chi_Minh' },
      baseline: { enabled: true, halfLifeMinutes: 1440, warmupMinutes: 120, maxKeys: 1000 },
      newServices: { enabled: true, learningMinutes, maxKeys: 1000 },
    },
    {
      sink,
      summaryStats: new InputStats('netflow/summary'),
      exporterAgency: () => YTE,
      isInternal: (ip) => ip.startsWith('10.'),
      agencyName: (id) => (id === YTE.id ? YTE.name : id),
      logger: pino({ level: 'silent' }),
      now: () => clock,
    },
  );
}

/** Feeds minute `m` (offset from T0) with `feed`, then closes it. */
function minute(m: number, feed: (t: number) => void): void {
  const t = T0 + m * MINUTE_MS;
  clock = t + 30_000;
  feed(t + 1000);
  clock = t + MINUTE_MS + 1;
  agg.closeDue(clock);
}

function summaries(action: string, m: number, field: 'source' | 'destination', ip: string): FlowSummaryFields[] {
  const at = new Date(T0 + m * MINUTE_MS).toISOString();
  return sink.events
    .filter((e: EcsEvent) => e.event?.action === action && e['@timestamp'] === at && e[field]?.ip === ip)
    .map((e) => (e.netflow as { summary: FlowSummaryFields }).summary);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'socnoc-flow-analytics-'));
  sink = new RecordingSink();
  clock = T0;
  agg = open();
});

afterEach(async () => {
  await agg.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Usual traffic: a web server getting ~2,000 packets a minute; a small and a heavy uploader. */
function usual(t: number, m: number): void {
  for (let s = 1; s <= 5; s++) agg.add(flow(`203.0.113.${s}`, '10.1.0.80', 40_000 + s, 443, t, 300_000, 380 + ((m * 7 + s) % 40)), YTE, false, clock);
  agg.add(flow('10.1.0.7', '198.51.100.9', 45_000, 443, t, 1_000_000 + (m % 10) * 50_000, 900), YTE, true, clock);
  agg.add(flow('10.1.0.8', '198.51.100.10', 45_001, 22, t, 300_000_000 + (m % 6) * 10_000_000, 220_000), YTE, true, clock);
}

describe('learned baselines on summary events', () => {
  it('flags a flood and an upload far above the address baseline once warm, across a restart, and not a steady heavy uploader', async () => {
    for (let m = 0; m < 100; m++) minute(m, (t) => usual(t, m));
    // Cold: learned for less than warmupMinutes.
    const cold = summaries('destination_activity', 99, 'destination', '10.1.0.80')[0];
    expect(cold).toMatchObject({ baseline_metric: 'packets', baseline_warm: false });
    expect(cold.baseline_ratio).toBeGreaterThan(0.8);
    expect(cold.baseline_ratio).toBeLessThan(1.2);

    await agg.stop();
    sink.events.length = 0;
    agg = open();
    for (let m = 100; m < 150; m++) minute(m, (t) => usual(t, m));
    const warm = summaries('destination_activity', 149, 'destination', '10.1.0.80')[0];
    expect(warm.baseline_warm).toBe(true);
    expect(warm.baseline_mean).toBeGreaterThan(1800);
    expect(warm.baseline_mean).toBeLessThan(2300);
    expect(warm.baseline_ratio).toBeLessThan(1.5);

    // Minute 150: 400,000 packets toward the web server from 200 sources; 500 MB out of 10.1.0.7; 10.1.0.8 as always.
    minute(150, (t) => {
      usual(t, 150);
      for (let s = 1; s <= 200; s++) agg.add(flow(`198.18.${s >> 8}.${s & 255}`, '10.1.0.80', 1024 + s, 443, t, 80_000_000 / 200, 2000), YTE, false, clock);
      agg.add(flow('10.1.0.7', '198.51.100.9', 45_002, 443, t, 500_000_000, 350_000), YTE, true, clock);
    });
    const flood = summaries('destination_activity', 150, 'destination', '10.1.0.80')[0];
    expect(flood).toMatchObject({ baseline_metric: 'packets', baseline_warm: true });
    expect(flood.packets).toBeGreaterThan(400_000);
    expect(flood.baseline_ratio).toBeGreaterThan(150);
    expect(flood.zscore).toBeGreaterThan(1000);

    const upload = summaries('source_activity', 150, 'source', '10.1.0.7')[0];
    expect(upload).toMatchObject({ baseline_metric: 'outbound_bytes', baseline_warm: true });
    expect(upload.baseline_ratio).toBeGreaterThan(100);

    const heavy = summaries('source_activity', 150, 'source', '10.1.0.8')[0];
    expect(heavy.baseline_warm).toBe(true);
    expect(heavy.outbound_bytes).toBeGreaterThanOrEqual(300_000_000);
    expect(heavy.baseline_ratio).toBeLessThan(1.3);
  });
});

describe('new externally reachable services', () => {
  function reply(src: string, sport: number, dst: string, packets: number, flows = 1, protocol = 6): void {
    for (let i = 0; i < flows; i++) agg.add(flow(src, dst, sport, 50_000 + i, clock - 20_000, packets * 60, packets, protocol), YTE, !dst.startsWith('10.'), clock);
  }

  const services = (): EcsEvent[] => sink.events.filter((e) => e.event?.action === 'new_external_service');

  it('learns silently, then reports an internal address newly answering outside addresses, once, across a restart', async () => {
    minute(0, () => reply('10.1.0.5', 443, '203.0.113.7', 12));
    minute(30, () => reply('10.1.0.5', 443, '203.0.113.8', 12));
    expect(services()).toHaveLength(0);

    minute(61, () => {
      reply('10.1.0.5', 443, '203.0.113.9', 12); // known since learning
      reply('10.1.0.9', 3389, '198.51.100.7', 40); // new: RDP answering the internet
      reply('10.1.0.9', 3389, '198.51.100.8', 25);
      reply('10.1.0.9', 445, '198.51.100.66', 1, 30); // a closed port's RSTs to a scanner: one packet per flow
      reply('10.1.0.9', 22, '10.1.0.12', 30); // answering an internal client
      agg.add(flow('10.1.0.9', '198.51.100.20', 51_000, 443, clock - 20_000, 5000, 12), YTE, true, clock); // a client, not a service
      reply('10.1.0.9', 161, '198.51.100.30', 1, 1, 17); // UDP answers count from one packet
    });
    const found = services();
    expect(found.map((e) => `${e.destination?.ip}:${e.network?.transport}/${e.destination?.port}`).sort()).toEqual(['10.1.0.9:tcp/3389', '10.1.0.9:udp/161']);
    const rdp = found.find((e) => e.destination?.port === 3389);
    expect(rdp).toMatchObject({
      organization: { id: 'so-yte', name: 'Sở Y tế' },
      network: { transport: 'tcp', iana_number: '6', direction: 'inbound' },
      observer: { ip: [ROUTER] },
      event: { dataset: 'netflow.summary', kind: 'metric' },
    });
    expect((rdp?.netflow as { summary: FlowSummaryFields }).summary).toMatchObject({ role: 'service', distinct_clients: 2, packets: 65, flows: 2 });
    expect(['198.51.100.7', '198.51.100.8']).toContain(rdp?.source?.ip);

    await agg.stop();
    sink.events.length = 0;
    agg = open();
    minute(62, () => {
      reply('10.1.0.9', 3389, '198.51.100.9', 40); // known before the restart
      reply('10.1.0.10', 22, '198.51.100.9', 40); // new; learning is not restarted
    });
    expect(services().map((e) => `${e.destination?.ip}:${e.destination?.port}`)).toEqual(['10.1.0.10:22']);
  });
});
