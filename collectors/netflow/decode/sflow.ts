/**
 * sFlow v5 datagrams (sflow.org "sFlow Version 5", XDR encoded): flow samples and expanded flow samples
 * become FlowRecords (one per sampled packet, scaled by the sampling rate), counter samples become
 * InterfaceCounterRecords. Unknown sample and record types (other enterprises included) are skipped by length.
 */
import { ipv4String, ipv6String, macString, readU32, readU64 } from './bytes';
import { FlowDecodeError, toFlowDecodeError } from './errors';
import { readSampledHeader, readSampledIp } from './sampled-header';
import {
  newDecodeResult,
  newFlowRecord,
  type FlowDecodeContext,
  type FlowDecodeResult,
  type FlowRecord,
  type EthernetCounters,
  type InterfaceCounterRecord,
} from './types';

const SAMPLE_FLOW = 1;
const SAMPLE_COUNTERS = 2;
const SAMPLE_FLOW_EXPANDED = 3;
const SAMPLE_COUNTERS_EXPANDED = 4;

const FLOW_RAW_HEADER = 1;
const FLOW_ETHERNET = 2;
const FLOW_IPV4 = 3;
const FLOW_IPV6 = 4;
const FLOW_EXT_SWITCH = 1001;
const FLOW_EXT_ROUTER = 1002;
const FLOW_EXT_GATEWAY = 1003;

const COUNTERS_GENERIC = 1;
const COUNTERS_ETHERNET = 2;

/** Smallest sample or record on the wire: its format and length words. */
const MIN_ITEM = 8;
const MAX_AS_PATH_SEGMENTS = 64;

/** What every sample in the datagram shares. */
interface DatagramInfo {
  exporter: string;
  agentAddress: string;
  subAgentId: number;
  uptimeMs: number;
  receivedMs: number;
}

export function decodeSflow(buf: Buffer, ctx: FlowDecodeContext): FlowDecodeResult {
  const out = newDecodeResult();
  try {
    decodeInto(buf, ctx, out);
  } catch (err) {
    const e = toFlowDecodeError(err, 'sflow');
    out.error = new FlowDecodeError(e.reason, `sflow v5 from ${ctx.exporter}: ${e.message}`, e.offset);
  }
  return out;
}

function need(pos: number, n: number, end: number, what: string): void {
  if (end - pos < n) throw new FlowDecodeError('truncated', `${what} needs ${n} bytes, ${Math.max(0, end - pos)} left`, pos);
}

/** An sFlow address: type 1 IPv4, 2 IPv6. Returns the offset after it. */
function readAddress(buf: Buffer, pos: number, end: number, into: { addr: string }): number {
  need(pos, 4, end, 'address type');
  const type = readU32(buf, pos);
  if (type === 1) {
    need(pos + 4, 4, end, 'IPv4 address');
    into.addr = ipv4String(buf, pos + 4);
    return pos + 8;
  }
  if (type === 2) {
    need(pos + 4, 16, end, 'IPv6 address');
    into.addr = ipv6String(buf, pos + 4);
    return pos + 20;
  }
  if (type === 0) {
    into.addr = '';
    return pos + 4;
  }
  throw new FlowDecodeError('bad_length', `address type ${type}`, pos);
}

const addressOut = { addr: '' };

function decodeInto(buf: Buffer, ctx: FlowDecodeContext, out: FlowDecodeResult): void {
  const end = buf.length;
  need(0, 8, end, 'datagram header');
  const version = readU32(buf, 0);
  if (version !== 5) throw new FlowDecodeError('bad_version', `version ${version}, expected 5`, 0);
  let pos = readAddress(buf, 4, end, addressOut);
  need(pos, 16, end, 'datagram header');
  const info: DatagramInfo = {
    exporter: ctx.exporter,
    agentAddress: addressOut.addr,
    subAgentId: readU32(buf, pos),
    uptimeMs: readU32(buf, pos + 8),
    receivedMs: ctx.receivedMs,
  };
  const samples = readU32(buf, pos + 12);
  pos += 16;
  if (samples > (end - pos) / MIN_ITEM) throw new FlowDecodeError('too_many', `${samples} samples in ${end - pos} bytes`, pos - 4);
  for (let i = 0; i < samples; i++) {
    need(pos, MIN_ITEM, end, `sample ${i + 1}`);
    const format = readU32(buf, pos);
    const length = readU32(buf, pos + 4);
    const body = pos + MIN_ITEM;
    need(body, length, end, `sample ${i + 1} of length ${length}`);
    const sampleEnd = body + length;
    // enterprise (20 bits) << 12 | format (12 bits); only enterprise 0 (sFlow standard) is known here.
    if (format === SAMPLE_FLOW || format === SAMPLE_FLOW_EXPANDED) {
      const kept = out.flows.length;
      try {
        out.flows.push(readFlowSample(buf, body, sampleEnd, format === SAMPLE_FLOW_EXPANDED, info));
      } catch (err) {
        out.flows.length = kept;
        throw err;
      }
    } else if (format === SAMPLE_COUNTERS || format === SAMPLE_COUNTERS_EXPANDED) {
      const c = readCounterSample(buf, body, sampleEnd, format === SAMPLE_COUNTERS_EXPANDED, info);
      if (c !== null) out.counters.push(c);
    }
    pos = sampleEnd;
  }
}

function readFlowSample(buf: Buffer, pos: number, end: number, expanded: boolean, info: DatagramInfo): FlowRecord {
  const r = newFlowRecord('sflow_v5', info.exporter);
  r.agentAddress = info.agentAddress;
  r.exportTimeMs = info.receivedMs;
  r.startMs = info.receivedMs;
  r.endMs = info.receivedMs;
  let rate: number;
  if (expanded) {
    need(pos, 44, end, 'expanded flow sample');
    r.sequence = readU32(buf, pos);
    r.sourceId = readU32(buf, pos + 4) * 0x1000000 + readU32(buf, pos + 8);
    rate = readU32(buf, pos + 12);
    // input/output: format word then value word; format 0 is an ifIndex, others (dropped, multiple) are not.
    r.inIf = readU32(buf, pos + 24) === 0 ? readU32(buf, pos + 28) : 0;
    r.outIf = readU32(buf, pos + 32) === 0 ? readU32(buf, pos + 36) : 0;
    pos += 40;
  } else {
    need(pos, 32, end, 'flow sample');
    r.sequence = readU32(buf, pos);
    r.sourceId = readU32(buf, pos + 4);
    rate = readU32(buf, pos + 8);
    // Compact interface: top 2 bits format, low 30 bits value; 0x3fffffff means the packet started or
    // ended in the device itself (sFlow v5 s5): no interface, so 0 like every absent value.
    r.inIf = compactIfIndex(readU32(buf, pos + 20));
    r.outIf = compactIfIndex(readU32(buf, pos + 24));
    pos += 28;
  }
  if (rate === 0) rate = 1;
  r.samplingRate = rate;
  const records = readU32(buf, pos);
  pos += 4;
  if (records > (end - pos) / MIN_ITEM) throw new FlowDecodeError('too_many', `${records} flow records in ${end - pos} bytes`, pos - 4);
  let frameLength = 0;
  for (let i = 0; i < records; i++) {
    need(pos, MIN_ITEM, end, `flow record ${i + 1}`);
    const format = readU32(buf, pos);
    const length = readU32(buf, pos + 4);
    const body = pos + MIN_ITEM;
    need(body, length, end, `flow record ${i + 1} (format ${format}) of length ${length}`);
    const recordEnd = body + length;
    switch (format) {
      case FLOW_RAW_HEADER: {
        need(body, 16, recordEnd, 'raw packet header record');
        const headerLength = readU32(buf, body + 12);
        need(body + 16, headerLength, recordEnd, 'sampled header bytes');
        // frame_length: the packet's original length including L2 header and FCS (what sfacctd counts).
        frameLength = readU32(buf, body + 4);
        readSampledHeader(buf, body + 16, body + 16 + headerLength, readU32(buf, body), r);
        break;
      }
      case FLOW_ETHERNET:
        need(body, 24, recordEnd, 'ethernet frame record');
        if (frameLength === 0) frameLength = readU32(buf, body);
        r.srcMac = macString(buf, body + 4);
        r.dstMac = macString(buf, body + 12);
        break;
      case FLOW_IPV4:
        need(body, 32, recordEnd, 'sampled IPv4 record');
        if (frameLength === 0) frameLength = readU32(buf, body);
        if (r.ipVersion === 0) readSampledIp(buf, body, false, r);
        break;
      case FLOW_IPV6:
        need(body, 56, recordEnd, 'sampled IPv6 record');
        if (frameLength === 0) frameLength = readU32(buf, body);
        if (r.ipVersion === 0) readSampledIp(buf, body, true, r);
        break;
      case FLOW_EXT_SWITCH:
        need(body, 16, recordEnd, 'extended switch record');
        r.srcVlan = readU32(buf, body) & 0xfff;
        r.dstVlan = readU32(buf, body + 8) & 0xfff;
        break;
      case FLOW_EXT_ROUTER: {
        const p = readAddress(buf, body, recordEnd, addressOut);
        r.nextHop = addressOut.addr;
        need(p, 8, recordEnd, 'extended router record');
        r.srcMask = readU32(buf, p);
        r.dstMask = readU32(buf, p + 4);
        break;
      }
      case FLOW_EXT_GATEWAY:
        readGateway(buf, body, recordEnd, r);
        break;
    }
    pos = recordEnd;
  }
  r.packets = rate;
  r.bytes = frameLength * rate;
  return r;
}

/** Extended gateway: BGP next hop, own/source/peer AS, destination AS path (last AS = origin). */
function readGateway(buf: Buffer, pos: number, end: number, r: FlowRecord): void {
  pos = readAddress(buf, pos, end, addressOut);
  r.bgpNextHop = addressOut.addr;
  need(pos, 16, end, 'extended gateway record');
  const ownAs = readU32(buf, pos);
  r.srcAs = readU32(buf, pos + 4);
  const segments = readU32(buf, pos + 12);
  pos += 16;
  if (segments > MAX_AS_PATH_SEGMENTS) throw new FlowDecodeError('too_many', `${segments} AS path segments`, pos - 4);
  let lastAs = 0;
  for (let i = 0; i < segments; i++) {
    need(pos, 8, end, 'AS path segment');
    const count = readU32(buf, pos + 4);
    pos += 8;
    if (count > (end - pos) / 4) throw new FlowDecodeError('too_many', `${count} ASNs in an AS path segment`, pos - 4);
    if (count > 0) lastAs = readU32(buf, pos + (count - 1) * 4);
    pos += count * 4;
  }
  // An empty path means the destination is in the router's own AS.
  r.dstAs = lastAs !== 0 ? lastAs : ownAs;
}

function readCounterSample(
  buf: Buffer,
  pos: number,
  end: number,
  expanded: boolean,
  info: DatagramInfo,
): InterfaceCounterRecord | null {
  let sequence: number;
  let sourceId: number;
  if (expanded) {
    need(pos, 16, end, 'expanded counter sample');
    sequence = readU32(buf, pos);
    sourceId = readU32(buf, pos + 4) * 0x1000000 + readU32(buf, pos + 8);
    pos += 12;
  } else {
    need(pos, 12, end, 'counter sample');
    sequence = readU32(buf, pos);
    sourceId = readU32(buf, pos + 4);
    pos += 8;
  }
  const records = readU32(buf, pos);
  pos += 4;
  if (records > (end - pos) / MIN_ITEM) throw new FlowDecodeError('too_many', `${records} counter records in ${end - pos} bytes`, pos - 4);
  let c: InterfaceCounterRecord | null = null;
  for (let i = 0; i < records; i++) {
    need(pos, MIN_ITEM, end, `counter record ${i + 1}`);
    const format = readU32(buf, pos);
    const length = readU32(buf, pos + 4);
    const body = pos + MIN_ITEM;
    need(body, length, end, `counter record ${i + 1} (format ${format}) of length ${length}`);
    if (format === COUNTERS_GENERIC) {
      need(body, 88, body + length, 'generic interface counters');
      c ??= newCounterRecord(info, sequence, sourceId);
      readGenericCounters(buf, body, c);
    } else if (format === COUNTERS_ETHERNET) {
      need(body, 52, body + length, 'ethernet interface counters');
      c ??= newCounterRecord(info, sequence, sourceId);
      c.ethernet = readEthernetCounters(buf, body);
    }
    pos = body + length;
  }
  return c;
}

function newCounterRecord(info: DatagramInfo, sequence: number, sourceId: number): InterfaceCounterRecord {
  return {
    format: 'sflow_v5',
    exporter: info.exporter,
    agentAddress: info.agentAddress,
    subAgentId: info.subAgentId,
    sequence,
    sourceId,
    timestampMs: info.receivedMs,
    uptimeMs: info.uptimeMs,
    ifIndex: sourceId % 0x1000000,
    ifType: 0,
    ifSpeed: 0,
    ifDirection: 0,
    adminUp: false,
    operUp: false,
    inOctets: 0,
    inUcastPkts: 0,
    inMulticastPkts: 0,
    inBroadcastPkts: 0,
    inDiscards: 0,
    inErrors: 0,
    inUnknownProtos: 0,
    outOctets: 0,
    outUcastPkts: 0,
    outMulticastPkts: 0,
    outBroadcastPkts: 0,
    outDiscards: 0,
    outErrors: 0,
    promiscuous: false,
    ethernet: null,
  };
}

function readGenericCounters(buf: Buffer, p: number, c: InterfaceCounterRecord): void {
  c.ifIndex = readU32(buf, p);
  c.ifType = readU32(buf, p + 4);
  c.ifSpeed = readU64(buf, p + 8);
  c.ifDirection = readU32(buf, p + 16);
  // ifStatus: bit 0 admin up, bit 1 oper up.
  const status = readU32(buf, p + 20);
  c.adminUp = (status & 1) !== 0;
  c.operUp = (status & 2) !== 0;
  c.inOctets = readU64(buf, p + 24);
  c.inUcastPkts = readU32(buf, p + 32);
  c.inMulticastPkts = readU32(buf, p + 36);
  c.inBroadcastPkts = readU32(buf, p + 40);
  c.inDiscards = readU32(buf, p + 44);
  c.inErrors = readU32(buf, p + 48);
  c.inUnknownProtos = readU32(buf, p + 52);
  c.outOctets = readU64(buf, p + 56);
  c.outUcastPkts = readU32(buf, p + 64);
  c.outMulticastPkts = readU32(buf, p + 68);
  c.outBroadcastPkts = readU32(buf, p + 72);
  c.outDiscards = readU32(buf, p + 76);
  c.outErrors = readU32(buf, p + 80);
  c.promiscuous = readU32(buf, p + 84) === 1;
}

function readEthernetCounters(buf: Buffer, p: number): EthernetCounters {
  return {
    alignmentErrors: readU32(buf, p),
    fcsErrors: readU32(buf, p + 4),
    singleCollisionFrames: readU32(buf, p + 8),
    multipleCollisionFrames: readU32(buf, p + 12),
    sqeTestErrors: readU32(buf, p + 16),
    deferredTransmissions: readU32(buf, p + 20),
    lateCollisions: readU32(buf, p + 24),
    excessiveCollisions: readU32(buf, p + 28),
    internalMacTransmitErrors: readU32(buf, p + 32),
    carrierSenseErrors: readU32(buf, p + 36),
    frameTooLongs: readU32(buf, p + 40),
    internalMacReceiveErrors: readU32(buf, p + 44),
    symbolErrors: readU32(buf, p + 48),
  };
}

const UNKNOWN_INTERFACE = 0x3fffffff;

/** sFlow v5 compact interface word: format 0 carries an ifIndex, except 0x3fffffff ("the device itself"). */
function compactIfIndex(word: number): number {
  if (word >>> 30 !== 0) return 0;
  const index = word & 0x3fffffff;
  return index === UNKNOWN_INTERFACE ? 0 : index;
}
