/** IPv4 ranges for discovery sweeps: a CIDR (or a single address) → its host addresses, lazily. */
import { ipv4ToInt } from '../../../core/net/ip';

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
  if (base === undefined) throw new Error(`discovery range "${cidr}": not an IPv4 address or CIDR (IPv6 ranges are too large to sweep)`);
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
