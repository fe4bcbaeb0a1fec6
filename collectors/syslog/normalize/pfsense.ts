/**
 * pfSense (and OPNsense) `filterlog` packet-filter CSV, per Netgate's "Raw Filter Log Format":
 * rule, sub-rule, anchor, tracker, interface, reason, action, direction, IP version, then the
 * IPv4 (tos, ecn, ttl, id, offset, flags, proto id, proto) or IPv6 (class, flow label, hop limit,
 * proto, proto id) header, length, source, destination, then TCP/UDP ports or ICMP details.
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import {
  addType,
  categorize,
  network,
  observer,
  parseCount,
  setDataset,
  setIp,
  setObserver,
  setPort,
  setTransport,
} from './fields';

interface FilterlogFields {
  rule_number?: string;
  sub_rule?: string;
  anchor?: string;
  tracker?: string;
  reason?: string;
  ttl?: string;
  tcp_flags?: string;
  icmp_type?: string;
  length?: number;
  data_length?: number;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.length === 0 ? undefined : v;
}

export function normalizePfsense(msg: SyslogMessage, event: EcsEvent): boolean {
  setDataset(event, 'pfsense.filterlog');
  setObserver(event, 'Netgate', 'pfSense', 'firewall');
  const f = msg.message.trim().split(',');
  if (f.length < 17) return false;
  const version = f[8];
  // Where the IP header's shared tail (length, src, dst) and the protocol fields begin.
  let protoName: string;
  let protoId: string;
  let at: number;
  const fl: FilterlogFields = {};
  if (version === '4') {
    fl.ttl = nonEmpty(f[11]);
    protoId = f[15];
    protoName = f[16];
    at = 17;
  } else if (version === '6') {
    fl.ttl = nonEmpty(f[11]);
    protoName = f[12];
    protoId = f[13];
    at = 14;
  } else {
    return false;
  }
  if (f.length < at + 3) return false;
  if (!setIp(event, 'source', f[at + 1]) || !setIp(event, 'destination', f[at + 2])) return false;

  fl.rule_number = nonEmpty(f[0]);
  fl.sub_rule = nonEmpty(f[1]);
  fl.anchor = nonEmpty(f[2]);
  fl.tracker = nonEmpty(f[3]);
  fl.reason = nonEmpty(f[5]);
  fl.length = parseCount(f[at]);
  event.pfsense = { filterlog: fl };

  const iface = nonEmpty(f[4]);
  const action = f[6];
  const direction = f[7];
  const denied = action === 'block' || action === 'reject';
  categorize(event, 'network', 'connection', denied ? 'failure' : 'success');
  addType(event, denied ? 'denied' : 'allowed');
  event.event.action = action;
  const ruleId = fl.tracker ?? fl.rule_number;
  if (ruleId !== undefined) event.rule = { id: ruleId };

  const net = network(event);
  net.type = version === '4' ? 'ipv4' : 'ipv6';
  if (direction === 'in') net.direction = 'inbound';
  else if (direction === 'out') net.direction = 'outbound';
  if (iface !== undefined) {
    if (direction === 'out') observer(event).egress = { interface: { name: iface } };
    else observer(event).ingress = { interface: { name: iface } };
  }
  setTransport(event, protoId.length > 0 ? protoId : protoName);

  const p = at + 3;
  const proto = protoName.toLowerCase();
  if (proto === 'tcp' || proto === 'udp') {
    setPort(event, 'source', f[p]);
    setPort(event, 'destination', f[p + 1]);
    fl.data_length = parseCount(f[p + 2]);
    if (proto === 'tcp') fl.tcp_flags = nonEmpty(f[p + 3]);
  } else if (proto === 'icmp' || proto === 'ipv6-icmp' || proto === 'icmp6') {
    fl.icmp_type = nonEmpty(f[p]);
  }
  return true;
}
