/**
 * Cisco IOS / IOS-XE access-list logging (`log` / `log-input` on an ACE), the router's firewall
 * log: SEC-6-IPACCESSLOGP (TCP/UDP), IPACCESSLOGDP (ICMP), IPACCESSLOGNP (other protocols),
 * IPACCESSLOGS (standard ACLs: source only), IPACCESSLOGRL (rate-limited summary, skipped) and the
 * IPv6 forms (IPV6_ACL-6-ACCESSLOGP/DP/NP). Mapped like every firewall: allowed / denied.
 *
 * `list 101 denied tcp 203.0.113.9(4444) (GigabitEthernet0/1 0011.2233.4455) -> 10.1.1.10(23), 1 packet`
 */
import type { EcsEvent } from '../../../core/event';
import { addType, categorize, ecsMac, network, observer, parseCount, setAddress, setPort, setTransport } from './fields';

const ACL_LOG =
  /^list (\S+) (permitted|denied) (?:(tcp|udp|icmp|icmpv6|ipv6-icmp|igmp|gre|esp|ahp|ospf|eigrp|pim|sctp|ip|ipv6|\d{1,3}) )?([0-9A-Fa-f.:]+)(?:\((\d+)\))?(?: \((\S+)(?: ([0-9a-fA-F.]+))?\))?(?: -> ([0-9A-Fa-f.:]+)(?:\((\d+)\))?)?(?: \((\d+)\/(\d+)\))?,? (\d+) packets?/;

export interface IosAclFields {
  /** Packets the line stands for (IOS logs the first packet, then a count every five minutes). */
  packets?: number;
  icmp_type?: string;
  icmp_code?: string;
}

export function isAclLogMnemonic(mnemonic: string): boolean {
  return mnemonic === 'IPACCESSLOGP' || mnemonic === 'IPACCESSLOGDP' || mnemonic === 'IPACCESSLOGNP' || mnemonic === 'IPACCESSLOGS' ||
    mnemonic === 'ACCESSLOGP' || mnemonic === 'ACCESSLOGDP' || mnemonic === 'ACCESSLOGNP' || mnemonic === 'ACCESSLOGSP';
}

/** Returns the ACL extras, or undefined when the body is not an ACL log line. */
export function normalizeIosAclLog(body: string, event: EcsEvent): IosAclFields | undefined {
  const r = ACL_LOG.exec(body);
  if (r === null) return undefined;
  const permitted = r[2] === 'permitted';
  categorize(event, 'network', 'connection', permitted ? 'success' : 'failure');
  addType(event, permitted ? 'allowed' : 'denied');
  event.event.action = permitted ? 'acl-permitted' : 'acl-denied';
  // IPv6 ACEs are written `NAME/sequence`.
  const slash = r[1].lastIndexOf('/');
  event.rule = slash > 0 && /^\d+$/.test(r[1].slice(slash + 1)) ? { name: r[1].slice(0, slash), id: r[1].slice(slash + 1) } : { name: r[1] };
  if (r[3] !== undefined) setTransport(event, r[3] === 'ipv6-icmp' ? 'icmpv6' : r[3]);
  setAddress(event, 'source', r[4].toLowerCase());
  setPort(event, 'source', r[5]);
  if (r[6] !== undefined) observer(event).ingress = { interface: { name: r[6] } };
  const mac = r[7] === undefined ? undefined : ecsMac(r[7]);
  if (mac !== undefined && event.source !== undefined) event.source.mac = mac;
  if (r[8] !== undefined) setAddress(event, 'destination', r[8].toLowerCase());
  setPort(event, 'destination', r[9]);
  const acl: IosAclFields = {};
  if (r[10] !== undefined) {
    acl.icmp_type = r[10];
    acl.icmp_code = r[11];
  }
  const packets = parseCount(r[12]);
  if (packets !== undefined) {
    acl.packets = packets;
    network(event).packets = packets;
  }
  return acl;
}
