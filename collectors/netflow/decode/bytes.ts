/**
 * Field readers shared by the decoders. Callers bounds-check first (one check per set or record, not per
 * byte); these read Buffer indexes directly, which V8 compiles to plain loads.
 */

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

const TWO_POW_32 = 4294967296;

/**
 * Recently formatted IPv4 addresses, direct-mapped by the address: flow addresses repeat (a few thousand
 * hosts do most of the talking), and handing out the same string object saves formatting it, collecting
 * it, and hashing and comparing it in every Map the flow then meets (tenancy, aggregates, activity):
 * V8 caches a string's hash in the string and compares identical strings by pointer.
 */
const V4_CACHE_SLOTS = 1 << 18;
// Every slot starts as 0.0.0.0 (key 0, its text), so a hit needs no "slot filled" test: one load fewer.
const v4CacheKeys = new Int32Array(V4_CACHE_SLOTS);
const v4CacheStrings: string[] = Array.from({ length: V4_CACHE_SLOTS }, () => '0.0.0.0');

export function ipv4String(buf: Buffer, off: number): string {
  const v = (buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3];
  // Fibonacci hashing: the top 18 bits of v * 2^32/phi spread neighbouring addresses over the table.
  const slot = Math.imul(v, 0x9e3779b1) >>> 14;
  if (v4CacheKeys[slot] === v) return v4CacheStrings[slot];
  const text = buf[off] + '.' + buf[off + 1] + '.' + buf[off + 2] + '.' + buf[off + 3];
  v4CacheKeys[slot] = v;
  v4CacheStrings[slot] = text;
  return text;
}

/** ipv4String for an address already read as a number (signed or unsigned 32-bit); the same cache. */
export function ipv4Text(address: number): string {
  const v = address | 0;
  const slot = Math.imul(v, 0x9e3779b1) >>> 14;
  if (v4CacheKeys[slot] === v) return v4CacheStrings[slot];
  const text = (v >>> 24) + '.' + ((v >>> 16) & 0xff) + '.' + ((v >>> 8) & 0xff) + '.' + (v & 0xff);
  v4CacheKeys[slot] = v;
  v4CacheStrings[slot] = text;
  return text;
}

/** RFC 5952 text form: lowercase, leading zeros dropped, the longest run (>= 2) of zero groups as "::". */
export function ipv6String(buf: Buffer, off: number): string {
  // IPv4-mapped ::ffff:a.b.c.d keeps its dotted tail (RFC 5952 s5).
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  for (let g = 0; g < 8; g++) {
    const zero = buf[off + 2 * g] === 0 && buf[off + 2 * g + 1] === 0;
    if (zero) {
      if (runStart < 0) runStart = g;
      const len = g - runStart + 1;
      if (len > bestLen) {
        bestLen = len;
        bestStart = runStart;
      }
    } else {
      runStart = -1;
    }
  }
  if (bestStart === 0 && bestLen === 5 && buf[off + 10] === 0xff && buf[off + 11] === 0xff) {
    return '::ffff:' + ipv4String(buf, off + 12);
  }
  if (bestLen < 2) bestStart = -1;
  let out = '';
  for (let g = 0; g < 8; g++) {
    if (g === bestStart) {
      out += g === 0 ? '::' : ':';
      g += bestLen - 1;
      continue;
    }
    out += ((buf[off + 2 * g] << 8) | buf[off + 2 * g + 1]).toString(16);
    if (g < 7) out += ':';
  }
  return out;
}

export function macString(buf: Buffer, off: number): string {
  return (
    HEX[buf[off]] + ':' + HEX[buf[off + 1]] + ':' + HEX[buf[off + 2]] + ':' +
    HEX[buf[off + 3]] + ':' + HEX[buf[off + 4]] + ':' + HEX[buf[off + 5]]
  );
}

export function hexString(buf: Buffer, off: number, len: number): string {
  let out = '';
  for (let i = 0; i < len; i++) out += HEX[buf[off + i]];
  return out;
}

export function readU32(buf: Buffer, off: number): number {
  return buf[off] * 0x1000000 + ((buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]);
}

export function readU16(buf: Buffer, off: number): number {
  return (buf[off] << 8) | buf[off + 1];
}

/** 64-bit big-endian unsigned as a number: exact up to 2^53 (see types.ts). */
export function readU64(buf: Buffer, off: number): number {
  return readU32(buf, off) * TWO_POW_32 + readU32(buf, off + 4);
}

/** Unsigned big-endian integer of 1..8 bytes: IPFIX reduced-size encoding (RFC 7011 s6.2), v9 variable widths. */
export function readUnsigned(buf: Buffer, off: number, len: number): number {
  switch (len) {
    case 1:
      return buf[off];
    case 2:
      return readU16(buf, off);
    case 4:
      return readU32(buf, off);
    case 8:
      return readU64(buf, off);
    default: {
      // Wider than 8: keep the low 8 bytes (a counter padded by an odd exporter).
      const start = len > 8 ? off + len - 8 : off;
      const n = len > 8 ? 8 : len;
      let v = 0;
      for (let i = 0; i < n; i++) v = v * 256 + buf[start + i];
      return v;
    }
  }
}

/** True when buf[pos..end) holds only zero bytes: set and record padding. */
export function isAllZero(buf: Buffer, pos: number, end: number): boolean {
  for (let i = pos; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}
