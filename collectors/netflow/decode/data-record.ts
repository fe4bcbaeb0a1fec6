/**
 * Data sets of NetFlow v9 and IPFIX: records laid out by a compiled template, turned into FlowRecords
 * (data templates) or into domain state (options templates: sampling rates, system init time).
 */
import { hexString, isAllZero, ipv4String, ipv6String, macString, readU16, readU32, readUnsigned } from './bytes';
import { FlowDecodeError } from './errors';
import * as IE from './information-elements';
import { readOptionsRecord } from './options-record';
import { ntpToMs, readSamplingField, resetScratch, scratch, scratchSamplingRate } from './record-scratch';
import type { FlowTemplate } from './template';
import type { ExportHeader, FlowDomain, FlowTemplateCache } from './template-cache';
import { nextFlowRecord, type FlowDecodeResult, type FlowRecord } from './types';

/**
 * Decodes every record of one data set (body = bytes after the 4-byte set header). Trailing bytes too few
 * for a record are padding (RFC 3954 s5.3, RFC 7011 s3.3.1).
 */
export function decodeDataSet(
  buf: Buffer,
  pos: number,
  end: number,
  tpl: FlowTemplate,
  d: FlowDomain,
  hdr: ExportHeader,
  out: FlowDecodeResult,
): void {
  const fixed = tpl.recordLength;
  if (fixed > 0) {
    while (end - pos >= fixed) {
      if (tpl.options) {
        readOptionsRecord(buf, pos, tpl, d);
        out.optionRecords++;
      } else {
        out.flows.push(readFlowRecord(buf, pos, tpl, d, hdr, out));
      }
      pos += fixed;
    }
    return;
  }
  while (end - pos >= tpl.minRecordLength) {
    const next = variableRecordEnd(buf, pos, end, tpl);
    if (next < 0) {
      if (isAllZero(buf, pos, end)) return;
      throw new FlowDecodeError('truncated', `template ${tpl.id}: variable-length record overruns its set`, pos);
    }
    if (tpl.options) {
      readOptionsRecord(buf, pos, tpl, d);
      out.optionRecords++;
    } else {
      out.flows.push(readFlowRecord(buf, pos, tpl, d, hdr, out));
    }
    pos = next;
  }
}

/** End offset of a record with variable-length fields (RFC 7011 s7), or -1 when it does not fit. */
function variableRecordEnd(buf: Buffer, pos: number, end: number, tpl: FlowTemplate): number {
  const fields = tpl.fields;
  for (let i = 0; i < fields.length; i++) {
    let len = fields[i].length;
    if (len < 0) {
      if (pos >= end) return -1;
      len = buf[pos];
      pos++;
      if (len === 255) {
        if (pos + 2 > end) return -1;
        len = readU16(buf, pos);
        pos += 2;
      }
    }
    pos += len;
    if (pos > end) return -1;
  }
  return pos;
}

function readFlowRecord(buf: Buffer, pos: number, tpl: FlowTemplate, d: FlowDomain, hdr: ExportHeader, out: FlowDecodeResult): FlowRecord {
  const r = nextFlowRecord(out, hdr.format, hdr.exporter);
  r.sourceId = hdr.sourceId;
  r.sequence = hdr.sequence;
  r.exportTimeMs = hdr.exportTimeMs;
  resetScratch();
  const fields = tpl.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    let len = f.length;
    if (len < 0) {
      len = buf[pos];
      pos++;
      if (len === 255) {
        len = readU16(buf, pos);
        pos += 2;
      }
    }
    switch (f.op) {
      case IE.OP_IGNORE:
        break;
      case IE.OP_EXTRA:
        if (r.extra === null) r.extra = [];
        r.extra.push({ enterprise: f.enterprise, id: f.id, hex: hexString(buf, pos, len) });
        break;
      case IE.OP_BYTES:
        r.bytes = readUnsigned(buf, pos, len);
        break;
      case IE.OP_PACKETS:
        r.packets = readUnsigned(buf, pos, len);
        break;
      case IE.OP_PROTOCOL:
        r.protocol = buf[pos + len - 1];
        break;
      case IE.OP_TOS:
        r.tos = buf[pos + len - 1];
        break;
      case IE.OP_TCP_FLAGS:
        // 16-bit tcpControlBits carries the data offset nibble as zero; keep the 12 flag bits.
        r.tcpFlags = readUnsigned(buf, pos, len) & 0xfff;
        break;
      case IE.OP_SRC_PORT:
        r.srcPort = readUnsigned(buf, pos, len);
        break;
      case IE.OP_DST_PORT:
        r.dstPort = readUnsigned(buf, pos, len);
        break;
      case IE.OP_SRC_V4:
        // Lazy: the caller makes the text from srcV4 where it needs it.
        if (!out.lazyV4Text) r.srcAddr = ipv4String(buf, pos);
        r.srcV4 = readU32(buf, pos);
        r.ipVersion = 4;
        break;
      case IE.OP_DST_V4:
        if (!out.lazyV4Text) r.dstAddr = ipv4String(buf, pos);
        r.dstV4 = readU32(buf, pos);
        r.ipVersion = 4;
        break;
      case IE.OP_SRC_V6:
        r.srcAddr = ipv6String(buf, pos);
        r.srcV4 = -1;
        r.ipVersion = 6;
        break;
      case IE.OP_DST_V6:
        r.dstAddr = ipv6String(buf, pos);
        r.dstV4 = -1;
        r.ipVersion = 6;
        break;
      case IE.OP_SRC_MASK:
        r.srcMask = readUnsigned(buf, pos, len);
        break;
      case IE.OP_DST_MASK:
        r.dstMask = readUnsigned(buf, pos, len);
        break;
      case IE.OP_IN_IF:
        r.inIf = readUnsigned(buf, pos, len);
        break;
      case IE.OP_OUT_IF:
        r.outIf = readUnsigned(buf, pos, len);
        break;
      case IE.OP_NEXT_HOP_V4:
        r.nextHop = ipv4String(buf, pos);
        break;
      case IE.OP_NEXT_HOP_V6:
        r.nextHop = ipv6String(buf, pos);
        break;
      case IE.OP_BGP_NEXT_HOP_V4:
        r.bgpNextHop = ipv4String(buf, pos);
        break;
      case IE.OP_BGP_NEXT_HOP_V6:
        r.bgpNextHop = ipv6String(buf, pos);
        break;
      case IE.OP_SRC_AS:
        r.srcAs = readUnsigned(buf, pos, len);
        break;
      case IE.OP_DST_AS:
        r.dstAs = readUnsigned(buf, pos, len);
        break;
      default:
        readLessCommonField(buf, pos, len, f.op, r);
    }
    pos += len;
  }
  finishFlowRecord(r, d, hdr);
  return r;
}

/** Times, sampling, ICMP, NAT, L2: split out so the common switch above stays small. */
function readLessCommonField(buf: Buffer, pos: number, len: number, op: number, r: FlowRecord): void {
  switch (op) {
    case IE.OP_END_UPTIME:
      scratch.endUp = readUnsigned(buf, pos, len);
      break;
    case IE.OP_START_UPTIME:
      scratch.startUp = readUnsigned(buf, pos, len);
      break;
    case IE.OP_START_SEC:
      scratch.startAbs = readUnsigned(buf, pos, len) * 1000;
      break;
    case IE.OP_END_SEC:
      scratch.endAbs = readUnsigned(buf, pos, len) * 1000;
      break;
    case IE.OP_START_MS:
      scratch.startAbs = readUnsigned(buf, pos, len);
      break;
    case IE.OP_END_MS:
      scratch.endAbs = readUnsigned(buf, pos, len);
      break;
    case IE.OP_START_NTP:
      scratch.startAbs = ntpToMs(buf, pos);
      break;
    case IE.OP_END_NTP:
      scratch.endAbs = ntpToMs(buf, pos);
      break;
    case IE.OP_START_DELTA_US:
      scratch.startDeltaUs = readUnsigned(buf, pos, len);
      break;
    case IE.OP_END_DELTA_US:
      scratch.endDeltaUs = readUnsigned(buf, pos, len);
      break;
    case IE.OP_SYS_INIT_MS:
      scratch.sysInitMs = readUnsigned(buf, pos, len);
      break;
    case IE.OP_DURATION_MS:
      scratch.durationMs = readUnsigned(buf, pos, len);
      break;
    case IE.OP_DURATION_US:
      scratch.durationMs = Math.round(readUnsigned(buf, pos, len) / 1000);
      break;
    case IE.OP_ICMP_TYPE_CODE: {
      const v = readUnsigned(buf, pos, len);
      r.icmpType = (v >> 8) & 0xff;
      r.icmpCode = v & 0xff;
      break;
    }
    case IE.OP_ICMP_TYPE:
      r.icmpType = readUnsigned(buf, pos, len) & 0xff;
      break;
    case IE.OP_ICMP_CODE:
      r.icmpCode = readUnsigned(buf, pos, len) & 0xff;
      break;
    case IE.OP_SRC_MAC:
      r.srcMac = macString(buf, pos);
      break;
    case IE.OP_DST_MAC:
      r.dstMac = macString(buf, pos);
      break;
    case IE.OP_POST_SRC_MAC:
      if (r.srcMac === '') r.srcMac = macString(buf, pos);
      break;
    case IE.OP_POST_DST_MAC:
      if (r.dstMac === '') r.dstMac = macString(buf, pos);
      break;
    case IE.OP_VLAN:
      r.srcVlan = readUnsigned(buf, pos, len) & 0xfff;
      break;
    case IE.OP_POST_VLAN:
      r.dstVlan = readUnsigned(buf, pos, len) & 0xfff;
      break;
    case IE.OP_DIRECTION: {
      const v = readUnsigned(buf, pos, len);
      r.direction = v === 0 ? 'ingress' : v === 1 ? 'egress' : 'unknown';
      break;
    }
    case IE.OP_FLOW_END_REASON:
      r.flowEndReason = readUnsigned(buf, pos, len);
      break;
    case IE.OP_APPLICATION_ID:
      r.applicationId = hexString(buf, pos, len);
      break;
    case IE.OP_NAT_SRC_V4:
      r.natSrcAddr = ipv4String(buf, pos);
      break;
    case IE.OP_NAT_DST_V4:
      r.natDstAddr = ipv4String(buf, pos);
      break;
    case IE.OP_NAT_SRC_V6:
      r.natSrcAddr = ipv6String(buf, pos);
      break;
    case IE.OP_NAT_DST_V6:
      r.natDstAddr = ipv6String(buf, pos);
      break;
    case IE.OP_NAT_SRC_PORT:
      r.natSrcPort = readUnsigned(buf, pos, len);
      break;
    case IE.OP_NAT_DST_PORT:
      r.natDstPort = readUnsigned(buf, pos, len);
      break;
    default:
      readSamplingField(buf, pos, len, op);
  }
}

/** Signed difference of two 32-bit uptime counters, so a wrap (every ~49.7 days) costs nothing. */
function uptimeDelta(later: number, earlier: number): number {
  return (later - earlier) | 0;
}

function uptimeToEpoch(up: number, d: FlowDomain, hdr: ExportHeader): number {
  if (hdr.sysUpTimeMs >= 0) return hdr.exportTimeMs - uptimeDelta(hdr.sysUpTimeMs, up);
  const init = scratch.sysInitMs > 0 ? scratch.sysInitMs : d.systemInitMs;
  return init > 0 ? init + up : 0;
}

function finishFlowRecord(r: FlowRecord, d: FlowDomain, hdr: ExportHeader): void {
  let start = 0;
  let end = 0;
  if (scratch.startAbs >= 0) start = scratch.startAbs;
  else if (scratch.startUp >= 0) start = uptimeToEpoch(scratch.startUp, d, hdr);
  else if (scratch.startDeltaUs >= 0) start = hdr.exportTimeMs - Math.round(scratch.startDeltaUs / 1000);
  if (scratch.endAbs >= 0) end = scratch.endAbs;
  else if (scratch.endUp >= 0) end = uptimeToEpoch(scratch.endUp, d, hdr);
  else if (scratch.endDeltaUs >= 0) end = hdr.exportTimeMs - Math.round(scratch.endDeltaUs / 1000);
  if (scratch.durationMs >= 0) {
    if (start > 0 && end === 0) end = start + scratch.durationMs;
    else if (end > 0 && start === 0) start = end - scratch.durationMs;
  }
  r.startMs = start;
  r.endMs = end;

  let rate = scratchSamplingRate();
  if (rate === 0 && scratch.samplerId >= 0) rate = d.samplerRates.get(scratch.samplerId) ?? 0;
  if (rate === 0) rate = d.samplingRate;
  if (rate > 1) {
    r.samplingRate = rate;
    r.bytes = Math.round(r.bytes * rate);
    r.packets = Math.round(r.packets * rate);
  }

  // softflowd and others carry ICMP type/code as the destination port (type * 256 + code).
  if (r.icmpType < 0 && (r.protocol === 1 || r.protocol === 58) && r.dstPort !== 0) {
    r.icmpType = r.dstPort >> 8;
    r.icmpCode = r.dstPort & 0xff;
  }
}

/**
 * Decodes the data sets that waited for this template (see FlowTemplateCache.bufferSet). A bad one is
 * counted in the cache stats and skipped: it is not the current packet's fault.
 */
export function replayPendingSets(
  cache: FlowTemplateCache,
  d: FlowDomain,
  tpl: FlowTemplate,
  nowMs: number,
  out: FlowDecodeResult,
): void {
  const waiting = cache.takePending(d, tpl.id, nowMs);
  for (const p of waiting) {
    const kept = out.flows.length;
    try {
      decodeDataSet(p.body, 0, p.body.length, tpl, d, p.header, out);
    } catch {
      out.flows.length = kept;
      cache.stats.setsDroppedMalformed++;
    }
  }
}
