import type { EcsEvent } from '../../../core/event';
import { AgencyResolver } from '../../../core/tenancy';
import { decodeFlowPacket, FlowTemplateCache } from '../decode';
import { newFlowRecord, type FlowRecord } from '../decode/types';
import { readCapture, readExpected, type CaptureName } from '../testdata/captures';
import { FlowNormalizer, InterfaceNameTable } from '.';

const RECEIVED = Date.parse('2026-11-27T03:00:00.000Z');

const agencies = new AgencyResolver([
  { id: 'so-gtvt', name: 'Sở Giao thông Vận tải', cidrs: ['10.0.0.0/24', '2001:db8:1::/48'] },
  { id: 'so-yte', name: 'Sở Y tế', cidrs: ['192.0.2.0/28'] },
  { id: 'metronet', name: 'Metronet core', cidrs: ['172.31.255.0/24'] },
  { id: 'so-tnmt', name: 'Sở Tài nguyên và Môi trường', cidrs: [] },
]);

function normalizer(names?: InterfaceNameTable): FlowNormalizer {
  return new FlowNormalizer({ agencies, internalNetworks: ['10.0.0.0/8', 'fc00::/7'], interfaceNames: names });
}

function captureEvents(name: CaptureName, exporter = '127.0.0.1'): EcsEvent[] {
  const cache = new FlowTemplateCache();
  const n = normalizer();
  const events: EcsEvent[] = [];
  for (const pkt of readCapture(name)) {
    const r = decodeFlowPacket(pkt, { exporter, receivedMs: RECEIVED }, cache);
    expect(r.error).toBeNull();
    const ctx = n.packetContext(exporter, RECEIVED);
    for (const f of r.flows) events.push(n.flowEvent(f, ctx));
  }
  return events;
}

interface Golden {
  first: number;
  last: number;
  proto: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  packets: number;
  bytes: number;
}

function golden(name: string): Golden[] {
  return readExpected(`${name}.nfdump.csv`)
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const c = line.split(',');
      return { first: Number(c[0]), last: Number(c[1]), proto: Number(c[2]), src: c[3], sport: Number(c[4]), dst: c[5], dport: Number(c[6]), packets: Number(c[7]), bytes: Number(c[8]) };
    });
}

const iso = (ms: number): string => new Date(ms).toISOString();

describe('flow events from real captures', () => {
  test('pmacct v9: every flow matches nfdump (tuple, counters, times) in ECS fields', () => {
    const events = captureEvents('pmacct-v9');
    const expected = golden('pmacct-v9');
    expect(events).toHaveLength(expected.length);
    // ICMP has no ports in ECS (its type/code sit in netflow.icmp_*); nfdump prints them as a port.
    const key = (proto: number, src: string, sport: number | undefined, dst: string, dport: number | undefined) =>
      proto === 1 || proto === 58 ? `${proto} ${src} ${dst}` : `${proto} ${src}:${sport} ${dst}:${dport}`;
    const mine = new Map(events.map((e) => [key(Number(e.network?.iana_number), e.source?.ip ?? '', e.source?.port, e.destination?.ip ?? '', e.destination?.port), e]));
    for (const g of expected) {
      const e = mine.get(key(g.proto, g.src, g.sport, g.dst, g.dport));
      if (e === undefined) throw new Error(`no event for ${key(g.proto, g.src, g.sport, g.dst, g.dport)}`);
      expect([e.source?.packets, e.source?.bytes, e.network?.packets, e.network?.bytes]).toEqual([g.packets, g.bytes, g.packets, g.bytes]);
      expect([e.event.start, e.event.end, e['@timestamp']]).toEqual([iso(g.first), iso(g.last), iso(g.last)]);
      expect(e.event.duration).toBe((g.last - g.first) * 1_000_000);
    }
    for (const e of events) {
      expect(e.event).toMatchObject({ kind: 'event', category: ['network'], type: ['connection'], dataset: 'netflow.flow', module: 'netflow' });
      expect(e.observer?.ip).toEqual(['127.0.0.1']);
      expect(e.netflow).toMatchObject({ exporter: { address: '127.0.0.1', format: 'netflow_v9', version: 9, source_id: 0 }, sampling_interval: 1 });
    }
  });

  test('softflowd v5: the SSH flow 10.0.0.1 -> 192.0.2.1 as a whole event', () => {
    const events = captureEvents('softflowd-v5', '172.31.255.7');
    const ssh = events.filter((e) => e.source?.ip === '10.0.0.1' && e.destination?.port === 22);
    expect(ssh).toHaveLength(1);
    // Values from nfdump's decoding of the same datagram (expected/softflowd-v5.nfdump.csv line 2: first
    // 1794489280513, last 1794489280590, 9 packets, 4983 bytes, flags 27).
    expect(ssh[0]).toEqual({
      '@timestamp': '2026-11-12T13:14:40.590Z',
      event: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        created: iso(RECEIVED),
        ingested: iso(RECEIVED),
        kind: 'event',
        category: ['network'],
        type: ['connection'],
        dataset: 'netflow.flow',
        module: 'netflow',
        start: '2026-11-12T13:14:40.513Z',
        end: '2026-11-12T13:14:40.590Z',
        duration: 77_000_000,
      },
      organization: { id: 'so-gtvt', name: 'Sở Giao thông Vận tải' },
      source: { ip: '10.0.0.1', port: 40000, bytes: 4983, packets: 9 },
      destination: { ip: '192.0.2.1', port: 22 },
      network: { transport: 'tcp', iana_number: '6', bytes: 4983, packets: 9, direction: 'internal', type: 'ipv4' },
      observer: { ip: ['172.31.255.7'] },
      netflow: {
        exporter: { address: '172.31.255.7', format: 'netflow_v5', version: 5, source_id: 0 },
        sampling_interval: 1,
        ip_class_of_service: 0,
        tcp_control_bits: 27,
        // so-gtvt's host reached so-yte's: traffic between zones (the SNMP-across-zones rule reads this).
        cross_agency: true,
        destination_organization_id: 'so-yte',
      },
    });
  });

  test('cross_agency only between two different agencies', () => {
    const events = captureEvents('softflowd-v5', '172.31.255.7');
    for (const e of events) {
      const src = e.source?.ip ?? '';
      const dst = e.destination?.ip ?? '';
      const agencyOf = (ip: string): string | undefined => (ip.startsWith('10.0.0.') ? 'so-gtvt' : /^192\.0\.2\.([0-9]|1[0-5])$/.test(ip) ? 'so-yte' : undefined);
      const crossing = agencyOf(src) !== undefined && agencyOf(dst) !== undefined && agencyOf(src) !== agencyOf(dst);
      const netflow = e.netflow as { cross_agency?: boolean; destination_organization_id?: string };
      expect([src, dst, netflow.cross_agency, netflow.destination_organization_id]).toEqual([src, dst, crossing ? true : undefined, crossing ? agencyOf(dst) : undefined]);
    }
    expect(events.some((e) => (e.netflow as { cross_agency?: boolean }).cross_agency === undefined)).toBe(true);
  });

  test('ICMP and ICMPv6: no ports, type and code under netflow, IANA keywords', () => {
    const events = captureEvents('pmacct-ipfix');
    const icmp = events.find((e) => e.network?.iana_number === '1');
    const icmp6 = events.find((e) => e.network?.iana_number === '58');
    expect(icmp?.network).toMatchObject({ transport: 'icmp', type: 'ipv4' });
    expect(icmp?.source?.port).toBeUndefined();
    expect(icmp?.destination?.port).toBeUndefined();
    expect(icmp?.netflow).toMatchObject({ icmp_type: 8, icmp_code: 0 });
    expect(icmp6?.network).toMatchObject({ transport: 'ipv6-icmp', type: 'ipv6' });
    expect(icmp6?.source).toEqual({ ip: expect.stringMatching(/^2001:db8:/), bytes: expect.any(Number), packets: expect.any(Number) });
  });

  test('pmacct sFlow: dataset sflow.flow, ECS MACs, sampled counts, the agent as observer', () => {
    const cache = new FlowTemplateCache();
    const n = normalizer();
    const events: EcsEvent[] = [];
    for (const pkt of readCapture('pmacct-sflow')) {
      const r = decodeFlowPacket(pkt, { exporter: '198.18.0.1', receivedMs: RECEIVED }, cache);
      const ctx = n.packetContext('198.18.0.1', RECEIVED);
      for (const f of r.flows) events.push(n.flowEvent(f, ctx));
    }
    expect(events).toHaveLength(682);
    const first = events[0];
    expect(first.event).toMatchObject({ dataset: 'sflow.flow', module: 'sflow', start: iso(RECEIVED), end: iso(RECEIVED), duration: 0 });
    expect(first.source?.mac).toBe('02-00-00-00-00-01');
    expect(first.destination?.mac).toMatch(/^([0-9A-F]{2}-){5}[0-9A-F]{2}$/);
    // The datagrams name agent 127.0.0.1 but arrived from 198.18.0.1 (a relay): both are observers.
    expect(first.observer?.ip).toEqual(['127.0.0.1', '198.18.0.1']);
    expect(first.netflow).toMatchObject({ exporter: { address: '198.18.0.1', format: 'sflow_v5', agent_address: '127.0.0.1' }, sampling_interval: 1 });
    // 0x3fffffff ("the device itself") is no interface.
    expect(first.observer?.ingress).toBeUndefined();
    const sum = events.reduce((a, e) => a + (e.network?.bytes ?? 0), 0);
    expect(sum).toBe(198_140);
  });
});

function flow(overrides: Partial<FlowRecord>): FlowRecord {
  return { ...newFlowRecord('ipfix', '203.0.113.1'), ipVersion: 4, protocol: 17, srcPort: 5353, dstPort: 53, bytes: 100, packets: 1, ...overrides };
}

describe('agency and direction', () => {
  const n = normalizer();
  const fromCore = n.packetContext('172.31.255.1', RECEIVED, 'so-tnmt');
  const fromUnknown = n.packetContext('203.0.113.1', RECEIVED, 'so-tnmt');
  const unlisted = n.packetContext('203.0.113.1', RECEIVED);

  test.each([
    ['source address mapped', '10.0.0.5', '192.0.2.3', fromCore, 'so-gtvt', 'internal'],
    ['destination mapped, source not', '198.51.100.9', '192.0.2.3', fromCore, 'so-yte', 'inbound'],
    ['no address mapped: the exporter decides', '198.51.100.9', '203.0.113.50', fromCore, 'metronet', 'external'],
    ['nothing mapped: the listener decides', '198.51.100.9', '203.0.113.50', fromUnknown, 'so-tnmt', 'external'],
    ['nothing at all: unassigned', '198.51.100.9', '203.0.113.50', unlisted, 'unassigned', 'external'],
    ['internal network without agency -> public', '10.9.9.9', '198.51.100.9', unlisted, 'unassigned', 'outbound'],
    ['IPv6 agency source', '2001:db8:1::7', '2001:db8:99::1', unlisted, 'so-gtvt', 'outbound'],
    ['ULA to agency', 'fd00::1', '2001:db8:1::7', unlisted, 'so-gtvt', 'internal'],
  ])('%s', (_what, src, dst, ctx, agency, direction) => {
    const e = n.flowEvent(flow({ srcAddr: src, dstAddr: dst, ipVersion: src.includes(':') ? 6 : 4 }), ctx);
    expect(e.organization?.id).toBe(agency);
    expect(e.network?.direction).toBe(direction);
  });

  test('a record without addresses: direction unknown, no ip fields', () => {
    const e = n.flowEvent(flow({ ipVersion: 0, srcAddr: '', dstAddr: '' }), fromCore);
    expect(e.network?.direction).toBe('unknown');
    expect(e.network?.type).toBeUndefined();
    expect(e.source).toEqual({ port: 5353, bytes: 100, packets: 1 });
    expect(e.organization?.id).toBe('metronet');
  });
});

describe('flow details', () => {
  test('interfaces by id, names from the resolver, 0 left out', () => {
    const names = new InterfaceNameTable();
    names.set('203.0.113.1', 3, 'GigabitEthernet0/0/3');
    names.set('203.0.113.1', 9, 'Te1/1/1', 'Uplink VNPT Metronet 10G');
    const n = normalizer(names);
    const ctx = n.packetContext('203.0.113.1', RECEIVED);
    expect(n.flowEvent(flow({ srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', inIf: 3, outIf: 7 }), ctx).observer).toEqual({
      ip: ['203.0.113.1'],
      ingress: { interface: { id: '3', name: 'GigabitEthernet0/0/3' } },
      egress: { interface: { id: '7' } },
    });
    // ifAlias as ECS interface.alias; another exporter's ifIndex 9 is not this one's.
    expect(n.flowEvent(flow({ srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', inIf: 9, outIf: 3 }), ctx).observer?.ingress).toEqual({ interface: { id: '9', name: 'Te1/1/1', alias: 'Uplink VNPT Metronet 10G' } });
    expect(n.flowEvent(flow({ srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', inIf: 9 }), n.packetContext('203.0.113.2', RECEIVED)).observer?.ingress).toEqual({ interface: { id: '9' } });
    expect(n.flowEvent(flow({ srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', inIf: 0, outIf: 0 }), ctx).observer).toEqual({ ip: ['203.0.113.1'] });
  });

  test('exporter extras: AS, NAT, masks, next hops, VLANs, end reason, direction, enterprise elements', () => {
    const n = normalizer();
    const e = n.flowEvent(
      flow({
        srcAddr: '10.0.0.1', dstAddr: '198.51.100.7', protocol: 6, srcPort: 51000, dstPort: 443, tcpFlags: 0x12, tos: 0xb8,
        srcAs: 64512, dstAs: 15169, srcMask: 24, dstMask: 16, nextHop: '10.0.0.254', bgpNextHop: '0.0.0.0', srcVlan: 10, dstVlan: 20,
        natSrcAddr: '203.0.113.9', natSrcPort: 40001, flowEndReason: 3, direction: 'egress', samplingRate: 100,
        applicationId: '0d000050', extra: [{ enterprise: 9, id: 12235, hex: '0102' }],
      }),
      n.packetContext('203.0.113.1', RECEIVED),
    );
    expect(e.source).toEqual({ ip: '10.0.0.1', port: 51000, bytes: 100, packets: 1, as: { number: 64512 }, nat: { ip: '203.0.113.9', port: 40001 } });
    expect(e.destination).toEqual({ ip: '198.51.100.7', port: 443, as: { number: 15169 } });
    expect(e.netflow).toEqual({
      exporter: { address: '203.0.113.1', format: 'ipfix', version: 10, source_id: 0 },
      sampling_interval: 100,
      ip_class_of_service: 0xb8,
      tcp_control_bits: 0x12,
      flow_direction: 'egress',
      source_prefix_length: 24,
      destination_prefix_length: 16,
      ip_next_hop_address: '10.0.0.254',
      vlan_id: 10,
      post_vlan_id: 20,
      flow_end_reason: 'end_of_flow',
      application_id: '0d000050',
      extra: [{ enterprise: 9, id: 12235, hex: '0102' }],
    });
  });

  test('unusable exporter times fall back to the export time, then the receive time; start never after end', () => {
    const n = normalizer();
    const ctx = n.packetContext('203.0.113.1', RECEIVED);
    const exportMs = RECEIVED - 5000;
    const noTimes = n.flowEvent(flow({ srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', startMs: 0, endMs: 0, exportTimeMs: exportMs }), ctx);
    expect([noTimes['@timestamp'], noTimes.event.start, noTimes.event.duration]).toEqual([iso(exportMs), iso(exportMs), 0]);
    const absurd = n.flowEvent(flow({ srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', startMs: 2 ** 60, endMs: 2 ** 62, exportTimeMs: 0 }), ctx);
    expect([absurd['@timestamp'], absurd.event.start, absurd.event.end]).toEqual([iso(RECEIVED), iso(RECEIVED), iso(RECEIVED)]);
    const reversed = n.flowEvent(flow({ srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', startMs: RECEIVED, endMs: RECEIVED - 1000 }), ctx);
    expect([reversed.event.start, reversed.event.end, reversed.event.duration]).toEqual([iso(RECEIVED - 1000), iso(RECEIVED - 1000), 0]);
  });

  test('an unlisted protocol keeps its number, without a transport name', () => {
    const n = normalizer();
    const e = n.flowEvent(flow({ srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', protocol: 253, srcPort: 0, dstPort: 0 }), n.packetContext('203.0.113.1', RECEIVED));
    expect(e.network).toEqual({ iana_number: '253', bytes: 100, packets: 1, direction: 'internal', type: 'ipv4' });
    expect(e.source?.port).toBeUndefined();
  });
});
