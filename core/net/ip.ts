/**
 * Compact IP address handling for hot paths: addresses as fixed-width integers so that CIDR
 * membership is a mask and a Map lookup, not string work per event.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Removes the IPv4-mapped IPv6 prefix that dual-stack sockets report (::ffff:10.1.2.3 → 10.1.2.3). */
export function unmapIPv4(address: string): string {
  return address.length > 7 && address.charCodeAt(0) === 58 && address.startsWith('::ffff:') && address.indexOf('.') > 0 ? address.slice(7) : address;
}

export function ipv4ToInt(address: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= address.length; i++) {
    const c = i === address.length ? 46 : address.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255) return undefined;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3) return undefined;
    } else return undefined;
  }
  return parts === 4 ? value : undefined;
}

/** IPv6 address → 128-bit BigInt (also accepts embedded IPv4 in the last 32 bits). */
export function ipv6ToBigInt(address: string): bigint | undefined {
  const zone = address.indexOf('%');
  const addr = zone >= 0 ? address.slice(0, zone) : address;
  if (!isIPv6(addr)) return undefined;
  let head = addr;
  let tail = '';
  const dbl = addr.indexOf('::');
  if (dbl >= 0) {
    head = addr.slice(0, dbl);
    tail = addr.slice(dbl + 2);
  }
  const toGroups = (s: string): number[] => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (g.includes('.')) {
        const v4 = ipv4ToInt(g);
        if (v4 === undefined) return [];
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else out.push(parseInt(g, 16));
    }
    return out;
  };
  const h = toGroups(head);
  const t = toGroups(tail);
  const groups = dbl >= 0 ? [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t] : h;
  if (groups.length !== 8) return undefined;
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

export interface ParsedCidr {
  family: 4 | 6;
  prefix: number;
  /** Network address masked to the prefix. */
  network: number | bigint;
}

export function parseCidr(text: string): ParsedCidr {
  const slash = text.indexOf('/');
  const addr = slash >= 0 ? text.slice(0, slash) : text;
  const prefixText = slash >= 0 ? text.slice(slash + 1) : undefined;
  if (isIPv4(addr)) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32 || (prefixText !== undefined && !/^\d+$/.test(prefixText))) {
      throw new Error(`invalid CIDR "${text}": prefix must be 0-32`);
    }
    return { family: 4, prefix, network: maskIPv4(ipv4ToInt(addr) as number, prefix) };
  }
  const v6 = ipv6ToBigInt(addr);
  if (v6 !== undefined) {
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 128 || (prefixText !== undefined && !/^\d+$/.test(prefixText))) {
      throw new Error(`invalid CIDR "${text}": prefix must be 0-128`);
    }
    return { family: 6, prefix, network: maskIPv6(v6, prefix) };
  }
  throw new Error(`invalid CIDR "${text}": not an IPv4 or IPv6 address`);
}

export function maskIPv4(value: number, prefix: number): number {
  if (prefix === 0) return 0;
  // Arithmetic rather than bitwise ops: JS bitwise works on signed 32-bit ints.
  const size = 2 ** (32 - prefix);
  return value - (value % size);
}

const ALL_ONES_128 = (1n << 128n) - 1n;
export function maskIPv6(value: bigint, prefix: number): bigint {
  if (prefix === 0) return 0n;
  const hostBits = BigInt(128 - prefix);
  return value & (ALL_ONES_128 ^ ((1n << hostBits) - 1n));
}
