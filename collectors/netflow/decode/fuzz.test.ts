/**
 * Robustness: every captured packet truncated at many lengths and mutated thousands of ways, plus random
 * packets behind each valid version number. A decode must return (never throw, never hang), report only
 * FlowDecodeError reasons other than 'internal', and produce records without NaN or "undefined" in them.
 * Deterministic (seeded PRNG) so a failure reproduces.
 */
import { NETFLOW_CAPTURES, SFLOW_CAPTURES, readCapture } from '../testdata/captures';
import { cat, flowSet, ipfixMessage, ipfixTemplateRecord, u16, u32, v9Packet, v9TemplateRecord } from '../testdata/packets';
import { FlowDecodeError } from './errors';
import { decodeFlowPacket, FlowTemplateCache, type FlowDecodeResult, type FlowRecord } from './index';
import { prng } from '../testing/prng';

const STRING_FIELDS = ['srcAddr', 'dstAddr', 'nextHop', 'bgpNextHop', 'srcMac', 'dstMac', 'natSrcAddr', 'natDstAddr', 'applicationId', 'agentAddress'] as const;
const NUMBER_FIELDS = [
  'sourceId', 'sequence', 'exportTimeMs', 'startMs', 'endMs', 'ipVersion', 'srcPort', 'dstPort', 'protocol', 'tcpFlags',
  'tos', 'bytes', 'packets', 'samplingRate', 'inIf', 'outIf', 'srcAs', 'dstAs', 'srcMask', 'dstMask', 'srcVlan', 'dstVlan',
  'flowEndReason', 'natSrcPort', 'natDstPort',
] as const;

function badField(f: FlowRecord): string | null {
  for (const k of NUMBER_FIELDS) {
    const v = f[k];
    // startMs/endMs may be negative from garbage uptimes; everything must at least be a finite number.
    if (typeof v !== 'number' || !Number.isFinite(v)) return `${k}=${v}`;
  }
  if (!Number.isFinite(f.icmpType) || !Number.isFinite(f.icmpCode)) return 'icmp';
  for (const k of STRING_FIELDS) {
    const v = f[k];
    if (typeof v !== 'string' || v.includes('undefined') || v.includes('NaN')) return `${k}=${v}`;
  }
  return null;
}

interface FuzzTally {
  decodes: number;
  failed: number;
  maxMs: number;
  reasons: Set<string>;
}

const newTally = (): FuzzTally => ({ decodes: 0, failed: 0, maxMs: 0, reasons: new Set() });

function check(buf: Buffer, cache: FlowTemplateCache, tally: FuzzTally, receivedMs: number): void {
  let r: FlowDecodeResult;
  const t0 = process.hrtime.bigint();
  try {
    r = decodeFlowPacket(buf, { exporter: '192.0.2.1', receivedMs }, cache);
  } catch (err) {
    throw new Error(`decode threw on ${buf.toString('hex')}: ${String(err)}`, { cause: err });
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  tally.decodes++;
  if (ms > tally.maxMs) tally.maxMs = ms;
  if (r.error !== null) {
    tally.failed++;
    tally.reasons.add(r.error.reason);
    if (!(r.error instanceof FlowDecodeError) || r.error.reason === 'internal') {
      throw new Error(`internal error on ${buf.toString('hex')}: ${r.error.message}`);
    }
  }
  // Records are at least one byte each (pending sets replayed count against the pending byte cap).
  if (r.flows.length > buf.length + cache.options.pendingMaxBytes) throw new Error(`${r.flows.length} flows from ${buf.length} bytes`);
  for (const f of r.flows) {
    const bad = badField(f);
    if (bad !== null) throw new Error(`bad field ${bad} from ${buf.toString('hex')}`);
  }
  // Plain checks, not expect(): this runs ~100k times.
  const st = cache.stats;
  if (st.pendingSets > cache.options.pendingMaxSets || st.pendingBytes > cache.options.pendingMaxBytes) {
    throw new Error(`pending buffer over its bounds: ${st.pendingSets} sets, ${st.pendingBytes} bytes`);
  }
}

function mutate(src: Buffer, rnd: () => number): Buffer {
  const b = Buffer.from(src);
  const pick = (n: number) => Math.floor(rnd() * n);
  switch (pick(7)) {
    case 0: // flip 1-4 random bytes
      for (let i = 0, n = 1 + pick(4); i < n; i++) b[pick(b.length)] = pick(256);
      return b;
    case 1: {
      // a 16-bit word (length, count, ID) set to an edge value
      const edges = [0, 1, 3, 4, 255, 256, 0x7fff, 0x8000, 0xfffe, 0xffff];
      if (b.length >= 2) b.writeUInt16BE(edges[pick(edges.length)], pick(b.length - 1));
      return b;
    }
    case 2: {
      // a 32-bit word set to an edge value (sFlow counts and lengths)
      const edges = [0, 1, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 1 << 20];
      if (b.length >= 4) b.writeUInt32BE(edges[pick(edges.length)] >>> 0, pick(b.length - 3));
      return b;
    }
    case 3: {
      // delete a chunk
      const at = pick(b.length);
      return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + pick(16)))]);
    }
    case 4: {
      // insert random bytes
      const at = pick(b.length);
      const junk = Buffer.from(Array.from({ length: 1 + pick(12) }, () => pick(256)));
      return Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
    }
    case 5: {
      // duplicate a chunk (repeated sets, records)
      const at = pick(b.length);
      const chunk = b.subarray(at, at + 4 + pick(64));
      return Buffer.concat([b, chunk]);
    }
    default: {
      // zero a range (zero lengths, zero counts, zero template IDs)
      const at = pick(b.length);
      b.fill(0, at, Math.min(b.length, at + 1 + pick(8)));
      return b;
    }
  }
}

const MUTATIONS_PER_CAPTURE = 3000;
const TRUNCATED_PACKETS_PER_CAPTURE = 4;

describe.each([...NETFLOW_CAPTURES, ...SFLOW_CAPTURES])('fuzz %s', (name) => {
  const packets = readCapture(name);

  test('truncated at every length: typed error or clean decode, no crash', () => {
    const tally = newTally();
    for (let i = 0; i < Math.min(TRUNCATED_PACKETS_PER_CAPTURE, packets.length); i++) {
      const primed = new FlowTemplateCache();
      // Prime with the capture's templates so truncated data sets meet real templates.
      for (const p of packets) decodeFlowPacket(p, { exporter: '192.0.2.1', receivedMs: 1 }, primed);
      const empty = new FlowTemplateCache();
      const pkt = packets[i];
      for (let len = 0; len < pkt.length; len++) {
        check(pkt.subarray(0, len), primed, tally, 2);
        check(pkt.subarray(0, len), empty, tally, 2);
      }
    }
    expect(tally.failed).toBeGreaterThan(0);
    expect(tally.maxMs).toBeLessThan(2000); // a loop detector with room for GC pauses on a busy CI machine
  });

  test(`${MUTATIONS_PER_CAPTURE} mutations: typed error or clean decode, bounded state`, () => {
    const rnd = prng(0x5eed + name.length * 7919);
    const tally = newTally();
    const cache = new FlowTemplateCache({ pendingMaxSets: 32, pendingMaxBytes: 64 * 1024, maxTemplatesPerDomain: 64 });
    for (let k = 0; k < MUTATIONS_PER_CAPTURE; k++) {
      const src = packets[k % packets.length];
      let m = mutate(src, rnd);
      if (rnd() < 0.3) m = mutate(m, rnd);
      check(m, cache, tally, 10 + k);
      // Keep real templates flowing too, as a live exporter would.
      if (k % 10 === 0) check(src, cache, tally, 10 + k);
    }
    expect(tally.decodes).toBeGreaterThanOrEqual(MUTATIONS_PER_CAPTURE);
    expect(tally.failed).toBeGreaterThan(0);
    expect(tally.maxMs).toBeLessThan(2000); // a loop detector with room for GC pauses on a busy CI machine
    expect(cache.stats.templates).toBeLessThanOrEqual(cache.stats.domains * 64);
  });
});

test('random bytes behind every valid version header', () => {
  const rnd = prng(42);
  const tally = newTally();
  const cache = new FlowTemplateCache();
  const heads = [u16(5), u16(9), u16(10), u32(5)];
  for (let k = 0; k < 4000; k++) {
    const body = Buffer.from(Array.from({ length: Math.floor(rnd() * 600) }, () => Math.floor(rnd() * 256)));
    const pkt = cat(heads[k % heads.length], body);
    if (k % 4 === 2 && pkt.length >= 4) pkt.writeUInt16BE(Math.min(pkt.length, 0xffff), 2); // IPFIX length right
    check(pkt, cache, tally, k);
  }
  expect(tally.reasons.has('bad_version')).toBe(false);
  expect(tally.failed).toBeGreaterThan(1000);
});

describe('loops that must end', () => {
  const ctx = { exporter: '192.0.2.1', receivedMs: 1000 };

  test('a zero-length v9 flowset is a bad_length error, not an endless loop', () => {
    const pkt = v9Packet(1000, 1700000000, 1, 0, cat(u16(256), u16(0), u32(0)));
    const r = decodeFlowPacket(pkt, ctx, new FlowTemplateCache());
    expect(r.error?.reason).toBe('bad_length');
    expect(r.error?.message).toMatch(/netflow v9 from 192\.0\.2\.1: flowset 256 length 0 < 4/);
  });

  test('a zero-length IPFIX set is a bad_length error', () => {
    const pkt = ipfixMessage(1700000000, 1, 0, cat(u16(2), u16(0)));
    expect(decodeFlowPacket(pkt, ctx, new FlowTemplateCache()).error?.reason).toBe('bad_length');
  });

  test('a template whose fields are all zero bytes long is refused (its data sets would never end)', () => {
    const tpl = flowSet(0, v9TemplateRecord(300, [[8, 0], [12, 0]]));
    const data = flowSet(300, Buffer.alloc(64));
    const r = decodeFlowPacket(v9Packet(1000, 1700000000, 1, 0, tpl, data), ctx, new FlowTemplateCache());
    expect(r.error?.reason).toBe('bad_template');
    const ipfix = ipfixMessage(1700000000, 1, 0, flowSet(2, ipfixTemplateRecord(300, [{ id: 8, length: 0 }])));
    expect(decodeFlowPacket(ipfix, ctx, new FlowTemplateCache()).error?.reason).toBe('bad_template');
  });

  test('a template that claims more fields than its set holds is truncated', () => {
    const rec = cat(u16(300), u16(5000), u16(8), u16(4));
    expect(decodeFlowPacket(v9Packet(1, 1, 1, 0, flowSet(0, rec)), ctx, new FlowTemplateCache()).error?.reason).toBe('truncated');
  });

  test('an sFlow datagram claiming 2^32-1 samples is refused before looping', () => {
    const pkt = cat(u32(5), u32(1), Buffer.from([10, 0, 0, 1]), u32(0), u32(1), u32(1), u32(0xffffffff));
    const r = decodeFlowPacket(pkt, ctx, new FlowTemplateCache());
    expect(r.error?.reason).toBe('too_many');
  });
});
