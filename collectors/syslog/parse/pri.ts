/** PRI decoding (RFC 5424 §6.2.1, RFC 3164 §4.1.1) and the ECS names of facilities and severities. */

/**
 * Index just past the `>` of a leading `<PRI>` (1 to 3 digits, value at most 191), or -1 when the
 * line has no valid PRI. Leading zeros are tolerated although RFC 5424 forbids them.
 */
export function priEnd(line: string): number {
  if (line.charCodeAt(0) !== 60 /* < */) return -1;
  let value = 0;
  let i = 1;
  for (; i < 5; i++) {
    const c = line.charCodeAt(i);
    if (c === 62 /* > */) break;
    if (c < 48 || c > 57) return -1;
    value = value * 10 + (c - 48);
  }
  if (i === 1 || i === 5 || line.charCodeAt(i) !== 62 || value > 191) return -1;
  return i + 1;
}

/** The PRI value of a line for which `priEnd` returned `end` > 0. */
export function priValue(line: string, end: number): number {
  let value = 0;
  for (let i = 1; i < end - 1; i++) value = value * 10 + (line.charCodeAt(i) - 48);
  return value;
}

// Names as syslog implementations spell them (util-linux logger, syslog-ng); ECS log.syslog.facility.name.
const FACILITY_NAMES: readonly string[] = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news',
  'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];

// ECS log.syslog.severity.name, as Elastic's syslog processor writes them.
const SEVERITY_NAMES: readonly string[] = [
  'emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug',
];

/** `auth`, `local7`, …; undefined for a code outside 0-23. */
export function facilityName(code: number): string | undefined {
  return Number.isInteger(code) && code >= 0 && code < FACILITY_NAMES.length ? FACILITY_NAMES[code] : undefined;
}

/** `emergency` … `debug`; undefined for a code outside 0-7. */
export function severityName(code: number): string | undefined {
  return Number.isInteger(code) && code >= 0 && code < SEVERITY_NAMES.length ? SEVERITY_NAMES[code] : undefined;
}
