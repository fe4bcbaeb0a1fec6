/**
 * FortiGate (FortiOS) key=value logs: `date=2019-05-10 time=11:37:47 devname="FGT" logid="0000000013"
 * type="traffic" subtype="forward" ...`. Types handled: traffic (forward, local...), utm (virus,
 * webfilter, ips, app-ctrl and the rest generically) and event (system, vpn, user). Every raw pair
 * is kept under `fortinet.fortigate`. Field names per the FortiOS Log Message Reference.
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import {
  addCategory,
  addType,
  categorize,
  ecsMac,
  isHostname,
  isIpAddress,
  network,
  observer,
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
  setUrlPath,
  setUserName,
  sumNetworkCounters,
  parseCount,
} from './fields';
import { IsoTimeCache } from '../iso-time';
import { deviceTimeMillis } from './device-time';
import { parseKeyValues } from './kv';
import type { NormalizeContext } from './types';

/** Where the pairs start: right away, or after a header the parser did not strip. */
function findStart(text: string): number {
  if (text.startsWith('date=') || text.startsWith('logver=') || text.startsWith('logid=')) return 0;
  const at = text.indexOf(' date=');
  return at >= 0 && at < 128 ? at + 1 : -1;
}

/** True when the message looks like FortiOS key=value output (cheap pre-check for the dispatcher). */
export function looksLikeFortigate(text: string): boolean {
  if (findStart(text) < 0) return false;
  return text.indexOf('logid=') > 0 && text.indexOf(' type=') > 0;
}

/** eventtime is epoch seconds (FortiOS 6.0 late builds), microseconds or nanoseconds (6.2+), by its length. */
function eventTimeMillis(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = parseCount(v.length > 15 ? v.slice(0, 13) : v);
  if (n === undefined) return undefined;
  if (v.length === 10) return n * 1000;
  if (v.length >= 13 && v.length <= 19) return n; // first 13 digits are milliseconds
  return undefined;
}

function isDenied(action: string): boolean {
  return (
    action === 'deny' || action === 'blocked' || action === 'block' || action === 'dropped' || action === 'drop' || action === 'reset' || action === 'reject' ||
    // DoS-policy anomalies: the offending session was removed.
    action === 'clear_session'
  );
}

/** FortiOS writes `N/A` where a field has no value (user, group, assignip...). */
function valueOf(v: string | undefined): string | undefined {
  return v === undefined || v.length === 0 || v === 'N/A' ? undefined : v;
}

function setCountry(event: EcsEvent, side: 'source' | 'destination', country: string | undefined): void {
  if (country === undefined || country.length === 0 || country === 'Reserved') return;
  const ep = event[side];
  if (ep !== undefined) ep.geo = { country_name: country };
}

function setInterfaces(event: EcsEvent, kv: Record<string, string>): void {
  const obs = observer(event);
  if (kv.srcintf !== undefined) obs.ingress = { interface: { name: kv.srcintf } };
  if (kv.dstintf !== undefined) obs.egress = { interface: { name: kv.dstintf } };
}

/** Fields common to traffic and UTM logs: the five-tuple, NAT, counters, policy, user. */
function mapSession(event: EcsEvent, kv: Record<string, string>): void {
  setIp(event, 'source', kv.srcip);
  setPort(event, 'source', kv.srcport);
  setIp(event, 'destination', kv.dstip);
  setPort(event, 'destination', kv.dstport);
  const srcmac = kv.srcmac !== undefined ? ecsMac(kv.srcmac) : undefined;
  if (srcmac !== undefined && event.source !== undefined) event.source.mac = srcmac;
  setCountry(event, 'source', kv.srccountry);
  setCountry(event, 'destination', kv.dstcountry);
  setInterfaces(event, kv);
  setTransport(event, kv.proto);
  if (kv.service !== undefined && kv.service.length > 0) network(event).protocol = kv.service.toLowerCase();
  if (kv.app !== undefined && kv.app.length > 0) network(event).application = kv.app;
  // trandisp says which side was translated: snat → transip/transport, dnat → tranip/tranport.
  if (kv.transip !== undefined || kv.transport !== undefined) setNat(event, 'source', kv.transip, kv.transport);
  if (kv.tranip !== undefined || kv.tranport !== undefined) setNat(event, 'destination', kv.tranip, kv.tranport);
  setBytes(event, 'source', kv.sentbyte);
  setBytes(event, 'destination', kv.rcvdbyte);
  setPackets(event, 'source', kv.sentpkt);
  setPackets(event, 'destination', kv.rcvdpkt);
  sumNetworkCounters(event);
  const duration = parseCount(kv.duration);
  if (duration !== undefined) setDurationSeconds(event, duration);
  if (kv.policyid !== undefined) rule(event).id = kv.policyid;
  if (kv.policyname !== undefined) rule(event).name = kv.policyname;
  if (kv.poluuid !== undefined) rule(event).uuid = kv.poluuid;
  setUserName(event, valueOf(kv.user));
  const group = valueOf(kv.group);
  if (group !== undefined && event.user !== undefined) event.user.group = { name: group };
}

function mapTraffic(event: EcsEvent, kv: Record<string, string>): void {
  const action = kv.action ?? '';
  if (isDenied(action)) {
    categorize(event, 'network', 'connection', 'failure');
    addType(event, 'denied');
  } else {
    categorize(event, 'network', 'connection', 'success');
    addType(event, 'allowed');
    addType(event, action === 'start' ? 'start' : 'end');
  }
}

function mapUtm(event: EcsEvent, kv: Record<string, string>, subtype: string | undefined): void {
  const action = kv.action ?? '';
  const blocked = isDenied(action);
  switch (subtype) {
    case 'virus':
      event.event.kind = 'alert';
      categorize(event, 'malware', 'info');
      addCategory(event, 'network');
      if (kv.virus !== undefined) rule(event).name = kv.virus;
      if (kv.virusid !== undefined) rule(event).id = kv.virusid;
      if (kv.filename !== undefined) event.file = { name: kv.filename };
      if (kv.url !== undefined) event.url = { original: kv.url };
      break;
    case 'webfilter': {
      categorize(event, 'web', 'access');
      addCategory(event, 'network');
      const host = kv.hostname;
      const path = kv.url;
      if (host !== undefined && (isHostname(host) || isIpAddress(host))) {
        const scheme = kv.service === 'HTTPS' ? 'https' : kv.service === 'HTTP' ? 'http' : undefined;
        event.url = { domain: host };
        if (path !== undefined) {
          setUrlPath(event.url, path);
          if (scheme !== undefined) event.url.original = `${scheme}://${host}${path}`;
        }
        if (event.destination !== undefined) event.destination.domain = host;
      } else if (path !== undefined) {
        event.url = { original: path };
      }
      if (kv.catdesc !== undefined) rule(event).category = kv.catdesc;
      break;
    }
    case 'ips':
    case 'anomaly':
      event.event.kind = 'alert';
      categorize(event, 'intrusion_detection', 'info');
      addCategory(event, 'network');
      if (kv.attack !== undefined) rule(event).name = kv.attack;
      if (kv.attackid !== undefined) rule(event).id = kv.attackid;
      break;
    case 'app-ctrl':
      categorize(event, 'network', 'connection');
      if (kv.appcat !== undefined) rule(event).category = kv.appcat;
      break;
    default:
      categorize(event, 'network', 'info');
      break;
  }
  addType(event, blocked ? 'denied' : 'allowed');
  event.event.outcome = blocked ? 'failure' : 'success';
}

/** FortiOS writes `ui="https(172.16.200.254)"` for admin sessions; the source IP is inside. */
function sourceFromUi(event: EcsEvent, ui: string | undefined): void {
  if (ui === undefined || event.source !== undefined) return;
  const open = ui.indexOf('(');
  const close = ui.lastIndexOf(')');
  if (open > 0 && close > open) setAddress(event, 'source', ui.slice(open + 1, close));
}

function outcomeOf(status: string | undefined, action: string): 'success' | 'failure' | undefined {
  if (status === 'success' || status === 'succeeded') return 'success';
  // IPsec: `negotiate_error`, `timeout`...
  if (status === 'failed' || status === 'failure' || status === 'negotiate_error' || status === 'timeout') return 'failure';
  if (action.endsWith('-fail') || action.endsWith('_fail')) return 'failure';
  return undefined;
}

function mapEvent(event: EcsEvent, kv: Record<string, string>): void {
  const action = kv.action ?? '';
  const status = kv.status;
  if (kv.logdesc !== undefined) event.event.reason = kv.logdesc;
  if (kv.reason !== undefined && kv.reason !== 'N/A') event.event.reason = kv.reason;
  switch (kv.subtype) {
    case 'system':
      sourceFromUi(event, kv.ui);
      if (action === 'login' || action === 'logout') {
        categorize(event, 'authentication', action === 'login' ? 'start' : 'end', outcomeOf(status, action));
      } else if (kv.cfgpath !== undefined || action === 'Edit' || action === 'Add' || action === 'Delete') {
        categorize(event, 'configuration', action === 'Add' ? 'creation' : action === 'Delete' ? 'deletion' : 'change', 'success');
      } else {
        categorize(event, 'host', 'info');
      }
      break;
    case 'vpn':
      setAddress(event, 'source', kv.remip);
      setPort(event, 'source', kv.remport);
      setAddress(event, 'destination', kv.locip);
      setPort(event, 'destination', kv.locport);
      if (action.startsWith('ssl-login') || action === 'negotiate' || action.indexOf('auth') >= 0) {
        categorize(event, 'authentication', 'start', outcomeOf(status, action));
      } else if (action === 'tunnel-up' || action === 'ssl-new-con') {
        categorize(event, 'session', 'start', 'success');
      } else if (action === 'tunnel-down' || action === 'ssl-exit') {
        categorize(event, 'session', 'end', 'success');
      } else {
        categorize(event, 'network', 'info', outcomeOf(status, action));
      }
      addCategory(event, 'network');
      break;
    case 'user':
      categorize(event, 'authentication', 'start', outcomeOf(status, action));
      break;
    default:
      categorize(event, 'host', 'info', outcomeOf(status, action));
      break;
  }
}

/**
 * When the event happened on the device: `eventtime` first; without it (FortiOS 5.x, early 6.0)
 * `date=` + `time=` in the device's zone, which is `tz=` when written (6.2+) or else the collector's
 * configured zone. A log the FortiGate buffered through a WAN outage thus keeps its own time rather
 * than the later receive time. Undefined (keep the time the event has) when neither reads.
 */
function deviceMillis(kv: Record<string, string>, ctx: NormalizeContext): number | undefined {
  const ms = eventTimeMillis(kv.eventtime);
  return ms !== undefined ? ms : deviceTimeMillis(kv.date, kv.time, kv.tz, ctx.timezone);
}

/** A FortiGate sends many logs per second: their times share a formatted second (and, without eventtime, the whole string). */
const deviceTimes = new IsoTimeCache();

export function normalizeFortigate(msg: SyslogMessage, event: EcsEvent, ctx: NormalizeContext): boolean {
  const text = msg.message;
  const start = findStart(text);
  if (start < 0) return false;
  const kv = parseKeyValues(text, start);
  if (kv === undefined || kv.type === undefined) return false;
  setDataset(event, 'fortinet.fortigate');
  setObserver(event, 'Fortinet', 'FortiGate', 'firewall');
  event.fortinet = { fortigate: kv };

  const obs = observer(event);
  if (kv.devname !== undefined && kv.devname.length > 0) {
    obs.name = kv.devname;
    obs.hostname = kv.devname;
  }
  if (kv.devid !== undefined) obs.serial_number = kv.devid;
  if (kv.logid !== undefined) event.event.code = kv.logid;
  if (kv.level !== undefined) {
    if (event.log !== undefined) event.log.level = kv.level;
    else event.log = { level: kv.level };
  }
  if (kv.action !== undefined && kv.action.length > 0) event.event.action = kv.action;
  if (kv.msg !== undefined && kv.msg.length > 0) event.message = kv.msg;
  // Unreadable, or beyond what Date can represent: the time the event has stays.
  event['@timestamp'] = deviceTimes.formatOr(deviceMillis(kv, ctx), event['@timestamp']);

  mapSession(event, kv);
  if (kv.type === 'traffic') mapTraffic(event, kv);
  else if (kv.type === 'utm') mapUtm(event, kv, kv.subtype);
  // FortiOS 5.x wrote the UTM subtype as the type (type=virus subtype=infected).
  else if (kv.type === 'virus' || kv.type === 'webfilter' || kv.type === 'ips' || kv.type === 'app-ctrl') mapUtm(event, kv, kv.type);
  else if (kv.type === 'event') mapEvent(event, kv);
  else return false;
  return true;
}
