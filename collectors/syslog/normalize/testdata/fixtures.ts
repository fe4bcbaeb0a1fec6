/** Test helpers: read a fixture file of raw syslog lines and run each through parser + normalizers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EcsEvent } from '../../../../core/event';
import { parseSyslogLine } from '../../parse';
import type { SyslogMessage } from '../../parse/types';
import { buildBaseEvent } from '../../to-event';
import { normalizeSyslog } from '../index';

/** Receive time used by every fixture test: fixtures are dated 4 March 2024. */
export const FIXTURE_NOW = Date.UTC(2024, 2, 4, 12, 0, 0);

export function fixtureLines(file: string): string[] {
  return readFileSync(join(__dirname, file), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

export interface Normalized {
  line: string;
  msg: SyslogMessage;
  event: EcsEvent;
  normalized: boolean;
}

/** `timezone` is the collector's zone (`syslog.timezone`), for headers and device times without one. */
export function normalizeLine(line: string, timezone = 'UTC'): Normalized {
  const msg = parseSyslogLine(line, { timezone, now: FIXTURE_NOW });
  const event = buildBaseEvent(msg, { original: line, receivedAt: FIXTURE_NOW, peerAddress: '192.0.2.250', organization: { id: 'agency-a' } });
  const normalized = normalizeSyslog(msg, event, { timezone });
  return { line, msg, event, normalized };
}

export function normalizeFixture(file: string, timezone = 'UTC'): Normalized[] {
  return fixtureLines(file).map((line) => normalizeLine(line, timezone));
}

/** A SyslogMessage as the parser would produce for `app: message`, for tests that bypass the parser. */
export function syslogMessage(fields: Partial<SyslogMessage> & { message: string }): SyslogMessage {
  return { format: 'rfc3164', facility: 4, severity: 6, hostname: 'host01', ...fields };
}
