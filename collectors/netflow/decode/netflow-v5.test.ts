import { cat, ip4, u16, u32, u8 } from '../testdata/packets';
import { decodeNetflowV5 } from './netflow-v5';

const UNIX_S = 1_760_000_000;
const ctx = { exporter: '10.255.0.9', receivedMs: UNIX_S * 1000 };

function header(count: number, sysUpTime: number, sampling: number): Buffer {
  // version, count, sysUptime, unix_secs, unix_nsecs, flow_sequence, engine_type, engine_id, sampling_interval
  return cat(u16(5), u16(count), u32(sysUpTime), u32(UNIX_S), u32(250_000_000), u32(9000), u8(1), u8(3), u16(sampling));
}

function record(src: string, dst: string, proto: number, sport: number, dport: number): Buffer {
  return cat(
    ip4(src), ip4(dst), ip4('10.0.0.254'), u16(3), u16(5), u32(10), u32(5200), u32(50_000), u32(59_000),
    u16(sport), u16(dport), u8(0), u8(0x1b), u8(proto), u8(0x28), u16(64512), u16(3356), u8(24), u8(16), u16(0),
  );
}

describe('NetFlow v5', () => {
  test('header and record fields, with the header sampling interval applied', () => {
    // Mode 01 (deterministic) in the top 2 bits, interval 100 in the low 14.
    const pkt = cat(header(2, 60_000, (1 << 14) | 100), record('10.1.2.3', '192.0.2.10', 6, 40000, 443), record('10.1.2.4', '192.0.2.10', 1, 0, 0x0300));
    const r = decodeNetflowV5(pkt, ctx);
    expect(r.error).toBeNull();
    expect(r.flows).toHaveLength(2);
    const exportMs = UNIX_S * 1000 + 250;
    expect(r.flows[0]).toEqual({
      format: 'netflow_v5', exporter: '10.255.0.9', sourceId: 0x0103, agentAddress: '', sequence: 9000,
      exportTimeMs: exportMs, startMs: exportMs - 10_000, endMs: exportMs - 1000, ipVersion: 4,
      srcAddr: '10.1.2.3', dstAddr: '192.0.2.10', srcV4: 0x0a010203, dstV4: 0xc000020a, srcPort: 40000, dstPort: 443, protocol: 6, tcpFlags: 0x1b, tos: 0x28,
      bytes: 520_000, packets: 1000, samplingRate: 100, inIf: 3, outIf: 5, srcAs: 64512, dstAs: 3356,
      srcMask: 24, dstMask: 16, nextHop: '10.0.0.254', bgpNextHop: '', srcVlan: 0, dstVlan: 0, srcMac: '', dstMac: '',
      direction: 'unknown', icmpType: -1, icmpCode: -1, flowEndReason: 0, applicationId: '',
      natSrcAddr: '', natDstAddr: '', natSrcPort: 0, natDstPort: 0, extra: null,
    });
    expect(r.flows[1]).toMatchObject({ protocol: 1, icmpType: 3, icmpCode: 0 });
  });

  test('unsampled when the interval is 0', () => {
    const r = decodeNetflowV5(cat(header(1, 60_000, 0), record('10.1.2.3', '192.0.2.10', 17, 1, 2)), ctx);
    expect(r.flows[0]).toMatchObject({ samplingRate: 1, bytes: 5200, packets: 10 });
  });

  test('count larger than the datagram, count above 30, short header', () => {
    const short = decodeNetflowV5(cat(header(3, 1, 0), record('10.1.2.3', '192.0.2.10', 6, 1, 2)), ctx);
    expect(short.error?.reason).toBe('truncated');
    expect(short.error?.message).toBe('netflow v5 from 10.255.0.9: 3 records need 168 bytes, got 72');
    expect(short.flows).toHaveLength(0);
    expect(decodeNetflowV5(header(31, 1, 0), ctx).error?.reason).toBe('too_many');
    expect(decodeNetflowV5(Buffer.alloc(12), ctx).error?.reason).toBe('truncated');
  });
});
