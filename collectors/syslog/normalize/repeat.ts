/**
 * Repeat summaries that syslog daemons write instead of identical lines:
 *  - rsyslog (`$RepeatedMsgReduction on`): `message repeated 5 times: [ Failed password for root …]`,
 *    the repeated message in brackets, so it can be normalized like the original;
 *  - BSD syslogd and sysklogd: `last message repeated 5 times` (the message itself is gone);
 *  - syslog-ng (`suppress()`): `Last message 'Failed password fo' repeated 5 times, suppressed by
 *    syslog-ng on web01` (only the first 20 characters survive).
 * The count goes to `log.syslog.repeat_count` (ECS has no such field).
 */
import type { EcsEvent } from '../../../core/event';

export interface RepeatSummary {
  count: number;
  /** The repeated message when the daemon kept it whole (rsyslog). */
  inner?: string;
}

const MAX_COUNT_DIGITS = 9;

/** Count of `<digits> time` at `from`; undefined when the text has another shape. */
function countAt(m: string, from: number): number | undefined {
  const space = m.indexOf(' ', from);
  if (space <= from || space - from > MAX_COUNT_DIGITS || !m.startsWith(' time', space)) return undefined;
  let n = 0;
  for (let i = from; i < space; i++) {
    const c = m.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    n = n * 10 + (c - 48);
  }
  return n;
}

const RSYSLOG = 'message repeated ';
const BSD = 'last message repeated ';
const SYSLOG_NG = "Last message '";

/** Reads a repeat summary, or undefined for any other message. Cheap for messages that are not one. */
export function parseRepeat(m: string): RepeatSummary | undefined {
  const c = m.charCodeAt(0);
  if (c === 109 /* m */ && m.startsWith(RSYSLOG)) {
    const count = countAt(m, RSYSLOG.length);
    if (count === undefined) return undefined;
    const open = m.indexOf(': [', RSYSLOG.length);
    if (open < 0 || m.charCodeAt(m.length - 1) !== 93 /* ] */) return { count };
    // rsyslog writes `[ ` before the message (a space from the original line's MSG part).
    let start = open + 3;
    if (m.charCodeAt(start) === 32) start++;
    const inner = m.slice(start, m.length - 1);
    return inner.length > 0 ? { count, inner } : { count };
  }
  if (c === 108 /* l */ && m.startsWith(BSD)) {
    const count = countAt(m, BSD.length);
    return count === undefined ? undefined : { count };
  }
  if (c === 76 /* L */ && m.startsWith(SYSLOG_NG)) {
    const close = m.indexOf("' repeated ", SYSLOG_NG.length);
    if (close < 0) return undefined;
    const count = countAt(m, close + 11);
    return count === undefined ? undefined : { count };
  }
  return undefined;
}

/** `log.syslog.repeat_count`: a socnoc extension of ECS log.syslog (stored and searchable like any field). */
export function setRepeatCount(event: EcsEvent, count: number): void {
  const log = event.log ?? (event.log = {});
  const syslog = log.syslog ?? (log.syslog = {});
  syslog.repeat_count = count;
}
