/**
 * Validated setters shared by the vendor normalizers. Device text is untrusted: a field is written
 * only when its value has the right shape (an IP looks like an IP, a port is 0-65535), so a
 * malformed line yields fewer fields, never a wrong one.
 */
import { isIPv6 } from 'node:net';
import type { EcsEndpoint, EcsEvent, EventOutcome } from '../../../core/event';
import { unmapIPv4 } from '../../../core/net/ip';

/** Dotted-quad IPv4, each part 0-255, by character scan (called several times per event). */
export function isIpv4(s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let dots = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0) return false;
      dots++;
      digits = 0;
      value = 0;
      continue;
    }
    if (c < 48 || c > 57) return false;
    value = value * 10 + (c - 48);
    digits++;
    if (digits > 3 || value > 255) return false;
  }
  return dots === 3 && digits > 0;
}

export function isIpAddress(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  return s.indexOf(':') >= 0 ? isIPv6(s) : isIpv4(s);
}

/**
 * RFC 1123 host or domain name (letters, digits, hyphen, underscore, dots). Digits and dots alone
 * are a mistyped IP (`1192.168.2.2`), not a name.
 */
export function isHostname(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 253) return false;
  let letters = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 95) letters++;
    else if (!((c >= 48 && c <= 57) || c === 46)) return false;
  }
  return letters > 0 && s.charCodeAt(0) !== 45 && s.charCodeAt(0) !== 46;
}

/** Unsigned decimal of at most `maxDigits` digits, or undefined. */
function parseDigits(s: string, maxDigits: number): number | undefined {
  const n = s.length;
  if (n === 0 || n > maxDigits) return undefined;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    value = value * 10 + (c - 48);
  }
  return value;
}

const MAC_OCTETS = /^([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})$/;
const MAC_CISCO = /^([0-9a-fA-F]{4})\.([0-9a-fA-F]{4})\.([0-9a-fA-F]{4})$/;

/**
 * A MAC address in ECS form (`00-1A-2B-3C-4D-5E`) from the forms devices write: colon or hyphen
 * separated (dhcpd drops leading zeros: `0:50:56:a1:b:c`) or Cisco's dotted `aabb.ccdd.eeff`.
 * Undefined for anything else.
 */
export function ecsMac(text: string): string | undefined {
  let r = MAC_OCTETS.exec(text);
  if (r !== null) {
    let out = '';
    for (let i = 1; i <= 6; i++) out += (i > 1 ? '-' : '') + (r[i].length === 1 ? '0' + r[i] : r[i]);
    return out.toUpperCase();
  }
  r = MAC_CISCO.exec(text);
  if (r === null) return undefined;
  const hex = r[1] + r[2] + r[3];
  let out = hex.slice(0, 2);
  for (let i = 2; i < 12; i += 2) out += '-' + hex.slice(i, i + 2);
  return out.toUpperCase();
}

/** Longer "extensions" are dots inside a name (`/v1.2-release-notes`), not file types. */
const MAX_EXTENSION = 10;

/**
 * url.path, url.query and url.extension from a request target's path part (`/a/b.php?x=1`).
 * The extension is the last dot-part of the last path segment, without the dot, as ECS defines it
 * (`archive.tar.gz` → `gz`; none for `/a/` or `/.htaccess`): Sigma's `c-uri-extension`.
 */
export function setUrlPath(url: NonNullable<EcsEvent['url']>, pathAndQuery: string): void {
  const q = pathAndQuery.indexOf('?');
  const path = q >= 0 ? pathAndQuery.slice(0, q) : pathAndQuery;
  if (q >= 0) url.query = pathAndQuery.slice(q + 1);
  if (path.length === 0) return;
  url.path = path;
  const segment = path.lastIndexOf('/') + 1;
  const dot = path.lastIndexOf('.');
  if (dot > segment && dot < path.length - 1 && path.length - dot <= MAX_EXTENSION + 1) url.extension = path.slice(dot + 1);
}

export function parsePort(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const v = parseDigits(s, 5);
  return v !== undefined && v <= 65535 ? v : undefined;
}

/** Byte and packet counters: non-negative integers that stay exact in a double. */
export function parseCount(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  return parseDigits(s, 15);
}

/** Decimal or 0x-prefixed hexadecimal (Windows process ids, Cisco ACL hashes). */
export function parseDecimalOrHex(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (s.length > 2 && s.charCodeAt(0) === 48 && (s.charCodeAt(1) === 120 || s.charCodeAt(1) === 88)) {
    const hex = s.slice(2);
    if (hex.length > 12 || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
    return parseInt(hex, 16);
  }
  return parseCount(s);
}

export function endpoint(event: EcsEvent, side: 'source' | 'destination' | 'client' | 'server'): EcsEndpoint {
  let ep = event[side];
  if (ep === undefined) {
    ep = {};
    event[side] = ep;
  }
  return ep;
}

/**
 * Writes an address that may be an IP or a host name (ASA and IOS log names when `names` is
 * configured). Returns false, writing nothing, for anything else.
 */
export function setAddress(event: EcsEvent, side: 'source' | 'destination' | 'client' | 'server', value: string | undefined): boolean {
  if (value === undefined || value.length === 0) return false;
  if (isIpAddress(value)) {
    const ep = endpoint(event, side);
    // An IPv4-mapped IPv6 address (dual-stack sshd logs ::ffff:10.0.0.5) is the IPv4 address, so
    // agency CIDRs, rules and searches for 10.0.0.0/8 meet it; `address` keeps the text as logged.
    ep.ip = unmapIPv4(value);
    ep.address = value;
    return true;
  }
  if (isHostname(value)) {
    const ep = endpoint(event, side);
    ep.domain = value;
    ep.address = value;
    return true;
  }
  return false;
}

/** Only an IP is accepted (fields documented as IPs: a host name there means a broken line). */
export function setIp(event: EcsEvent, side: 'source' | 'destination' | 'client' | 'server', value: string | undefined): boolean {
  if (value === undefined || !isIpAddress(value)) return false;
  const ep = endpoint(event, side);
  ep.ip = unmapIPv4(value);
  ep.address = value;
  return true;
}

export function setPort(event: EcsEvent, side: 'source' | 'destination' | 'client' | 'server', value: string | undefined): void {
  const port = parsePort(value);
  if (port !== undefined) endpoint(event, side).port = port;
}

/** Devices write 0.0.0.0 / :: for "no translation"; those are not NAT addresses. */
export function setNat(event: EcsEvent, side: 'source' | 'destination', ip: string | undefined, port: string | undefined): void {
  const validIp = ip !== undefined && ip !== '0.0.0.0' && ip !== '::' && isIpAddress(ip) ? ip : undefined;
  const validPort = parsePort(port);
  if (validIp === undefined && validPort === undefined) return;
  const nat: { ip?: string; port?: number } = {};
  if (validIp !== undefined) nat.ip = validIp;
  if (validPort !== undefined) nat.port = validPort;
  endpoint(event, side).nat = nat;
}

export function setBytes(event: EcsEvent, side: 'source' | 'destination', value: string | undefined): void {
  const n = parseCount(value);
  if (n !== undefined) endpoint(event, side).bytes = n;
}

export function setPackets(event: EcsEvent, side: 'source' | 'destination', value: string | undefined): void {
  const n = parseCount(value);
  if (n !== undefined) endpoint(event, side).packets = n;
}

/** network.bytes / network.packets as the sum of both directions, when both are known. */
export function sumNetworkCounters(event: EcsEvent): void {
  const s = event.source;
  const d = event.destination;
  if (s === undefined || d === undefined) return;
  if (s.bytes !== undefined && d.bytes !== undefined) network(event).bytes = s.bytes + d.bytes;
  if (s.packets !== undefined && d.packets !== undefined) network(event).packets = s.packets + d.packets;
}

export function network(event: EcsEvent): NonNullable<EcsEvent['network']> {
  let net = event.network;
  if (net === undefined) {
    net = {};
    event.network = net;
  }
  return net;
}

export function observer(event: EcsEvent): NonNullable<EcsEvent['observer']> {
  let obs = event.observer;
  if (obs === undefined) {
    obs = {};
    event.observer = obs;
  }
  return obs;
}

export function user(event: EcsEvent): NonNullable<EcsEvent['user']> {
  let u = event.user;
  if (u === undefined) {
    u = {};
    event.user = u;
  }
  return u;
}

export function rule(event: EcsEvent): NonNullable<EcsEvent['rule']> {
  let r = event.rule;
  if (r === undefined) {
    r = {};
    event.rule = r;
  }
  return r;
}

/** Identifies the reporting device; `type` follows ECS examples (firewall, router, ids, vpn...). */
export function setObserver(event: EcsEvent, vendor: string, product: string, type: string): void {
  const obs = observer(event);
  obs.vendor = vendor;
  obs.product = product;
  obs.type = type;
}

/** Sets dataset and module together so they never disagree (`cisco.asa` → module `cisco`). */
export function setDataset(event: EcsEvent, dataset: string): void {
  event.event.dataset = dataset;
  const dot = dataset.indexOf('.');
  event.event.module = dot > 0 ? dataset.slice(0, dot) : dataset;
}

/** Fresh arrays every time: downstream enrichment may push onto them. */
export function categorize(event: EcsEvent, category: string, type: string, outcome?: EventOutcome): void {
  event.event.category = [category];
  event.event.type = [type];
  if (outcome !== undefined) event.event.outcome = outcome;
}

export function addType(event: EcsEvent, type: string): void {
  const types = event.event.type;
  if (types === undefined) event.event.type = [type];
  else if (types.indexOf(type) < 0) types.push(type);
}

export function addCategory(event: EcsEvent, category: string): void {
  const cats = event.event.category;
  if (cats === undefined) event.event.category = [category];
  else if (cats.indexOf(category) < 0) cats.push(category);
}

const ALLOWED_WORDS = new Set(['accept', 'accepted', 'allow', 'allowed', 'permit', 'permitted', 'pass', 'passed']);
const DENIED_WORDS = new Set(['deny', 'denied', 'drop', 'dropped', 'block', 'blocked', 'reject', 'rejected', 'reset', 'prevent', 'prevented']);

/**
 * For formats that carry a vendor's own action word but no category (CEF `act`, LEEF `action`):
 * when the record names both ends of a connection and the word is a plain firewall verdict, the
 * cross-vendor verdict (event.type allowed / denied, as every firewall normalizer writes it).
 * Anything else (an IPS signature, a login, `alert`, `quarantine`) is left as it is.
 */
export function setConnectionVerdict(event: EcsEvent, action: string | undefined): void {
  if (action === undefined || event.event.category !== undefined) return;
  if (event.source?.ip === undefined || event.destination?.ip === undefined) return;
  const word = action.toLowerCase();
  const allowed = ALLOWED_WORDS.has(word);
  if (!allowed && !DENIED_WORDS.has(word)) return;
  const outcome = event.event.outcome;
  categorize(event, 'network', 'connection', outcome ?? (allowed ? 'success' : 'failure'));
  addType(event, allowed ? 'allowed' : 'denied');
}

/** Names of the IANA protocol numbers firewalls log (ECS network.transport is lowercase). */
const IANA_TRANSPORT: Record<string, string> = {
  '1': 'icmp',
  '2': 'igmp',
  '6': 'tcp',
  '17': 'udp',
  '41': 'ipv6',
  '47': 'gre',
  '50': 'esp',
  '51': 'ah',
  '58': 'ipv6-icmp',
  '89': 'ospf',
  '103': 'pim',
  '112': 'vrrp',
  '132': 'sctp',
};

const TRANSPORT_IANA: Record<string, string> = {
  icmp: '1',
  igmp: '2',
  tcp: '6',
  udp: '17',
  gre: '47',
  esp: '50',
  ah: '51',
  'ipv6-icmp': '58',
  icmp6: '58',
  icmpv6: '58',
  ospf: '89',
  sctp: '132',
};

/** Accepts a protocol number ("6") or name ("TCP") and fills network.transport and iana_number. */
export function setTransport(event: EcsEvent, value: string | undefined): void {
  if (value === undefined || value.length === 0 || value.length > 16) return;
  const net = network(event);
  const num = parseDigits(value, 3);
  if (num !== undefined) {
    if (num > 255) return;
    net.iana_number = String(num);
    const name = IANA_TRANSPORT[net.iana_number];
    if (name !== undefined) net.transport = name;
    return;
  }
  const lower = value.toLowerCase();
  const iana = TRANSPORT_IANA[lower];
  net.transport = lower === 'icmp6' || lower === 'icmpv6' ? 'ipv6-icmp' : lower;
  if (iana !== undefined) net.iana_number = iana;
}

/** `DOMAIN\user` → user.domain + user.name; anything else is the name as given. */
export function setUserName(event: EcsEvent, value: string | undefined): void {
  if (value === undefined) return;
  const v = value.trim();
  if (v.length === 0 || v === '-' || v.length > 256) return;
  const u = user(event);
  const slash = v.indexOf('\\');
  if (slash > 0 && slash < v.length - 1) {
    u.domain = v.slice(0, slash);
    u.name = v.slice(slash + 1);
  } else {
    u.name = v;
  }
}

/** Seconds → ECS event.duration (nanoseconds). */
export function setDurationSeconds(event: EcsEvent, seconds: number | undefined): void {
  if (seconds !== undefined && Number.isFinite(seconds) && seconds >= 0) event.event.duration = seconds * 1e9;
}

/** `h:mm:ss` or `hh:mm:ss` (ASA durations, hours may exceed 24) → seconds. */
export function parseHms(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const a = s.indexOf(':');
  const b = s.indexOf(':', a + 1);
  if (a <= 0 || b < 0) return undefined;
  const h = parseDigits(s.slice(0, a), 6);
  const m = parseDigits(s.slice(a + 1, b), 2);
  const sec = parseDigits(s.slice(b + 1), 2);
  if (h === undefined || m === undefined || sec === undefined || m > 59 || sec > 59) return undefined;
  return h * 3600 + m * 60 + sec;
}

/** Epoch milliseconds → ISO string, or undefined when outside what Date can represent. */
export function isoFromMillis(ms: number): string | undefined {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  return new Date(ms).toISOString();
}

/** ECS `labels` take string values only. */
export function setLabel(event: EcsEvent, key: string, value: string): void {
  let labels = event.labels;
  if (labels === undefined) {
    labels = {};
    event.labels = labels;
  }
  labels[key] = value;
}

/**
 * A DHCP server's lease event is about its client (as in Elastic's DHCP server integrations):
 * `client.ip`/`mac` and the client as `host.*`; the server named by the syslog header stays the
 * observer. Callers pass at least an address or a MAC, so host is never empty.
 */
export function setDhcpClient(event: EcsEvent, ip: string | undefined, mac: string | undefined, name: string | undefined): void {
  const client = endpoint(event, 'client');
  if (ip !== undefined) {
    client.ip = ip;
    client.address = ip;
  }
  if (mac !== undefined) client.mac = mac;
  const host: NonNullable<EcsEvent['host']> = {};
  if (name !== undefined) {
    host.name = name;
    host.hostname = name;
  }
  if (ip !== undefined) host.ip = [ip];
  if (mac !== undefined) host.mac = [mac];
  event.host = host;
}
