import { AgencyResolver, type Agency } from '../../../core/tenancy';
import { DEFAULT_SERVICE_PORTS } from '../config';
import { decodeFlowPacket, FlowTemplateCache } from '../decode';
import { newFlowRecord, type FlowRecord } from '../decode/types';
import { NETFLOW_CAPTURES, readCapture } from '../testdata/captures';
import { MinuteActivity, type DestinationActivity, type SourceActivity } from './minute-activity';
import { FlowMinuteAggregator, type ClosedMinute } from './minute-aggregator';
import { FlowNormalizer, type FlowPacketContext } from '../normalize';
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

describe('classification and activity entries kept on the aggregate row', () => {
  it('addClassifying gives the rows, activity and counts of add() with every flow classified first, with fewer classifications', () => {
    const agencies = new AgencyResolver([
      { id: 'so-gtvt', name: 'GTVT', cidrs: ['10.0.0.0/8'] },
      { id: 'so-yte', name: 'Y te', cidrs: ['192.168.0.0/16'] },
    ]);
    const normalizer = new FlowNormalizer({ agencies, internalNetworks: ['172.16.0.0/12'] });
    let classified = 0;
    const counting = {
      classify(f: FlowRecord, ctx: FlowPacketContext): { agency: Agency; outbound: boolean } {
        classified++;
        return normalizer.classify(f, ctx);
      },
    };
    // Small limits: "other" rows, untracked addresses and capped distinct sets all occur.
    const opts = { maxKeysPerMinute: 60, graceMs: 60_000, maxLatenessMs: 100 * 365 * 86_400_000, servicePorts: DEFAULT_SERVICE_PORTS, activity: { maxTracked: 40, maxDistinct: 3 } };
    const cached = new FlowMinuteAggregator(opts);
    const plain = new FlowMinuteAggregator(opts);
    // Two listeners' contexts for one exporter: unmapped flows fall back to different agencies.
    const contexts = [normalizer.packetContext('192.0.2.9', T0), normalizer.packetContext('192.0.2.9', T0, 'so-yte')];
    let flows = 0;
    for (let rep = 0; rep < 3; rep++) {
      // A scan first (within maxTracked): one source, many hosts and ports, and the hosts' replies.
      for (let j = 0; j < 8; j++) {
        const probe = newFlowRecord('netflow_v9', '192.0.2.9');
        probe.srcV4 = 0x0a090909; // 10.9.9.9
        probe.dstV4 = 0xcb007100 + j; // 203.0.113.j
        probe.srcPort = 40_000 + rep;
        probe.dstPort = 20 + j;
        probe.protocol = 6;
        probe.bytes = 60;
        probe.packets = 1;
        probe.ipVersion = 4;
        probe.endMs = T0;
        const reply = { ...probe, srcV4: probe.dstV4, dstV4: probe.srcV4, srcPort: probe.dstPort, dstPort: probe.srcPort };
        // Transit between two unmapped addresses: its agency is the context's fallback.
        const transit = { ...probe, srcV4: 0xc6336407, dstV4: 0xcb007132, srcPort: 50_000, dstPort: 443 };
        // High ports at both ends: one row (both fold to 0), a new raw destination port per flow.
        const highPorts = { ...probe, dstV4: 0xc6120709, srcPort: 40_001, dstPort: 50_000 + 8 * rep + j };
        for (const f of [probe, reply, transit, highPorts]) {
          const ctx = f === highPorts ? contexts[0] : contexts[(j + rep) % 2];
          cached.addClassifying(f, ctx, counting, T0);
          const c = normalizer.classify(f, ctx);
          plain.add(f, c.agency, c.outbound, T0);
          flows++;
        }
      }
      const cache = new FlowTemplateCache();
      for (const name of NETFLOW_CAPTURES) {
        for (const pkt of readCapture(name)) {
          const decoded = decodeFlowPacket(pkt, { exporter: '192.0.2.9', receivedMs: T0, lazyV4Text: true }, cache).flows;
          for (let i = 0; i < decoded.length; i++) {
            const ctx = contexts[(i + rep) % 2];
            cached.addClassifying(decoded[i], ctx, counting, T0);
            const c = normalizer.classify(decoded[i], ctx);
            plain.add(decoded[i], c.agency, c.outbound, T0);
            flows++;
          }
        }
      }
    }
    expect(flows).toBeGreaterThan(300);
    expect(classified).toBeLessThan(flows);
    expect(cached.stats).toEqual(plain.stats);
    const rowLines = (closed: ClosedMinute[]): string[] =>
      closed.flatMap((c) => c.rows.map((r) => `${c.minute} ${r.exporter} ${r.org} ${r.src} ${r.dst} ${r.srcPort} ${r.dstPort} ${r.protocol} ${r.inIf} ${r.outIf} ${r.bytes} ${r.packets} ${r.flows}`)).sort();
    const a = cached.closeAll();
    const b = plain.closeAll();
    expect(rowLines(a)).toEqual(rowLines(b));
    expect(a.some((c) => c.overflowFlows > 0)).toBe(true);
    expect(a.map((c) => c.overflowFlows)).toEqual(b.map((c) => c.overflowFlows));
    const activities = a.map((c) => c.activity).filter((x) => x !== null);
    const plainActivities = b.map((c) => c.activity).filter((x) => x !== null);
    expect(activities.length).toBeGreaterThan(0);
    expect(activities.map(sourceLines)).toEqual(plainActivities.map(sourceLines));
    expect(activities.map(destinationLines)).toEqual(plainActivities.map(destinationLines));
    expect(activities.map((x) => x.untracked)).toEqual(plainActivities.map((x) => x.untracked));
    expect(activities.some((x) => x.untracked > 0)).toBe(true);
    // A capped distinct set among them (maxDistinct 3).
    expect([...activities.flatMap(sourceLines), ...activities.flatMap(destinationLines)].some((l) => /(hosts|ports|sources)=3/.test(l))).toBe(true);
  });
});
