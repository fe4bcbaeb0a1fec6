import { cat, ip4, ip6, mac, sflowDatagram, sflowItem, u16, u32, u64, u8 } from '../testdata/packets';
import { decodeSflow } from './sflow';

const RECEIVED = 1_760_000_000_000;
const ctx = { exporter: '10.255.1.1', receivedMs: RECEIVED };

function rawHeader(protocol: number, frameLength: number, header: Buffer): Buffer {
  const padding = Buffer.alloc((4 - (header.length % 4)) % 4);
  return sflowItem(1, cat(u32(protocol), u32(frameLength), u32(4), u32(header.length), header, padding));
}

/** Ethernet + 802.1Q (VLAN 42, PCP 3) + IPv6 (traffic class 0xb8) + hop-by-hop options + TCP PSH/ACK. */
function taggedIpv6TcpHeader(): Buffer {
  const eth = cat(mac('00:00:5e:00:53:02'), mac('00:00:5e:00:53:01'), u16(0x8100), u16(0x602a), u16(0x86dd));
  const ipv6 = cat(
    Buffer.from([0x6b, 0x80, 0x00, 0x00]), u16(8 + 20), u8(0), u8(64),
    ip6('2001:0db8:0000:0000:0000:0000:0000:00aa'), ip6('2001:0db8:0000:0000:0000:0000:0000:00bb'),
  );
  const hopByHop = cat(u8(6), u8(0), Buffer.alloc(6));
  const tcp = cat(u16(443), u16(50000), u32(1), u32(2), u8(0x50), u8(0x18), u16(512), u16(0), u16(0));
  return cat(eth, ipv6, hopByHop, tcp);
}

describe('sFlow v5 flow samples', () => {
  test('expanded flow sample: raw header through VLAN/IPv6/extension header/TCP, rate applied, extended data', () => {
    const records = [
      rawHeader(1, 1518, taggedIpv6TcpHeader()),
      sflowItem(1001, cat(u32(42), u32(3), u32(43), u32(0))),
      sflowItem(1002, cat(u32(1), ip4('10.0.0.254'), u32(48), u32(64))),
      sflowItem(1003, cat(u32(1), ip4('203.0.113.1'), u32(64500), u32(64496), u32(64497), u32(1), u32(2), u32(3), u32(64497), u32(3356), u32(15169), u32(0), u32(100))),
    ];
    const sample = sflowItem(3, cat(
      u32(77), u32(0), u32(12), u32(512), u32(512 * 77), u32(0),
      u32(0), u32(5), // input: ifIndex 5
      u32(2), u32(3), // output: 3 interfaces (multicast): no single ifIndex
      u32(records.length), ...records,
    ));
    const r = decodeSflow(sflowDatagram(ip6('2001:0db8:0000:0000:0000:0000:0000:0001'), 3, 1000, 3_600_000, sample), ctx);
    expect(r.error).toBeNull();
    expect(r.flows).toHaveLength(1);
    expect(r.flows[0]).toMatchObject({
      format: 'sflow_v5', exporter: '10.255.1.1', agentAddress: '2001:db8::1', sequence: 77, sourceId: 12,
      exportTimeMs: RECEIVED, startMs: RECEIVED, endMs: RECEIVED,
      samplingRate: 512, packets: 512, bytes: 1518 * 512,
      inIf: 5, outIf: 0,
      srcMac: '00:00:5e:00:53:01', dstMac: '00:00:5e:00:53:02', srcVlan: 42, dstVlan: 43,
      ipVersion: 6, srcAddr: '2001:db8::aa', dstAddr: '2001:db8::bb', tos: 0xb8,
      protocol: 6, srcPort: 443, dstPort: 50000, tcpFlags: 0x18,
      nextHop: '10.0.0.254', srcMask: 48, dstMask: 64,
      bgpNextHop: '203.0.113.1', srcAs: 64496, dstAs: 15169,
      direction: 'unknown',
    });
  });

  test('compact flow sample with only a sampled-IPv4 record; unknown-enterprise samples skipped', () => {
    const ipv4Record = sflowItem(3, cat(u32(1400), u32(17), ip4('10.1.1.1'), ip4('198.51.100.53'), u32(5353), u32(53), u32(0), u32(0x20)));
    const sample = sflowItem(1, cat(u32(5), u32(7), u32(2048), u32(10_000), u32(0), u32(7), u32(0x3fffffff), u32(1), ipv4Record));
    const vendor = sflowItem((4413 << 12) | 5, Buffer.alloc(12));
    const r = decodeSflow(sflowDatagram(ip4('192.0.2.9'), 0, 1, 1, vendor, sample), ctx);
    expect(r.error).toBeNull();
    expect(r.flows).toHaveLength(1);
    expect(r.flows[0]).toMatchObject({
      agentAddress: '192.0.2.9', samplingRate: 2048, packets: 2048, bytes: 1400 * 2048, inIf: 7, outIf: 0,
      protocol: 17, srcAddr: '10.1.1.1', dstAddr: '198.51.100.53', srcPort: 5353, dstPort: 53, tos: 0x20, ipVersion: 4,
    });
  });

  test('IPv4 non-first fragment: addresses, no ports; ICMP type/code from the header', () => {
    const eth = cat(mac('02:00:00:00:00:02'), mac('02:00:00:00:00:01'), u16(0x0800));
    const frag = cat(u8(0x45), u8(0), u16(40), u16(1), u16(0x00b9), u8(64), u8(17), u16(0), ip4('10.0.0.1'), ip4('10.0.0.2'), u16(1111), u16(2222));
    const icmp = cat(u8(0x45), u8(0), u16(28), u16(1), u16(0), u8(64), u8(1), u16(0), ip4('10.0.0.1'), ip4('10.0.0.3'), u8(11), u8(0), u16(0));
    const sample = (h: Buffer) => sflowItem(1, cat(u32(1), u32(1), u32(1), u32(1), u32(0), u32(1), u32(2), u32(1), rawHeader(1, 64, h)));
    const r = decodeSflow(sflowDatagram(ip4('192.0.2.9'), 0, 1, 1, sample(cat(eth, frag)), sample(cat(eth, icmp))), ctx);
    expect(r.flows[0]).toMatchObject({ srcAddr: '10.0.0.1', dstAddr: '10.0.0.2', protocol: 17, srcPort: 0, dstPort: 0 });
    expect(r.flows[1]).toMatchObject({ protocol: 1, icmpType: 11, icmpCode: 0, srcPort: 0, dstPort: 0 });
  });

  test('a header cut inside TCP keeps addresses; a record longer than its sample is truncated', () => {
    const hdr = taggedIpv6TcpHeader().subarray(0, 14 + 4 + 40 + 8 + 2);
    const sample = sflowItem(1, cat(u32(1), u32(1), u32(1), u32(1), u32(0), u32(1), u32(2), u32(1), rawHeader(1, 90, hdr)));
    const ok = decodeSflow(sflowDatagram(ip4('192.0.2.9'), 0, 1, 1, sample), ctx);
    expect(ok.flows[0]).toMatchObject({ srcAddr: '2001:db8::aa', protocol: 6, srcPort: 0, bytes: 90 });
    const broken = sflowDatagram(ip4('192.0.2.9'), 0, 1, 1, sample);
    // datagram header 28 + sample format/length 8 + compact sample fields 32 = the record; its length word follows the format
    broken.writeUInt32BE(9999, 28 + 8 + 32 + 4);
    const r = decodeSflow(broken, ctx);
    expect(r.error?.reason).toBe('truncated');
    expect(r.error?.message).toMatch(/^sflow v5 from 10\.255\.1\.1: flow record 1 \(format 1\) of length 9999/);
    expect(r.flows).toHaveLength(0);
  });
});

describe('sFlow v5 counter samples', () => {
  const generic = sflowItem(1, cat(
    u32(17), u32(6), u64(10_000_000_000), u32(1), u32(3),
    u64(9_000_000_000_000), u32(1), u32(2), u32(3), u32(4), u32(5), u32(6),
    u64(42), u32(7), u32(8), u32(9), u32(10), u32(11), u32(2),
  ));
  const ethernet = sflowItem(2, cat(...Array.from({ length: 13 }, (_, i) => u32(100 + i))));

  test('generic and ethernet counters in one record; 64-bit octets beyond 2^32', () => {
    const sample = sflowItem(2, cat(u32(9), u32(17), u32(2), generic, ethernet));
    const r = decodeSflow(sflowDatagram(ip4('192.0.2.9'), 1, 5, 86_400_000, sample), ctx);
    expect(r.error).toBeNull();
    expect(r.flows).toHaveLength(0);
    expect(r.counters).toHaveLength(1);
    expect(r.counters[0]).toMatchObject({
      format: 'sflow_v5', exporter: '10.255.1.1', agentAddress: '192.0.2.9', subAgentId: 1, sequence: 9, sourceId: 17,
      timestampMs: RECEIVED, uptimeMs: 86_400_000, ifIndex: 17, ifType: 6, ifSpeed: 10_000_000_000, ifDirection: 1,
      adminUp: true, operUp: true, inOctets: 9_000_000_000_000, inUcastPkts: 1, inMulticastPkts: 2, inBroadcastPkts: 3,
      inDiscards: 4, inErrors: 5, inUnknownProtos: 6, outOctets: 42, outUcastPkts: 7, outMulticastPkts: 8,
      outBroadcastPkts: 9, outDiscards: 10, outErrors: 11, promiscuous: false,
    });
    expect(r.counters[0].ethernet).toEqual({
      alignmentErrors: 100, fcsErrors: 101, singleCollisionFrames: 102, multipleCollisionFrames: 103, sqeTestErrors: 104,
      deferredTransmissions: 105, lateCollisions: 106, excessiveCollisions: 107, internalMacTransmitErrors: 108,
      carrierSenseErrors: 109, frameTooLongs: 110, internalMacReceiveErrors: 111, symbolErrors: 112,
    });
  });

  test('expanded counter sample; records of other types (processor) skipped', () => {
    const processor = sflowItem(1001, Buffer.alloc(28));
    const sample = sflowItem(4, cat(u32(10), u32(0), u32(70_000), u32(2), processor, generic));
    const r = decodeSflow(sflowDatagram(ip4('192.0.2.9'), 0, 6, 1, sample), ctx);
    expect(r.counters[0]).toMatchObject({ sourceId: 70_000, ifIndex: 17, ethernet: null });
  });

  test('a generic counter record shorter than 88 bytes is truncated', () => {
    const short = sflowItem(1, Buffer.alloc(40));
    const r = decodeSflow(sflowDatagram(ip4('192.0.2.9'), 0, 6, 1, sflowItem(2, cat(u32(1), u32(1), u32(1), short))), ctx);
    expect(r.error?.reason).toBe('truncated');
  });
});

test('bad agent address type and bad version', () => {
  expect(decodeSflow(cat(u32(5), u32(7), Buffer.alloc(40)), ctx).error?.reason).toBe('bad_length');
  expect(decodeSflow(cat(u32(4), Buffer.alloc(40)), ctx).error?.reason).toBe('bad_version');
});
