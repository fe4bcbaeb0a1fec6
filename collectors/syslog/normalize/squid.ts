/**
 * Squid access log sent over syslog (`access_log syslog:local4.info squid`), native format:
 * `time elapsed remotehost code/status bytes method URL rfc931 hierarchy/peerhost type`, fields
 * separated by one or more spaces (Squid pads `elapsed` to 6 characters). Squid 4+ tags its syslog
 * lines `(squid-1)`. An access log in Apache's common/combined format goes to the access-log parser.
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { parseAccessLog } from './access-log';
import { addCategory, isHostname, isIpAddress, parseCount, parsePort, setAddress, setDataset, setDurationSeconds, setObserver, setUrlPath, setUserName } from './fields';

const FIELDS = 10;

/** Splits on runs of spaces into at most `max` fields (the last keeps the rest of the line). */
function splitFields(s: string, max: number): string[] {
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  while (i < n && out.length < max) {
    while (i < n && s.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    let end = s.indexOf(' ', i);
    if (end < 0 || out.length === max - 1) end = n;
    out.push(s.slice(i, end));
    i = end;
  }
  return out;
}

/** Host and port of `host:port`, `[v6]:port` or `host`; undefined when the host is neither an IP nor a name. */
function splitHostPort(hostPort: string): { host: string; port?: number } | undefined {
  let host = hostPort;
  let portText: string | undefined;
  if (host.charCodeAt(0) === 91 /* [ */) {
    const close = host.indexOf(']');
    if (close < 0) return undefined;
    if (host.charCodeAt(close + 1) === 58) portText = host.slice(close + 2);
    host = host.slice(1, close);
  } else {
    const colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(':') === colon) {
      portText = host.slice(colon + 1);
      host = host.slice(0, colon);
    }
  }
  if (!isIpAddress(host) && !isHostname(host)) return undefined;
  const port = parsePort(portText);
  if (portText !== undefined && port === undefined) return undefined;
  return port !== undefined ? { host, port } : { host };
}

/** `http://host:8080/a/b?x=1`, or the `host:443` of a CONNECT, into ECS url.*. */
function setUrl(event: EcsEvent, target: string, method: string): void {
  const url: NonNullable<EcsEvent['url']> = { original: target };
  let rest = target;
  const scheme = target.indexOf('://');
  if (scheme > 0 && scheme < 10) {
    url.scheme = target.slice(0, scheme).toLowerCase();
    rest = target.slice(scheme + 3);
  } else if (method !== 'CONNECT') {
    // A path alone (transparent interception logs `/index.html` in some setups).
    rest = '';
    setUrlPath(url, target);
  }
  if (rest.length > 0) {
    let slash = rest.indexOf('/');
    const q = rest.indexOf('?');
    if (q >= 0 && (slash < 0 || q < slash)) slash = q;
    const hp = splitHostPort(slash < 0 ? rest : rest.slice(0, slash));
    if (hp !== undefined) {
      url.domain = hp.host;
      if (hp.port !== undefined) url.port = hp.port;
    }
    if (slash >= 0) {
      setUrlPath(url, rest.slice(slash));
    }
  }
  event.url = url;
}

interface SquidFields {
  result_code: string;
  hierarchy_code?: string;
  content_type?: string;
}

export function normalizeSquid(msg: SyslogMessage, event: EcsEvent): boolean {
  const m = msg.message;
  const c = m.charCodeAt(0);
  if (c < 48 || c > 57) {
    if (!parseAccessLog(m, event)) return false;
    setDataset(event, 'squid.access');
    setObserver(event, 'Squid', 'Squid', 'proxy');
    addCategory(event, 'network');
    return true;
  }
  const f = splitFields(m, FIELDS);
  if (f.length < 7) return false;
  const slash = f[3].indexOf('/');
  if (slash <= 0) return false;
  const resultCode = f[3].slice(0, slash);
  const status = parseCount(f[3].slice(slash + 1));
  const elapsedMs = parseCount(f[1]);
  if (status === undefined || elapsedMs === undefined || !setAddress(event, 'source', f[2])) return false;

  setDataset(event, 'squid.access');
  setObserver(event, 'Squid', 'Squid', 'proxy');
  const method = f[5];
  // Squid writes NONE/000 for requests it never forwarded (errors, aborted clients): no HTTP status.
  const http: NonNullable<EcsEvent['http']> = { request: { method } };
  if (status >= 100 && status <= 599) http.response = { status_code: status };
  const bytes = parseCount(f[4]);
  if (bytes !== undefined) http.response = { ...http.response, bytes };
  event.http = http;
  setUrl(event, f[6], method);
  setDurationSeconds(event, elapsedMs / 1000);
  if (f[7] !== undefined) setUserName(event, f[7]);

  const squid: SquidFields = { result_code: resultCode };
  if (f[8] !== undefined) {
    const peer = f[8].indexOf('/');
    squid.hierarchy_code = peer > 0 ? f[8].slice(0, peer) : f[8];
    if (peer > 0 && peer < f[8].length - 1) setAddress(event, 'destination', f[8].slice(peer + 1));
  }
  if (f[9] !== undefined && f[9] !== '-') squid.content_type = f[9];
  event.squid = { access: squid };
  if (event.url?.domain !== undefined) {
    const dest = event.destination ?? {};
    dest.domain = event.url.domain;
    if (event.url.port !== undefined) dest.port = event.url.port;
    event.destination = dest;
  }

  const denied = resultCode.indexOf('DENIED') >= 0;
  event.event.category = ['network', 'web'];
  event.event.type = ['access', denied ? 'denied' : 'allowed'];
  event.event.outcome = denied || status < 100 || status >= 400 ? 'failure' : 'success';
  event.event.action = resultCode.toLowerCase();
  return true;
}
