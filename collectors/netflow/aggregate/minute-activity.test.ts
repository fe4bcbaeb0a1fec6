import type { Agency } from '../../../core/tenancy';
import { DEFAULT_SERVICE_PORTS } from '../config';
import { decodeFlowPacket, FlowTemplateCache } from '../decode';
import type { FlowRecord } from '../decode/types';
import { NETFLOW_CAPTURES, readCapture } from '../testdata/captures';
import { MinuteActivity, type DestinationActivity, type SourceActivity } from './minute-activity';
import { FlowMinuteAggregator } from './minute-aggregator';
import { V4AddressTable } from './v4-address-table';

const T0 = Date.parse('2026-11-27T03:00:30.000Z');
const GTVT: Agency = { id: 'so-gtvt', name: 'Sở Giao thông Vận tải' };
const YTE: Agency = { id: 'so-yte', name: 'Sở Y tế' };
const LIMITS = { maxTracked: 100_000, maxDistinct: 1_000 };

function sourceLines(a: MinuteActivity): string[] {
  return a
    .sources()
    .map((s: SourceActivity) => `${s.exporter} ${s.agency.id} ${s.ip} ${s.bytes} ${s.packets} ${s.flows} ${s.outboundBytes} ${s.outboundFlows} ports=${s.distinctPorts} hosts=${s.distinctHosts}`)
    .sort();
}

function destinationLines(a: MinuteActivity): string[] {
  return a
    .destinations()
    .map((d: DestinationActivity) => `${d.exporter} ${d.agency.id} ${d.ip} ${d.bytes} ${d.packets} ${d.flows} ports=${d.distinctPorts} sources=${d.distinctSources}`)
    .sort();
}

describe('V4AddressTable', () => {
  it('finds every address again across growth, heads in first-seen order, and tells addresses above 2^31 apart', () => {
    const t = new V4AddressTable<{ v4: number; n: number }>();
    const entries: { v4: number; n: number }[] = [];
    for (let i = 0; i < 20_000; i++) entries.push({ v4: 0x0a000000 + i, n: i }, { v4: 0x8a000000 + i, n: -i });
    for (const e of entries) {
      expect(t.indexOf(e.v4)).toBe(-1);
      t.add(e);
    }
    expect(t.size).toBe(40_000);
    entries.forEach((e, i) => expect(t.indexOf(e.v4)).toBe(i));
    expect(t.heads).toEqual(entries);
    expect(t.indexOf(0xcb007107)).toBe(-1);
  });
});

describe('MinuteActivity by address number', () => {
  it('tracks the same sources and destinations whether IPv4 flows come as numbers without text or as text only', () => {
    const cache = new FlowTemplateCache();
    const lazyCache = new FlowTemplateCache();
    const opts = { maxKeysPerMinute: 100_000, graceMs: 60_000, maxLatenessMs: 100 * 365 * 86_400_000, servicePorts: DEFAULT_SERVICE_PORTS, activity: LIMITS };
    const byNumber = new FlowMinuteAggregator(opts);
    const byText = new FlowMinuteAggregator(opts);
    let flows = 0;
    for (const name of NETFLOW_CAPTURES) {
      for (const pkt of readCapture(name)) {
        const eager = decodeFlowPacket(pkt, { exporter: '192.0.2.9', receivedMs: T0 }, cache).flows;
        // Records without IPv4 text (as the collector's ingest decodes them when few flows become events).
        const lazy = decodeFlowPacket(pkt, { exporter: '192.0.2.9', receivedMs: T0, lazyV4Text: true }, lazyCache).flows;
        for (let i = 0; i < eager.length; i++) {
          const agency = i % 3 === 0 ? YTE : GTVT;
          const text: FlowRecord = { ...eager[i], srcV4: -1, dstV4: -1 };
          byText.add(text, agency, i % 2 === 0, T0);
          byNumber.add(lazy[i], agency, i % 2 === 0, T0);
          flows++;
        }
      }
    }
    expect(flows).toBeGreaterThan(100);
    const a = byNumber.closeAll().find((c) => c.activity !== null)?.activity;
    const b = byText.closeAll().find((c) => c.activity !== null)?.activity;
    if (a === undefined || a === null || b === undefined || b === null) throw new Error('no activity tracked');
    const sources = sourceLines(a);
    expect(sources.length).toBeGreaterThan(5);
    expect(sources.some((l) => / 10\.\d+\.\d+\.\d+ /.test(l) || / 192\.168\./.test(l) || / 172\./.test(l))).toBe(true);
    expect(sources).toEqual(sourceLines(b));
    expect(destinationLines(a)).toEqual(destinationLines(b));
  });

  it('chains one address seen by two agencies, counts distinct IPv4 hosts by number and IPv6 ones by text, and stops at maxTracked', () => {
    const a = new MinuteActivity({ maxTracked: 3, maxDistinct: 100 });
    const src = 0x0a010203; // 10.1.2.3
    a.add('192.0.2.9', GTVT, '', src, '', 0xcb007107, 443, 1000, 10, true, true);
    a.add('192.0.2.9', GTVT, '', src, '', 0xcb007108, 443, 500, 5, true, true);
    a.add('192.0.2.9', GTVT, '', src, '2001:db8::1', -1, 22, 200, 2, false, true);
    a.add('192.0.2.9', YTE, '', src, '', 0xcb007107, 80, 10, 1, false, true);
    const sources = a.sources();
    expect(sources.map((s) => `${s.agency.id} ${s.ip} ${s.flows} ${s.distinctHosts} ${s.distinctPorts} ${s.outboundBytes}`).sort()).toEqual([
      'so-gtvt 10.1.2.3 3 3 2 1500',
      'so-yte 10.1.2.3 1 1 1 0',
    ]);
    // Destinations 203.0.113.7, 203.0.113.8 and 2001:db8::1 fill maxTracked: the other agency's entry of
    // 203.0.113.7 is untracked.
    expect(a.destinations().map((d) => `${d.agency.id} ${d.ip} ${d.flows} ${d.distinctSources}`).sort()).toEqual([
      'so-gtvt 2001:db8::1 1 1',
      'so-gtvt 203.0.113.7 1 1',
      'so-gtvt 203.0.113.8 1 1',
    ]);
    expect(a.untracked).toBe(1);
  });
});
