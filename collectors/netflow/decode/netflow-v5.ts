/**
 * NetFlow v5 (Cisco's fixed format): a 24-byte header and 1-30 records of 48 bytes, IPv4 only.
 * Layout: Cisco "NetFlow Export Datagram Format", as nfdump and Wireshark read it.
 */
import { ipv4String, readU16, readU32 } from './bytes';
import { FlowDecodeError, toFlowDecodeError } from './errors';
import { newDecodeResult, nextFlowRecord, type FlowDecodeContext, type FlowDecodeResult } from './types';

const HEADER_LENGTH = 24;
const RECORD_LENGTH = 48;
const MAX_RECORDS = 30;

export function decodeNetflowV5(buf: Buffer, ctx: FlowDecodeContext): FlowDecodeResult {
  const out = newDecodeResult(ctx.recordPool ?? null, ctx.lazyV4Text === true);
  try {
    decodeInto(buf, ctx, out);
  } catch (err) {
    const e = toFlowDecodeError(err, 'netflow v5');
    out.error = new FlowDecodeError(e.reason, `netflow v5 from ${ctx.exporter}: ${e.message}`, e.offset);
  }
  return out;
}

function decodeInto(buf: Buffer, ctx: FlowDecodeContext, out: FlowDecodeResult): void {
  if (buf.length < HEADER_LENGTH) {
    throw new FlowDecodeError('truncated', `${buf.length} bytes, header needs ${HEADER_LENGTH}`, 0);
  }
  const version = readU16(buf, 0);
  if (version !== 5) throw new FlowDecodeError('bad_version', `version ${version}, expected 5`, 0);
  const count = readU16(buf, 2);
  if (count > MAX_RECORDS) throw new FlowDecodeError('too_many', `record count ${count} > ${MAX_RECORDS}`, 2);
  const needed = HEADER_LENGTH + count * RECORD_LENGTH;
  if (buf.length < needed) {
    throw new FlowDecodeError('truncated', `${count} records need ${needed} bytes, got ${buf.length}`, HEADER_LENGTH);
  }
  const sysUpTime = readU32(buf, 4);
  const exportTimeMs = readU32(buf, 8) * 1000 + Math.floor(readU32(buf, 12) / 1_000_000);
  const sequence = readU32(buf, 16);
  const sourceId = readU16(buf, 20); // engine type << 8 | engine ID
  // Top 2 bits: sampling mode; low 14: the interval (0 = not sampled).
  const interval = readU16(buf, 22) & 0x3fff;
  const rate = interval > 1 ? interval : 1;
  for (let i = 0, p = HEADER_LENGTH; i < count; i++, p += RECORD_LENGTH) {
    const r = nextFlowRecord(out, 'netflow_v5', ctx.exporter);
    r.sourceId = sourceId;
    r.sequence = sequence;
    r.exportTimeMs = exportTimeMs;
    r.ipVersion = 4;
    if (!out.lazyV4Text) {
      r.srcAddr = ipv4String(buf, p);
      r.dstAddr = ipv4String(buf, p + 4);
    }
    r.srcV4 = readU32(buf, p);
    r.dstV4 = readU32(buf, p + 4);
    r.nextHop = ipv4String(buf, p + 8);
    r.inIf = readU16(buf, p + 12);
    r.outIf = readU16(buf, p + 14);
    r.packets = readU32(buf, p + 16) * rate;
    r.bytes = readU32(buf, p + 20) * rate;
    r.samplingRate = rate;
    // First/Last are sysUpTime (ms) at the first/last packet; signed difference survives the 49.7-day wrap.
    r.startMs = exportTimeMs - ((sysUpTime - readU32(buf, p + 24)) | 0);
    r.endMs = exportTimeMs - ((sysUpTime - readU32(buf, p + 28)) | 0);
    r.srcPort = readU16(buf, p + 32);
    r.dstPort = readU16(buf, p + 34);
    r.tcpFlags = buf[p + 37];
    r.protocol = buf[p + 38];
    r.tos = buf[p + 39];
    r.srcAs = readU16(buf, p + 40);
    r.dstAs = readU16(buf, p + 42);
    r.srcMask = buf[p + 44];
    r.dstMask = buf[p + 45];
    if (r.protocol === 1 && r.dstPort !== 0) {
      r.icmpType = r.dstPort >> 8;
      r.icmpCode = r.dstPort & 0xff;
    }
    out.flows.push(r);
  }
}
