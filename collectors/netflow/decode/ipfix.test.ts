import {
  cat,
  flowSet,
  ip4,
  ip6,
  ipfixMessage,
  ipfixOptionsTemplateRecord,
  ipfixTemplateRecord,
  mac,
  u16,
  u32,
  u64,
  u8,
  varlen,
  type IpfixField,
} from '../testdata/packets';
import { decodeIpfix } from './ipfix';
import { FlowTemplateCache } from './template-cache';

const EXPORT_S = 1_750_000_000;
const T0 = EXPORT_S * 1000;
const ctx = (receivedMs = T0) => ({ exporter: '198.51.100.7', receivedMs });

const RICH_TEMPLATE: IpfixField[] = [
  { id: 27, length: 16 }, // sourceIPv6Address
  { id: 28, length: 16 }, // destinationIPv6Address
  { id: 7, length: 2 },
  { id: 11, length: 2 },
  { id: 4, length: 1 },
  { id: 6, length: 2 }, // tcpControlBits, 16-bit form
  { id: 1, length: 8 },
  { id: 2, length: 4 }, // packetDeltaCount, reduced size
  { id: 152, length: 8 },
  { id: 153, length: 8 },
  { id: 56, length: 6 },
  { id: 80, length: 6 },
  { id: 58, length: 2 },
  { id: 10, length: 4 },
  { id: 14, length: 4 },
  { id: 16, length: 4 },
  { id: 17, length: 4 },
  { id: 61, length: 1 },
  { id: 95, length: 65535 }, // applicationId, variable length
  { id: 12235, length: 4, enterprise: 9 }, // a Cisco enterprise element
  { id: 1, length: 8, enterprise: 29305 }, // reverseOctetDeltaCount (RFC 5103)
  { id: 82, length: 65535 }, // interfaceName, known but not a column
];

function richRecord(appId: Buffer): Buffer {
  return cat(
    ip6('2001:0db8:0000:0000:0000:0000:0000:0010'),
    ip6('2001:0db8:00ff:0000:0000:0000:0000:0001'),
    u16(51000),
    u16(443),
    u8(6),
    u16(0x0012),
    u64(5_000_000_000), // > 2^32
    u32(4_000_000),
    u64(T0 - 1500),
    u64(T0 - 200),
    mac('00:1b:21:3a:4f:01'),
    mac('f4:ce:46:00:00:02'),
    u16(120),
    u32(7),
    u32(9),
    u32(64512),
    u32(15169),
    u8(1),
    varlen(appId),
    u32(0xdeadbeef),
    u64(1234),
    varlen(Buffer.from('ge-0/0/1')),
  );
}

describe('IPFIX data records', () => {
  test('IPv6, 64-bit and reduced-size counters, MACs, VLAN, AS, direction, variable-length and enterprise fields', () => {
    const cache = new FlowTemplateCache();
    const msg = ipfixMessage(EXPORT_S, 42, 7, flowSet(2, ipfixTemplateRecord(400, RICH_TEMPLATE)), flowSet(400, richRecord(Buffer.from([0x03, 0x00, 0x00, 0x50]))));
    const r = decodeIpfix(msg, ctx(), cache);
    expect(r.error).toBeNull();
    expect(r.templates).toBe(1);
    expect(r.flows).toHaveLength(1);
    expect(r.flows[0]).toMatchObject({
      format: 'ipfix',
      exporter: '198.51.100.7',
      sourceId: 7,
      sequence: 42,
      exportTimeMs: T0,
      ipVersion: 6,
      srcAddr: '2001:db8::10',
      dstAddr: '2001:db8:ff::1',
      srcPort: 51000,
      dstPort: 443,
      protocol: 6,
      tcpFlags: 0x12,
      bytes: 5_000_000_000,
      packets: 4_000_000,
      startMs: T0 - 1500,
      endMs: T0 - 200,
      srcMac: '00:1b:21:3a:4f:01',
      dstMac: 'f4:ce:46:00:00:02',
      srcVlan: 120,
      inIf: 7,
      outIf: 9,
      srcAs: 64512,
      dstAs: 15169,
      direction: 'egress',
      applicationId: '03000050',
      samplingRate: 1,
    });
    expect(r.flows[0].extra).toEqual([
      { enterprise: 9, id: 12235, hex: 'deadbeef' },
      { enterprise: 29305, id: 1, hex: '00000000000004d2' },
    ]);
  });

  test('a variable-length field of 300 bytes uses the 3-byte length prefix', () => {
    const cache = new FlowTemplateCache();
    const longApp = Buffer.alloc(300, 0xab);
    const msg = ipfixMessage(EXPORT_S, 1, 7, flowSet(2, ipfixTemplateRecord(400, RICH_TEMPLATE)), flowSet(400, cat(richRecord(longApp), richRecord(Buffer.from([1])))));
    const r = decodeIpfix(msg, ctx(), cache);
    expect(r.error).toBeNull();
    expect(r.flows.map((f) => f.applicationId.length)).toEqual([600, 2]);
    expect(r.flows[1].dstPort).toBe(443);
  });

  test('a variable-length record that overruns its set is a truncated error, earlier sets kept', () => {
    const cache = new FlowTemplateCache();
    const good = flowSet(400, richRecord(Buffer.from([1])));
    const bad = richRecord(Buffer.from([1]));
    bad[98] = 200; // applicationId length byte (after 98 fixed bytes) now points past the set
    const msg = ipfixMessage(EXPORT_S, 1, 7, flowSet(2, ipfixTemplateRecord(400, RICH_TEMPLATE)), good, flowSet(400, bad, false));
    const r = decodeIpfix(msg, ctx(), cache);
    expect(r.error?.reason).toBe('truncated');
    expect(r.error?.message).toContain('ipfix from 198.51.100.7');
    expect(r.flows).toHaveLength(1);
  });

  test('time forms: seconds, NTP microseconds, delta microseconds, uptime with systemInitTime, duration', () => {
    const cache = new FlowTemplateCache();
    const ntp = (ms: number) => cat(u32(Math.floor(ms / 1000) + 2208988800), u32(Math.round(((ms % 1000) / 1000) * 2 ** 32)));
    const sets = [
      flowSet(2, cat(
        ipfixTemplateRecord(500, [{ id: 8, length: 4 }, { id: 150, length: 4 }, { id: 151, length: 4 }]),
        ipfixTemplateRecord(501, [{ id: 8, length: 4 }, { id: 154, length: 8 }, { id: 155, length: 8 }]),
        ipfixTemplateRecord(502, [{ id: 8, length: 4 }, { id: 158, length: 4 }, { id: 159, length: 4 }]),
        ipfixTemplateRecord(503, [{ id: 8, length: 4 }, { id: 160, length: 8 }, { id: 22, length: 4 }, { id: 21, length: 4 }]),
        ipfixTemplateRecord(504, [{ id: 8, length: 4 }, { id: 152, length: 8 }, { id: 161, length: 4 }]),
      )),
      flowSet(500, cat(ip4('10.0.0.1'), u32(EXPORT_S - 60), u32(EXPORT_S - 1))),
      flowSet(501, cat(ip4('10.0.0.2'), ntp(T0 - 2250), ntp(T0 - 125))),
      flowSet(502, cat(ip4('10.0.0.3'), u32(3_000_000), u32(500_000))),
      flowSet(503, cat(ip4('10.0.0.4'), u64(T0 - 86_400_000), u32(86_000_000), u32(86_100_000))),
      flowSet(504, cat(ip4('10.0.0.5'), u64(T0 - 10_000), u32(2500))),
    ];
    const r = decodeIpfix(ipfixMessage(EXPORT_S, 1, 0, ...sets), ctx(), cache);
    expect(r.error).toBeNull();
    expect(r.flows.map((f) => [f.srcAddr, f.startMs - T0, f.endMs - T0])).toEqual([
      ['10.0.0.1', -60_000, -1000],
      ['10.0.0.2', -2250, -125],
      ['10.0.0.3', -3000, -500],
      ['10.0.0.4', -400_000, -300_000],
      ['10.0.0.5', -10_000, -7500],
    ]);
  });

  test('ICMPv6 type/code element, post-NAT addresses and ports', () => {
    const cache = new FlowTemplateCache();
    const tpl = ipfixTemplateRecord(600, [
      { id: 8, length: 4 }, { id: 12, length: 4 }, { id: 4, length: 1 }, { id: 139, length: 2 },
      { id: 225, length: 4 }, { id: 226, length: 4 }, { id: 227, length: 2 }, { id: 228, length: 2 },
    ]);
    const rec = cat(ip4('10.1.1.1'), ip4('203.0.113.5'), u8(58), u16(0x8100), ip4('198.51.100.1'), ip4('203.0.113.5'), u16(40001), u16(443));
    const r = decodeIpfix(ipfixMessage(EXPORT_S, 1, 0, flowSet(2, tpl), flowSet(600, rec)), ctx(), cache);
    expect(r.flows[0]).toMatchObject({ icmpType: 129, icmpCode: 0, natSrcAddr: '198.51.100.1', natDstAddr: '203.0.113.5', natSrcPort: 40001, natDstPort: 443 });
  });

  test('zero padding after the last record of a set is skipped', () => {
    const cache = new FlowTemplateCache();
    const tpl = ipfixTemplateRecord(700, [{ id: 8, length: 4 }, { id: 4, length: 1 }]);
    const data = cat(u16(700), u16(4 + 10 + 2), ip4('10.0.0.1'), u8(17), ip4('10.0.0.2'), u8(6), u16(0));
    const r = decodeIpfix(ipfixMessage(EXPORT_S, 1, 0, flowSet(2, tpl), data), ctx(), cache);
    expect(r.error).toBeNull();
    expect(r.flows.map((f) => f.protocol)).toEqual([17, 6]);
  });

  test('message length bounds: longer than the datagram is truncated; trailing bytes after it are ignored', () => {
    const msg = ipfixMessage(EXPORT_S, 1, 0, flowSet(2, ipfixTemplateRecord(700, [{ id: 8, length: 4 }])));
    expect(decodeIpfix(msg.subarray(0, msg.length - 1), ctx(), new FlowTemplateCache()).error?.reason).toBe('truncated');
    const r = decodeIpfix(cat(msg, Buffer.from('junk')), ctx(), new FlowTemplateCache());
    expect(r.error).toBeNull();
    expect(r.templates).toBe(1);
    expect(decodeIpfix(cat(u16(9), msg.subarray(2)), ctx(), new FlowTemplateCache()).error?.reason).toBe('bad_version');
  });
});

describe('IPFIX sampling from options templates', () => {
  const dataTpl = ipfixTemplateRecord(800, [{ id: 8, length: 4 }, { id: 1, length: 4 }, { id: 2, length: 4 }]);
  const selectorTpl = ipfixTemplateRecord(801, [{ id: 8, length: 4 }, { id: 1, length: 4 }, { id: 2, length: 4 }, { id: 302, length: 4 }]);
  const ownTpl = ipfixTemplateRecord(802, [{ id: 8, length: 4 }, { id: 1, length: 4 }, { id: 2, length: 4 }, { id: 34, length: 4 }]);

  test('samplingPacketInterval/Space without a selector scales every flow of the domain', () => {
    const cache = new FlowTemplateCache();
    const opts = ipfixOptionsTemplateRecord(900, 1, [{ id: 143, length: 4 }, { id: 305, length: 4 }, { id: 306, length: 4 }, { id: 304, length: 2 }]);
    const msg = ipfixMessage(
      EXPORT_S, 1, 3,
      flowSet(3, opts),
      flowSet(900, cat(u32(1), u32(1), u32(999), u16(1))),
      flowSet(2, dataTpl),
      flowSet(800, cat(ip4('10.0.0.1'), u32(1500), u32(2))),
    );
    const r = decodeIpfix(msg, ctx(), cache);
    expect(r.error).toBeNull();
    expect(r.optionRecords).toBe(1);
    expect(r.flows[0]).toMatchObject({ samplingRate: 1000, bytes: 1_500_000, packets: 2000 });
    // Another observation domain of the same exporter is not sampled.
    const other = decodeIpfix(ipfixMessage(EXPORT_S, 2, 4, flowSet(2, dataTpl), flowSet(800, cat(ip4('10.0.0.1'), u32(1500), u32(2)))), ctx(), cache);
    expect(other.flows[0]).toMatchObject({ samplingRate: 1, bytes: 1500 });
  });

  test('per-selector rates (selectorId scope), n-out-of-N, and a record-level samplingInterval winning', () => {
    const cache = new FlowTemplateCache();
    const opts = ipfixOptionsTemplateRecord(901, 1, [{ id: 302, length: 4 }, { id: 309, length: 4 }, { id: 310, length: 4 }]);
    const msg = ipfixMessage(
      EXPORT_S, 1, 0,
      flowSet(3, opts),
      flowSet(901, cat(u32(7), u32(1), u32(64), u32(8), u32(10), u32(1000))),
      flowSet(2, cat(selectorTpl, ownTpl)),
      flowSet(801, cat(ip4('10.0.0.1'), u32(100), u32(1), u32(7), ip4('10.0.0.2'), u32(100), u32(1), u32(8), ip4('10.0.0.3'), u32(100), u32(1), u32(99))),
      flowSet(802, cat(ip4('10.0.0.4'), u32(100), u32(1), u32(10))),
    );
    const r = decodeIpfix(msg, ctx(), cache);
    expect(r.error).toBeNull();
    expect(r.flows.map((f) => [f.srcAddr, f.samplingRate, f.bytes, f.packets])).toEqual([
      ['10.0.0.1', 64, 6400, 64],
      ['10.0.0.2', 100, 10_000, 100],
      ['10.0.0.3', 1, 100, 1], // unknown selector, no domain-wide rate
      ['10.0.0.4', 10, 1000, 10],
    ]);
  });
});

describe('IPFIX templates over time', () => {
  const tpl = flowSet(2, ipfixTemplateRecord(1000, [{ id: 8, length: 4 }, { id: 12, length: 4 }]));
  const data = (src: string) => flowSet(1000, cat(ip4(src), ip4('192.0.2.1')));

  test('data before its template is held, then decoded when the template arrives', () => {
    const cache = new FlowTemplateCache();
    const early = decodeIpfix(ipfixMessage(EXPORT_S, 1, 0, data('10.9.9.1')), ctx(T0), cache);
    expect(early.flows).toHaveLength(0);
    expect(early.setsBuffered).toBe(1);
    const later = decodeIpfix(ipfixMessage(EXPORT_S + 1, 2, 0, tpl, data('10.9.9.2')), ctx(T0 + 1000), cache);
    expect(later.flows.map((f) => [f.srcAddr, f.sequence, f.exportTimeMs])).toEqual([
      ['10.9.9.1', 1, T0], // decoded with its own packet's header
      ['10.9.9.2', 2, T0 + 1000],
    ]);
    expect(cache.stats).toMatchObject({ setsBuffered: 1, setsReplayed: 1, pendingSets: 0 });
  });

  test('held data older than pendingMaxAgeMs is dropped and counted', () => {
    const cache = new FlowTemplateCache({ pendingMaxAgeMs: 2000 });
    decodeIpfix(ipfixMessage(EXPORT_S, 1, 0, data('10.9.9.1')), ctx(T0), cache);
    const later = decodeIpfix(ipfixMessage(EXPORT_S, 2, 0, tpl), ctx(T0 + 5000), cache);
    expect(later.flows).toHaveLength(0);
    expect(cache.stats.setsDroppedExpired).toBe(1);
  });

  test('withdrawal of one template, then of all templates (template ID = set ID 2)', () => {
    const cache = new FlowTemplateCache();
    const two = flowSet(2, cat(ipfixTemplateRecord(1000, [{ id: 8, length: 4 }, { id: 12, length: 4 }]), ipfixTemplateRecord(1001, [{ id: 8, length: 4 }])));
    decodeIpfix(ipfixMessage(EXPORT_S, 1, 0, two), ctx(), cache);
    expect(cache.stats.templates).toBe(2);
    const w1 = decodeIpfix(ipfixMessage(EXPORT_S, 2, 0, flowSet(2, cat(u16(1000), u16(0))), data('10.0.0.1')), ctx(), cache);
    expect(w1.flows).toHaveLength(0);
    expect(w1.setsBuffered).toBe(1);
    decodeIpfix(ipfixMessage(EXPORT_S, 3, 0, flowSet(2, cat(u16(2), u16(0)))), ctx(), cache);
    expect(cache.stats).toMatchObject({ templates: 0, templatesWithdrawn: 2 });
  });

  test('a template ID reused with another layout replaces the old one', () => {
    const cache = new FlowTemplateCache();
    decodeIpfix(ipfixMessage(EXPORT_S, 1, 0, tpl), ctx(), cache);
    const redefined = flowSet(2, ipfixTemplateRecord(1000, [{ id: 12, length: 4 }, { id: 7, length: 2 }, { id: 11, length: 2 }]));
    const r = decodeIpfix(ipfixMessage(EXPORT_S, 2, 0, redefined, flowSet(1000, cat(ip4('192.0.2.9'), u16(1), u16(53)))), ctx(), cache);
    expect(r.flows[0]).toMatchObject({ dstAddr: '192.0.2.9', dstPort: 53, srcAddr: '' });
    expect(cache.stats.templatesRedefined).toBe(1);
  });

  test('templates from a TCP session never expire; UDP ones do', () => {
    const cache = new FlowTemplateCache({ templateTimeoutMs: 60_000 });
    const session = 'tcp:198.51.100.7:40001';
    decodeIpfix(ipfixMessage(EXPORT_S, 1, 0, tpl), { ...ctx(T0), session }, cache);
    decodeIpfix(ipfixMessage(EXPORT_S, 1, 0, tpl), ctx(T0), cache);
    const tcp = decodeIpfix(ipfixMessage(EXPORT_S, 2, 0, data('10.0.0.1')), { ...ctx(T0 + 3_600_000), session }, cache);
    const udp = decodeIpfix(ipfixMessage(EXPORT_S, 2, 0, data('10.0.0.1')), ctx(T0 + 3_600_000), cache);
    expect(tcp.flows).toHaveLength(1);
    expect(udp.flows).toHaveLength(0);
    expect(cache.stats.templatesExpired).toBe(1);
    cache.forgetScope(session);
    expect(decodeIpfix(ipfixMessage(EXPORT_S, 3, 0, data('10.0.0.1')), { ...ctx(T0 + 3_600_001), session }, cache).flows).toHaveLength(0);
  });

  test('bad templates: ID below 256, scope count 0 or above field count', () => {
    const cache = new FlowTemplateCache();
    expect(decodeIpfix(ipfixMessage(EXPORT_S, 1, 0, flowSet(2, ipfixTemplateRecord(255, [{ id: 8, length: 4 }]))), ctx(), cache).error?.reason).toBe('bad_template');
    expect(decodeIpfix(ipfixMessage(EXPORT_S, 1, 0, flowSet(3, ipfixOptionsTemplateRecord(300, 0, [{ id: 8, length: 4 }]))), ctx(), cache).error?.reason).toBe('bad_template');
    expect(decodeIpfix(ipfixMessage(EXPORT_S, 1, 0, flowSet(3, ipfixOptionsTemplateRecord(300, 2, [{ id: 8, length: 4 }]))), ctx(), cache).error?.reason).toBe('bad_template');
  });
});
