/**
 * RFC 5424: `<PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]`.
 * Lenient where senders are: runs of spaces between header fields, rsyslog's
 * `RSYSLOG_SyslogProtocol23Format` (two spaces before MSG, trailing `\n`), a timestamp without an
 * offset, and structured data that does not parse (Check Point's `[key:"value"; …]`, or no SD
 * field at all), which then stays in the message instead of being lost.
 */
import type { SyslogMessage } from './types';
import { newSyslogMessage, skipSpaces, tokenEnd, trimmedEnd } from './message';
import { priEnd, priValue } from './pri';
import { parseRfc3339, TimestampResult } from './timestamp';
import { zoneOffsetCache } from './zone-offset';
import { parseStructuredData, StructuredDataResult } from './structured-data';

export interface Rfc5424Options {
  /** Zone for a timestamp sent without offset (not valid RFC 5424, but seen); UTC when omitted. */
  timezone: string;
}

const timestampScratch = new TimestampResult();
const sdScratch = new StructuredDataResult();

/** Index just past `VERSION SP` after the PRI (VERSION = NONZERO-DIGIT 0*2DIGIT), or -1. */
function versionEnd(line: string, pe: number): number {
  const first = line.charCodeAt(pe);
  if (first < 49 || first > 57) return -1;
  let i = pe + 1;
  while (i < pe + 3) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return line.charCodeAt(i) === 32 ? i : -1;
}

/** Returns null when the line is not RFC 5424 (no `<PRI>VERSION `, or a non-date where TIMESTAMP goes). */
export function parseRfc5424(line: string, opts?: Rfc5424Options): SyslogMessage | null {
  const pe = priEnd(line);
  if (pe < 0) return null;
  const ve = versionEnd(line, pe);
  if (ve < 0) return null;
  const end = trimmedEnd(line);
  let pos = skipSpaces(line, ve, end);

  let te = tokenEnd(line, pos, end);
  let timestamp: number | undefined;
  let assumedZone: boolean | undefined;
  if (!(te === pos + 1 && line.charCodeAt(pos) === 45 /* - */)) {
    const zone = zoneOffsetCache(opts === undefined ? 'UTC' : opts.timezone);
    if (parseRfc3339(line, pos, te, false, zone, timestampScratch) && timestampScratch.end === te) {
      timestamp = timestampScratch.epoch;
      assumedZone = timestampScratch.assumedZone;
    } else {
      const c = line.charCodeAt(pos);
      // A malformed date still marks a 5424 header; anything else (`<13>1 hello`) is not one.
      if (c < 48 || c > 57) return null;
    }
  }

  const msg = newSyslogMessage('rfc5424');
  const pri = priValue(line, pe);
  msg.facility = pri >> 3;
  msg.severity = pri & 7;
  msg.version = line.slice(pe, ve);
  msg.timestamp = timestamp;
  msg.timestampAssumedZone = assumedZone;

  pos = skipSpaces(line, te, end);
  te = tokenEnd(line, pos, end);
  msg.hostname = nilOrSlice(line, pos, te);
  pos = skipSpaces(line, te, end);
  // QRadar documents `<13>1 TIMESTAMP HOST LEEF:…` (no APP-NAME … SD) as a valid header; CEF senders do the same.
  if (line.startsWith('LEEF:', pos) || line.startsWith('CEF:', pos)) {
    msg.message = line.slice(pos, end);
    return msg;
  }
  te = tokenEnd(line, pos, end);
  msg.appName = nilOrSlice(line, pos, te);
  pos = skipSpaces(line, te, end);
  te = tokenEnd(line, pos, end);
  msg.procId = nilOrSlice(line, pos, te);
  pos = skipSpaces(line, te, end);
  te = tokenEnd(line, pos, end);
  msg.msgId = nilOrSlice(line, pos, te);
  pos = skipSpaces(line, te, end);
  if (pos >= end) return msg;

  const c = line.charCodeAt(pos);
  if (c === 45 && (pos + 1 === end || line.charCodeAt(pos + 1) === 32)) {
    pos++;
  } else if (c === 91 && parseStructuredData(line, pos, end, sdScratch)) {
    msg.structuredData = sdScratch.data;
    pos = sdScratch.end;
    sdScratch.data = undefined;
  } else {
    msg.message = line.slice(pos, end);
    return msg;
  }
  pos = skipSpaces(line, pos, end);
  if (line.charCodeAt(pos) === 0xfeff) pos++; // §6.4: MSG may start with a UTF-8 BOM
  msg.message = line.slice(pos, end);
  return msg;
}

function nilOrSlice(line: string, start: number, end: number): string | undefined {
  if (start >= end || (end === start + 1 && line.charCodeAt(start) === 45)) return undefined;
  return line.slice(start, end);
}
