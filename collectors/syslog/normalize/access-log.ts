/**
 * Web server access logs sent over syslog (nginx `access_log syslog:`, Apache via logger or
 * rsyslog imfile) in NCSA common/combined format, optionally preceded by the virtual host
 * (Apache vhost_combined `%v:%p`):
 *   www.example.com:443 10.0.0.1 - bob [10/Oct/2023:13:55:36 +0200] "GET /a?b=1 HTTP/1.1" 200 2326 "-" "curl/8.0"
 * nginx error-log lines (`2023/10/10 13:55:36 [error] 123#123: ...`) are recognised too.
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { categorize, isoFromMillis, parseCount, parsePort, setAddress, setDataset, setUrlPath, setUserName } from './fields';

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const CLF_TIME = /^(\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/;
const NGINX_ERROR = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[(\w+)\] (\d+)#\d+: (.*)$/;

/** `10/Oct/2000:13:55:36 -0700` → epoch milliseconds. */
function parseClfTime(s: string): number | undefined {
  const r = CLF_TIME.exec(s);
  if (r === null) return undefined;
  const month = MONTHS[r[2]];
  if (month === undefined) return undefined;
  const utc = Date.UTC(Number(r[3]), month, Number(r[1]), Number(r[4]), Number(r[5]), Number(r[6]));
  const offset = (Number(r[8]) * 60 + Number(r[9])) * 60000;
  return r[7] === '+' ? utc - offset : utc + offset;
}

/** Reads a `"..."` field starting at `at` (which must be the quote); backslash escapes are kept verbatim. */
function readQuoted(text: string, at: number): { value: string; end: number } | undefined {
  if (text.charCodeAt(at) !== 34) return undefined;
  let i = at + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      i += 2;
      continue;
    }
    if (c === 34) return { value: text.slice(at + 1, i), end: i + 1 };
    i++;
  }
  return undefined;
}

function isMethod(s: string): boolean {
  if (s.length === 0 || s.length > 16) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || c === 95 || c === 45)) return false;
  }
  return true;
}

/** Fills url.* and http.* from the request line `GET /path?q HTTP/1.1`. */
function setRequest(event: EcsEvent, request: string, vhost: string | undefined): void {
  const sp1 = request.indexOf(' ');
  const sp2 = request.lastIndexOf(' ');
  if (sp1 <= 0) return;
  const method = request.slice(0, sp1);
  if (!isMethod(method)) return;
  const target = sp2 > sp1 ? request.slice(sp1 + 1, sp2) : request.slice(sp1 + 1);
  const proto = sp2 > sp1 ? request.slice(sp2 + 1) : '';
  const http = event.http ?? {};
  http.request = { method };
  if (proto.startsWith('HTTP/')) http.version = proto.slice(5);
  event.http = http;
  const url: NonNullable<EcsEvent['url']> = { original: target };
  setUrlPath(url, target);
  if (vhost !== undefined) url.domain = vhost;
  event.url = url;
}

/** Parses an access-log line into the event; false (with nothing written) when the shape differs. */
export function parseAccessLog(text: string, event: EcsEvent): boolean {
  const open = text.indexOf(' [');
  if (open < 7 || open > 400) return false;
  const close = text.indexOf('] "', open);
  if (close < 0 || close - open > 40) return false;
  const head = text.slice(0, open).split(' ');
  if (head.length !== 3 && head.length !== 4) return false;
  const time = parseClfTime(text.slice(open + 2, close));
  if (time === undefined) return false;
  const req = readQuoted(text, close + 2);
  if (req === undefined) return false;
  // ` 200 2326` after the request.
  let i = req.end + 1;
  const statusEnd = text.indexOf(' ', i);
  const status = parseCount(text.slice(i, statusEnd < 0 ? text.length : statusEnd));
  if (status === undefined || status < 100 || status > 599) return false;

  let vhost: string | undefined;
  let vport: number | undefined;
  const h = head.length === 4 ? 1 : 0;
  if (h === 1) {
    const colon = head[0].lastIndexOf(':');
    vhost = colon > 0 ? head[0].slice(0, colon) : head[0];
    vport = colon > 0 ? parsePort(head[0].slice(colon + 1)) : undefined;
  }
  if (!setAddress(event, 'source', head[h])) return false;
  setUserName(event, head[h + 2]);
  const iso = isoFromMillis(time);
  if (iso !== undefined) event['@timestamp'] = iso;
  setRequest(event, req.value, vhost);
  if (vhost !== undefined) {
    event.destination = vport !== undefined ? { domain: vhost, port: vport } : { domain: vhost };
    if (vport !== undefined && event.url !== undefined) event.url.port = vport;
  }
  const http = event.http ?? {};
  http.response = { status_code: status };
  event.http = http;
  if (statusEnd > 0) {
    i = statusEnd + 1;
    const bytesEnd = text.indexOf(' ', i);
    const bytes = parseCount(text.slice(i, bytesEnd < 0 ? text.length : bytesEnd));
    if (bytes !== undefined) http.response.body = { bytes };
    if (bytesEnd > 0) {
      const referrer = readQuoted(text, bytesEnd + 1);
      if (referrer !== undefined) {
        if (referrer.value !== '-' && referrer.value.length > 0) {
          if (http.request !== undefined) http.request.referrer = referrer.value;
          else http.request = { referrer: referrer.value };
        }
        const agent = readQuoted(text, referrer.end + 1);
        if (agent !== undefined && agent.value !== '-' && agent.value.length > 0) event.user_agent = { original: agent.value };
      }
    }
  }
  categorize(event, 'web', 'access', status < 400 ? 'success' : 'failure');
  if (status >= 400) event.event.type = ['access', 'error'];
  return true;
}

function serverOf(appName: string | undefined): 'nginx' | 'apache' | undefined {
  if (appName === undefined) return undefined;
  const lower = appName.toLowerCase();
  if (lower.startsWith('nginx')) return 'nginx';
  if (lower.startsWith('apache') || lower.startsWith('httpd')) return 'apache';
  return undefined;
}

export function normalizeAccessLog(msg: SyslogMessage, event: EcsEvent): boolean {
  const server = serverOf(msg.appName);
  if (parseAccessLog(msg.message, event)) {
    setDataset(event, server === undefined ? 'http.access' : `${server}.access`);
    return true;
  }
  if (server === 'nginx') {
    const r = NGINX_ERROR.exec(msg.message);
    setDataset(event, 'nginx.error');
    if (r === null) return false;
    event.log = { ...event.log, level: r[1] };
    event.message = r[3];
    categorize(event, 'web', 'error');
    return true;
  }
  if (server !== undefined) setDataset(event, `${server}.error`);
  return false;
}
