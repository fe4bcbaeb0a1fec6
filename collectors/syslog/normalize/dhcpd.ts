/**
 * ISC dhcpd (DHCPv4) lease traffic: the DHCPDISCOVER/OFFER/REQUEST/ACK/NAK/RELEASE/DECLINE/INFORM
 * lines it logs for every exchange. NOC staff search them to find which machine held an address:
 * the address is `client.ip` (and `host.ip`), the hardware address `client.mac` in ECS form
 * (`00-1A-2B-3C-4D-5E`), the name the client sent `host.hostname`. The DHCP server itself stays in
 * `observer.hostname` and `log.syslog.hostname`.
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { categorize, ecsMac, isHostname, isIpAddress, setDataset, setDhcpClient, setObserver } from './fields';

interface DhcpLine {
  type: string;
  ip?: string;
  mac?: string;
  name?: string;
  via?: string;
  reason?: string;
  /** RELEASE: whether the server knew the lease (`(found)` / `(not found)`). */
  lease?: string;
}

// `DHCPACK on 10.1.5.20 to 00:1a:2b:3c:4d:5e (PC-042) via eth1`, `DHCPOFFER on … to …`, `DHCPNAK on … to …`
const ON_TO = /^DHCP(ACK|OFFER|NAK) on (\S+) to ([0-9a-fA-F:]+)(?: \(([^)]*)\))? via ([^\s:]+)(?:: (.*))?/;
// `DHCPREQUEST for 10.1.5.20 (10.1.5.1) from 00:1a:… (PC-042) via eth1: wrong network.`
const REQUEST = /^DHCPREQUEST for (\S+)(?: \(\S+\))? from ([0-9a-fA-F:]+)(?: \(([^)]*)\))? via ([^\s:]+)(?:: (.*))?/;
// `DHCPDISCOVER from 00:1a:… (PC-042) via eth1: network 10.1.5.0/24: no free leases`
const DISCOVER = /^DHCPDISCOVER from ([0-9a-fA-F:]+)(?: \(([^)]*)\))? via ([^\s:]+)(?:: (.*))?/;
// `DHCPRELEASE of 10.1.5.20 from 00:1a:… (PC-042) via eth1 (found)`, `DHCPDECLINE of … from … via eth1: abandoned`
const OF_FROM = /^DHCP(RELEASE|DECLINE) of (\S+) from ([0-9a-fA-F:]+)(?: \(([^)]*)\))? via ([^\s:]+)(?: \((found|not found)\))?(?:: (.*))?/;
// `DHCPINFORM from 10.1.5.30 via eth1`, and its answer `DHCPACK to 10.1.5.30 (00:1a:…) via eth1`
const INFORM = /^DHCPINFORM from (\S+) via ([^\s:]+)/;
const INFORM_ACK = /^DHCPACK to (\S+) \(([0-9a-fA-F:]+)\) via ([^\s:]+)/;

function parseLine(m: string): DhcpLine | undefined {
  let r: RegExpExecArray | null;
  switch (m.charCodeAt(4)) {
    case 65 /* A */:
    case 79 /* O */:
    case 78 /* N */:
      if ((r = ON_TO.exec(m)) !== null) return { type: r[1], ip: r[2], mac: r[3], name: r[4], via: r[5], reason: r[6] };
      if ((r = INFORM_ACK.exec(m)) !== null) return { type: 'ACK', ip: r[1], mac: r[2], via: r[3] };
      return undefined;
    case 82 /* R */:
      if ((r = REQUEST.exec(m)) !== null) return { type: 'REQUEST', ip: r[1], mac: r[2], name: r[3], via: r[4], reason: r[5] };
      if ((r = OF_FROM.exec(m)) !== null) return { type: r[1], ip: r[2], mac: r[3], name: r[4], via: r[5], lease: r[6], reason: r[7] };
      return undefined;
    case 68 /* D */:
      if ((r = DISCOVER.exec(m)) !== null) return { type: 'DISCOVER', mac: r[1], name: r[2], via: r[3], reason: r[4] };
      if ((r = OF_FROM.exec(m)) !== null) return { type: r[1], ip: r[2], mac: r[3], name: r[4], via: r[5], lease: r[6], reason: r[7] };
      return undefined;
    case 73 /* I */:
      if ((r = INFORM.exec(m)) !== null) return { type: 'INFORM', ip: r[1], via: r[2] };
      return undefined;
    default:
      return undefined;
  }
}

/** Outcome of each message type from the server's side: a NAK refuses, a DECLINE reports a conflict. */
function outcomeOf(line: DhcpLine): 'success' | 'failure' | undefined {
  if (line.type === 'NAK' || line.type === 'DECLINE') return 'failure';
  if (line.type === 'ACK') return 'success';
  // `DHCPDISCOVER … : network 10.1.5.0/24: no free leases`, `DHCPREQUEST … : wrong network.`
  return line.reason !== undefined ? 'failure' : undefined;
}

export function normalizeDhcpd(msg: SyslogMessage, event: EcsEvent): boolean {
  const m = msg.message;
  if (m.charCodeAt(0) !== 68 /* D */ || !m.startsWith('DHCP')) return false;
  const line = parseLine(m);
  if (line === undefined) return false;
  const ip = line.ip !== undefined && isIpAddress(line.ip) ? line.ip : undefined;
  const mac = line.mac !== undefined ? ecsMac(line.mac) : undefined;
  if (ip === undefined && mac === undefined) return false;

  setDataset(event, 'dhcpd.lease');
  setObserver(event, 'ISC', 'dhcpd', 'dhcp');
  categorize(event, 'network', 'protocol', outcomeOf(line));
  event.event.action = 'dhcp-' + line.type.toLowerCase();
  setDhcpClient(event, ip, mac, line.name !== undefined && isHostname(line.name) ? line.name : undefined);
  const dhcp: Record<string, string> = { message_type: 'DHCP' + line.type };
  if (line.via !== undefined) dhcp.via = line.via;
  if (line.lease !== undefined) dhcp.lease_status = line.lease;
  if (line.reason !== undefined && line.reason.length > 0) event.event.reason = line.reason;
  event.network = { protocol: 'dhcp', transport: 'udp' };
  event.dhcpd = dhcp;
  return true;
}
