import { cat, flowSet, ip4, u16, u32, u8, v9OptionsTemplateRecord, v9Packet, v9TemplateRecord } from '../testdata/packets';
import { decodeNetflowV9 } from './netflow-v9';
import { FlowTemplateCache } from './template-cache';

const UNIX_S = 1_760_000_000;
const T0 = UNIX_S * 1000;
const ctx = (receivedMs = T0) => ({ exporter: '10.255.0.1', receivedMs });

// IN_BYTES, IN_PKTS, PROTOCOL, L4_SRC_PORT, IPV4_SRC_ADDR, L4_DST_PORT, IPV4_DST_ADDR, LAST/FIRST_SWITCHED, FLOW_SAMPLER_ID
const TEMPLATE = v9TemplateRecord(260, [[1, 4], [2, 4], [4, 1], [7, 2], [8, 4], [11, 2], [12, 4], [21, 4], [22, 4], [48, 1]]);
function record(src: string, bytes: number, packets: number, first: number, last: number, sampler: number): Buffer {
  return cat(u32(bytes), u32(packets), u8(17), u16(5353), ip4(src), u16(53), ip4('192.0.2.53'), u32(last), u32(first), u8(sampler));
}

describe('NetFlow v9', () => {
  test('Cisco random sampler announced by options data (scope System) scales flows by sampler ID', () => {
    const cache = new FlowTemplateCache();
    // Scope: System (type 1, 4 bytes). Options: FLOW_SAMPLER_ID, FLOW_SAMPLER_MODE, FLOW_SAMPLER_RANDOM_INTERVAL.
    const options = v9OptionsTemplateRecord(261, [[1, 4]], [[48, 1], [49, 1], [50, 4]]);
    const pkt = v9Packet(
      100_000, UNIX_S, 7, 1,
      flowSet(1, options),
      flowSet(261, cat(u32(0x0a000001), u8(2), u8(2), u32(1000))),
      flowSet(0, TEMPLATE),
      flowSet(260, cat(record('10.0.0.1', 150, 3, 90_000, 99_000, 2), record('10.0.0.2', 150, 3, 90_000, 99_000, 5))),
    );
    const r = decodeNetflowV9(pkt, ctx(), cache);
    expect(r.error).toBeNull();
    expect(r.optionRecords).toBe(1);
    expect(r.flows.map((f) => [f.srcAddr, f.samplingRate, f.bytes, f.packets])).toEqual([
      ['10.0.0.1', 1000, 150_000, 3000],
      ['10.0.0.2', 1, 150, 3], // sampler 5 never announced
    ]);
    expect(r.flows[0]).toMatchObject({
      format: 'netflow_v9', sourceId: 1, sequence: 7, exportTimeMs: T0, startMs: T0 - 10_000, endMs: T0 - 1000,
      protocol: 17, srcPort: 5353, dstPort: 53, dstAddr: '192.0.2.53', ipVersion: 4,
    });
  });

  test('an interface-scoped SAMPLING_INTERVAL applies exporter-wide; scope type 2 is not read as a packet count', () => {
    const cache = new FlowTemplateCache();
    const options = v9OptionsTemplateRecord(262, [[2, 4]], [[34, 4], [35, 1]]);
    const tpl = v9TemplateRecord(263, [[8, 4], [1, 4], [2, 4]]);
    const pkt = v9Packet(
      1000, UNIX_S, 1, 0,
      flowSet(1, options),
      flowSet(262, cat(u32(0xffffffff), u32(64), u8(2))),
      flowSet(0, tpl),
      flowSet(263, cat(ip4('10.0.0.9'), u32(1000), u32(10))),
    );
    const r = decodeNetflowV9(pkt, ctx(), cache);
    expect(r.flows[0]).toMatchObject({ samplingRate: 64, bytes: 64_000, packets: 640 });
  });

  test('templates are per source ID: the same template ID of another source ID is unknown', () => {
    const cache = new FlowTemplateCache();
    decodeNetflowV9(v9Packet(1000, UNIX_S, 1, 1, flowSet(0, TEMPLATE)), ctx(), cache);
    const other = decodeNetflowV9(v9Packet(1000, UNIX_S, 2, 2, flowSet(260, record('10.0.0.1', 1, 1, 1, 1, 0))), ctx(), cache);
    expect(other.flows).toHaveLength(0);
    expect(other.setsBuffered).toBe(1);
    const same = decodeNetflowV9(v9Packet(1000, UNIX_S, 3, 1, flowSet(260, record('10.0.0.1', 1, 1, 1, 1, 0))), ctx(), cache);
    expect(same.flows).toHaveLength(1);
    // ... and per exporter address.
    const elsewhere = decodeNetflowV9(v9Packet(1000, UNIX_S, 3, 1, flowSet(260, record('10.0.0.1', 1, 1, 1, 1, 0))), { ...ctx(), exporter: '10.255.0.2' }, cache);
    expect(elsewhere.flows).toHaveLength(0);
  });

  test('a template not refreshed within templateTimeoutMs expires; a refresh keeps it', () => {
    const cache = new FlowTemplateCache({ templateTimeoutMs: 10_000 });
    decodeNetflowV9(v9Packet(1000, UNIX_S, 1, 0, flowSet(0, TEMPLATE)), ctx(T0), cache);
    decodeNetflowV9(v9Packet(1000, UNIX_S, 2, 0, flowSet(0, TEMPLATE)), ctx(T0 + 8000), cache);
    const kept = decodeNetflowV9(v9Packet(1000, UNIX_S, 3, 0, flowSet(260, record('10.0.0.1', 1, 1, 1, 1, 0))), ctx(T0 + 16_000), cache);
    expect(kept.flows).toHaveLength(1);
    expect(cache.stats.templatesLearned).toBe(1);
    const gone = decodeNetflowV9(v9Packet(1000, UNIX_S, 4, 0, flowSet(260, record('10.0.0.1', 1, 1, 1, 1, 0))), ctx(T0 + 30_000), cache);
    expect(gone.flows).toHaveLength(0);
    expect(cache.stats.templatesExpired).toBe(1);
  });

  test('a resent identical template is refreshed in place; one with another field of the same length is a redefinition', () => {
    const cache = new FlowTemplateCache();
    const first = v9TemplateRecord(280, [[8, 4], [7, 2], [1, 4]]);
    decodeNetflowV9(v9Packet(1000, UNIX_S, 1, 0, flowSet(0, first)), ctx(T0), cache);
    const domain = cache.domain(FlowTemplateCache.domainKey('10.255.0.1', 'netflow_v9', 0), T0);
    const learned = domain.templates.get(280);
    const again = decodeNetflowV9(v9Packet(1000, UNIX_S, 2, 0, flowSet(0, first), flowSet(280, cat(ip4('10.0.0.1'), u16(80), u32(500)))), ctx(T0 + 5000), cache);
    expect(again.templates).toBe(1);
    expect(domain.templates.get(280)).toBe(learned);
    expect(learned?.refreshedMs).toBe(T0 + 5000);
    expect(again.flows.map((f) => [f.srcAddr, f.srcPort, f.bytes])).toEqual([['10.0.0.1', 80, 500]]);
    // L4_DST_PORT (11) where L4_SRC_PORT (7) was: same record length, another layout.
    const changed = v9TemplateRecord(280, [[8, 4], [11, 2], [1, 4]]);
    const after = decodeNetflowV9(v9Packet(1000, UNIX_S, 3, 0, flowSet(0, changed), flowSet(280, cat(ip4('10.0.0.1'), u16(80), u32(500)))), ctx(T0 + 6000), cache);
    expect(cache.stats).toMatchObject({ templatesLearned: 1, templatesRedefined: 1 });
    expect(after.flows.map((f) => [f.srcPort, f.dstPort])).toEqual([[0, 80]]);
  });

  test('FIRST/LAST_SWITCHED across a sysUpTime wrap (2^32 ms) stay in the past', () => {
    const cache = new FlowTemplateCache();
    const pkt = v9Packet(2000, UNIX_S, 1, 0, flowSet(0, TEMPLATE), flowSet(260, record('10.0.0.1', 1, 1, 0xfffff000, 1000, 0)));
    const f = decodeNetflowV9(pkt, ctx(), cache).flows[0];
    expect(f.startMs).toBe(T0 - 2000 - 4096);
    expect(f.endMs).toBe(T0 - 1000);
  });

  test('ICMP_TYPE (32) element; vendor field types kept as extra', () => {
    const cache = new FlowTemplateCache();
    const tpl = v9TemplateRecord(270, [[8, 4], [4, 1], [32, 2], [40005, 1]]);
    const pkt = v9Packet(1000, UNIX_S, 1, 0, flowSet(0, tpl), flowSet(270, cat(ip4('10.0.0.1'), u8(1), u16(0x0303), u8(7))));
    const f = decodeNetflowV9(pkt, ctx(), cache).flows[0];
    expect(f).toMatchObject({ icmpType: 3, icmpCode: 3, dstPort: 0, extra: [{ enterprise: 0, id: 40005, hex: '07' }] });
  });

  test('header and flowset errors name the exporter and the cause', () => {
    const cache = new FlowTemplateCache();
    expect(decodeNetflowV9(Buffer.alloc(10), ctx(), cache).error?.message).toBe('netflow v9 from 10.255.0.1: 10 bytes, header needs 20');
    const bad = v9Packet(1, 1, 1, 0, flowSet(0, TEMPLATE));
    bad.writeUInt16BE(9999, 22); // flowset length past the end
    expect(decodeNetflowV9(bad, ctx(), cache).error?.reason).toBe('truncated');
    expect(decodeNetflowV9(cat(u16(8), Buffer.alloc(30)), ctx(), cache).error?.reason).toBe('bad_version');
    const lowId = v9Packet(1, 1, 1, 0, flowSet(0, v9TemplateRecord(100, [[8, 4]])));
    expect(decodeNetflowV9(lowId, ctx(), cache).error?.reason).toBe('bad_template');
  });

  test('a malformed flowset drops its own records but keeps earlier flowsets', () => {
    const cache = new FlowTemplateCache();
    const good = flowSet(260, record('10.0.0.1', 1, 1, 1, 1, 0));
    const broken = cat(u16(260), u16(2));
    const r = decodeNetflowV9(v9Packet(1000, UNIX_S, 1, 0, flowSet(0, TEMPLATE), good, broken), ctx(), cache);
    expect(r.error?.reason).toBe('bad_length');
    expect(r.flows).toHaveLength(1);
  });
});
