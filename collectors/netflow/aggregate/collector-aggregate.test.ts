/**
 * The collector with a data folder: real exporter datagrams over loopback UDP end in the day files with
 * nfdump's totals; flow events are published for correlation marked not to be stored, or not at all.
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Metrics } from '../../../core/metrics';
import { AgencyResolver } from '../../../core/tenancy';
import { waitUntil } from '../../syslog/listen/testing/recorder';
import { netflowConfigSchema } from '../config';
import { createFlowCollector } from '..';
import { storableEvents } from '../../../core/event-hints';
import { FlowCorrelationFilter } from '../correlation-filter';
import { readCapture, readExpected } from '../testdata/captures';
import { RecordingSink } from '../testing/sink';

const agencies = new AgencyResolver([{ id: 'so-gtvt', name: 'Sở Giao thông Vận tải', cidrs: ['10.0.0.0/24'] }]);

/** nfdump's totals of a capture, and how many of its flows the default correlation selection takes. */
function nfdumpTotals(name: string): { bytes: number; packets: number; flows: number; selected: number } {
  const rows = readExpected(`${name}.nfdump.csv`).trim().split('\n').slice(1);
  const selection = new FlowCorrelationFilter(netflowConfigSchema.parse({}).correlation);
  let packets = 0;
  let bytes = 0;
  let selected = 0;
  for (const r of rows) {
    // first_ms,last_ms,proto,src,sport,dst,dport,packets,bytes,...
    const c = r.split(',');
    packets += Number(c[7]);
    bytes += Number(c[8]);
    if (selection.matches(Number(c[2]), Number(c[6]), Number(c[7]), Number(c[8]))) selected++;
  }
  return { bytes, packets, flows: rows.length, selected };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'socnoc-flow-collector-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function replay(mode: { rawFlows?: { enabled: boolean }; toCorrelation?: boolean }) {
  const sink = new RecordingSink();
  const metrics = new Metrics({ defaultMetrics: false });
  const config = netflowConfigSchema.parse({ listeners: [{ name: 'udp-test', transport: 'udp', host: '127.0.0.1', port: 0 }], ...mode });
  const collector = createFlowCollector({ sink, agencies, metrics, logger: pino({ level: 'silent' }), dataDir: dir, geoip: null }, config);
  await collector.start();
  const port = collector.listeners()[0].address().port;
  const s = createSocket('udp4');
  for (const d of readCapture('softflowd-v9')) await new Promise<void>((resolve, reject) => s.send(d, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  s.close();
  const input = metrics.input('netflow/udp-test');
  await waitUntil('every datagram', () => input.received === readCapture('softflowd-v9').length);
  const metricsText = await metrics.registry.metrics();
  await collector.stop();
  const reader = collector.aggregates();
  if (reader === null) throw new Error('no aggregates');
  const now = Date.now();
  const top = reader.top({ by: 'agency', metric: 'bytes', limit: 10, from: now - 3_600_000, to: now + 3_600_000 });
  const total = { bytes: 0, packets: 0, flows: 0 };
  for (const t of top) {
    total.bytes += t.bytes;
    total.packets += t.packets;
    total.flows += t.flows;
  }
  return { sink, top, total, metricsText };
}

describe('the collector keeps per-minute aggregates', () => {
  test('default (raw flows off, toCorrelation on): aggregates hold nfdump totals; the flows a rule can match are published, marked not to be stored', async () => {
    const { sink, top, total, metricsText } = await replay({});
    const expected = nfdumpTotals('softflowd-v9');
    // The capture's flows end days before the test runs: beyond maxLatenessSeconds, so counted in the receive minute.
    expect(total).toEqual({ bytes: expected.bytes, packets: expected.packets, flows: expected.flows });
    // softflowd's capture has SSH, probes and ordinary sessions: some flows, not all, are selected.
    expect(expected.selected).toBeGreaterThan(0);
    expect(expected.selected).toBeLessThan(expected.flows);
    // 10.0.0.0/24 is so-gtvt's; the rest has no agency (no listener agency either).
    expect(top.map((t) => t.key)).toEqual(['so-gtvt', 'unassigned']);
    const flows = sink.events.filter((e) => e.event.dataset === 'netflow.flow');
    expect(flows).toHaveLength(expected.selected);
    expect(flows.every((e) => (e.socnoc as { store?: boolean }).store === false)).toBe(true);
    // What the store's subscription keeps: the summaries, not the flows.
    const kept = storableEvents(sink.events);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((e) => e.event.dataset === 'netflow.summary')).toBe(true);
    expect(metricsText).toContain(`socnoc_flow_aggregated_total ${expected.flows}`);
    expect(metricsText).toContain(`socnoc_flow_aggregate_clock_skew_total ${expected.flows}`);
    // Published for detection, not stored: the input's stored counter stays at 0.
    expect(metricsText).toContain(`socnoc_flow_correlated_total{input="netflow/udp-test"} ${expected.selected}`);
    expect(metricsText).toContain(`socnoc_flow_correlation_skipped_total ${expected.flows - expected.selected}`);
    expect(metricsText).toContain('socnoc_input_stored_total{input="netflow/udp-test"} 0');
    expect(metricsText).toContain(`socnoc_input_parsed_total{input="netflow/udp-test"} ${expected.selected}`);
    expect(metricsText).toContain('socnoc_flow_aggregate_open_keys ');
  });

  test('raw flows on: flow events are stored as before', async () => {
    const { sink, total, metricsText } = await replay({ rawFlows: { enabled: true } });
    expect(metricsText).toContain('socnoc_input_stored_total{input="netflow/udp-test"} 230');
    expect(metricsText).toContain('socnoc_flow_correlated_total{input="netflow/udp-test"} 0');
    expect(total.flows).toBe(230);
    const flows = sink.events.filter((e) => e.event.dataset === 'netflow.flow');
    expect(flows).toHaveLength(230);
    expect(storableEvents(flows)).toBe(flows);
  });

  test('raw flows off and toCorrelation off: only aggregates and summaries', async () => {
    const { sink, total } = await replay({ toCorrelation: false });
    expect(total.flows).toBe(230);
    expect(sink.events.filter((e) => e.event.dataset === 'netflow.flow')).toEqual([]);
    expect(sink.events.some((e) => e.event.dataset === 'netflow.summary')).toBe(true);
  });
});
