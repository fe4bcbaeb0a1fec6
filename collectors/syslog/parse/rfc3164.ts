/**
 * RFC 3164 ("BSD syslog") as devices really send it: `<PRI>TIMESTAMP HOSTNAME TAG[PID]: MSG` with
 * any part missing, Cisco sequence numbers and `%FAC-SEV-MNEMONIC:` tags, ASA/NX-OS/IOS timestamp
 * variants, and rsyslog's forward format (RFC 3339 timestamp in a 3164 layout).
 */
import type { SyslogMessage } from './types';
import { newSyslogMessage, skipSpaces, tokenEnd, trimmedEnd } from './message';
import { priEnd, priValue } from './pri';
import { parseBsdTimestamp, parseRfc3339, TimestampResult } from './timestamp';
import { zoneOffsetCache, type ZoneOffsetCache } from './zone-offset';
import { readCiscoSequence, readCiscoTag } from './cisco';

export interface Rfc3164Options {
  /** IANA zone for timestamps without one (e.g. `Asia/Ho_Chi_Minh`). */
  timezone: string;
  /** Receive time, epoch ms: yearless timestamps get the year that fits it. */
  now: number;
}

/** RFC 3164 allows 32 characters; real tags (`/usr/sbin/cron`, `org.gnome.Shell.desktop`) run longer. */
const MAX_TAG_LENGTH = 64;

const scratch = new TimestampResult();
/** True when the timestamp last read into `scratch` carried Cisco's `*` (clock never synchronised). */
let scratchUnsynchronized = false;

/**
 * Reads a timestamp at `pos`, after an optional Cisco clock marker (`*` = never synchronised,
 * `.` = synchronisation lost). Returns the end, or -1 when there is none.
 */
function readTimestamp(line: string, pos: number, end: number, zone: ZoneOffsetCache, now: number): number {
  const c = line.charCodeAt(pos);
  scratchUnsynchronized = c === 42;
  const start = c === 42 || c === 46 ? pos + 1 : pos;
  const first = line.charCodeAt(start);
  if (first >= 48 && first <= 57 && parseRfc3339(line, start, end, true, zone, scratch)) return scratch.end;
  if (parseBsdTimestamp(line, start, end, zone, now, scratch)) return scratch.end;
  return -1;
}

/** After a timestamp: Cisco and ASA end it with `:`. */
function afterTimestamp(line: string, pos: number, end: number): number {
  return skipSpaces(line, line.charCodeAt(pos) === 58 ? pos + 1 : pos, end);
}

function allDigits(line: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function parseRfc3164(line: string, opts: Rfc3164Options): SyslogMessage {
  const msg = newSyslogMessage('rfc3164');
  const end = trimmedEnd(line);
  let pos = 0;
  const pe = priEnd(line);
  if (pe > 0) {
    const pri = priValue(line, pe);
    msg.facility = pri >> 3;
    msg.severity = pri & 7;
    pos = skipSpaces(line, pe, end);
  }
  const zone = zoneOffsetCache(opts.timezone);

  pos = readCiscoSequence(line, pos, end, msg);
  if (msg.sequence !== undefined) pos = readCiscoOrigin(line, pos, end, msg, zone, opts.now);

  let tsEnd = readTimestamp(line, pos, end, zone, opts.now);
  if (tsEnd < 0 && msg.sequence !== undefined) tsEnd = readAfterXrNode(line, pos, end, zone, opts.now);
  const hasTimestamp = tsEnd >= 0;
  if (hasTimestamp) {
    // `*Mar  1 00:12:33` is a clock that was never set: time since boot from Cisco's default date,
    // months or years off. It is not the event's time (the receive time is used instead).
    if (scratchUnsynchronized) msg.clockUnsynchronized = true;
    else {
      msg.timestamp = Number.isNaN(scratch.epoch) ? undefined : scratch.epoch;
      msg.timestampAssumedZone = msg.timestamp === undefined ? undefined : scratch.assumedZone;
    }
    pos = afterTimestamp(line, tsEnd, end);
  } else if (pe < 0) {
    // Neither PRI nor timestamp: not a syslog header, whatever it starts with.
    msg.format = 'raw';
    msg.sequence = undefined;
    msg.hostname = undefined;
    msg.message = line.slice(0, end);
    return msg;
  }

  // CEF/LEEF right after the header carry no TAG (`<134>Nov 27 01:04:05 CEF:0|…`).
  if (line.startsWith('CEF:', pos) || line.startsWith('LEEF:', pos)) {
    msg.message = line.slice(pos, end);
    return msg;
  }

  if (hasTimestamp && msg.hostname === undefined && pos < end) pos = readHostname(line, pos, end, msg, zone, opts.now);
  pos = readTag(line, pos, end, msg);
  if (line.charCodeAt(pos) === 0xfeff) pos++; // NXLog and others put RFC 5424's BOM in 3164 too
  msg.message = line.slice(pos, end);
  return msg;
}

/**
 * IOS `logging origin-id hostname` puts the name after the sequence number: `123: router1: *Mar 1 …`.
 * Accepts a token ending in `:` that is not itself a clock marker or a Cisco tag.
 */
function readCiscoOrigin(
  line: string, pos: number, end: number, msg: SyslogMessage, zone: ZoneOffsetCache, now: number,
): number {
  const te = tokenEnd(line, pos, end);
  const first = line.charCodeAt(pos);
  if (te - pos < 2 || te >= end || line.charCodeAt(te - 1) !== 58 || first === 37 || first === 42 || first === 46) {
    return pos;
  }
  if (readTimestamp(line, pos, end, zone, now) >= 0) return pos;
  msg.hostname = line.slice(pos, te - 1);
  return skipSpaces(line, te, end);
}

/** IOS-XR prefixes the time with the node: `123: RP/0/RSP0/CPU0:Nov 27 …`; the node is dropped. */
function readAfterXrNode(line: string, pos: number, end: number, zone: ZoneOffsetCache, now: number): number {
  const te = tokenEnd(line, pos, end);
  const colon = line.indexOf(':', pos);
  if (colon < 0 || colon >= te - 1) return -1;
  return readTimestamp(line, colon + 1, end, zone, now);
}

/**
 * HOSTNAME after a timestamp: the next token, unless it ends in `:` (then it is the TAG of a
 * sender that omits its hostname, `<13>Nov 27 01:04:05 sshd[12]: …`) or is a Cisco tag.
 */
function readHostname(
  line: string, pos: number, end: number, msg: SyslogMessage, zone: ZoneOffsetCache, now: number,
): number {
  const te = tokenEnd(line, pos, end);
  if (line.charCodeAt(te - 1) === 58 || line.charCodeAt(pos) === 37) return pos;
  // rsyslog writes its nil hostname as `-`.
  if (te !== pos + 1 || line.charCodeAt(pos) !== 45) msg.hostname = line.slice(pos, te);
  pos = skipSpaces(line, te, end);
  // ASA with `logging device-id`: `Nov 27 2026 01:04:05 fw01 : %ASA-6-302013: …`.
  if (line.charCodeAt(pos) === 58 && (pos + 1 === end || line.charCodeAt(pos + 1) === 32)) {
    return skipSpaces(line, pos + 1, end);
  }
  // A relay's header in front of a Cisco line: `<189>Nov 27 01:04:05 10.1.1.1 123: *Mar 1 …: %…`.
  // The relay's timestamp stays; the device's own (often an unset clock) is skipped.
  const c = line.charCodeAt(pos);
  if (c >= 48 && c <= 57) {
    const afterSeq = readCiscoSequence(line, pos, end, msg);
    if (afterSeq !== pos) {
      const inner = readTimestamp(line, afterSeq, end, zone, now);
      return inner >= 0 ? afterTimestamp(line, inner, end) : afterSeq;
    }
  }
  return pos;
}

/**
 * TAG: `app:`, `app[pid]:` (then a space or the end), or a Cisco `%FAC-SEV-MNEMONIC:`, which may
 * also follow an app tag (IOS-XR `ifmgr[254]: %PKT_INFRA-LINK-3-UPDOWN : …`). Without one the
 * message is kept whole.
 */
function readTag(line: string, pos: number, end: number, msg: SyslogMessage): number {
  if (line.charCodeAt(pos) === 37) {
    const after = readCiscoTag(line, pos, end, msg);
    return after < 0 ? pos : after;
  }
  const limit = Math.min(end, pos + MAX_TAG_LENGTH);
  let i = pos;
  while (i < limit) {
    const c = line.charCodeAt(i);
    if (c <= 32 || c === 58 || c === 91) break;
    i++;
  }
  if (i === pos || i === limit) return pos;
  let next: number;
  const c = line.charCodeAt(i);
  if (c === 58) {
    next = i + 1;
  } else if (c === 91 /* [ */) {
    const close = line.indexOf(']', i + 1);
    if (close < 0 || close - i > 33) return pos;
    const after = line.charCodeAt(close + 1);
    if (after === 58) {
      next = close + 2;
    } else if (after === 32 && close > i + 1 && allDigits(line, i + 1, close)) {
      // rsyslog's forward formats relaying an RFC 5424 message write `CRON[16968] (root) CMD …`.
      next = close + 1;
    } else {
      return pos;
    }
    msg.procId = line.slice(i + 1, close);
  } else {
    return pos;
  }
  if (next < end && line.charCodeAt(next) !== 32) {
    msg.procId = undefined;
    return pos;
  }
  msg.appName = line.slice(pos, i);
  next = skipSpaces(line, next, end);
  if (line.charCodeAt(next) === 37) {
    const after = readCiscoTag(line, next, end, msg);
    if (after >= 0) return after;
  }
  return next;
}
