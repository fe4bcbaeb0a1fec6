/**
 * Cisco ASA / FTD authentication, administrative login and remote-access VPN messages:
 * AAA (113004/113005/113012/113015), local admin login (605004/605005, 611101/611102),
 * session disconnect (113019), AnyConnect and WebVPN sessions (113039, 716001/716002/716039,
 * 722022/722023/722037/722051) and IKEv2 address assignment (751025).
 */
import type { EcsEvent } from '../../../core/event';
import type { AsaFields } from './cisco-asa';
import {
  addCategory,
  categorize,
  isIpAddress,
  network,
  observer,
  setAddress,
  setBytes,
  setDurationSeconds,
  setPort,
  setUserName,
} from './fields';

const AAA_SUCCESS = /^AAA user (authentication|authorization|accounting) Successful\s*:\s*(?:server =\s*(\S+)\s*[:,]\s*|local database\s*:\s*)?[Uu]ser = (.*?)\s*$/;
const AAA_REJECTED =
  /^AAA user (authentication|authorization) Rejected\s*:\s*reason = (.*?)\s*:\s*(?:server =\s*(\S*)|local database)\s*:\s*user = (.*?)(?:\s*:\s*user IP = (\S+))?\s*$/;
const SESSION_DISCONNECTED =
  /^Group = (.*?), Username = (.*?), IP = (\S+), Session disconnected\. Session Type: (.*?), Duration: (.*?), Bytes xmt: (\d+), Bytes rcv: (\d+), Reason: (.*?)\s*$/;
const LOGIN = /^Login (denied|permitted) from (\S+?)\/(\d+) to ([^:\s]+):(\S+?)\/(\S+) for user "(.*)"/;
const USER_AUTH = /^User authentication (succeeded|failed): IP(?: address)?\s*[:,]\s*([0-9A-Fa-f:.]+?)\s*[,:]\s*Uname: (.*?)\s*$/;
const SVC_CONNECTION = /^(TCP|UDP|DTLS) (?:SVC )?connection (established|terminated) (?:with|without) compression/;
const ASSIGNED = /^IPv4 Address <([^>]*)> IPv6 address <([^>]*)> assigned to session/;
const IKEV2_ASSIGNED = /^Local:(\S+) Remote:(\S+) Username:(.*?) (?:IKEv2 )?Group:(.*?) IPv4 Address=(\S+) IPv6 address=(\S+) assigned to session/;
const DURATION = /^(?:(\d+)d\s*)?(\d+)h:(\d+)m:(\d+)s$/;

/** `Group <g> User <u> IP <ip> rest` or, on older releases, `Group g User u IP ip rest`. */
function readGroupUserIp(body: string): { group: string; user: string; ip: string; rest: string } | undefined {
  if (body.startsWith('Group <')) {
    const u = body.indexOf('> User <', 7);
    if (u < 0) return undefined;
    const ip = body.indexOf('> IP <', u + 8);
    if (ip < 0) return undefined;
    const end = body.indexOf('>', ip + 6);
    if (end < 0) return undefined;
    return { group: body.slice(7, u), user: body.slice(u + 8, ip), ip: body.slice(ip + 6, end), rest: body.slice(end + 1).trimStart() };
  }
  if (!body.startsWith('Group ')) return undefined;
  const parts = body.split(' ');
  if (parts.length < 7 || parts[2] !== 'User' || parts[4] !== 'IP') return undefined;
  return { group: parts[1], user: parts[3], ip: parts[5], rest: parts.slice(6).join(' ') };
}

/** `*****` is how the ASA masks a user name it considers a possible password. */
function setAsaUserName(event: EcsEvent, name: string | undefined): void {
  if (name === undefined || name.length === 0 || name.charCodeAt(0) === 42) return;
  setUserName(event, name);
}

/** `host:port` where host may be an IPv6 address: the port follows the last colon. */
function setHostPort(event: EcsEvent, side: 'source' | 'destination', value: string): void {
  const colon = value.lastIndexOf(':');
  if (colon <= 0) return;
  setAddress(event, side, value.slice(0, colon));
  setPort(event, side, value.slice(colon + 1));
}

function vpnSession(event: EcsEvent, type: 'start' | 'end' | 'info', action: string): void {
  categorize(event, 'session', type, 'success');
  addCategory(event, 'network');
  event.event.action = action;
}

function parseAsaDuration(s: string): number | undefined {
  const r = DURATION.exec(s);
  if (r === null) return undefined;
  return (r[1] !== undefined ? Number(r[1]) * 86400 : 0) + Number(r[2]) * 3600 + Number(r[3]) * 60 + Number(r[4]);
}

function normalizeGroupMessage(id: string, body: string, event: EcsEvent, asa: AsaFields): boolean {
  const g = readGroupUserIp(body);
  if (g === undefined) return false;
  asa.tunnel_group = g.group;
  setAsaUserName(event, g.user);
  setAddress(event, 'source', g.ip);
  const rest = g.rest;
  switch (id) {
    case '113039':
      if (!rest.startsWith('AnyConnect parent session started')) return false;
      vpnSession(event, 'start', 'vpn-session-started');
      return true;
    case '716001':
      if (!rest.startsWith('WebVPN session started')) return false;
      vpnSession(event, 'start', 'vpn-session-started');
      asa.session_type = 'WebVPN';
      return true;
    case '716002': {
      if (!rest.startsWith('WebVPN session terminated')) return false;
      vpnSession(event, 'end', 'vpn-session-ended');
      asa.session_type = 'WebVPN';
      const colon = rest.indexOf(': ');
      if (colon > 0) event.event.reason = rest.slice(colon + 2).replace(/\.$/, '');
      return true;
    }
    case '716039': {
      if (!rest.startsWith('Authentication: rejected')) return false;
      categorize(event, 'authentication', 'start', 'failure');
      event.event.action = 'vpn-authentication';
      const st = rest.indexOf('Session Type: ');
      if (st >= 0) asa.session_type = rest.slice(st + 14).replace(/\.$/, '');
      return true;
    }
    case '722022':
    case '722023': {
      const r = SVC_CONNECTION.exec(rest);
      if (r === null) return false;
      const started = r[2] === 'established';
      vpnSession(event, started ? 'start' : 'end', started ? 'vpn-tunnel-established' : 'vpn-tunnel-terminated');
      network(event).transport = r[1] === 'DTLS' ? 'udp' : r[1].toLowerCase();
      return true;
    }
    case '722037':
      if (!rest.startsWith('SVC closing connection')) return false;
      vpnSession(event, 'end', 'vpn-tunnel-terminated');
      if (rest.indexOf(': ') > 0) event.event.reason = rest.slice(rest.indexOf(': ') + 2).replace(/\.$/, '');
      return true;
    case '722051': {
      const r = ASSIGNED.exec(rest);
      if (r === null) return false;
      vpnSession(event, 'info', 'vpn-address-assigned');
      if (isIpAddress(r[1])) asa.assigned_ip = r[1];
      return true;
    }
    default:
      return false;
  }
}

export function normalizeAsaAuth(id: string, body: string, event: EcsEvent, asa: AsaFields): boolean {
  let r: RegExpExecArray | null;
  switch (id) {
    case '113004':
    case '113012': {
      if ((r = AAA_SUCCESS.exec(body)) === null) return false;
      categorize(event, 'authentication', r[1] === 'authentication' ? 'start' : 'info', 'success');
      event.event.action = 'aaa-' + r[1];
      if (r[2] !== undefined) asa.aaa_server = r[2];
      setAsaUserName(event, r[3]);
      return true;
    }
    case '113005':
    case '113015': {
      if ((r = AAA_REJECTED.exec(body)) === null) return false;
      categorize(event, 'authentication', r[1] === 'authentication' ? 'start' : 'info', 'failure');
      event.event.action = 'aaa-' + r[1];
      event.event.reason = r[2];
      if (r[3] !== undefined && r[3].length > 0) asa.aaa_server = r[3];
      setAsaUserName(event, r[4]);
      setAddress(event, 'source', r[5]);
      return true;
    }
    case '113019': {
      if ((r = SESSION_DISCONNECTED.exec(body)) === null) return false;
      vpnSession(event, 'end', 'vpn-session-ended');
      asa.tunnel_group = r[1];
      setAsaUserName(event, r[2]);
      setAddress(event, 'source', r[3]);
      asa.session_type = r[4];
      setDurationSeconds(event, parseAsaDuration(r[5]));
      // xmt is what the ASA sent to the peer, rcv what the peer (the source) sent.
      setBytes(event, 'source', r[7]);
      setBytes(event, 'destination', r[6]);
      event.event.reason = r[8];
      return true;
    }
    case '605004':
    case '605005': {
      if ((r = LOGIN.exec(body)) === null) return false;
      const ok = r[1] === 'permitted';
      categorize(event, 'authentication', 'start', ok ? 'success' : 'failure');
      event.event.action = 'admin-login';
      setAddress(event, 'source', r[2]);
      setPort(event, 'source', r[3]);
      observer(event).ingress = { interface: { name: r[4] } };
      setAddress(event, 'destination', r[5]);
      network(event).protocol = r[6].toLowerCase();
      setAsaUserName(event, r[7]);
      return true;
    }
    case '611101':
    case '611102': {
      if ((r = USER_AUTH.exec(body)) === null) return false;
      categorize(event, 'authentication', 'start', r[1] === 'succeeded' ? 'success' : 'failure');
      event.event.action = 'admin-login';
      setAddress(event, 'source', r[2]);
      setAsaUserName(event, r[3]);
      return true;
    }
    case '751025': {
      if ((r = IKEV2_ASSIGNED.exec(body)) === null) return false;
      vpnSession(event, 'info', 'vpn-address-assigned');
      setHostPort(event, 'destination', r[1]);
      setHostPort(event, 'source', r[2]);
      setAsaUserName(event, r[3]);
      asa.tunnel_group = r[4];
      if (isIpAddress(r[5])) asa.assigned_ip = r[5];
      return true;
    }
    default:
      return normalizeGroupMessage(id, body, event, asa);
  }
}
