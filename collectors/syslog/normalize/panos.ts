/**
 * Palo Alto Networks PAN-OS syslog CSV (default "BSD" format): TRAFFIC and THREAT mapped fully,
 * GLOBALPROTECT (remote-access VPN logins and sessions), CONFIG and SYSTEM briefly. Field positions per the PAN-OS 10.x/11.x "Syslog Field Descriptions";
 * positions are stable across releases, later releases only append fields.
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { splitCsv } from './csv';
import {
  addCategory,
  addType,
  categorize,
  network,
  observer,
  parseCount,
  rule,
  setAddress,
  setBytes,
  setDataset,
  setDurationSeconds,
  setIp,
  setNat,
  setObserver,
  setPackets,
  setPort,
  setTransport,
  setUserName,
  sumNetworkCounters,
} from './fields';

// Positions shared by TRAFFIC and THREAT (0-based).
const F = {
  serial: 2,
  type: 3,
  subtype: 4,
  src: 7,
  dst: 8,
  natSrc: 9,
  natDst: 10,
  rule: 11,
  srcUser: 12,
  dstUser: 13,
  app: 14,
  vsys: 15,
  fromZone: 16,
  toZone: 17,
  inIf: 18,
  outIf: 19,
  sessionId: 22,
  repeat: 23,
  sport: 24,
  dport: 25,
  natSport: 26,
  natDport: 27,
  flags: 28,
  proto: 29,
  action: 30,
} as const;

const TRAFFIC = {
  bytes: 31,
  bytesSent: 32,
  bytesReceived: 33,
  packets: 34,
  elapsed: 36,
  category: 37,
  sequence: 39,
  srcCountry: 41,
  dstCountry: 42,
  packetsSent: 44,
  packetsReceived: 45,
  endReason: 46,
  deviceName: 52,
  actionSource: 53,
  ruleUuid: 65,
} as const;

const THREAT = {
  target: 31,
  threatId: 32,
  category: 33,
  severity: 34,
  direction: 35,
  sequence: 36,
  srcCountry: 38,
  dstCountry: 39,
  contentType: 41,
  fileDigest: 43,
  userAgent: 46,
  fileType: 47,
  xff: 48,
  referer: 49,
  deviceName: 59,
  httpMethod: 63,
  threatCategory: 69,
  ruleUuid: 76,
} as const;

const LOG_TYPES = new Set(['TRAFFIC', 'THREAT', 'CONFIG', 'SYSTEM', 'GLOBALPROTECT', 'AUTHENTICATION', 'USERID', 'HIPMATCH', 'DECRYPTION', 'TUNNEL', 'SCTP', 'IPTAG', 'CORRELATION']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface PanosFields {
  type: string;
  subtype: string;
  session_id?: string;
  repeat_count?: number;
  vsys?: string;
  flags?: string;
  sequence_number?: string;
  end_reason?: string;
  action_source?: string;
  url_category?: string;
  content_type?: string;
  threat?: { id?: string; name?: string; category?: string; severity?: string };
  event_id?: string;
  module?: string;
  command?: string;
  client?: string;
  path?: string;
  /** GLOBALPROTECT: the connection stage, method and the endpoint behind the VPN. */
  stage?: string;
  auth_method?: string;
  tunnel_type?: string;
  machine_name?: string;
  private_ip?: string;
  client_os?: string;
  portal?: string;
}

/** `1,2023/10/04 18:54:26,012501002341,TRAFFIC,...`: a number, a PAN-OS date, a serial, a known type. */
export function looksLikePanos(text: string): boolean {
  const c1 = text.indexOf(',');
  if (c1 < 1 || c1 > 4) return false;
  if (text.charCodeAt(c1 + 5) !== 47 /* / */ || text.charCodeAt(c1 + 8) !== 47) return false;
  const c2 = text.indexOf(',', c1 + 1);
  const c3 = c2 < 0 ? -1 : text.indexOf(',', c2 + 1);
  const c4 = c3 < 0 ? -1 : text.indexOf(',', c3 + 1);
  return c4 > 0 && LOG_TYPES.has(text.slice(c3 + 1, c4));
}

function field(f: string[], i: number): string | undefined {
  const v = f[i];
  return v === undefined || v.length === 0 ? undefined : v;
}

function setZoneAndInterface(event: EcsEvent, f: string[]): void {
  const obs = observer(event);
  const inIf = field(f, F.inIf);
  const outIf = field(f, F.outIf);
  const fromZone = field(f, F.fromZone);
  const toZone = field(f, F.toZone);
  if (inIf !== undefined || fromZone !== undefined) {
    obs.ingress = {};
    if (inIf !== undefined) obs.ingress.interface = { name: inIf };
    if (fromZone !== undefined) obs.ingress.zone = fromZone;
  }
  if (outIf !== undefined || toZone !== undefined) {
    obs.egress = {};
    if (outIf !== undefined) obs.egress.interface = { name: outIf };
    if (toZone !== undefined) obs.egress.zone = toZone;
  }
}

/**
 * PAN-OS writes 0.0.0.0 and port 0 when no NAT applied, and repeats the original address on the
 * side that was not translated.
 */
function setPanNat(event: EcsEvent, side: 'source' | 'destination', ip: string | undefined, port: string | undefined): void {
  const ep = event[side];
  let natIp = ip === '0.0.0.0' || ip === '::' ? undefined : ip;
  let natPort = port === '0' ? undefined : port;
  if (ep !== undefined && natIp === ep.ip && (natPort === undefined || natPort === String(ep.port))) {
    natIp = undefined;
    natPort = undefined;
  }
  if (natIp !== undefined || natPort !== undefined) setNat(event, side, natIp, natPort);
}

/** Source/destination location is a country name or a private range ("10.0.0.0-10.255.255.255"). */
function setLocation(event: EcsEvent, side: 'source' | 'destination', value: string | undefined): void {
  if (value === undefined || /\d/.test(value)) return;
  const ep = event[side];
  if (ep !== undefined) ep.geo = { country_name: value };
}

function isDeniedAction(action: string): boolean {
  return action === 'deny' || action.startsWith('drop') || action.startsWith('reset') || action.startsWith('block') || action === 'sinkhole' || action === 'random-drop';
}

function mapSession(event: EcsEvent, f: string[], pan: PanosFields): void {
  setIp(event, 'source', field(f, F.src));
  setPort(event, 'source', field(f, F.sport));
  setIp(event, 'destination', field(f, F.dst));
  setPort(event, 'destination', field(f, F.dport));
  setPanNat(event, 'source', field(f, F.natSrc), field(f, F.natSport));
  setPanNat(event, 'destination', field(f, F.natDst), field(f, F.natDport));
  const ruleName = field(f, F.rule);
  if (ruleName !== undefined) rule(event).name = ruleName;
  setUserName(event, field(f, F.srcUser));
  const dstUser = field(f, F.dstUser);
  if (dstUser !== undefined && event.destination !== undefined) event.destination.user = { name: dstUser };
  const app = field(f, F.app);
  if (app !== undefined) network(event).application = app;
  setTransport(event, field(f, F.proto));
  setZoneAndInterface(event, f);
  pan.vsys = field(f, F.vsys);
  pan.session_id = field(f, F.sessionId);
  pan.repeat_count = parseCount(field(f, F.repeat));
  pan.flags = field(f, F.flags);
  const action = field(f, F.action);
  if (action !== undefined) event.event.action = action;
}

function setDeviceName(event: EcsEvent, name: string | undefined): void {
  if (name === undefined) return;
  const obs = observer(event);
  obs.name = name;
  obs.hostname = name;
}

function mapTraffic(event: EcsEvent, f: string[], pan: PanosFields): void {
  mapSession(event, f, pan);
  const action = event.event.action ?? '';
  const denied = isDeniedAction(action) || pan.subtype === 'deny' || pan.subtype === 'drop';
  categorize(event, 'network', 'connection', denied ? 'failure' : 'success');
  addType(event, denied ? 'denied' : 'allowed');
  if (pan.subtype === 'start') addType(event, 'start');
  else if (pan.subtype === 'end') addType(event, 'end');
  setBytes(event, 'source', field(f, TRAFFIC.bytesSent));
  setBytes(event, 'destination', field(f, TRAFFIC.bytesReceived));
  setPackets(event, 'source', field(f, TRAFFIC.packetsSent));
  setPackets(event, 'destination', field(f, TRAFFIC.packetsReceived));
  sumNetworkCounters(event);
  const net = network(event);
  if (net.bytes === undefined) {
    const total = parseCount(field(f, TRAFFIC.bytes));
    if (total !== undefined) net.bytes = total;
  }
  setDurationSeconds(event, parseCount(field(f, TRAFFIC.elapsed)));
  pan.url_category = field(f, TRAFFIC.category);
  pan.sequence_number = field(f, TRAFFIC.sequence);
  setLocation(event, 'source', field(f, TRAFFIC.srcCountry));
  setLocation(event, 'destination', field(f, TRAFFIC.dstCountry));
  pan.end_reason = field(f, TRAFFIC.endReason);
  if (pan.end_reason !== undefined && pan.end_reason !== 'n/a') event.event.reason = pan.end_reason;
  pan.action_source = field(f, TRAFFIC.actionSource);
  setDeviceName(event, field(f, TRAFFIC.deviceName));
  const uuid = field(f, TRAFFIC.ruleUuid);
  if (uuid !== undefined && UUID.test(uuid)) rule(event).uuid = uuid;
}

/** `Eicar File Detected(39040)` → name and id; URL logs carry just `(9999)`. */
function readThreatId(value: string | undefined): { id?: string; name?: string } {
  if (value === undefined) return {};
  const open = value.lastIndexOf('(');
  if (open >= 0 && value.endsWith(')')) {
    const id = value.slice(open + 1, -1);
    const name = value.slice(0, open).trim();
    return name.length > 0 ? { id, name } : { id };
  }
  return { name: value };
}

function mapThreat(event: EcsEvent, f: string[], pan: PanosFields): void {
  mapSession(event, f, pan);
  const action = event.event.action ?? '';
  const denied = isDeniedAction(action);
  const threat = readThreatId(field(f, THREAT.threatId));
  const severity = field(f, THREAT.severity);
  pan.threat = { ...threat, severity, category: field(f, THREAT.threatCategory) };
  const target = field(f, THREAT.target);
  if (pan.subtype === 'url') {
    categorize(event, 'web', 'access', denied ? 'failure' : 'success');
    addCategory(event, 'network');
    pan.url_category = field(f, THREAT.category);
    if (target !== undefined) event.url = { original: target };
    const ua = field(f, THREAT.userAgent);
    if (ua !== undefined) event.user_agent = { original: ua };
    const referer = field(f, THREAT.referer);
    const method = field(f, THREAT.httpMethod);
    if (referer !== undefined || method !== undefined) {
      const request: { referrer?: string; method?: string } = {};
      if (referer !== undefined) request.referrer = referer;
      if (method !== undefined) request.method = method;
      event.http = { request };
    }
  } else {
    event.event.kind = 'alert';
    const malware = pan.subtype === 'virus' || pan.subtype === 'wildfire-virus' || pan.subtype === 'wildfire' || pan.subtype === 'spyware';
    categorize(event, malware ? 'malware' : 'intrusion_detection', 'info', denied ? 'failure' : 'success');
    addCategory(event, 'network');
    if (target !== undefined) {
      if (pan.subtype === 'file' || malware) event.file = { name: target };
      else event.url = { original: target };
    }
    const digest = field(f, THREAT.fileDigest);
    if (digest !== undefined && /^[0-9a-f]{64}$/i.test(digest)) event.file = { ...event.file, hash: { sha256: digest } };
  }
  addType(event, denied ? 'denied' : 'allowed');
  pan.content_type = field(f, THREAT.contentType);
  pan.sequence_number = field(f, THREAT.sequence);
  const direction = field(f, THREAT.direction);
  if (direction === 'client-to-server') network(event).direction = 'outbound';
  else if (direction === 'server-to-client') network(event).direction = 'inbound';
  setLocation(event, 'source', field(f, THREAT.srcCountry));
  setLocation(event, 'destination', field(f, THREAT.dstCountry));
  setDeviceName(event, field(f, THREAT.deviceName));
  const uuid = field(f, THREAT.ruleUuid);
  if (uuid !== undefined && UUID.test(uuid)) rule(event).uuid = uuid;
}

// CONFIG: 7 host, 8 vsys, 9 command, 10 admin, 11 client, 12 result, 13 configuration path, ... 23 device name.
function mapConfig(event: EcsEvent, f: string[], pan: PanosFields): void {
  const result = field(f, 12);
  const command = field(f, 9);
  categorize(event, 'configuration', command === 'delete' ? 'deletion' : command === 'add' ? 'creation' : 'change');
  if (result === 'Succeeded') event.event.outcome = 'success';
  else if (result === 'Failed') event.event.outcome = 'failure';
  if (command !== undefined) event.event.action = command;
  setAddress(event, 'source', field(f, 7));
  setUserName(event, field(f, 10));
  pan.vsys = field(f, 8);
  pan.command = command;
  pan.client = field(f, 11);
  pan.path = field(f, 13);
  setDeviceName(event, field(f, 23));
}

const SYSTEM_USER = /\buser '([^']+)'/;
const SYSTEM_FROM = /\b[Ff]rom:? '?([0-9A-Fa-f:.]*[0-9A-Fa-f])'?\.?/;

// SYSTEM: 7 vsys, 8 event id, 9 object, 12 module, 13 severity, 14 description, ... 22 device name.
function mapSystem(event: EcsEvent, f: string[], pan: PanosFields): void {
  const eventId = field(f, 8);
  const description = field(f, 14);
  pan.event_id = eventId;
  pan.module = field(f, 12);
  if (eventId !== undefined) event.event.action = eventId;
  if (description !== undefined) event.message = description;
  if (description !== undefined) {
    // `failed authentication for user 'admin'. Reason: Invalid username/password. From: 203.0.113.80.`
    const u = SYSTEM_USER.exec(description);
    if (u !== null) setUserName(event, u[1]);
    const from = SYSTEM_FROM.exec(description);
    if (from !== null) setAddress(event, 'source', from[1]);
  }
  if (eventId !== undefined && (eventId.indexOf('auth-fail') >= 0 || eventId.indexOf('login-fail') >= 0)) {
    categorize(event, 'authentication', 'start', 'failure');
  } else if (eventId !== undefined && (eventId.indexOf('auth-success') >= 0 || eventId.endsWith('-login'))) {
    categorize(event, 'authentication', 'start', 'success');
  } else {
    categorize(event, 'host', 'info');
  }
  setDeviceName(event, field(f, 22));
}

// GLOBALPROTECT (PAN-OS 9.1+): 7 vsys, 8 event id, 9 stage, 10 auth method, 11 tunnel type,
// 12 source user, 13 source region, 14 machine name, 15 public IP, 16 public IPv6, 17 private IP,
// 18 private IPv6, 22 client OS, 25 reason, 26 error, 28 status, 33 portal, ... 47 device name.
function mapGlobalProtect(event: EcsEvent, f: string[], pan: PanosFields): void {
  const eventId = field(f, 8) ?? '';
  const status = field(f, 28);
  const outcome = status === 'success' ? 'success' : status === 'failure' ? 'failure' : undefined;
  // portal-auth / gateway-auth are the logins; connected / register / logout the tunnel's life.
  if (eventId.endsWith('-auth')) categorize(event, 'authentication', 'start', outcome);
  else if (eventId === 'gateway-connected' || eventId === 'gateway-register') {
    categorize(event, 'session', 'start', outcome);
    addCategory(event, 'network');
  } else if (eventId === 'gateway-logout' || eventId === 'gateway-config-release') {
    categorize(event, 'session', 'end', outcome);
    addCategory(event, 'network');
  } else categorize(event, 'network', 'info', outcome);
  if (eventId.length > 0) event.event.action = eventId;
  pan.event_id = eventId.length > 0 ? eventId : undefined;
  pan.vsys = field(f, 7);
  pan.stage = field(f, 9);
  pan.auth_method = field(f, 10);
  pan.tunnel_type = field(f, 11);
  setUserName(event, field(f, 12));
  const region = field(f, 13);
  const publicIp = field(f, 15);
  const publicIp6 = field(f, 16);
  if (!setIp(event, 'source', publicIp !== '0.0.0.0' ? publicIp : undefined)) setIp(event, 'source', publicIp6 !== '::' ? publicIp6 : undefined);
  if (region !== undefined && /^[A-Z]{2}$/.test(region) && event.source !== undefined) event.source.geo = { country_iso_code: region };
  pan.machine_name = field(f, 14);
  const privateIp = field(f, 17);
  pan.private_ip = privateIp !== '0.0.0.0' ? privateIp : field(f, 18);
  pan.client_os = field(f, 22);
  const reason = field(f, 26) ?? field(f, 25);
  if (reason !== undefined) event.event.reason = reason;
  pan.portal = field(f, 33);
  setDeviceName(event, field(f, 47));
}

export function normalizePanos(msg: SyslogMessage, event: EcsEvent): boolean {
  const text = msg.message;
  if (!looksLikePanos(text)) return false;
  const f = splitCsv(text);
  setDataset(event, 'panw.panos');
  setObserver(event, 'Palo Alto Networks', 'PAN-OS', 'firewall');
  const serial = field(f, F.serial);
  if (serial !== undefined) observer(event).serial_number = serial;
  const pan: PanosFields = { type: f[F.type], subtype: f[F.subtype] ?? '' };
  event.panw = { panos: pan };
  event.event.code = pan.subtype.length > 0 ? `${pan.type}:${pan.subtype}` : pan.type;
  switch (pan.type) {
    case 'TRAFFIC':
      if (f.length < 46) return false;
      mapTraffic(event, f, pan);
      return true;
    case 'THREAT':
      if (f.length < 42) return false;
      mapThreat(event, f, pan);
      return true;
    case 'CONFIG':
      if (f.length < 14) return false;
      mapConfig(event, f, pan);
      return true;
    case 'SYSTEM':
      if (f.length < 15) return false;
      mapSystem(event, f, pan);
      return true;
    case 'GLOBALPROTECT':
      if (f.length < 29) return false;
      mapGlobalProtect(event, f, pan);
      return true;
    default:
      // Recognised as PAN-OS, fields not mapped yet: dataset and observer only.
      return false;
  }
}
