/**
 * The one event shape everything in socnoc speaks: Elastic Common Schema field names, nested as
 * ECS nests them ({ source: { ip } }), so Sigma field mappings and Elasticsearch storage are one table.
 * Only the fields socnoc fills are typed; vendor extras go under their own namespace (e.g. `fortinet`).
 */
import { timeOrderedUuid } from './event-id';

export type EventKind = 'event' | 'alert' | 'metric' | 'state' | 'pipeline_error' | 'signal';
export type EventOutcome = 'success' | 'failure' | 'unknown';

export interface EcsEndpoint {
  ip?: string;
  port?: number;
  address?: string;
  domain?: string;
  mac?: string;
  bytes?: number;
  packets?: number;
  nat?: { ip?: string; port?: number };
  geo?: { country_iso_code?: string; country_name?: string; city_name?: string };
  as?: { number?: number; organization?: { name?: string } };
  user?: { name?: string; domain?: string };
}

export interface EcsEvent {
  '@timestamp': string;
  message?: string;
  tags?: string[];
  labels?: Record<string, string>;
  event: {
    id: string;
    created?: string;
    ingested?: string;
    original?: string;
    kind?: EventKind;
    category?: string[];
    type?: string[];
    action?: string;
    outcome?: EventOutcome;
    severity?: number;
    dataset?: string;
    module?: string;
    provider?: string;
    code?: string;
    reason?: string;
    duration?: number;
    /** When the activity began and ended (flows, sessions), ISO 8601. */
    start?: string;
    end?: string;
    timezone?: string;
  };
  organization?: { id: string; name?: string };
  source?: EcsEndpoint;
  destination?: EcsEndpoint;
  client?: EcsEndpoint;
  server?: EcsEndpoint;
  network?: {
    transport?: string;
    protocol?: string;
    iana_number?: string;
    direction?: string;
    bytes?: number;
    packets?: number;
    application?: string;
    type?: string;
  };
  host?: { name?: string; hostname?: string; ip?: string[]; mac?: string[]; os?: { family?: string; name?: string; version?: string } };
  user?: {
    name?: string;
    id?: string;
    domain?: string;
    email?: string;
    group?: { name?: string; id?: string };
    target?: { name?: string; id?: string; group?: { name?: string } };
    effective?: { name?: string; id?: string };
    changes?: { name?: string };
  };
  group?: { name?: string; id?: string };
  process?: { name?: string; pid?: number; command_line?: string; executable?: string; parent?: { name?: string; pid?: number } };
  file?: { path?: string; name?: string; hash?: { sha256?: string; md5?: string; sha1?: string } };
  url?: { original?: string; domain?: string; path?: string; query?: string; extension?: string; scheme?: string; port?: number };
  http?: {
    request?: { method?: string; referrer?: string; bytes?: number };
    response?: { status_code?: number; bytes?: number; body?: { bytes?: number } };
    version?: string;
  };
  user_agent?: { original?: string };
  observer?: {
    hostname?: string;
    ip?: string[];
    vendor?: string;
    product?: string;
    type?: string;
    name?: string;
    serial_number?: string;
    ingress?: { interface?: { name?: string; id?: string }; zone?: string };
    egress?: { interface?: { name?: string; id?: string }; zone?: string };
  };
  interface?: { name?: string; alias?: string; id?: string };
  rule?: { id?: string; name?: string; category?: string; ruleset?: string; description?: string; uuid?: string };
  threat?: { indicator?: { type?: string; ip?: string }; technique?: { id?: string[]; name?: string[] } };
  vulnerability?: { id?: string; severity?: string };
  winlog?: { event_id?: string; channel?: string; provider_name?: string; computer_name?: string; event_data?: Record<string, string>; record_id?: string; logon?: { type?: string } };
  log?: {
    level?: string;
    logger?: string;
    file?: { path?: string };
    syslog?: {
      facility?: { code?: number; name?: string };
      severity?: { code?: number; name?: string };
      priority?: number;
      hostname?: string;
      appname?: string;
      procid?: string;
      msgid?: string;
      version?: string;
      structured_data?: Record<string, Record<string, string>>;
      /** socnoc extension (ECS has none): how many times a syslog daemon said the message repeated. */
      repeat_count?: number;
    };
    source?: { address?: string };
  };
  /** Vendor or module specific namespaces (ECS allows custom top-level objects). */
  [namespace: string]: unknown;
}

/** Unique per event (storage is idempotent on it) and time-ordered, see ./event-id.ts. */
export function newEventId(): string {
  return timeOrderedUuid();
}

/**
 * Reads a dotted ECS path ("source.ip") from a nested event. Also accepts flat keys containing dots
 * at any level, because some producers (Winlogbeat JSON) send `{"event.code": "4625"}`.
 */
export function getField(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  let rest = path;
  while (rest.length > 0) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const obj = cur as Record<string, unknown>;
    if (rest in obj) return obj[rest];
    const dot = rest.indexOf('.');
    if (dot < 0) return undefined;
    // Prefer the longest flat key that matches a prefix, then descend.
    let advanced = false;
    for (let i = rest.lastIndexOf('.'); i > 0; i = rest.lastIndexOf('.', i - 1)) {
      const head = rest.slice(0, i);
      if (head in obj) {
        cur = obj[head];
        rest = rest.slice(i + 1);
        advanced = true;
        break;
      }
    }
    if (!advanced) return undefined;
  }
  return cur;
}

/** Sets a dotted path in a nested object, creating the intermediate objects. */
export function setField(doc: Record<string, unknown>, path: string, value: unknown): void {
  let cur = doc;
  let start = 0;
  for (let dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', start)) {
    const key = path.slice(start, dot);
    let next = cur[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      next = {};
      cur[key] = next;
    }
    cur = next as Record<string, unknown>;
    start = dot + 1;
  }
  cur[path.slice(start)] = value;
}

export const UNASSIGNED_AGENCY = 'unassigned';
