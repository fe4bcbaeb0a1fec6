/** Ranges for discovery sweeps: an IPv4 CIDR, a small IPv6 prefix, or one address → its host addresses, lazily. */
import { ipv4ToInt, ipv6ToBigInt } from '../../../core/net/ip';

export interface Ipv4Range {
  /** First and last address probed, as integers. */
  first: number;
  last: number;
  size: number;
}

export function intToIpv4(n: number): string {
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/**
 * Parses `a.b.c.d/len` (or a bare address). Below /31 the network and broadcast addresses are left
 * out (RFC 3021 makes both /31 addresses hosts). Throws naming the range and the reason.
 */
export function parseIpv4Range(cidr: string, maxAddresses: number): Ipv4Range {
  const slash = cidr.indexOf('/');
  const addr = slash === -1 ? cidr : cidr.slice(0, slash);
  const len = slash === -1 ? 32 : Number(cidr.slice(slash + 1));
  const base = ipv4ToInt(addr);
  if (base === undefined) throw new Error(`discovery range "${cidr}": not an IPv4 address or CIDR`);
  if (!Number.isInteger(len) || len < 0 || len > 32) throw new Error(`discovery range "${cidr}": prefix length must be 0 to 32`);
  const block = 2 ** (32 - len);
  const network = Math.floor(base / block) * block;
  if (network !== base) throw new Error(`discovery range "${cidr}": host bits set (did you mean ${intToIpv4(network)}/${len}?)`);
  let first = network;
  let last = network + block - 1;
  if (len < 31) {
    first++;
    last--;
  }
  const size = last - first + 1;
  if (size > maxAddresses) throw new Error(`discovery range "${cidr}": ${size} addresses exceed snmp.discovery.maxAddressesPerRange (${maxAddresses})`);
  return { first, last, size };
}

/** A range to sweep, IPv4 or IPv6, with its addresses produced one at a time. */
export interface DiscoveryRange {
  size: number;
  addresses(): Generator<string>;
}

function* ipv4Addresses(r: Ipv4Range): Generator<string> {
  for (let n = r.first; n <= r.last; n++) yield intToIpv4(n);
}

/** 128-bit value → compressed IPv6 text (the URL parser applies RFC 5952's canonical form). */
export function bigIntToIpv6(v: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((v >> BigInt(i * 16)) & 0xffffn).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

function* ipv6Addresses(first: bigint, size: number): Generator<string> {
  for (let i = 0; i < size; i++) yield bigIntToIpv6(first + BigInt(i));
}

/**
 * An IPv4 range (parseIpv4Range) or an IPv6 one: IPv6 prefixes are swept only when small (a /120
 * is 256 addresses; the same maxAddresses bound applies), every address included (IPv6 has no
 * broadcast; the subnet-router anycast address ::0 of the prefix is skipped, RFC 4291 §2.6.1).
 */
export function parseDiscoveryRange(cidr: string, maxAddresses: number): DiscoveryRange {
  const slash = cidr.indexOf('/');
  const addr = slash === -1 ? cidr : cidr.slice(0, slash);
  if (addr.indexOf(':') < 0) {
    const r = parseIpv4Range(cidr, maxAddresses);
    return { size: r.size, addresses: () => ipv4Addresses(r) };
  }
  const base = ipv6ToBigInt(addr);
  if (base === undefined) throw new Error(`discovery range "${cidr}": not an IPv6 address or prefix`);
  const len = slash === -1 ? 128 : Number(cidr.slice(slash + 1));
  if (!Number.isInteger(len) || len < 0 || len > 128) throw new Error(`discovery range "${cidr}": prefix length must be 0 to 128`);
  const hostBits = BigInt(128 - len);
  const network = (base >> hostBits) << hostBits;
  if (network !== base) throw new Error(`discovery range "${cidr}": host bits set (did you mean ${bigIntToIpv6(network)}/${len}?)`);
  const block = 1n << hostBits;
  const first = len < 127 ? network + 1n : network;
  const size = block - (first - network);
  if (size > BigInt(maxAddresses)) throw new Error(`discovery range "${cidr}": ${size} addresses exceed the limit of ${maxAddresses}`);
  return { size: Number(size), addresses: () => ipv6Addresses(first, Number(size)) };
}
