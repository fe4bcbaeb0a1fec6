/**
 * Syslog line parsing: detects RFC 5424, RFC 3164 (with rsyslog's forward format and the Cisco and
 * ASA variants) or a bare line, and never throws. CEF and LEEF payloads are parsed from the
 * message by the caller (`parseCef(msg.message)`), since they ride inside either header.
 */
import type { SyslogMessage } from './types';
import { newSyslogMessage, trimmedEnd } from './message';
import { priEnd } from './pri';
import { parseRfc5424 } from './rfc5424';
import { parseRfc3164, type Rfc3164Options } from './rfc3164';

export type { SyslogMessage, SyslogFormat, CefRecord, LeefRecord } from './types';
export { parseRfc5424, type Rfc5424Options } from './rfc5424';
export { parseRfc3164, type Rfc3164Options } from './rfc3164';
export { parseCef } from './cef';
export { parseLeef } from './leef';
export { facilityName, severityName } from './pri';
export { isValidTimeZone } from './zone-offset';

export type SyslogParseOptions = Rfc3164Options;

/** `<PRI>` followed by a digit 1-9: the start of RFC 5424's VERSION (`<34>1 `). */
function mayBeRfc5424(line: string): boolean {
  const pe = priEnd(line);
  if (pe < 0) return false;
  const c = line.charCodeAt(pe);
  return c >= 49 && c <= 57;
}

export function parseSyslogLine(line: string, opts: SyslogParseOptions): SyslogMessage {
  try {
    if (mayBeRfc5424(line)) {
      const msg = parseRfc5424(line, opts);
      if (msg !== null) return msg;
    }
    return parseRfc3164(line, opts);
  } catch {
    // The parsers are written not to throw (and fuzzed); this keeps one bad line from stopping a listener.
    const msg = newSyslogMessage('raw');
    msg.message = typeof line === 'string' ? line.slice(0, trimmedEnd(line)) : '';
    return msg;
  }
}
