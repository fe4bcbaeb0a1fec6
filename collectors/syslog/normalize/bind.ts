/**
 * ISC BIND 9 `named`: query logging (category `queries`), refused queries, zone transfers and
 * dynamic updates (category `security`), outgoing transfers (`xfer-out`) and lame servers
 * (`lame-servers`). named writes the client as `addr#port`; 9.11+ put the client object's address
 * (`@0x7f…`) before it, and a server with views names the view (`view internal: `). A syslog
 * channel with `print-category yes; print-severity yes;` prefixes `queries: info: `.
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { addType, categorize, isIpAddress, network, setAddress, setDataset, setIp, setObserver, setPort } from './fields';

interface DnsQuestion {
  name: string;
  type?: string;
  class?: string;
}

// `client @0x7f… 10.1.2.3#53012 (example.com): view internal: ` — the part every client line shares.
const CLIENT = /^client (?:@0x[0-9a-fA-F]+ )?(\S+)#(\d+)(?: \([^)]*\))?: (?:view ([^:]+): )?/;
// `query: example.com IN A +E(0)K (10.0.0.53)`: name, class, type, flags, the server address it arrived on.
const QUERY = /^query: (\S+) (\S+) (\S+) ([+-]\S*) \(([^)]+)\)/;
// `query (cache) 'x.com/A/IN' denied (allow-query-cache did not match)`, `zone transfer 'z/AXFR/IN' denied`
const DENIED = /^(query \(cache\)|query|zone transfer|update|notify) '([^']*)' denied(?: \((.*)\))?/;
// `transfer of 'example.org/IN': AXFR started (serial 2024030401)` / `AXFR ended`
const TRANSFER = /^transfer of '([^']*)': (AXFR|IXFR) (started|ended)/;
// `lame server resolving 'www.example.com' (in 'example.com'?): 192.0.2.1#53`
const LAME = /^lame server resolving '([^']*)' \(in '[^']*'\?\): (\S+)#(\d+)/;

const DENIED_ACTIONS: Record<string, string> = {
  'query (cache)': 'query-denied',
  query: 'query-denied',
  'zone transfer': 'zone-transfer-denied',
  update: 'update-denied',
  notify: 'notify-denied',
};

/** `name/TYPE/CLASS` (queries, transfers) or `zone/CLASS` (updates); the name may hold a slash. */
function splitQuoted(text: string, withType: boolean): DnsQuestion | undefined {
  const last = text.lastIndexOf('/');
  if (last <= 0) return undefined;
  const cls = text.slice(last + 1);
  if (!withType) return { name: text.slice(0, last), class: cls };
  const prev = text.lastIndexOf('/', last - 1);
  if (prev <= 0) return undefined;
  return { name: text.slice(0, prev), type: text.slice(prev + 1, last), class: cls };
}

function setQuestion(event: EcsEvent, q: DnsQuestion): void {
  const question: Record<string, string> = { name: q.name };
  if (q.type !== undefined) question.type = q.type;
  if (q.class !== undefined) question.class = q.class;
  event.dns = { type: 'query', question };
}

/** Drops a `print-category`/`print-severity` prefix (`queries: info: client …`). */
function stripCategory(m: string): string {
  if (m.charCodeAt(0) === 99 /* c */ && m.startsWith('client ')) return m;
  const at = m.indexOf(': client ');
  if (at <= 0 || at > 40) return m;
  return m.slice(at + 2);
}

interface BindFields {
  view?: string;
  query?: { flags: string };
}

/** The querying client (`addr#port`) and the view, written once the rest of the line matched. */
function setClient(event: EcsEvent, head: RegExpExecArray): void {
  setIp(event, 'source', head[1]);
  setPort(event, 'source', head[2]);
  const bind: BindFields = {};
  if (head[3] !== undefined) bind.view = head[3];
  event.bind = bind;
}

function clientLine(event: EcsEvent, m: string): boolean {
  const head = CLIENT.exec(m);
  if (head === null) return false;
  if (!isIpAddress(head[1])) return false;
  const rest = m.slice(head[0].length);
  let r: RegExpExecArray | null;
  if ((r = QUERY.exec(rest)) !== null) {
    setDataset(event, 'bind.query');
    categorize(event, 'network', 'protocol');
    event.event.action = 'dns-query';
    setQuestion(event, { name: r[1], class: r[2], type: r[3] });
    const flags = r[4];
    // `T` marks a query over TCP (BIND's query-log flag letters: + recursion, S signed, E(n) EDNS, T TCP, D DO, C CD, V/K cookie).
    network(event).transport = flags.indexOf('T') >= 0 ? 'tcp' : 'udp';
    network(event).protocol = 'dns';
    setIp(event, 'destination', r[5]);
    setClient(event, head);
    (event.bind as BindFields).query = { flags };
    return true;
  }
  if ((r = DENIED.exec(rest)) !== null) {
    const question = splitQuoted(r[2], r[1] !== 'update');
    if (question === undefined) return false;
    setDataset(event, 'bind.security');
    categorize(event, 'network', 'protocol', 'failure');
    addType(event, 'denied');
    event.event.action = DENIED_ACTIONS[r[1]];
    setQuestion(event, question);
    network(event).protocol = 'dns';
    if (r[3] !== undefined) event.event.reason = r[3];
    setClient(event, head);
    return true;
  }
  if ((r = TRANSFER.exec(rest)) !== null) {
    const zone = splitQuoted(r[1], false);
    if (zone === undefined) return false;
    setDataset(event, 'bind.xfer_out');
    categorize(event, 'network', 'protocol', 'success');
    addType(event, 'allowed');
    event.event.action = r[3] === 'started' ? 'zone-transfer-started' : 'zone-transfer-ended';
    setQuestion(event, { name: zone.name, type: r[2], class: zone.class });
    network(event).protocol = 'dns';
    network(event).transport = 'tcp';
    setClient(event, head);
    return true;
  }
  return false;
}

export function normalizeBind(msg: SyslogMessage, event: EcsEvent): boolean {
  const m = stripCategory(msg.message);
  const c = m.charCodeAt(0);
  if (c === 99 /* c */ && clientLine(event, m)) {
    setObserver(event, 'ISC', 'BIND', 'dns');
    return true;
  }
  let r: RegExpExecArray | null;
  if (c === 108 /* l */ && (r = LAME.exec(m)) !== null && setAddress(event, 'destination', r[2])) {
    setObserver(event, 'ISC', 'BIND', 'dns');
    setDataset(event, 'bind.lame_servers');
    categorize(event, 'network', 'protocol', 'failure');
    event.event.action = 'lame-server';
    setQuestion(event, { name: r[1] });
    setPort(event, 'destination', r[3]);
    network(event).protocol = 'dns';
    return true;
  }
  return false;
}
