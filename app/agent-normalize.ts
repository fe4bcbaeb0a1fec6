/**
 * Agent-shipped logs normalized exactly as the syslog collector normalizes syslog, so the Linux
 * Sigma rules and the SSH correlations see `source.ip`, `user.name`, `event.outcome` and
 * `event.dataset: linux.sshd` whether a line came over syslog or from an agent tailing auth.log.
 * Lives in app/ because core (the agent service) must not import collectors: app/start.ts passes
 * the function to `createAgentService({ normalize })`.
 *
 * Two shapes are recognised, everything else passes through untouched:
 * - a tailed text line (`log.file.path`, no `json`): parsed as a syslog line without PRI
 *   (`Nov 27 01:04:05 host sshd[812]: …`, or rsyslog's RFC 3339 file format); a line without a
 *   whole header (time, host, tag: an application's own log) is left as the agent sent it;
 * - a journald entry (`event.dataset: agent.journald`): SYSLOG_IDENTIFIER, SYSLOG_PID, PRIORITY and
 *   MESSAGE as the agent mapped them are the syslog header.
 * The agent's identity stays: `agent.*`, `host.*`, `organization.id`, `event.id`, `event.created`,
 * `event.ingested` and `log.file.path` are the agent's and the server's, never the line's.
 */
import type { AgentEventNormalizer } from '../core/agents';
import type { EcsEvent } from '../core/event';
import { isValidTimeZone, parseSyslogLine } from '../collectors/syslog/parse';
import { newSyslogMessage } from '../collectors/syslog/parse/message';
import type { SyslogMessage } from '../collectors/syslog/parse/types';
import { buildSyslogEvent, type SyslogEventContext } from '../collectors/syslog/to-event';

export interface AgentLogNormalizerOptions {
  /** IANA zone for header times when the agent did not send `event.timezone` (the syslog collector's `syslog.timezone`). */
  timezone: string;
}

const JOURNALD_DATASET = 'agent.journald';
/** Datasets that only say "a file line" / "a journal entry": an unrecognised syslog line gets `syslog`, as from the collector. */
const GENERIC_DATASETS = new Set(['agent.file', JOURNALD_DATASET]);
/** Zone names agents sent, checked once each; bounded, since the value comes from the agent. */
const MAX_CACHED_ZONES = 256;

type Obj = Record<string, unknown>;

function asObj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

export function createAgentLogNormalizer(options: AgentLogNormalizerOptions): AgentEventNormalizer {
  const zones = new Map<string, boolean>();
  // One options and one context object, refilled per event (the collector's hot-path pattern).
  const parseOpts = { timezone: options.timezone, now: 0 };
  const ctx: SyslogEventContext = { original: '', receivedAt: 0, peerAddress: '', organization: { id: '' }, timezone: options.timezone };

  function zoneOf(ev: EcsEvent): string {
    const tz = ev.event.timezone;
    if (typeof tz !== 'string' || tz.length === 0 || tz.length > 64) return options.timezone;
    let ok = zones.get(tz);
    if (ok === undefined) {
      ok = isValidTimeZone(tz);
      if (zones.size >= MAX_CACHED_ZONES) zones.clear();
      zones.set(tz, ok);
    }
    return ok ? tz : options.timezone;
  }

  /** The agent's read time: the year for yearless headers and the fallback @timestamp. */
  function readTime(ev: EcsEvent): number {
    const t = Date.parse(ev['@timestamp']);
    return Number.isNaN(t) ? Date.now() : t;
  }

  function normalizeFileLine(ev: EcsEvent, line: string): EcsEvent {
    // The host's zone (or the collector's) reads header times and device times without one.
    parseOpts.timezone = ctx.timezone = zoneOf(ev);
    parseOpts.now = readTime(ev);
    const msg = parseSyslogLine(line, parseOpts);
    // Without a full header (time, host, tag) the line is an application's own format
    // (`2026-11-27 01:04:05,123 INFO …` would read as host "INFO"): the agent's event as it is.
    if (msg.format === 'raw' || msg.timestamp === undefined || msg.hostname === undefined || msg.appName === undefined) return ev;
    return merge(ev, msg, line, false);
  }

  function normalizeJournalEntry(ev: EcsEvent): EcsEvent {
    const log = asObj(ev.log);
    const syslog = asObj(log?.syslog);
    const text = ev.message;
    if (syslog === undefined || typeof text !== 'string') return ev;
    const msg = newSyslogMessage('rfc3164');
    msg.message = text;
    const appname = syslog.appname;
    msg.appName = typeof appname === 'string' && appname.length > 0 ? appname : undefined;
    const procid = syslog.procid;
    msg.procId = typeof procid === 'string' && procid.length > 0 ? procid : undefined;
    msg.facility = int(asObj(syslog.facility)?.code);
    msg.severity = int(asObj(syslog.severity)?.code);
    const journald = asObj(ev.journald);
    const host = journald?.host;
    msg.hostname = typeof host === 'string' && host.length > 0 ? host : undefined;
    msg.timestamp = readTime(ev);
    ctx.timezone = zoneOf(ev);
    return merge(ev, msg, text, true);
  }

  /** The collector's event for `msg`, carrying the agent's identity and fields over. */
  function merge(ev: EcsEvent, msg: SyslogMessage, original: string, fromJournal: boolean): EcsEvent {
    ctx.original = original;
    ctx.receivedAt = readTime(ev);
    ctx.organization = ev.organization ?? ctx.organization;
    const out = buildSyslogEvent(msg, ctx);
    const agentEvent = ev.event;
    out.event.id = agentEvent.id;
    if (agentEvent.created !== undefined) out.event.created = agentEvent.created;
    if (agentEvent.ingested !== undefined) out.event.ingested = agentEvent.ingested;
    if (agentEvent.timezone !== undefined) out.event.timezone = agentEvent.timezone;
    // The collector's dataset when a normalizer named one; otherwise a dataset the user chose for the file.
    const agentDataset = agentEvent.dataset;
    if (out.event.dataset === 'syslog' && agentDataset !== undefined && !GENERIC_DATASETS.has(agentDataset)) out.event.dataset = agentDataset;
    if (ev.organization !== undefined) out.organization = ev.organization;
    out.agent = ev.agent;
    if (ev.host !== undefined) out.host = ev.host;
    if (Array.isArray(ev.tags)) out.tags = out.tags === undefined ? ev.tags : ev.tags.concat(out.tags);
    // observer and log.source describe a syslog sender; the agent is `agent.*`.
    const observer = out.observer;
    if (observer !== undefined) {
      if (observer.vendor === undefined && observer.product === undefined) delete out.observer;
      else {
        delete observer.ip;
        delete observer.hostname;
      }
    }
    const outLog = out.log as Obj;
    delete outLog.source;
    const agentLog = asObj(ev.log);
    if (agentLog !== undefined) {
      if (agentLog.file !== undefined) outLog.file = agentLog.file;
      if (agentLog.offset !== undefined) outLog.offset = agentLog.offset;
      if (agentLog.level !== undefined) outLog.level = agentLog.level;
    }
    if (fromJournal) {
      // journald's receive time is exact and its _PID/_COMM/_EXE are trusted: keep them over the tag's.
      out['@timestamp'] = ev['@timestamp'];
      if (ev.process !== undefined) out.process = ev.process;
      if (ev.systemd !== undefined) out.systemd = ev.systemd;
      if (ev.journald !== undefined) out.journald = ev.journald;
    }
    return out;
  }

  return function normalizeAgentEvent(ev: EcsEvent): EcsEvent {
    try {
      if (ev.event.dataset === JOURNALD_DATASET) return normalizeJournalEntry(ev);
      const path = asObj(asObj(ev.log)?.file)?.path;
      const line = ev.message;
      if (typeof path !== 'string' || typeof line !== 'string' || ev.json !== undefined || ev.event.original !== undefined) return ev;
      return normalizeFileLine(ev, line);
    } catch {
      // The agent's fields are loosely validated (any extra shape passes): an event this cannot read is stored as sent.
      return ev;
    }
  };
}
