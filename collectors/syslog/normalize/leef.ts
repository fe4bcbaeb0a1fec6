/**
 * IBM QRadar LEEF 1.0/2.0 → ECS, using LEEF's predefined attribute keys (src, dst, srcPort,
 * dstPort, srcPreNAT/srcPostNAT…, usrName, proto, srcBytes/dstBytes, srcPackets/dstPackets, url,
 * identHostName, isLoginEvent/isLogoutEvent, devTime). Every attribute is kept under
 * `leef.attributes`; the header names the observer.
 */
import type { EcsEvent } from '../../../core/event';
import { parseLeef } from '../parse/leef';
import type { LeefRecord, SyslogMessage } from '../parse/types';
import {
  categorize,
  isoFromMillis,
  network,
  observer,
  parseCount,
  setAddress,
  setBytes,
  setConnectionVerdict,
  setDataset,
  setNat,
  setPackets,
  setPort,
  setTransport,
  setUserName,
  sumNetworkCounters,
} from './fields';

function get(attrs: Record<string, string>, key: string): string | undefined {
  const v = attrs[key];
  return v === undefined || v.length === 0 ? undefined : v;
}

/** devTime as epoch milliseconds or ISO 8601 with a zone; the zone-less default pattern is left to the header time. */
function leefTime(v: string | undefined): string | undefined {
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

export function applyLeefRecord(rec: LeefRecord, event: EcsEvent): void {
  setDataset(event, 'leef');
  const a = rec.attributes;
  const obs = observer(event);
  if (rec.vendor.length > 0) obs.vendor = rec.vendor;
  if (rec.product.length > 0) obs.product = rec.product;
  if (rec.eventId.length > 0) event.event.code = rec.eventId;

  // src is the address as seen; srcPreNAT/srcPostNAT name both sides of a translation.
  setAddress(event, 'source', get(a, 'src') ?? get(a, 'srcPreNAT'));
  setPort(event, 'source', get(a, 'srcPort') ?? get(a, 'srcPreNATPort'));
  setAddress(event, 'destination', get(a, 'dst') ?? get(a, 'dstPreNAT'));
  setPort(event, 'destination', get(a, 'dstPort') ?? get(a, 'dstPreNATPort'));
  setNat(event, 'source', get(a, 'srcPostNAT'), get(a, 'srcPostNATPort'));
  setNat(event, 'destination', get(a, 'dstPostNAT'), get(a, 'dstPostNATPort'));
  setBytes(event, 'source', get(a, 'srcBytes'));
  setBytes(event, 'destination', get(a, 'dstBytes'));
  setPackets(event, 'source', get(a, 'srcPackets'));
  setPackets(event, 'destination', get(a, 'dstPackets'));
  sumNetworkCounters(event);
  const total = parseCount(get(a, 'totalPackets'));
  if (total !== undefined) network(event).packets = total;
  setTransport(event, get(a, 'proto'));
  setUserName(event, get(a, 'usrName') ?? get(a, 'accountName') ?? get(a, 'identUsrName'));
  const domain = get(a, 'domain');
  if (domain !== undefined && event.user !== undefined && event.user.domain === undefined) event.user.domain = domain;
  const url = get(a, 'url');
  if (url !== undefined) event.url = { original: url };
  const ts = leefTime(get(a, 'devTime'));
  if (ts !== undefined) event['@timestamp'] = ts;
  const action = get(a, 'action') ?? get(a, 'act');
  if (action !== undefined) event.event.action = action;
  const policy = get(a, 'policy');
  if (policy !== undefined) event.rule = { name: policy };
  if (get(a, 'isLoginEvent') === 'true') categorize(event, 'authentication', 'start');
  else if (get(a, 'isLogoutEvent') === 'true') categorize(event, 'authentication', 'end');
  else setConnectionVerdict(event, action);

  event.leef = {
    version: rec.version,
    vendor: rec.vendor,
    product: rec.product,
    product_version: rec.productVersion,
    event_id: rec.eventId,
    category: get(a, 'cat'),
    severity: get(a, 'sev'),
    attributes: a,
  };
}

export function normalizeLeef(msg: SyslogMessage, event: EcsEvent): boolean {
  const text = msg.appName === 'LEEF' && msg.message.charCodeAt(0) !== 76 ? 'LEEF:' + msg.message : msg.message;
  const rec = parseLeef(text);
  if (rec === null) return false;
  applyLeefRecord(rec, event);
  return true;
}
