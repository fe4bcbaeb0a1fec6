/**
 * One canonical text per indicator value, used both when a feed is imported and when an event value
 * is looked up, so that `EVIL.example.com.` and `evil.example.com` are the same key. The lookup
 * forms (domainKey, urlKey, hashKey) run per event field: indexOf and charCode loops, no regex.
 */
import { domainToASCII } from 'node:url';
import { formatIpv4, formatIpv6, maskIpv4, maskIpv6, mappedIpv4, parseIpv4, parseIpv6 } from './ip';
import type { IndicatorType } from './types';

/** Longest DNS name (RFC 1035: 255 octets on the wire, 253 in text). */
const MAX_DOMAIN_LENGTH = 253;

/** Event domain → lookup key: lowercase, without the root's trailing dot. */
export function domainKey(s: string): string {
  const name = s.charCodeAt(s.length - 1) === 46 ? s.slice(0, -1) : s;
  return name.toLowerCase();
}

/**
 * Event URL → lookup key: host lowercased, userinfo, default ports (80, 443) and fragment removed,
 * an empty path made `/`, and the scheme left out so that a feed's `http://` entry matches the same
 * resource fetched over https. Undefined for values without a host (a bare path in `url.original`).
 */
export function urlKey(s: string): string | undefined {
  let hostStart = 0;
  const scheme = s.indexOf('://');
  if (scheme >= 0) {
    hostStart = scheme + 3;
  } else if (s.charCodeAt(0) === 47) {
    return undefined;
  }
  let hostEnd = s.length;
  for (let i = hostStart; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) {
      hostEnd = i;
      break;
    }
  }
  let authority = s.slice(hostStart, hostEnd);
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  if (authority.length === 0) return undefined;
  if (authority.endsWith(':80') || authority.endsWith(':443')) authority = authority.slice(0, authority.lastIndexOf(':'));
  if (authority.charCodeAt(authority.length - 1) === 46) authority = authority.slice(0, -1);
  let rest = hostEnd < s.length ? s.slice(hostEnd) : '';
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  if (rest.length === 0 || rest.charCodeAt(0) === 63) rest = '/' + rest;
  return authority.toLowerCase() + rest;
}

/** Event hash → lookup key (lowercase hex); the type comes from the length. */
export function hashTypeOfLength(length: number): IndicatorType | undefined {
  return length === 64 ? 'sha256' : length === 40 ? 'sha1' : length === 32 ? 'md5' : undefined;
}

function isHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return s.length > 0;
}

/** Letters, digits, hyphen and underscore (seen in real names, e.g. _dmarc, and in malware DGAs). */
function isDomainText(s: string): boolean {
  if (s.length === 0 || s.length > MAX_DOMAIN_LENGTH) return false;
  let label = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (label === 0) return false;
      label = 0;
      continue;
    }
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95)) return false;
    if (++label > 63) return false;
  }
  if (label === 0) return false;
  // No top-level domain is all digits: `999.1.1.1` is a bad address, not a name.
  for (let i = s.length - label; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return true;
  }
  return false;
}

/**
 * Undoes the usual "defanging" of shared indicators: hxxp://, [.], (.), {.}, [dot], [:], [at].
 * Feeds and analysts write them so that nobody clicks; socnoc matches the real value.
 */
export function refang(s: string): string {
  if (s.indexOf('[') < 0 && s.indexOf('(') < 0 && s.indexOf('{') < 0 && s.indexOf('hxxp') < 0 && s.indexOf('HXXP') < 0) return s;
  return s
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\[at\]|\[@\]/gi, '@')
    .replace(/^hxxp/i, 'http')
    .replace(/^fxp/i, 'ftp');
}

export type Canonical = { ok: true; type: IndicatorType; value: string } | { ok: false; reason: string };

const scratch = new Uint16Array(8);

function canonicalIp(raw: string, want: 'ipv4' | 'ipv6' | undefined): Canonical {
  const slash = raw.indexOf('/');
  const addr = slash >= 0 ? raw.slice(0, slash) : raw;
  let prefix = -1;
  if (slash >= 0) {
    const p = raw.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return { ok: false, reason: `"${raw}": bad CIDR prefix "${p}"` };
    prefix = Number(p);
  }
  const v4 = parseIpv4(addr);
  if (v4 >= 0 && want !== 'ipv6') {
    if (prefix > 32) return { ok: false, reason: `"${raw}": IPv4 prefix ${prefix} exceeds 32` };
    if (prefix < 0 || prefix === 32) return { ok: true, type: 'ipv4', value: formatIpv4(v4) };
    return { ok: true, type: 'ipv4', value: `${formatIpv4(maskIpv4(v4, prefix))}/${prefix}` };
  }
  if (want !== 'ipv4' && parseIpv6(addr, scratch)) {
    const mapped = mappedIpv4(scratch);
    if (mapped >= 0 && (prefix < 0 || prefix >= 96)) return canonicalIp(prefix < 0 ? formatIpv4(mapped) : `${formatIpv4(mapped)}/${prefix - 96}`, undefined);
    if (prefix > 128) return { ok: false, reason: `"${raw}": IPv6 prefix ${prefix} exceeds 128` };
    if (prefix < 0 || prefix === 128) return { ok: true, type: 'ipv6', value: formatIpv6(scratch) };
    maskIpv6(scratch, prefix);
    return { ok: true, type: 'ipv6', value: `${formatIpv6(scratch)}/${prefix}` };
  }
  return { ok: false, reason: `"${raw.slice(0, 100)}" is not an ${want === 'ipv6' ? 'IPv6' : want === 'ipv4' ? 'IPv4' : 'IP'} address` };
}

function canonicalDomain(raw: string, type: 'domain' | 'hostname'): Canonical {
  let name = raw.charCodeAt(raw.length - 1) === 46 ? raw.slice(0, -1) : raw;
  name = name.toLowerCase();
  if (name.startsWith('*.')) name = name.slice(2);
  // Internationalised names match in their ASCII (punycode) form, as DNS carries them.
  if (!isDomainText(name)) {
    const ascii = domainToASCII(name);
    if (ascii === '' || !isDomainText(ascii)) return { ok: false, reason: `"${raw.slice(0, 100)}" is not a domain name` };
    name = ascii;
  }
  return { ok: true, type, value: name };
}

function canonicalUrl(raw: string): Canonical {
  if (/\s/.test(raw)) return { ok: false, reason: `"${raw.slice(0, 100)}" is not a URL (contains white space)` };
  const key = urlKey(raw);
  if (key === undefined) return { ok: false, reason: `"${raw.slice(0, 100)}" is not a URL (no host)` };
  const slash = key.indexOf('/');
  const host = key.slice(0, slash);
  // Host part: a name or an address, optionally with a port.
  const bare = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  if (!isDomainText(bare) && parseIpv4(bare) < 0 && !parseIpv6(bare, scratch)) {
    const ascii = domainToASCII(bare);
    if (ascii === '' || !isDomainText(ascii)) return { ok: false, reason: `"${raw.slice(0, 100)}" is not a URL (bad host "${bare.slice(0, 60)}")` };
    return { ok: true, type: 'url', value: ascii + host.slice(bare.length) + key.slice(slash) };
  }
  return { ok: true, type: 'url', value: key };
}

function canonicalHash(raw: string, want: 'md5' | 'sha1' | 'sha256' | undefined): Canonical {
  const type = hashTypeOfLength(raw.length);
  if (!isHex(raw) || type === undefined) return { ok: false, reason: `"${raw.slice(0, 100)}" is not an MD5, SHA-1 or SHA-256 hex digest` };
  if (want !== undefined && type !== want) return { ok: false, reason: `"${raw.slice(0, 100)}" has ${raw.length} hex digits, not a ${want.toUpperCase()} digest` };
  return { ok: true, type, value: raw.toLowerCase() };
}

/** The type a bare value has: address or range, URL (has `://`), hash (hex of 32/40/64), else domain. */
export function inferType(raw: string): IndicatorType | undefined {
  if (raw.indexOf('://') > 0) return 'url';
  const slash = raw.indexOf('/');
  const addr = slash >= 0 ? raw.slice(0, slash) : raw;
  if (parseIpv4(addr) >= 0 || /^[\d.]+$/.test(addr)) return 'ipv4';
  if (addr.indexOf(':') >= 0 && parseIpv6(addr, scratch)) return 'ipv6';
  if (slash >= 0) return raw.indexOf('.') > 0 && slash > raw.indexOf('.') ? 'url' : undefined;
  if (isHex(raw) && hashTypeOfLength(raw.length) !== undefined) return hashTypeOfLength(raw.length);
  if (raw.indexOf('.') > 0) return 'domain';
  return undefined;
}

/**
 * Validates and canonicalises one value. `type` undefined: inferred. Defanged values are refanged.
 * An IPv4-mapped IPv6 address becomes the IPv4 address.
 */
export function canonicalIndicator(rawValue: string, type?: IndicatorType): Canonical {
  const raw = refang(rawValue.trim());
  if (raw.length === 0) return { ok: false, reason: 'empty value' };
  const t = type ?? inferType(raw);
  switch (t) {
    case 'ipv4':
    case 'ipv6':
      return canonicalIp(raw, type === undefined ? undefined : t);
    case 'domain':
    case 'hostname':
      return canonicalDomain(raw, t);
    case 'url':
      return canonicalUrl(raw);
    case 'md5':
    case 'sha1':
    case 'sha256':
      return canonicalHash(raw, type === undefined ? undefined : t);
    default:
      return { ok: false, reason: `cannot tell the type of "${raw.slice(0, 100)}"` };
  }
}

/** The ECS `threat.indicator.type` of an indicator type (STIX Cyber Observable names). */
export function ecsIndicatorType(type: IndicatorType): string {
  switch (type) {
    case 'ipv4':
      return 'ipv4-addr';
    case 'ipv6':
      return 'ipv6-addr';
    case 'domain':
    case 'hostname':
      return 'domain-name';
    case 'url':
      return 'url';
    default:
      return 'file';
  }
}
