/**
 * Turns a parsed syslog message into the base ECS event (time, ids, log.syslog.*, host, observer,
 * process, organization), then lets the vendor normalizers refine it. Runs once per received
 * message (100k+/s): one object literal per part, no closures, no JSON round trips.
 */
import type { EcsEvent } from '../../core/event';
import { newEventId } from '../../core/event';
import { facilityName, severityName } from './parse';
import type { SyslogMessage } from './parse/types';
import { IsoTimeCache } from './iso-time';
import { normalizeSyslog } from './normalize';

export interface SyslogEventContext {
  /** The raw line as received (trailing CR/LF removed): event.original. */
  original: string;
  /** Receive time, epoch milliseconds. */
  receivedAt: number;
  /** Address of the sender (the device or a relay). */
  peerAddress: string;
  /** The agency the listener or source-address mapping assigned. */
  organization: { id: string; name?: string };
  /**
   * The collector's `timezone`: device times inside a message that carry no zone (FortiOS
   * `date=`/`time=` without `tz=`) are read in it, as header times are. Absent: UTC.
   */
  timezone?: string;
}

type SyslogFields = NonNullable<NonNullable<EcsEvent['log']>['syslog']>;

const receivedTimes = new IsoTimeCache();
const headerTimes = new IsoTimeCache();


/** procid is a number for most daemons; anything else stays only in log.syslog.procid. */
function parsePid(procId: string | undefined): number | undefined {
  if (procId === undefined || procId.length === 0 || procId.length > 10) return undefined;
  let pid = 0;
  for (let i = 0; i < procId.length; i++) {
    const c = procId.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    pid = pid * 10 + (c - 48);
  }
  return pid;
}

function syslogFields(msg: SyslogMessage): SyslogFields {
  const syslog: SyslogFields = {};
  if (msg.facility !== undefined) {
    syslog.facility = { code: msg.facility, name: facilityName(msg.facility) };
    if (msg.severity !== undefined) syslog.priority = msg.facility * 8 + msg.severity;
  }
  if (msg.severity !== undefined) syslog.severity = { code: msg.severity, name: severityName(msg.severity) };
  if (msg.hostname !== undefined) syslog.hostname = msg.hostname;
  if (msg.appName !== undefined) syslog.appname = msg.appName;
  if (msg.procId !== undefined) syslog.procid = msg.procId;
  if (msg.msgId !== undefined) syslog.msgid = msg.msgId;
  if (msg.version !== undefined) syslog.version = msg.version;
  if (msg.structuredData !== undefined) syslog.structured_data = msg.structuredData;
  return syslog;
}

/** The event every syslog message becomes, before any vendor knowledge. */
export function buildBaseEvent(msg: SyslogMessage, ctx: SyslogEventContext): EcsEvent {
  const received = receivedTimes.format(ctx.receivedAt);
  const hostname = msg.hostname !== undefined && msg.hostname.length > 0 && msg.hostname !== '-' ? msg.hostname : undefined;
  const org = ctx.organization;
  const event: EcsEvent = {
    // Header times Date cannot represent fall back to the receive time.
    '@timestamp': headerTimes.formatOr(msg.timestamp, received),
    message: msg.message,
    event: {
      id: newEventId(),
      created: received,
      ingested: received,
      original: ctx.original,
      kind: 'event',
      dataset: 'syslog',
    },
    organization: org.name !== undefined ? { id: org.id, name: org.name } : { id: org.id },
    log: { syslog: syslogFields(msg), source: { address: ctx.peerAddress } },
    observer: hostname !== undefined ? { ip: [ctx.peerAddress], hostname } : { ip: [ctx.peerAddress] },
  };
  if (msg.severity !== undefined) event.event.severity = msg.severity;
  if (hostname !== undefined) event.host = { name: hostname, hostname };
  if (msg.appName !== undefined) {
    const pid = parsePid(msg.procId);
    event.process = pid !== undefined ? { name: msg.appName, pid } : { name: msg.appName };
  }
  return event;
}

/** The base event refined by the vendor normalizers: what the syslog collector emits. */
export function buildSyslogEvent(msg: SyslogMessage, ctx: SyslogEventContext): EcsEvent {
  const event = buildBaseEvent(msg, ctx);
  // The context doubles as the normalize context (its optional `timezone`): no object per message.
  normalizeSyslog(msg, event, ctx);
  return event;
}
