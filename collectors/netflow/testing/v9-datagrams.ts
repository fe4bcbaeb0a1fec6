/**
 * NetFlow v9 export packets built as a router sends them (RFC 3954): a template flowset, then data
 * flowsets of IPv4 flows with times relative to sysUpTime. For tests that need traffic no capture holds
 * (a port scan, flows on given interfaces).
 */
import { cat, flowSet, ip4, u16, u32, u8 } from '../testdata/packets';

export interface V9Flow {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** IANA protocol number (6 TCP, 17 UDP). */
  protocol: number;
  bytes: number;
  packets: number;
  /** Epoch ms of the first and last packet. */
  firstMs: number;
  lastMs: number;
  inIf?: number;
  outIf?: number;
  tcpFlags?: number;
}

/** RFC 3954 s8 field types and lengths, in record order. */
const FIELDS: ReadonlyArray<readonly [number, number]> = [
  [8, 4], // IPV4_SRC_ADDR
  [12, 4], // IPV4_DST_ADDR
  [7, 2], // L4_SRC_PORT
  [11, 2], // L4_DST_PORT
  [4, 1], // PROTOCOL
  [6, 1], // TCP_FLAGS
  [1, 4], // IN_BYTES
  [2, 4], // IN_PKTS
  [22, 4], // FIRST_SWITCHED (sysUpTime ms)
  [21, 4], // LAST_SWITCHED
  [10, 2], // INPUT_SNMP
  [14, 2], // OUTPUT_SNMP
];
const TEMPLATE_ID = 260;
/** Records per datagram: 34-byte records keep a datagram under 1,400 bytes. */
export const V9_FLOWS_PER_DATAGRAM = 38;

export interface V9ExportOptions {
  /** The router's boot time, epoch ms: flow times are sent as sysUpTime offsets from it. */
  bootMs: number;
  /** Export time, epoch ms. */
  exportMs: number;
  sourceId?: number;
  /** Sequence number of the first datagram (v9 counts export packets). */
  sequence?: number;
}

function record(f: V9Flow, bootMs: number): Buffer {
  return cat(
    ip4(f.src),
    ip4(f.dst),
    u16(f.srcPort),
    u16(f.dstPort),
    u8(f.protocol),
    u8(f.tcpFlags ?? 0),
    u32(f.bytes),
    u32(f.packets),
    u32(f.firstMs - bootMs),
    u32(f.lastMs - bootMs),
    u16(f.inIf ?? 0),
    u16(f.outIf ?? 0),
  );
}

/** The flows as v9 datagrams; the template leads the first one (and, as routers refresh it, every one). */
export function netflowV9Datagrams(flows: readonly V9Flow[], o: V9ExportOptions): Buffer[] {
  const template = flowSet(0, cat(u16(TEMPLATE_ID), u16(FIELDS.length), ...FIELDS.map(([type, len]) => cat(u16(type), u16(len)))));
  const out: Buffer[] = [];
  let sequence = o.sequence ?? 1;
  for (let i = 0; i < flows.length; i += V9_FLOWS_PER_DATAGRAM) {
    const chunk = flows.slice(i, i + V9_FLOWS_PER_DATAGRAM);
    const data = flowSet(TEMPLATE_ID, cat(...chunk.map((f) => record(f, o.bootMs))));
    // Header count: template records plus data records in this packet (RFC 3954 s5.1).
    const header = cat(u16(9), u16(1 + chunk.length), u32(o.exportMs - o.bootMs), u32(Math.floor(o.exportMs / 1000)), u32(sequence++), u32(o.sourceId ?? 0));
    out.push(cat(header, template, data));
  }
  return out;
}
