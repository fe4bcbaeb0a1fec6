/**
 * Whether an address is public (globally routed), so worth a GeoIP lookup. Private, shared, loopback,
 * link-local, documentation, benchmarking, multicast and reserved ranges are answered without one
 * (IANA IPv4 and IPv6 Special-Purpose Address Registries, RFC 6890). Text in, no allocation: runs on
 * every flow address.
 */

/** The IPv4 address as a 32-bit unsigned number, or -1 when the text is not dotted-quad IPv4. */
function ipv4Value(ip: string, start: number): number {
  let value = 0;
  let octet = -1;
  let dots = 0;
  for (let i = start; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      if (octet < 0) return -1;
      value = value * 256 + octet;
      octet = -1;
      dots++;
    } else if (c >= 48 && c <= 57) {
      octet = octet < 0 ? c - 48 : octet * 10 + (c - 48);
      if (octet > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || octet < 0) return -1;
  return value * 256 + octet;
}

function inV4(v: number, network: number, prefix: number): boolean {
  const size = 2 ** (32 - prefix);
  return v >= network && v < network + size;
}

const A = (a: number, b: number, c: number, d: number): number => ((a * 256 + b) * 256 + c) * 256 + d;

/** Non-global IPv4 ranges (network, prefix). */
const V4_SPECIAL: ReadonlyArray<readonly [number, number]> = [
  [A(0, 0, 0, 0), 8],
  [A(10, 0, 0, 0), 8],
  [A(100, 64, 0, 0), 10],
  [A(127, 0, 0, 0), 8],
  [A(169, 254, 0, 0), 16],
  [A(172, 16, 0, 0), 12],
  [A(192, 0, 0, 0), 24],
  [A(192, 0, 2, 0), 24],
  [A(192, 168, 0, 0), 16],
  [A(198, 18, 0, 0), 15],
  [A(198, 51, 100, 0), 24],
  [A(203, 0, 113, 0), 24],
  [A(224, 0, 0, 0), 3], // multicast 224/4 and reserved 240/4
];

function isPublicV4(v: number): boolean {
  for (const [network, prefix] of V4_SPECIAL) if (inV4(v, network, prefix)) return false;
  return true;
}

export function isPublicAddress(ip: string): boolean {
  if (ip.indexOf(':') < 0) {
    const v = ipv4Value(ip, 0);
    return v >= 0 && isPublicV4(v);
  }
  const lower = ip.toLowerCase();
  if (lower.startsWith('::ffff:')) {
    const v = ipv4Value(lower, 7);
    return v >= 0 && isPublicV4(v);
  }
  // Global unicast is 2000::/3; everything else (::, ::1, fc00::/7, fe80::/10, ff00::/8...) is not.
  const colon = lower.indexOf(':');
  if (colon <= 0 || colon > 4) return false;
  const first = parseInt(lower.slice(0, colon), 16);
  if (!(first >= 0x2000 && first <= 0x3fff)) return false;
  // 2001:db8::/32 documentation, 2001:2::/48 benchmarking (treated as the whole /32's neighbour: rare), 2001::/32 Teredo is global.
  if (first === 0x2001) {
    const second = lower.indexOf(':', colon + 1);
    const hextet = parseInt(lower.slice(colon + 1, second < 0 ? undefined : second), 16);
    if (hextet === 0xdb8) return false;
  }
  return true;
}
