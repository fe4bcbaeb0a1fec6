/**
 * IP protocol numbers as ECS wants them: network.iana_number is the number as a string, network.transport
 * the IANA keyword in lowercase ("tcp", "ipv6-icmp"). Tables built once, read per flow by index.
 */

/** IANA "Assigned Internet Protocol Numbers" keywords for the protocols flows commonly carry. */
const KEYWORDS: ReadonlyArray<readonly [number, string]> = [
  [0, 'hopopt'],
  [1, 'icmp'],
  [2, 'igmp'],
  [4, 'ipv4'],
  [6, 'tcp'],
  [8, 'egp'],
  [9, 'igp'],
  [17, 'udp'],
  [27, 'rdp'],
  [33, 'dccp'],
  [41, 'ipv6'],
  [43, 'ipv6-route'],
  [44, 'ipv6-frag'],
  [46, 'rsvp'],
  [47, 'gre'],
  [50, 'esp'],
  [51, 'ah'],
  [58, 'ipv6-icmp'],
  [59, 'ipv6-nonxt'],
  [60, 'ipv6-opts'],
  [88, 'eigrp'],
  [89, 'ospfigp'],
  [94, 'ipip'],
  [97, 'etherip'],
  [103, 'pim'],
  [108, 'ipcomp'],
  [112, 'vrrp'],
  [115, 'l2tp'],
  [132, 'sctp'],
  [135, 'mobility-header'],
  [136, 'udplite'],
  [137, 'mpls-in-ip'],
  [143, 'ethernet'],
];

const TRANSPORT: Array<string | undefined> = new Array<string | undefined>(256).fill(undefined);
for (const [n, name] of KEYWORDS) TRANSPORT[n] = name;

const IANA_NUMBER: string[] = Array.from({ length: 256 }, (_, n) => String(n));

/** Protocols whose flow keys carry real source and destination ports. */
const HAS_PORTS: boolean[] = new Array<boolean>(256).fill(false);
for (const n of [6, 17, 33, 132, 136]) HAS_PORTS[n] = true;

/** network.transport for a protocol number; undefined when IANA gives it no keyword we list. */
export function transportName(protocol: number): string | undefined {
  return TRANSPORT[protocol & 0xff];
}

export function ianaNumber(protocol: number): string {
  return IANA_NUMBER[protocol & 0xff];
}

export function protocolHasPorts(protocol: number): boolean {
  return HAS_PORTS[protocol & 0xff];
}

export function isIcmp(protocol: number): boolean {
  return protocol === 1 || protocol === 58;
}
