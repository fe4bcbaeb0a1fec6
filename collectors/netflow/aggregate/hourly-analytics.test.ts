/**
 * Hour-of-day profiles on summary events, through FlowAggregation with real SQLite files: constructed
 * days of a nightly backup server and a daytime desktop in Asia/Ho_Chi_Minh (UTC+7), a restart in the
 * middle (profiles read back from flow-state.db), then the minutes the upload rules must tell apart.
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

const YTE: Agency = { id: 'so-yte', name: 'Sở Y tế' };
const ROUTER = '192.0.2.1';
/** Local midnight (UTC+7) of the first constructed day. */
const DAY0 = Date.parse('2026-11-19T17:00:00.000Z');
const MB = 1_000_000;

function upload(src: string, endMs: number, bytes: number): FlowRecord {
  const f = newFlowRecord('ipfix', ROUTER);
  Object.assign(f, { srcAddr: src, dstAddr: '198.51.100.9', srcPort: 45_000, dstPort: 443, protocol: 6, endMs, startMs: endMs - 500, bytes, packets: Math.ceil(bytes / 1400), ipVersion: 4, inIf: 1, outIf: 2 });
  return f;
}

let dir: string;
let clock: number;
let sink: RecordingSink;
let agg: FlowAggregation;

function open(): FlowAggregation {
  return new FlowAggregation(
    {
      dir,
      retentionDays: 30,
      maxKeysPerMinute: 10_000,
      maxKeysPerHour: 10_000,
      graceSeconds: 0,
      maxLatenessSeconds: 86_400,
      servicePorts: DEFAULT_SERVICE_PORTS,
      summary: { enabled: true, topN: 10, maxTracked: 1000, maxDistinct: 1024, timezone: 'Asia/Ho_Chi_Minh' },
      baseline: { enabled: true, halfLifeMinutes: 1440, warmupMinutes: 120, maxKeys: 1000, hourly: { enabled: true, halfLifeDays: 7, warmupDays: 3, maxKeys: 1000 } },
    },
    { sink, summaryStats: new InputStats('netflow/summary'), exporterAgency: () => YTE, logger: pino({ level: 'silent' }), now: () => clock },
  );
}

/** One local minute (day d, hh:mm) in which each [source, bytes] uploads, closed at once. */
function localMinute(d: number, hh: number, mm: number, uploads: ReadonlyArray<readonly [string, number]>): number {
  const t = DAY0 + ((d * 24 + hh) * 60 + mm) * MINUTE_MS;
  clock = t + 30_000;
  for (const [src, bytes] of uploads) agg.add(upload(src, bytes > 0 ? t + 1000 : t, bytes), YTE, true, clock);
  clock = t + MINUTE_MS + 1;
  agg.closeDue(clock);
  return t;
}

function sourceSummary(t: number, ip: string): FlowSummaryFields {
  const at = new Date(t).toISOString();
  const found = sink.events.find((e: EcsEvent) => e.event?.action === 'source_activity' && e['@timestamp'] === at && e.source?.ip === ip);
  if (found === undefined) throw new Error(`no source_activity summary for ${ip} at ${at}`);
  return (found.netflow as { summary: FlowSummaryFields }).summary;
}

/** A week of normal life: the backup server sends 300 MB a minute 02:00-02:04, the desktop 5 MB at 10:00 and 15:00. */
function normalDay(d: number): void {
  for (let mm = 0; mm < 5; mm++) localMinute(d, 2, mm, [['10.1.0.20', 300 * MB]]);
  localMinute(d, 10, 0, [['10.1.0.22', 5 * MB]]);
  localMinute(d, 15, 0, [['10.1.0.22', 5 * MB]]);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'socnoc-flow-hourly-'));
  sink = new RecordingSink();
  clock = DAY0;
  agg = open();
});

afterEach(async () => {
  await agg.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('hour-of-day profiles of outbound bytes', () => {
  it('keeps a nightly backup usual at its hour, flags it at another hour and a desktop uploading at night, across a restart', async () => {
    for (let d = 0; d < 4; d++) normalDay(d);
    const early = sourceSummary(DAY0 + ((2 * 24 + 2) * 60 + 1) * MINUTE_MS, '10.1.0.20');
    expect(early.hourly_baseline_warm).toBe(false);

    // Restart: the profiles come back from flow-state.db.
    await agg.stop();
    sink.events.length = 0;
    agg = open();
    for (let d = 4; d < 7; d++) normalDay(d);

    // Day 7, 02:02: the backup as every night.
    const t1 = localMinute(7, 2, 2, [['10.1.0.20', 310 * MB]]);
    const usual = sourceSummary(t1, '10.1.0.20');
    expect(usual).toMatchObject({ local_hour: 2, hourly_baseline_warm: true, baseline_warm: true });
    // 5 of 60 minutes at 300 MB: about 25 MB per minute of 02:xx, a ratio near 12, but with a spread to
    // match (the rules need both ratio >= 10 and z-score >= 5 to call it unusual).
    expect(usual.hourly_baseline_ratio).toBeGreaterThan(8);
    expect(usual.hourly_baseline_ratio).toBeLessThan(16);
    expect(usual.hourly_baseline_zscore).toBeLessThan(5);
    // The day-long per-minute baseline sees ~1 MB a minute: it would call every backup minute an anomaly.
    expect(usual.baseline_ratio).toBeGreaterThan(100);

    // Day 7, 03:10: the desktop, which never sent anything at night, sends 150 MB.
    const t3 = localMinute(7, 3, 10, [['10.1.0.22', 150 * MB]]);
    const night = sourceSummary(t3, '10.1.0.22');
    expect(night).toMatchObject({ local_hour: 3, hourly_baseline_warm: true, hourly_baseline_mean: 0 });
    expect(night.hourly_baseline_ratio).toBeGreaterThan(1000);
    // Its 10:00 habit is remembered: 5 MB at 10:00 is about its usual.
    const t4 = localMinute(7, 10, 0, [['10.1.0.22', 5 * MB]]);
    const day = sourceSummary(t4, '10.1.0.22');
    expect(day.hourly_baseline_ratio).toBeLessThan(70);
    expect(day.hourly_baseline_mean).toBeGreaterThan(0);
    // Day 7, 14:00: the same server uploads 300 MB in the afternoon.
    const t2 = localMinute(7, 14, 0, [['10.1.0.20', 300 * MB]]);
    const moved = sourceSummary(t2, '10.1.0.20');
    expect(moved).toMatchObject({ local_hour: 14, hourly_baseline_warm: true, hourly_baseline_mean: 0 });
    expect(moved.hourly_baseline_ratio).toBeGreaterThan(1000);
    expect(moved.hourly_baseline_zscore).toBeGreaterThan(1000);

  });
});
