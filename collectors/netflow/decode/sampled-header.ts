/**
 * The first bytes of a sampled packet (sFlow raw packet header record): Ethernet, 802.1Q/QinQ tags,
 * IPv4 or IPv6 (with extension headers), then TCP/UDP/SCTP ports, TCP flags or ICMP type/code.
 * Sampled headers are cut short by design (128 bytes by default), so running out of bytes is not an error:
 * decoding stops and what was read is kept.
 */
import { ipv4String, ipv6String, macString, readU16, readU32 } from './bytes';
import type { FlowRecord } from './types';

/** sFlow header_protocol values (sFlow v5 spec, "header_protocol"). */
export const HEADER_ETHERNET = 1;
export const HEADER_IPV4 = 11;
export const HEADER_IPV6 = 12;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD = 0x9100;
const MAX_VLAN_TAGS = 4;
const MAX_IPV6_EXTENSIONS = 8;

export function readSampledHeader(buf: Buffer, pos: number, end: number, headerProtocol: number, r: FlowRecord): void {
  if (headerProtocol === HEADER_ETHERNET) readEthernet(buf, pos, end, r);
  else if (headerProtocol === HEADER_IPV4) readIpv4(buf, pos, end, r);
  else if (headerProtocol === HEADER_IPV6) readIpv6(buf, pos, end, r);
}

function readEthernet(buf: Buffer, pos: number, end: number, r: FlowRecord): void {
  if (end - pos < 14) return;
  r.dstMac = macString(buf, pos);
  r.srcMac = macString(buf, pos + 6);
  let type = readU16(buf, pos + 12);
  pos += 14;
  for (let tags = 0; tags < MAX_VLAN_TAGS; tags++) {
    if (type !== ETHERTYPE_VLAN && type !== ETHERTYPE_QINQ && type !== ETHERTYPE_QINQ_OLD) break;
    if (end - pos < 4) return;
    // The outer tag is the one the switch forwarded on.
    if (tags === 0) r.srcVlan = readU16(buf, pos) & 0xfff;
    type = readU16(buf, pos + 2);
    pos += 4;
  }
  if (type < 0x0600) {
    // 802.3 length field: only LLC/SNAP (AA AA 03 + OUI) carries an EtherType.
    if (end - pos < 8 || buf[pos] !== 0xaa || buf[pos + 1] !== 0xaa || buf[pos + 2] !== 0x03) return;
    type = readU16(buf, pos + 6);
    pos += 8;
  }
  if (type === ETHERTYPE_IPV4) readIpv4(buf, pos, end, r);
  else if (type === ETHERTYPE_IPV6) readIpv6(buf, pos, end, r);
}

function readIpv4(buf: Buffer, pos: number, end: number, r: FlowRecord): void {
  if (end - pos < 20 || buf[pos] >> 4 !== 4) return;
  const headerLength = (buf[pos] & 0x0f) * 4;
  if (headerLength < 20) return;
  r.ipVersion = 4;
  r.tos = buf[pos + 1];
  r.protocol = buf[pos + 9];
  r.srcAddr = ipv4String(buf, pos + 12);
  r.dstAddr = ipv4String(buf, pos + 16);
  r.srcV4 = readU32(buf, pos + 12);
  r.dstV4 = readU32(buf, pos + 16);
  // Ports live only in the first fragment.
  if ((readU16(buf, pos + 6) & 0x1fff) !== 0) return;
  readTransport(buf, pos + headerLength, end, r.protocol, r);
}

function readIpv6(buf: Buffer, pos: number, end: number, r: FlowRecord): void {
  if (end - pos < 40 || buf[pos] >> 4 !== 6) return;
  r.ipVersion = 6;
  r.tos = ((buf[pos] & 0x0f) << 4) | (buf[pos + 1] >> 4);
  r.srcAddr = ipv6String(buf, pos + 8);
  r.dstAddr = ipv6String(buf, pos + 24);
  r.srcV4 = -1;
  r.dstV4 = -1;
  let next = buf[pos + 6];
  pos += 40;
  for (let i = 0; i < MAX_IPV6_EXTENSIONS; i++) {
    if (next === 0 || next === 43 || next === 60) {
      // hop-by-hop, routing, destination options: length in 8-octet units after the first 8
      if (end - pos < 2) break;
      const n = buf[pos];
      pos += (buf[pos + 1] + 1) * 8;
      next = n;
    } else if (next === 44) {
      if (end - pos < 8) break;
      const n = buf[pos];
      const notFirst = (readU16(buf, pos + 2) & 0xfff8) !== 0;
      pos += 8;
      next = n;
      if (notFirst) {
        r.protocol = next;
        return;
      }
    } else if (next === 51) {
      // AH: length in 4-octet units, minus 2
      if (end - pos < 2) break;
      const n = buf[pos];
      pos += (buf[pos + 1] + 2) * 4;
      next = n;
    } else {
      break;
    }
  }
  r.protocol = next;
  readTransport(buf, pos, end, next, r);
}

function readTransport(buf: Buffer, pos: number, end: number, protocol: number, r: FlowRecord): void {
  switch (protocol) {
    case 6: // TCP: flags byte 13, NS bit in byte 12
      if (end - pos < 4) return;
      r.srcPort = readU16(buf, pos);
      r.dstPort = readU16(buf, pos + 2);
      if (end - pos >= 14) r.tcpFlags = ((buf[pos + 12] & 0x01) << 8) | buf[pos + 13];
      return;
    case 17: // UDP
    case 132: // SCTP
    case 136: // UDP-Lite
      if (end - pos < 4) return;
      r.srcPort = readU16(buf, pos);
      r.dstPort = readU16(buf, pos + 2);
      return;
    case 1: // ICMP
    case 58: // ICMPv6
      if (end - pos < 2) return;
      r.icmpType = buf[pos];
      r.icmpCode = buf[pos + 1];
      return;
  }
}

/** sFlow sampled IPv4 / IPv6 records (flow record types 3 and 4): the same facts, pre-parsed by the agent. */
export function readSampledIp(buf: Buffer, pos: number, v6: boolean, r: FlowRecord): void {
  // length(4) protocol(4) src dst src_port(4) dst_port(4) tcp_flags(4) tos/priority(4)
  r.protocol = buf[pos + 7];
  r.ipVersion = v6 ? 6 : 4;
  let p = pos + 8;
  if (v6) {
    r.srcAddr = ipv6String(buf, p);
    r.dstAddr = ipv6String(buf, p + 16);
    r.srcV4 = -1;
    r.dstV4 = -1;
    p += 32;
  } else {
    r.srcAddr = ipv4String(buf, p);
    r.dstAddr = ipv4String(buf, p + 4);
    r.srcV4 = readU32(buf, p);
    r.dstV4 = readU32(buf, p + 4);
    p += 8;
  }
  r.srcPort = readU16(buf, p + 2);
  r.dstPort = readU16(buf, p + 6);
  r.tcpFlags = readU16(buf, p + 10) & 0xfff;
  r.tos = buf[p + 15];
}
