/**
 * A minimal, fast SNMPv2c agent for benchmarks: answers GET, GETNEXT and GETBULK from a sorted,
 * pre-encoded table (system group, ifTable, ifXTable for N interfaces), so thousands of simulated
 * devices cost little CPU and the poller is what gets measured. Not an SNMP implementation to
 * trust beyond that: v2c only, any community, no SET, no v3.
 */
import { createSocket, type Socket } from 'node:dgram';

type Value = { tag: number; body: Buffer };

interface Entry {
  oid: number[];
  encodedOid: Buffer;
  /** Pre-encoded value TLV, or a function for values that change (sysUpTime). */
  value: Buffer | (() => Buffer);
}

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}

function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

function signedInt(n: number): Buffer {
  const bytes: number[] = [];
  let v = BigInt(n);
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (!((v === 0n && (bytes[0] & 0x80) === 0) || (v === -1n && (bytes[0] & 0x80) !== 0)));
  return Buffer.from(bytes);
}

function unsigned(n: bigint): Buffer {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if ((bytes[0] & 0x80) !== 0) bytes.unshift(0);
  return Buffer.from(bytes);
}

function encodeOid(oid: number[]): Buffer {
  const out: number[] = [oid[0] * 40 + oid[1]];
  for (let i = 2; i < oid.length; i++) {
    const v = oid[i];
    const chunk: number[] = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) chunk.unshift((x & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return Buffer.from(out);
}

const int = (n: number): Value => ({ tag: 0x02, body: signedInt(n) });
const str = (s: string): Value => ({ tag: 0x04, body: Buffer.from(s) });
const oidValue = (s: string): Value => ({ tag: 0x06, body: encodeOid(s.split('.').map(Number)) });
const counter32 = (n: number): Value => ({ tag: 0x41, body: unsigned(BigInt(n >>> 0)) });
const gauge = (n: number): Value => ({ tag: 0x42, body: unsigned(BigInt(n >>> 0)) });
const ticks = (n: number): Value => ({ tag: 0x43, body: unsigned(BigInt(n >>> 0)) });
const counter64 = (n: bigint): Value => ({ tag: 0x46, body: unsigned(n) });

function compareOid(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** The table of one simulated switch with `interfaces` ports. */
function deviceTable(name: string, interfaces: number, bootedAt: number): Entry[] {
  const rows: Array<[string, Value | (() => Value)]> = [
    ['1.3.6.1.2.1.1.1.0', str('Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E8')],
    ['1.3.6.1.2.1.1.2.0', oidValue('1.3.6.1.4.1.9.1.1208')],
    ['1.3.6.1.2.1.1.3.0', () => ticks(Math.floor((Date.now() - bootedAt) / 10))],
    ['1.3.6.1.2.1.1.4.0', str('noc@example.vn')],
    ['1.3.6.1.2.1.1.5.0', str(name)],
    ['1.3.6.1.2.1.1.6.0', str('Rack B3')],
  ];
  const t = (Date.now() - bootedAt) / 1000;
  for (let i = 1; i <= interfaces; i++) {
    const inOctets = BigInt(Math.floor(t * 1_250_000 * i));
    const ifRow: Array<[number, Value]> = [
      [1, int(i)], [2, str(`GigabitEthernet1/0/${i}`)], [3, int(6)], [5, gauge(1_000_000_000)], [7, int(1)], [8, int(i % 7 === 0 ? 2 : 1)], [9, ticks(0)],
      [10, counter32(Number(inOctets % 4294967296n))], [11, counter32(i * 1000)], [13, counter32(0)], [14, counter32(i % 5)], [16, counter32(i * 7000)], [17, counter32(i * 900)], [19, counter32(0)], [20, counter32(0)],
    ];
    for (const [col, v] of ifRow) rows.push([`1.3.6.1.2.1.2.2.1.${col}.${i}`, v]);
    const ifxRow: Array<[number, Value]> = [
      [1, str(`Gi1/0/${i}`)], [2, counter32(10)], [3, counter32(5)], [4, counter32(20)], [5, counter32(2)], [6, counter64(inOctets)], [7, counter64(BigInt(i) * 1000n)],
      [8, counter64(10n)], [9, counter64(5n)], [10, counter64(BigInt(i) * 7000n)], [11, counter64(BigInt(i) * 900n)], [12, counter64(20n)], [13, counter64(2n)], [15, gauge(1000)], [18, str(i === 1 ? 'Uplink to core' : '')], [19, ticks(0)],
    ];
    for (const [col, v] of ifxRow) rows.push([`1.3.6.1.2.1.31.1.1.1.${col}.${i}`, v]);
  }
  const entries: Entry[] = rows.map(([o, v]) => {
    const oid = o.split('.').map(Number);
    const value = typeof v === 'function' ? () => { const x = v(); return tlv(x.tag, x.body); } : tlv(v.tag, v.body);
    return { oid, encodedOid: tlv(0x06, encodeOid(oid)), value };
  });
  return entries.sort((a, b) => compareOid(a.oid, b.oid));
}

/** A BER reader over one request: just what GET/GETNEXT/GETBULK requests contain. */
class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  header(expected?: number): { tag: number; length: number } {
    const tag = this.buf[this.pos++];
    if (expected !== undefined && tag !== expected) throw new Error(`BER: tag 0x${tag.toString(16)}, expected 0x${expected.toString(16)}`);
    let length = this.buf[this.pos++];
    if (length & 0x80) {
      const n = length & 0x7f;
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + this.buf[this.pos++];
    }
    return { tag, length };
  }
  integer(): number {
    const { length } = this.header(0x02);
    let v = (this.buf[this.pos] & 0x80) !== 0 ? -1 : 0;
    for (let i = 0; i < length; i++) v = v * 256 + this.buf[this.pos++];
    return v;
  }
  bytes(tag: number): Buffer {
    const { length } = this.header(tag);
    const b = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return b;
  }
  oid(): number[] {
    const b = this.bytes(0x06);
    const out = [Math.floor(b[0] / 40), b[0] % 40];
    let v = 0;
    for (let i = 1; i < b.length; i++) {
      v = v * 128 + (b[i] & 0x7f);
      if ((b[i] & 0x80) === 0) {
        out.push(v);
        v = 0;
      }
    }
    return out;
  }
  skip(): void {
    const { length } = this.header();
    this.pos += length;
  }
}

const NO_SUCH_OBJECT = Buffer.from([0x80, 0x00]);
const END_OF_MIB = Buffer.from([0x82, 0x00]);

function answer(table: Entry[], request: Buffer): Buffer | undefined {
  const r = new Reader(request);
  r.header(0x30);
  const version = r.integer();
  if (version !== 1) return undefined; // v2c only
  const community = r.bytes(0x04);
  const pdu = r.header();
  const reqId = r.integer();
  const nonRepeaters = r.integer();
  const maxRepetitions = r.integer();
  r.header(0x30);
  const oids: number[][] = [];
  while (r.pos < request.length) {
    r.header(0x30);
    oids.push(r.oid());
    r.skip();
  }
  const varbinds: Buffer[] = [];
  const push = (e: Entry | undefined, requested: number[], missing: Buffer): void => {
    if (e === undefined) varbinds.push(tlv(0x30, Buffer.concat([tlv(0x06, encodeOid(requested)), missing])));
    else varbinds.push(tlv(0x30, Buffer.concat([e.encodedOid, typeof e.value === 'function' ? e.value() : e.value])));
  };
  const nextIndex = (oid: readonly number[]): number => {
    let lo = 0;
    let hi = table.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareOid(table[mid].oid, oid) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  if (pdu.tag === 0xa0) {
    for (const o of oids) {
      const i = nextIndex(o) - 1;
      push(i >= 0 && compareOid(table[i].oid, o) === 0 ? table[i] : undefined, o, NO_SUCH_OBJECT);
    }
  } else if (pdu.tag === 0xa1) {
    for (const o of oids) push(table[nextIndex(o)], o, END_OF_MIB);
  } else if (pdu.tag === 0xa5) {
    const n = Math.min(nonRepeaters, oids.length);
    for (let k = 0; k < n; k++) push(table[nextIndex(oids[k])], oids[k], END_OF_MIB);
    for (let k = n; k < oids.length; k++) {
      let i = nextIndex(oids[k]);
      for (let rep = 0; rep < maxRepetitions; rep++, i++) push(table[i], table[i - 1]?.oid ?? oids[k], END_OF_MIB);
    }
  } else return undefined;
  const body = Buffer.concat([tlv(0x02, signedInt(reqId)), tlv(0x02, signedInt(0)), tlv(0x02, signedInt(0)), tlv(0x30, Buffer.concat(varbinds))]);
  return tlv(0x30, Buffer.concat([tlv(0x02, signedInt(1)), tlv(0x04, community), tlv(0xa2, body)]));
}

export interface FastAgent {
  port: number;
  close(): void;
}

/** Tables by interface count: thousands of agents share one; only sysName differs (replaced per agent). */
const shared = new Map<number, Entry[]>();
const SYS_NAME = [1, 3, 6, 1, 2, 1, 1, 5, 0];

/** Starts one simulated switch on 127.0.0.1:0. */
export function startFastAgent(name: string, interfaces: number): Promise<FastAgent> {
  let base = shared.get(interfaces);
  if (base === undefined) {
    base = deviceTable('SIM', interfaces, Date.now() - 3_600_000);
    shared.set(interfaces, base);
  }
  const table = base.slice();
  const at = table.findIndex((e) => compareOid(e.oid, SYS_NAME) === 0);
  table[at] = { oid: SYS_NAME, encodedOid: table[at].encodedOid, value: tlv(0x04, Buffer.from(name)) };
  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    let out: Buffer | undefined;
    try {
      out = answer(table, msg);
    } catch {
      return; // malformed: drop, as an agent does
    }
    if (out !== undefined) socket.send(out, rinfo.port, rinfo.address);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve({ port: socket.address().port, close: () => socket.close() }));
  });
}
