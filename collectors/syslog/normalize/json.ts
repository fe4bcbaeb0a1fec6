/**
 * JSON messages (`{...}` as the syslog MSG): Windows event records (Winlogbeat or NXLog shape) and
 * any other JSON. Keys that are ECS fields socnoc knows (nested or dotted: `{"source":{"ip":..}}`
 * or `{"source.ip":..}`) are copied into place after checking their type; everything else is kept
 * as sent under the `json` namespace. Values of the wrong type are kept there too, never in ECS.
 */
import type { EcsEvent } from '../../../core/event';
import { setField } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { isIpAddress, parseCount, parsePort, setDataset } from './fields';
import { applyWindowsRecord, readNxlog, readWinlogbeat } from './windows';

/** s: string, S: string array, n: non-negative number, p: port, i: IP, I: IP array, o: outcome, k: kind. */
type LeafKind = 's' | 'S' | 'n' | 'p' | 'i' | 'I' | 'o' | 'k';

const ENDPOINT_LEAVES: Record<string, LeafKind> = {
  ip: 'i',
  port: 'p',
  address: 's',
  domain: 's',
  mac: 's',
  bytes: 'n',
  packets: 'n',
  'nat.ip': 'i',
  'nat.port': 'p',
  'user.name': 's',
  'user.domain': 's',
  'geo.country_iso_code': 's',
  'geo.country_name': 's',
  'geo.city_name': 's',
};

const ECS_LEAF_LIST: Record<string, LeafKind> = {
  message: 's',
  tags: 'S',
  'event.action': 's',
  'event.category': 'S',
  'event.type': 'S',
  'event.outcome': 'o',
  'event.kind': 'k',
  'event.code': 's',
  'event.provider': 's',
  'event.reason': 's',
  'event.severity': 'n',
  'event.duration': 'n',
  'network.transport': 's',
  'network.protocol': 's',
  'network.direction': 's',
  'network.application': 's',
  'network.type': 's',
  'network.iana_number': 's',
  'network.bytes': 'n',
  'network.packets': 'n',
  'host.name': 's',
  'host.hostname': 's',
  'host.ip': 'I',
  'host.os.family': 's',
  'host.os.name': 's',
  'host.os.version': 's',
  'user.name': 's',
  'user.id': 's',
  'user.domain': 's',
  'user.email': 's',
  'user.group.name': 's',
  'user.group.id': 's',
  'user.target.name': 's',
  'user.target.id': 's',
  'user.effective.name': 's',
  'user.effective.id': 's',
  'group.name': 's',
  'group.id': 's',
  'process.name': 's',
  'process.pid': 'n',
  'process.executable': 's',
  'process.command_line': 's',
  'process.parent.name': 's',
  'process.parent.pid': 'n',
  'file.path': 's',
  'file.name': 's',
  'file.hash.md5': 's',
  'file.hash.sha1': 's',
  'file.hash.sha256': 's',
  'url.original': 's',
  'url.domain': 's',
  'url.path': 's',
  'url.query': 's',
  'url.scheme': 's',
  'url.port': 'p',
  'http.request.method': 's',
  'http.request.referrer': 's',
  'http.request.bytes': 'n',
  'http.response.status_code': 'n',
  'http.response.bytes': 'n',
  'http.response.body.bytes': 'n',
  'http.version': 's',
  'user_agent.original': 's',
  'observer.vendor': 's',
  'observer.product': 's',
  'observer.type': 's',
  'observer.name': 's',
  'observer.hostname': 's',
  'observer.serial_number': 's',
  'rule.id': 's',
  'rule.name': 's',
  'rule.category': 's',
  'rule.ruleset': 's',
  'rule.description': 's',
  'rule.uuid': 's',
  'interface.name': 's',
  'interface.alias': 's',
  'interface.id': 's',
  'log.level': 's',
  'log.logger': 's',
  'vulnerability.id': 's',
  'vulnerability.severity': 's',
};
// A Map, so that keys such as `constructor` or `__proto__` in a payload find nothing.
const ECS_LEAVES = new Map<string, LeafKind>(Object.entries(ECS_LEAF_LIST));
for (const side of ['source', 'destination', 'client', 'server']) {
  for (const leaf of Object.keys(ENDPOINT_LEAVES)) ECS_LEAVES.set(`${side}.${leaf}`, ENDPOINT_LEAVES[leaf]);
}
/** Keys that would reach Object.prototype through setField: dropped from payloads. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const OUTCOMES = new Set(['success', 'failure', 'unknown']);
const KINDS = new Set(['event', 'alert', 'metric', 'state', 'pipeline_error', 'signal']);
const MAX_DEPTH = 8;
const MAX_LEAVES = 2000;

function isString(x: unknown): boolean {
  return typeof x === 'string';
}

function isIpString(x: unknown): boolean {
  return typeof x === 'string' && isIpAddress(x);
}

function allMatch(values: unknown[], test: (x: unknown) => boolean): boolean {
  for (let i = 0; i < values.length; i++) if (!test(values[i])) return false;
  return true;
}

/** Returns the value converted to the ECS type, or undefined when it does not fit. */
function coerce(kind: LeafKind, v: unknown): unknown {
  switch (kind) {
    case 's':
      return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
    case 'S':
      if (typeof v === 'string') return [v];
      return Array.isArray(v) && allMatch(v, isString) ? v.slice() : undefined;
    case 'n':
      if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
      return typeof v === 'string' ? parseCount(v) : undefined;
    case 'p':
      if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 65535 ? v : undefined;
      return typeof v === 'string' ? parsePort(v) : undefined;
    case 'i':
      return typeof v === 'string' && isIpAddress(v) ? v : undefined;
    case 'I':
      if (typeof v === 'string') return isIpAddress(v) ? [v] : undefined;
      return Array.isArray(v) && allMatch(v, isIpString) ? v.slice() : undefined;
    case 'o':
      return typeof v === 'string' && OUTCOMES.has(v) ? v : undefined;
    case 'k':
      return typeof v === 'string' && KINDS.has(v) ? v : undefined;
  }
}

interface MergeState {
  event: EcsEvent;
  rest: Record<string, unknown>;
  leaves: number;
}

/** A dotted key such as `a.__proto__.b` is as dangerous as a nested one. */
function hasUnsafeSegment(key: string): boolean {
  if (key.indexOf('.') < 0) return false;
  const parts = key.split('.');
  for (let i = 0; i < parts.length; i++) if (UNSAFE_KEYS.has(parts[i])) return true;
  return false;
}

function merge(state: MergeState, obj: Record<string, unknown>, prefix: string, depth: number): void {
  for (const key of Object.keys(obj)) {
    if (state.leaves >= MAX_LEAVES) return;
    if (UNSAFE_KEYS.has(key) || hasUnsafeSegment(key)) continue;
    const path = prefix.length > 0 ? `${prefix}.${key}` : key;
    const v = obj[key];
    const kind = ECS_LEAVES.get(path);
    if (kind !== undefined) {
      state.leaves++;
      const value = coerce(kind, v);
      if (value !== undefined) {
        setField(state.event as unknown as Record<string, unknown>, path, value);
        continue;
      }
    } else if (typeof v === 'object' && v !== null && !Array.isArray(v) && depth < MAX_DEPTH) {
      merge(state, v as Record<string, unknown>, path, depth + 1);
      continue;
    }
    state.leaves++;
    setField(state.rest, path, v);
  }
}

/** `@timestamp` from the payload when it is a valid ISO date-time with a zone. */
function takeTimestamp(doc: Record<string, unknown>, event: EcsEvent): void {
  const ts = doc['@timestamp'];
  if (typeof ts !== 'string' || ts.length < 20 || ts.length > 35) return;
  const last = ts.charCodeAt(ts.length - 1);
  if (last !== 90 /* Z */ && ts.charCodeAt(ts.length - 6) !== 43 && ts.charCodeAt(ts.length - 6) !== 45) return;
  const ms = Date.parse(ts);
  if (Number.isFinite(ms)) event['@timestamp'] = new Date(ms).toISOString();
}

/** Keys handled separately from the generic merge. */
const RESERVED = new Set(['@timestamp', 'winlog', 'event.id', 'event.created', 'event.ingested', 'event.original', 'event.dataset', 'event.module']);

function mergeDocument(doc: Record<string, unknown>, event: EcsEvent): void {
  const state: MergeState = { event, rest: {}, leaves: 0 };
  const filtered: Record<string, unknown> = {};
  for (const key of Object.keys(doc)) {
    if (RESERVED.has(key) || UNSAFE_KEYS.has(key)) continue;
    if (key === 'event' && typeof doc.event === 'object' && doc.event !== null && !Array.isArray(doc.event)) {
      // The collector owns event.id/created/ingested/original/dataset/module.
      const inner: Record<string, unknown> = {};
      const src = doc.event as Record<string, unknown>;
      for (const k of Object.keys(src)) if (!RESERVED.has(`event.${k}`) && !UNSAFE_KEYS.has(k)) inner[k] = src[k];
      filtered.event = inner;
      continue;
    }
    filtered[key] = doc[key];
  }
  merge(state, filtered, '', 0);
  takeTimestamp(doc, event);
  if (Object.keys(state.rest).length > 0) event.json = state.rest;
}

/** Parses a JSON object message; undefined for anything else (arrays, scalars, broken JSON). */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
}

export function normalizeJson(msg: SyslogMessage, event: EcsEvent): boolean {
  const doc = parseJsonObject(msg.message.trim());
  if (doc === undefined) return false;
  const winlogbeat = readWinlogbeat(doc);
  if (winlogbeat !== undefined) {
    mergeDocument(doc, event);
    applyWindowsRecord(winlogbeat, event);
    return true;
  }
  const nxlog = readNxlog(doc);
  if (nxlog !== undefined) {
    // NXLog's keys are not ECS: its record is all Windows fields.
    applyWindowsRecord(nxlog, event);
    return true;
  }
  setDataset(event, 'json');
  mergeDocument(doc, event);
  return true;
}
