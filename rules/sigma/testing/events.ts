/**
 * Test helper: turns a raw syslog line into the event the syslog collector emits (the real parser
 * and normalizers), so rule tests exercise the same fields and routing as production.
 */
import type { EcsEvent } from '../../../core/event';
import { parseSyslogLine } from '../../../collectors/syslog/parse';
import { buildSyslogEvent } from '../../../collectors/syslog/to-event';

/** Receive time for test lines: yearless BSD timestamps (`Mar  4 10:15:32`) get the year 2024. */
export const TEST_RECEIVED_AT = Date.UTC(2024, 2, 5, 0, 0, 0);

export function syslogEvent(line: string, receivedAt = TEST_RECEIVED_AT): EcsEvent {
  const msg = parseSyslogLine(line, { timezone: 'UTC', now: receivedAt });
  return buildSyslogEvent(msg, {
    original: line,
    receivedAt,
    peerAddress: '192.0.2.10',
    organization: { id: 'agency-test' },
  });
}

/** A test case item: a raw syslog line, or an ECS event object used as written (flows, agents). */
export type CaseItem = string | Record<string, unknown>;

/** ECS objects are taken as written (a flow record, an agent's event), cloned so tests cannot share state. */
export function caseEvent(item: CaseItem): EcsEvent {
  if (typeof item === 'string') return syslogEvent(item);
  return structuredClone(item) as unknown as EcsEvent;
}
