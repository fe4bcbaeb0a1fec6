/**
 * What the flow decoders produce: plain records, one stable shape per kind, before normalization to ECS.
 *
 * Numbers, not bigints: 64-bit counters are read as hi * 2^32 + lo, exact up to 2^53 (9 PB in one flow
 * record, or a 100 Gb/s interface counter after ~8 days at line rate). Beyond that a value keeps 15-16
 * significant digits, which rate and top-talker arithmetic does not notice; numbers stay JSON-, SQLite- and
 * ECS-friendly and ~10x cheaper than bigint on the hot path.
 *
 * Absent values are 0 or '' (-1 for ICMP type/code), never undefined, so every record has one hidden class.
 */
import { ipv4Text } from './bytes';
import type { FlowDecodeError } from './errors';

export type FlowFormat = 'netflow_v5' | 'netflow_v9' | 'ipfix' | 'sflow_v5';

export type FlowDirection = 'ingress' | 'egress' | 'unknown';

/** An information element the decoder has no column for (enterprise-specific or unmapped IANA), kept raw. */
export interface FlowExtraField {
  /** IANA Private Enterprise Number; 0 for IANA elements (and NetFlow v9 field types). */
  enterprise: number;
  id: number;
  /** The value as lowercase hex, as it was on the wire. */
  hex: string;
}

export interface FlowRecord {
  format: FlowFormat;
  /** Address of the device that sent the datagram or TCP stream (transport source). */
  exporter: string;
  /** NetFlow v9 source ID, IPFIX observation domain ID, sFlow data source (class << 24 | index),
   *  NetFlow v5 engine type << 8 | engine ID. */
  sourceId: number;
  /** sFlow agent address from the datagram; '' for NetFlow/IPFIX. */
  agentAddress: string;
  /** Export packet sequence (v5/v9/IPFIX) or sFlow sample sequence. */
  sequence: number;
  /** Export time from the packet header, epoch ms (sFlow has none: the receive time). */
  exportTimeMs: number;
  /** First and last packet of the flow, epoch ms; 0 when the exporter sent no usable time. */
  startMs: number;
  endMs: number;
  /** 4 or 6; 0 when the record carried no IP addresses. */
  ipVersion: number;
  /** '' when absent, and also for an IPv4 address decoded with FlowDecodeContext.lazyV4Text (srcV4 holds
   *  it then; fillAddressText makes the text). */
  srcAddr: string;
  dstAddr: string;
  /** The IPv4 srcAddr / dstAddr as an unsigned 32-bit number (classification without parsing text); -1
   *  when the address is absent or IPv6. Whoever changes srcAddr/dstAddr must set these (or -1). */
  srcV4: number;
  dstV4: number;
  srcPort: number;
  /** As exported: NetFlow exporters such as softflowd put ICMP type * 256 + code here. */
  dstPort: number;
  /** IANA protocol number. */
  protocol: number;
  tcpFlags: number;
  /** IPv4 ToS / IPv6 traffic class byte. */
  tos: number;
  /** Octets and packets already multiplied by samplingRate. */
  bytes: number;
  packets: number;
  /** 1 when unsampled; the N of 1-in-N otherwise. */
  samplingRate: number;
  inIf: number;
  outIf: number;
  srcAs: number;
  dstAs: number;
  srcMask: number;
  dstMask: number;
  nextHop: string;
  bgpNextHop: string;
  srcVlan: number;
  dstVlan: number;
  /** Lowercase, colon-separated. */
  srcMac: string;
  dstMac: string;
  direction: FlowDirection;
  /** ICMP / ICMPv6 type and code from an ICMP element, else from a non-zero dstPort (type * 256 + code);
   *  -1 when unknown (0 is a real type: echo reply). */
  icmpType: number;
  icmpCode: number;
  /** IPFIX flowEndReason (1 idle, 2 active, 3 end of flow, 4 forced, 5 lack of resources); 0 unknown. */
  flowEndReason: number;
  /** IPFIX applicationId (RFC 6759) as hex; '' when absent. */
  applicationId: string;
  /** Post-NAT addresses and ports (IPFIX 225-228, Cisco NSEL); '' / 0 when absent. */
  natSrcAddr: string;
  natDstAddr: string;
  natSrcPort: number;
  natDstPort: number;
  /** Elements without a column above; null when the template had none. */
  extra: FlowExtraField[] | null;
}

/** sFlow v5 generic interface counters (RFC 2863 ifTable/ifXTable) plus Ethernet counters when sent. */
export interface InterfaceCounterRecord {
  format: 'sflow_v5';
  exporter: string;
  agentAddress: string;
  subAgentId: number;
  sequence: number;
  /** sFlow data source: class << 24 | index. */
  sourceId: number;
  /** Receive time, epoch ms (sFlow carries only the agent's uptime). */
  timestampMs: number;
  /** Agent uptime in ms at export. */
  uptimeMs: number;
  ifIndex: number;
  ifType: number;
  /** bits per second */
  ifSpeed: number;
  /** 0 unknown, 1 full duplex, 2 half duplex, 3 in, 4 out. */
  ifDirection: number;
  adminUp: boolean;
  operUp: boolean;
  inOctets: number;
  inUcastPkts: number;
  inMulticastPkts: number;
  inBroadcastPkts: number;
  inDiscards: number;
  inErrors: number;
  inUnknownProtos: number;
  outOctets: number;
  outUcastPkts: number;
  outMulticastPkts: number;
  outBroadcastPkts: number;
  outDiscards: number;
  outErrors: number;
  promiscuous: boolean;
  /** dot3Stats (RFC 3635) when the sample carried an Ethernet counters record. */
  ethernet: EthernetCounters | null;
}

export interface EthernetCounters {
  alignmentErrors: number;
  fcsErrors: number;
  singleCollisionFrames: number;
  multipleCollisionFrames: number;
  sqeTestErrors: number;
  deferredTransmissions: number;
  lateCollisions: number;
  excessiveCollisions: number;
  internalMacTransmitErrors: number;
  carrierSenseErrors: number;
  frameTooLongs: number;
  internalMacReceiveErrors: number;
  symbolErrors: number;
}

/** Where a packet came from; the decoders never look at a socket. */
export interface FlowDecodeContext {
  /** Transport source address of the datagram or TCP connection. */
  exporter: string;
  /** Receive time, epoch ms: template and pending-data ages are measured against it. */
  receivedMs: number;
  /** Template scope for reliable transports: RFC 7011 s8 scopes templates to the transport session, where
   *  they never expire. Give a per-connection key ("tcp:10.0.0.1:51515"); omit for UDP (scope = exporter). */
  session?: string;
  /**
   * Records to reuse (NetFlow v9 / IPFIX data records): the n-th record of a packet is written into
   * `recordPool[n]` instead of a new object, so that flows only aggregated cost no allocation. The caller
   * owns the pool and must replace `recordPool[n]` with a fresh record before keeping `flows[n]` beyond
   * the next decode. Absent: every record is new.
   */
  recordPool?: FlowRecord[];
  /**
   * IPv4 addresses of NetFlow v5/v9 and IPFIX records left as numbers (srcV4/dstV4) with srcAddr/dstAddr
   * '' (sFlow records always carry text): for a caller that aggregates by number and makes the text only
   * for the rows, activity entries and events that need it (fillAddressText). Absent: text for every record.
   */
  lazyV4Text?: boolean;
}

export interface FlowDecodeResult {
  flows: FlowRecord[];
  counters: InterfaceCounterRecord[];
  /** Set when the packet (or a set in it) was malformed. Flows from complete sets before the bad one are
   *  kept, as nfdump does; the caller counts the packet as failed. */
  error: FlowDecodeError | null;
  /** Templates and options templates learned or refreshed from this packet. */
  templates: number;
  /** Options data records read (sampling, system init time). */
  optionRecords: number;
  /** Data sets without a known template: held for their template, or dropped when the buffer is full. */
  setsBuffered: number;
  setsDropped: number;
  /** FlowDecodeContext.recordPool of the packet; null when records are not reused. */
  pool: FlowRecord[] | null;
  /** FlowDecodeContext.lazyV4Text of the packet. */
  lazyV4Text: boolean;
}

export function newDecodeResult(pool: FlowRecord[] | null = null, lazyV4Text = false): FlowDecodeResult {
  return { flows: [], counters: [], error: null, templates: 0, optionRecords: 0, setsBuffered: 0, setsDropped: 0, pool, lazyV4Text };
}

/** Sets srcAddr/dstAddr of IPv4 addresses decoded as numbers only (FlowDecodeContext.lazyV4Text). */
export function fillAddressText(r: FlowRecord): void {
  if (r.srcV4 >= 0 && r.srcAddr.length === 0) r.srcAddr = ipv4Text(r.srcV4);
  if (r.dstV4 >= 0 && r.dstAddr.length === 0) r.dstAddr = ipv4Text(r.dstV4);
}

/** Records a pool holds at most (a 64 KiB datagram of the smallest records). */
const RECORD_POOL_LIMIT = 4096;

/** The packet's next record (to be pushed to out.flows): the pooled one at its index, reset, when the
 *  caller lent a pool; else a new one. */
export function nextFlowRecord(out: FlowDecodeResult, format: FlowFormat, exporter: string): FlowRecord {
  const pool = out.pool;
  if (pool === null) return newFlowRecord(format, exporter);
  const i = out.flows.length;
  if (i < pool.length) return resetFlowRecord(pool[i], format, exporter);
  const r = newFlowRecord(format, exporter);
  if (i === pool.length && i < RECORD_POOL_LIMIT) pool.push(r);
  return r;
}

/** newFlowRecord's values written into an existing record (same fields, same order: same hidden class). */
export function resetFlowRecord(r: FlowRecord, format: FlowFormat, exporter: string): FlowRecord {
  r.format = format;
  r.exporter = exporter;
  r.sourceId = 0;
  r.agentAddress = '';
  r.sequence = 0;
  r.exportTimeMs = 0;
  r.startMs = 0;
  r.endMs = 0;
  r.ipVersion = 0;
  r.srcAddr = '';
  r.dstAddr = '';
  r.srcV4 = -1;
  r.dstV4 = -1;
  r.srcPort = 0;
  r.dstPort = 0;
  r.protocol = 0;
  r.tcpFlags = 0;
  r.tos = 0;
  r.bytes = 0;
  r.packets = 0;
  r.samplingRate = 1;
  r.inIf = 0;
  r.outIf = 0;
  r.srcAs = 0;
  r.dstAs = 0;
  r.srcMask = 0;
  r.dstMask = 0;
  r.nextHop = '';
  r.bgpNextHop = '';
  r.srcVlan = 0;
  r.dstVlan = 0;
  r.srcMac = '';
  r.dstMac = '';
  r.direction = 'unknown';
  r.icmpType = -1;
  r.icmpCode = -1;
  r.flowEndReason = 0;
  r.applicationId = '';
  r.natSrcAddr = '';
  r.natDstAddr = '';
  r.natSrcPort = 0;
  r.natDstPort = 0;
  r.extra = null;
  return r;
}

/** Every field at its absent value; decoders fill what the packet carries. */
export function newFlowRecord(format: FlowFormat, exporter: string): FlowRecord {
  return {
    format,
    exporter,
    sourceId: 0,
    agentAddress: '',
    sequence: 0,
    exportTimeMs: 0,
    startMs: 0,
    endMs: 0,
    ipVersion: 0,
    srcAddr: '',
    dstAddr: '',
    srcV4: -1,
    dstV4: -1,
    srcPort: 0,
    dstPort: 0,
    protocol: 0,
    tcpFlags: 0,
    tos: 0,
    bytes: 0,
    packets: 0,
    samplingRate: 1,
    inIf: 0,
    outIf: 0,
    srcAs: 0,
    dstAs: 0,
    srcMask: 0,
    dstMask: 0,
    nextHop: '',
    bgpNextHop: '',
    srcVlan: 0,
    dstVlan: 0,
    srcMac: '',
    dstMac: '',
    direction: 'unknown',
    icmpType: -1,
    icmpCode: -1,
    flowEndReason: 0,
    applicationId: '',
    natSrcAddr: '',
    natDstAddr: '',
    natSrcPort: 0,
    natDstPort: 0,
    extra: null,
  };
}
