/**
 * Cisco ASA / FTD (and FWSM, PIX) numbered messages: connection build and teardown with NAT,
 * access-list denies. AAA, administrative logins and VPN sessions are in cisco-asa-auth.ts,
 * administrators' commands and management access to the box in cisco-asa-admin.ts, ICMP in
 * cisco-asa-icmp.ts, threat detection and URL logging in cisco-asa-threat.ts.
 * Formats follow Cisco's "Secure Firewall ASA Series Syslog Messages" reference.
 */
import type { EcsEvent } from '../../../core/event';
import { baseFacility, type CiscoTagged } from './cisco-tag';
import { normalizeAsaAdmin } from './cisco-asa-admin';
import { normalizeAsaAuth } from './cisco-asa-auth';
import { normalizeAsaIcmp } from './cisco-asa-icmp';
import { normalizeAsaThreat } from './cisco-asa-threat';
import {
  addType,
  categorize,
  network,
  observer,
  parseCount,
  parseHms,
  setAddress,
  setDataset,
  setDurationSeconds,
  setNat,
  setObserver,
  setPort,
  setTransport,
  setUserName,
} from './fields';

export interface AsaFields {
  connection_id?: string;
  tcp_flags?: string;
  hit_count?: number;
  acl_hash?: string;
  aaa_server?: string;
  session_type?: string;
  tunnel_group?: string;
  assigned_ip?: string;
  icmp_type?: string;
  icmp_code?: string;
  /** The command an administrator ran (111008/111009/111010). */
  command_line?: string;
  /** The management application it ran from (`CLI`, `ASDM`; 111010). */
  application?: string;
  /** Threat detection: packets dropped so far for the exceeded rate (733100). */
  drop_total?: number;
}

const PRODUCT_BY_FACILITY: Record<string, string> = {
  ASA: 'ASA',
  FTD: 'Firepower Threat Defense',
  FWSM: 'FWSM',
  PIX: 'PIX',
};

// 302013 / 302015
const BUILT =
  /^Built (inbound|outbound) (TCP|UDP) connection (\d+) for ([^:\s]+):(\S+?)\/(\d+) \((\S+?)\/(\d+)\)(?:\(([^)]*)\))? to ([^:\s]+):(\S+?)\/(\d+) \((\S+?)\/(\d+)\)(?:\(([^)]*)\))?(?: \(([^)]*)\))?/;
// 302014 / 302016
const TEARDOWN =
  /^Teardown (TCP|UDP) connection (\d+) for ([^:\s]+):(\S+?)\/(\d+)(?:\(([^)]*)\))? to ([^:\s]+):(\S+?)\/(\d+)(?:\(([^)]*)\))? duration (\d+:\d\d:\d\d) bytes (\d+)(?: (.*?))?(?: \(([^)]*)\))?$/;
// 106023: port and user are optional (ICMP, GRE); `(type 8, code 0)` for ICMP.
const DENY_ACL =
  /^Deny (protocol \d+|\S+) src ([^:\s]+):([^\s/(]+)(?:\/(\d+))?(?:\(([^)]*)\))? dst ([^:\s]+):([^\s/(]+)(?:\/(\d+))?(?:\(([^)]*)\))?(?: \(type (\d+), code (\d+)\))? by access-group "([^"]*)"(?: \[(0x[0-9a-fA-F]+), (0x[0-9a-fA-F]+)\])?/;
// 106100
const ACCESS_LIST =
  /^access-list (\S+) (permitted|denied|est-allowed) (\S+) ([^\s/]+)\/([^\s(]+)\((\d+)\)(?:\(([^)]*)\))? -> ([^\s/]+)\/([^\s(]+)\((\d+)\)(?:\(([^)]*)\))? hit-cnt (\d+)/;
// 106001
const INBOUND_DENIED = /^Inbound (TCP) connection denied from (\S+?)\/(\d+) to (\S+?)\/(\d+) flags (.*?)\s+on interface (\S+)/;
// 106006 / 106007
const DENY_INBOUND_UDP = /^Deny inbound (UDP) from (\S+?)\/(\d+) to (\S+?)\/(\d+)(?: due to (.*?))? on interface (\S+)/;
// 106015
const DENY_NO_CONNECTION = /^Deny (TCP) \(no connection\) from (\S+?)\/(\d+) to (\S+?)\/(\d+) flags (.*?)\s+on interface (\S+)/;
// 106014
const DENY_ICMP = /^Deny (inbound|outbound) icmp src ([^:\s]+):([^\s(]+) dst ([^:\s]+):([^\s(]+)\s*\(type (\d+), code (\d+)\)/;
// 106021
const DENY_RPF = /^Deny (\S+) reverse path check from (\S+) to (\S+) on interface (\S+)/;
// 106016
const DENY_SPOOF = /^Deny IP spoof from \(([^)]+)\) to (\S+) on interface (\S+)/;

function ingress(event: EcsEvent, name: string | undefined): void {
  if (name !== undefined && name.length > 0) observer(event).ingress = { interface: { name } };
}

function egress(event: EcsEvent, name: string | undefined): void {
  if (name !== undefined && name.length > 0) observer(event).egress = { interface: { name } };
}

/** `192.168.2.2(testhost.domain)` style suffixes are names, not addresses: drop them. */
function stripParen(s: string): string {
  const p = s.indexOf('(');
  return p > 0 ? s.slice(0, p) : s;
}

/** The identity-firewall or AAA user in parentheses, e.g. `(LOCAL\bob)`; `(*****)` is a masked one. */
function setAsaUser(event: EcsEvent, value: string | undefined): void {
  if (value === undefined || value.length === 0 || value.charCodeAt(0) === 42) return;
  setUserName(event, value);
}

function allowed(event: EcsEvent, action: string): void {
  categorize(event, 'network', 'connection', 'success');
  addType(event, 'allowed');
  event.event.action = action;
}

function denied(event: EcsEvent): void {
  categorize(event, 'network', 'connection', 'failure');
  addType(event, 'denied');
  event.event.action = 'firewall-rule';
}

function normalizeConnection(id: string, body: string, event: EcsEvent, asa: AsaFields): boolean {
  let r: RegExpExecArray | null;
  switch (id) {
    case '302013':
    case '302015': {
      if ((r = BUILT.exec(body)) === null) return false;
      allowed(event, 'flow-creation');
      addType(event, 'start');
      const outbound = r[1] === 'outbound';
      network(event).direction = outbound ? 'outbound' : 'inbound';
      setTransport(event, r[2]);
      asa.connection_id = r[3];
      // The first ("for") side is the outside host; on outbound connections that is the responder.
      const a = outbound ? 10 : 4;
      const b = outbound ? 4 : 10;
      ingress(event, r[a]);
      setAddress(event, 'source', r[a + 1]);
      setPort(event, 'source', r[a + 2]);
      if (r[a + 3] !== r[a + 1] || r[a + 4] !== r[a + 2]) setNat(event, 'source', r[a + 3], r[a + 4]);
      egress(event, r[b]);
      setAddress(event, 'destination', r[b + 1]);
      setPort(event, 'destination', r[b + 2]);
      if (r[b + 3] !== r[b + 1] || r[b + 4] !== r[b + 2]) setNat(event, 'destination', r[b + 3], r[b + 4]);
      setAsaUser(event, r[16] ?? r[a + 5]);
      return true;
    }
    case '302014':
    case '302016': {
      if ((r = TEARDOWN.exec(body)) === null) return false;
      categorize(event, 'network', 'connection');
      addType(event, 'end');
      event.event.action = 'flow-expiration';
      setTransport(event, r[1]);
      asa.connection_id = r[2];
      ingress(event, r[3]);
      setAddress(event, 'source', r[4]);
      setPort(event, 'source', r[5]);
      egress(event, r[7]);
      setAddress(event, 'destination', r[8]);
      setPort(event, 'destination', r[9]);
      setDurationSeconds(event, parseHms(r[11]));
      const bytes = parseCount(r[12]);
      if (bytes !== undefined) network(event).bytes = bytes;
      if (r[13] !== undefined && r[13].length > 0) event.event.reason = r[13];
      setAsaUser(event, r[14] ?? r[6]);
      return true;
    }
    case '106023': {
      if ((r = DENY_ACL.exec(body)) === null) return false;
      denied(event);
      setTransport(event, r[1].startsWith('protocol ') ? r[1].slice(9) : r[1]);
      ingress(event, r[2]);
      setAddress(event, 'source', r[3]);
      setPort(event, 'source', r[4]);
      setAsaUser(event, r[5]);
      egress(event, r[6]);
      setAddress(event, 'destination', r[7]);
      setPort(event, 'destination', r[8]);
      if (r[10] !== undefined) {
        asa.icmp_type = r[10];
        asa.icmp_code = r[11];
      }
      event.rule = { name: r[12] };
      if (r[13] !== undefined) asa.acl_hash = r[13];
      return true;
    }
    case '106100': {
      if ((r = ACCESS_LIST.exec(body)) === null) return false;
      if (r[2] === 'denied') denied(event);
      else allowed(event, 'firewall-rule');
      event.rule = { name: r[1] };
      setTransport(event, r[3]);
      ingress(event, r[4]);
      setAddress(event, 'source', r[5]);
      setPort(event, 'source', r[6]);
      setAsaUser(event, r[7]);
      egress(event, r[8]);
      setAddress(event, 'destination', r[9]);
      setPort(event, 'destination', r[10]);
      asa.hit_count = parseCount(r[12]);
      return true;
    }
    case '106001':
    case '106006':
    case '106007':
    case '106015': {
      const re = id === '106001' ? INBOUND_DENIED : id === '106015' ? DENY_NO_CONNECTION : DENY_INBOUND_UDP;
      if ((r = re.exec(body)) === null) return false;
      denied(event);
      if (id !== '106015') network(event).direction = 'inbound';
      setTransport(event, r[1]);
      setAddress(event, 'source', stripParen(r[2]));
      setPort(event, 'source', r[3]);
      setAddress(event, 'destination', stripParen(r[4]));
      setPort(event, 'destination', r[5]);
      if (id === '106001' || id === '106015') asa.tcp_flags = r[6].trim();
      else if (r[6] !== undefined) event.event.reason = r[6];
      ingress(event, r[7]);
      return true;
    }
    case '106014': {
      if ((r = DENY_ICMP.exec(body)) === null) return false;
      denied(event);
      network(event).direction = r[1];
      setTransport(event, 'icmp');
      ingress(event, r[2]);
      setAddress(event, 'source', stripParen(r[3]));
      egress(event, r[4]);
      setAddress(event, 'destination', stripParen(r[5]));
      asa.icmp_type = r[6];
      asa.icmp_code = r[7];
      return true;
    }
    case '106016': {
      if ((r = DENY_SPOOF.exec(body)) === null) return false;
      denied(event);
      event.event.reason = 'IP spoof';
      setAddress(event, 'source', r[1]);
      setAddress(event, 'destination', r[2]);
      ingress(event, r[3]);
      return true;
    }
    case '302020':
    case '302021':
      return normalizeAsaIcmp(id, body, event, asa);
    case '106021': {
      if ((r = DENY_RPF.exec(body)) === null) return false;
      denied(event);
      event.event.reason = 'reverse path check';
      setTransport(event, r[1]);
      setAddress(event, 'source', r[2]);
      setAddress(event, 'destination', r[3]);
      ingress(event, r[4]);
      return true;
    }
    default:
      return false;
  }
}

type AsaHandler = (id: string, body: string, event: EcsEvent, asa: AsaFields) => boolean;

/** Message ids by family: access control and connections here, the rest in their own modules. */
function handlerOf(id: string): AsaHandler {
  if (id.startsWith('106') || id.startsWith('302')) return normalizeConnection;
  if (id.startsWith('111') || id.startsWith('710')) return normalizeAsaAdmin;
  if (id === '313001') return normalizeAsaIcmp;
  if (id === '733100' || id === '304001') return normalizeAsaThreat;
  return normalizeAsaAuth;
}

export function normalizeCiscoAsa(tagged: CiscoTagged, event: EcsEvent): boolean {
  setDataset(event, 'cisco.asa');
  const { tag, body } = tagged;
  const facility = baseFacility(tag.facility, true);
  setObserver(event, 'Cisco', PRODUCT_BY_FACILITY[facility] ?? facility, 'firewall');
  const id = tag.mnemonic;
  event.event.code = id;
  event.message = body;
  const asa: AsaFields = {};
  event.cisco = { asa };
  const known = handlerOf(id)(id, body, event, asa);
  if (!hasKeys(asa)) delete event.cisco;
  return known;
}

function hasKeys(obj: object): boolean {
  for (const key in obj) if (Object.prototype.hasOwnProperty.call(obj, key)) return true;
  return false;
}
