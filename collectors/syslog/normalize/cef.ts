/**
 * ArcSight CEF → ECS. The extension dictionary (short and full key names) follows the ArcSight
 * "Implementing ArcSight CEF" key table: src/dst/spt/dpt, suser/duser, act, outcome, proto, app,
 * request, in/out (bytes from source / from destination), rt, dvc/dvchost and the NAT keys.
 * Every extension is kept as sent under `cef.extensions`; the header names the observer.
 */
import type { EcsEvent } from '../../../core/event';
import { parseCef } from '../parse/cef';
import type { CefRecord, SyslogMessage } from '../parse/types';
import {
  isIpAddress,
  isHostname,
  isoFromMillis,
  network,
  observer,
  parseCount,
  parseDecimalOrHex,
  setAddress,
  setConnectionVerdict,
  setBytes,
  setDataset,
  setIp,
  setNat,
  setPort,
  setTransport,
  user,
} from './fields';

/** Full CEF key names → the short ones, so one mapping handles both spellings. */
const LONG_TO_SHORT: Record<string, string> = {
  sourceAddress: 'src',
  destinationAddress: 'dst',
  sourcePort: 'spt',
  destinationPort: 'dpt',
  sourceUserName: 'suser',
  destinationUserName: 'duser',
  sourceHostName: 'shost',
  destinationHostName: 'dhost',
  sourceMacAddress: 'smac',
  destinationMacAddress: 'dmac',
  sourceNtDomain: 'sntdom',
  destinationNtDomain: 'dntdom',
  deviceAction: 'act',
  transportProtocol: 'proto',
  applicationProtocol: 'app',
  deviceReceiptTime: 'rt',
  message: 'msg',
  fileName: 'fname',
  bytesIn: 'in',
  bytesOut: 'out',
  requestUrl: 'request',
  deviceAddress: 'dvc',
  deviceHostName: 'dvchost',
  sourceProcessName: 'sproc',
  sourceProcessId: 'spid',
  deviceEventCategory: 'cat',
  deviceDirection: 'deviceDirection',
};

function get(ext: Record<string, string>, short: string, long?: string): string | undefined {
  const v = ext[short] ?? (long !== undefined ? ext[long] : undefined);
  return v === undefined || v.length === 0 ? undefined : v;
}

const SHORT_TO_LONG: Record<string, string | undefined> = {};
for (const key of Object.keys(LONG_TO_SHORT)) SHORT_TO_LONG[LONG_TO_SHORT[key]] = key;

/** Extension value by short key, falling back to the full key name. */
function x(ext: Record<string, string>, short: string): string | undefined {
  return get(ext, short, SHORT_TO_LONG[short]);
}

/** `rt`/`end` as epoch milliseconds or an ISO 8601 time with a zone; CEF's zone-less text forms are left alone. */
function cefTime(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.length === 13) {
    const ms = parseCount(v);
    return ms !== undefined ? isoFromMillis(ms) : undefined;
  }
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/.test(v)) {
    const ms = Date.parse(v);
    return Number.isFinite(ms) ? isoFromMillis(ms) : undefined;
  }
  return undefined;
}

function outcomeOf(v: string | undefined): 'success' | 'failure' | undefined {
  if (v === undefined) return undefined;
  const lower = v.toLowerCase();
  if (lower === 'success' || lower === 'succeeded' || lower === 'allow' || lower === 'allowed') return 'success';
  if (lower.startsWith('fail') || lower === 'denied' || lower === 'deny') return 'failure';
  return undefined;
}

function setMac(event: EcsEvent, side: 'source' | 'destination', mac: string | undefined): void {
  if (mac !== undefined && /^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$/.test(mac)) {
    const ep = event[side];
    if (ep !== undefined) ep.mac = mac;
    else event[side] = { mac };
  }
}

function setDomain(event: EcsEvent, side: 'source' | 'destination', host: string | undefined): void {
  if (host === undefined) return;
  if (isIpAddress(host)) {
    if (event[side]?.ip === undefined) setIp(event, side, host);
    return;
  }
  if (!isHostname(host)) return;
  const ep = event[side];
  if (ep !== undefined) ep.domain = host;
  else event[side] = { domain: host };
}

/** Applies a parsed CEF record to the event. */
export function applyCefRecord(rec: CefRecord, event: EcsEvent): void {
  setDataset(event, 'cef');
  const ext = rec.extensions;
  const obs = observer(event);
  if (rec.vendor.length > 0) obs.vendor = rec.vendor;
  if (rec.product.length > 0) obs.product = rec.product;
  const dvc = x(ext, 'dvc');
  if (dvc !== undefined && isIpAddress(dvc)) obs.ip = [dvc];
  const dvchost = x(ext, 'dvchost');
  if (dvchost !== undefined) obs.hostname = dvchost;
  const serial = get(ext, 'deviceExternalId');
  if (serial !== undefined) obs.serial_number = serial;
  const inIf = get(ext, 'deviceInboundInterface');
  if (inIf !== undefined) obs.ingress = { interface: { name: inIf } };
  const outIf = get(ext, 'deviceOutboundInterface');
  if (outIf !== undefined) obs.egress = { interface: { name: outIf } };

  if (rec.signatureId.length > 0) event.event.code = rec.signatureId;
  const msgText = x(ext, 'msg');
  event.message = msgText ?? (rec.name.length > 0 ? rec.name : event.message);
  const act = x(ext, 'act');
  if (act !== undefined) event.event.action = act;
  const outcome = outcomeOf(get(ext, 'outcome'));
  if (outcome !== undefined) event.event.outcome = outcome;
  const reason = get(ext, 'reason');
  if (reason !== undefined) event.event.reason = reason;
  const ts = cefTime(x(ext, 'rt')) ?? cefTime(get(ext, 'end'));
  if (ts !== undefined) event['@timestamp'] = ts;

  setAddress(event, 'source', x(ext, 'src') ?? get(ext, 'c6a2'));
  setPort(event, 'source', x(ext, 'spt'));
  setAddress(event, 'destination', x(ext, 'dst') ?? get(ext, 'c6a3'));
  setPort(event, 'destination', x(ext, 'dpt'));
  setDomain(event, 'source', x(ext, 'shost'));
  setDomain(event, 'destination', x(ext, 'dhost'));
  setMac(event, 'source', x(ext, 'smac'));
  setMac(event, 'destination', x(ext, 'dmac'));
  setNat(event, 'source', get(ext, 'sourceTranslatedAddress'), get(ext, 'sourceTranslatedPort'));
  setNat(event, 'destination', get(ext, 'destinationTranslatedAddress'), get(ext, 'destinationTranslatedPort'));
  // `in` is what flowed from source to destination (ArcSight's bytesIn definition).
  setBytes(event, 'source', x(ext, 'in'));
  setBytes(event, 'destination', x(ext, 'out'));
  setTransport(event, x(ext, 'proto'));
  const app = x(ext, 'app');
  if (app !== undefined) network(event).protocol = app.toLowerCase();
  const direction = x(ext, 'deviceDirection');
  if (direction === '0') network(event).direction = 'inbound';
  else if (direction === '1') network(event).direction = 'outbound';

  setConnectionVerdict(event, act);

  const suser = x(ext, 'suser');
  const duser = x(ext, 'duser');
  if (suser !== undefined && event.source !== undefined) event.source.user = { name: suser };
  if (duser !== undefined && event.destination !== undefined) event.destination.user = { name: duser };
  // user.name: the acting user when the device names one, else the one acted upon.
  const actor = suser ?? duser;
  if (actor !== undefined) user(event).name = actor;

  const request = x(ext, 'request');
  if (request !== undefined) event.url = { original: request };
  const method = get(ext, 'requestMethod');
  const agent = get(ext, 'requestClientApplication');
  if (method !== undefined) event.http = { request: { method } };
  if (agent !== undefined) event.user_agent = { original: agent };
  const fname = x(ext, 'fname');
  const fpath = get(ext, 'filePath');
  if (fname !== undefined || fpath !== undefined) {
    event.file = {};
    if (fname !== undefined) event.file.name = fname;
    if (fpath !== undefined) event.file.path = fpath;
  }
  const sproc = x(ext, 'sproc');
  const spid = parseDecimalOrHex(x(ext, 'spid'));
  if (sproc !== undefined || spid !== undefined) {
    event.process = {};
    if (sproc !== undefined) event.process.name = sproc;
    if (spid !== undefined) event.process.pid = spid;
  }

  event.cef = {
    version: rec.version,
    device: { vendor: rec.vendor, product: rec.product, version: rec.deviceVersion, event_class_id: rec.signatureId },
    name: rec.name,
    severity: rec.severity,
    extensions: ext,
  };
}

/** The dispatcher sends messages holding `CEF:`; the 3164 parser may have taken `CEF` as the tag. */
export function normalizeCef(msg: SyslogMessage, event: EcsEvent): boolean {
  const text = msg.appName === 'CEF' && msg.message.charCodeAt(0) !== 67 ? 'CEF:' + msg.message : msg.message;
  const rec = parseCef(text);
  if (rec === null) return false;
  applyCefRecord(rec, event);
  return true;
}
