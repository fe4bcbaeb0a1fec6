/**
 * IPv4/IPv6 text parsing without allocation (the matcher runs on every address of every event),
 * and RFC 5952 canonical formatting for IPv6 keys and display.
 */

/** IPv4 dotted quad → unsigned 32-bit number, or -1. Leading zeros are rejected (ambiguous: octal in some tools). */
export function parseIpv4(s: string, start = 0, end = s.length): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits++;
    } else if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

export function formatIpv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * IPv6 text → eight 16-bit groups written to `out` (returns true), or false. Accepts `::`
 * compression, an embedded dotted quad at the end, a zone id (`%eth0`, ignored) and brackets.
 */
export function parseIpv6(s: string, out: Uint16Array): boolean {
  let start = 0;
  let end = s.length;
  if (end > 1 && s.charCodeAt(0) === 91 && s.charCodeAt(end - 1) === 93) {
    start = 1;
    end--;
  }
  const zone = s.indexOf('%', start);
  if (zone >= 0 && zone < end) end = zone;
  if (end - start < 2) return false;
  let groups = 0;
  let gap = -1;
  let i = start;
  if (s.charCodeAt(i) === 58) {
    if (s.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
    if (i === end) {
      out.fill(0);
      return true;
    }
  }
  while (i < end) {
    if (groups === 8) return false;
    let value = 0;
    let digits = 0;
    const groupStart = i;
    while (i < end) {
      const c = s.charCodeAt(i);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else break;
      value = value * 16 + d;
      digits++;
      i++;
    }
    if (i < end && s.charCodeAt(i) === 46) {
      // Embedded IPv4 (::ffff:192.0.2.1): the last 32 bits.
      if (groups > 6) return false;
      const v4 = parseIpv4(s, groupStart, end);
      if (v4 < 0) return false;
      out[groups++] = v4 >>> 16;
      out[groups++] = v4 & 0xffff;
      break;
    }
    if (digits === 0 || digits > 4) return false;
    out[groups++] = value;
    if (i === end) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && s.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = groups;
      i++;
      if (i === end) break;
    } else if (i === end) {
      return false;
    }
  }
  if (gap < 0) return groups === 8;
  if (groups > 7) return false;
  const tail = groups - gap;
  for (let k = 0; k < tail; k++) out[7 - k] = out[gap + tail - 1 - k];
  for (let k = gap; k < 8 - tail; k++) out[k] = 0;
  return true;
}

/** `::ffff:a.b.c.d` → the IPv4 number, else -1 (mapped addresses match IPv4 indicators). */
export function mappedIpv4(groups: Uint16Array): number {
  for (let k = 0; k < 5; k++) if (groups[k] !== 0) return -1;
  if (groups[5] !== 0xffff) return -1;
  return groups[6] * 65536 + groups[7];
}

/** RFC 5952: lowercase, no leading zeros, the longest run (first on a tie) of two or more zero groups as `::`. */
export function formatIpv6(groups: Uint16Array): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let k = 0; k < 8; ) {
    if (groups[k] !== 0) {
      k++;
      continue;
    }
    let j = k;
    while (j < 8 && groups[j] === 0) j++;
    if (j - k > bestLen) {
      bestStart = k;
      bestLen = j - k;
    }
    k = j;
  }
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (k === bestStart) {
      out += '::';
      k += bestLen - 1;
      continue;
    }
    if (out.length > 0 && out.charCodeAt(out.length - 1) !== 58) out += ':';
    out += groups[k].toString(16);
  }
  return out;
}

/** Clears the bits after `prefix` (a CIDR's network address). */
export function maskIpv4(n: number, prefix: number): number {
  if (prefix === 0) return 0;
  return (n & (0xffffffff << (32 - prefix))) >>> 0;
}

export function maskIpv6(groups: Uint16Array, prefix: number): void {
  for (let k = 0; k < 8; k++) {
    const bitsHere = prefix - k * 16;
    if (bitsHere >= 16) continue;
    groups[k] = bitsHere <= 0 ? 0 : groups[k] & ((0xffff << (16 - bitsHere)) & 0xffff);
  }
}
