import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from '../../../core/testing/prng';
import { facilityName, parseCef, parseLeef, parseRfc3164, parseRfc5424, parseSyslogLine, severityName } from './index';
import type { SyslogMessage } from './types';

const opts = { timezone: 'Asia/Ho_Chi_Minh', now: Date.UTC(2026, 10, 27, 3) };
const testdata = join(__dirname, 'testdata');

function allFixtureLines(): string[] {
  return readdirSync(testdata)
    .filter((f) => f.endsWith('.txt'))
    .flatMap((f) => readFileSync(join(testdata, f), 'utf8').split('\n'))
    .filter((l) => l.length > 0);
}


/** Why a parsed message breaks the contract, or '' (plain checks: jest's expect is too slow for fuzz loops). */
function insanity(m: SyslogMessage): string {
  if (typeof m.message !== 'string') return 'message is not a string';
  if (m.format !== 'rfc3164' && m.format !== 'rfc5424' && m.format !== 'raw') return `format ${String(m.format)}`;
  if (m.timestamp !== undefined && !Number.isFinite(m.timestamp)) return `timestamp ${m.timestamp}`;
  if (m.facility !== undefined && !(m.facility >= 0 && m.facility <= 23)) return `facility ${m.facility}`;
  if (m.severity !== undefined && !(m.severity >= 0 && m.severity <= 7)) return `severity ${m.severity}`;
  return '';
}

function expectSane(m: SyslogMessage): void {
  expect(insanity(m)).toBe('');
}

/** Runs every parser on `line`; returns the first contract violation found, or ''. */
function parseAll(line: string): string {
  const problem = insanity(parseSyslogLine(line, opts)) || insanity(parseRfc3164(line, opts));
  if (problem !== '') return `${JSON.stringify(line)}: ${problem}`;
  const m = parseRfc5424(line, opts);
  if (m !== null && insanity(m) !== '') return `${JSON.stringify(line)}: ${insanity(m)}`;
  parseCef(line);
  parseLeef(line);
  return '';
}

/** Collects violations over a fuzz run so one assertion reports them all. */
class Violations {
  readonly found: string[] = [];
  check(line: string): void {
    const problem = parseAll(line);
    if (problem !== '' && this.found.length < 10) this.found.push(problem);
  }
}

describe('parseSyslogLine', () => {
  test('detects RFC 5424, RFC 3164 and raw', () => {
    expect(parseSyslogLine('<34>1 2003-10-11T22:14:15.003Z mymachine su - ID47 - hi', opts).format).toBe('rfc5424');
    expect(parseSyslogLine('<13>Nov 27 01:04:05 h app: hi', opts).format).toBe('rfc3164');
    expect(parseSyslogLine('<13>2026-11-27T01:04:05Z h app: hi', opts).format).toBe('rfc3164');
    expect(parseSyslogLine('<189>123: *Mar  1 18:48:50.483 UTC: %LINK-3-UPDOWN: x', opts).format).toBe('rfc3164');
    // `<13>1 ` that is not followed by a 5424 header falls back to 3164.
    expect(parseSyslogLine('<13>1 hello', opts)).toMatchObject({ format: 'rfc3164', facility: 1, severity: 5, message: '1 hello' });
    expect(parseSyslogLine('Nov 27 01:04:05 h app: hi', opts)).toMatchObject({ format: 'rfc3164', facility: undefined, hostname: 'h' });
    expect(parseSyslogLine('hello', opts)).toEqual({ format: 'raw', message: 'hello' });
  });

  test('every fixture line parses to a sane message', () => {
    const lines = allFixtureLines();
    expect(lines.length).toBeGreaterThan(50);
    for (const line of lines) expectSane(parseSyslogLine(line, opts));
  });

  test('messages share one object shape (same keys in the same order)', () => {
    const shapes = new Set(allFixtureLines().map((l) => Object.keys(parseSyslogLine(l, opts)).join(',')));
    expect(shapes.size).toBe(1);
  });

  test('fuzz: random strings of syslog-significant characters never throw', () => {
    const random = prng(20261127);
    const v = new Violations();
    const alphabet = '<>0123456789 :-[]"\\=|%*.TZtz+,/\t\r\nJanFebMarNovDecUTCICTCEF:LEEF:x09^\uFEFF\u0000é';
    for (let n = 0; n < 20000; n++) {
      const len = Math.floor(random() * 120);
      let s = '';
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(random() * alphabet.length)];
      v.check(s);
      v.check('<13>' + s);
      v.check('<13>1 ' + s);
    }
    expect(v.found).toEqual([]);
  });

  test('fuzz: random bytes decoded as UTF-8 and Latin-1, lone surrogates, never throw', () => {
    const random = prng(42);
    const v = new Violations();
    for (let n = 0; n < 5000; n++) {
      const bytes = Buffer.alloc(Math.floor(random() * 200));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      v.check(bytes.toString('utf8'));
      v.check(bytes.toString('latin1'));
    }
    v.check('<13>1 - h\uD800 a\uDFFF - - [a\uD800 b="\uDC00"] \uD83D');
    expect(v.found).toEqual([]);
  });

  test('fuzz: every prefix and single-character mutation of the fixtures never throws', () => {
    const random = prng(7);
    const v = new Violations();
    for (const line of allFixtureLines()) {
      for (let cut = 0; cut <= line.length; cut++) v.check(line.slice(0, cut));
      for (let n = 0; n < 50; n++) {
        const at = Math.floor(random() * line.length);
        const ch = String.fromCharCode(Math.floor(random() * 128));
        v.check(line.slice(0, at) + ch + line.slice(at + 1));
      }
    }
    expect(v.found).toEqual([]);
  });

  test('long and repetitive input stays linear', () => {
    const started = Date.now();
    const v = new Violations();
    v.check('CEF:0|v|p|1|id|n|5|' + 'a'.repeat(50_000) + '=b'.repeat(50_000));
    v.check('LEEF:2.0|v|p|1|e|^|' + 'a^'.repeat(100_000));
    v.check('<13>1 - h a - - ' + '[a b="c"]'.repeat(20_000));
    v.check('<13>Nov 27 01:04:05 ' + ' '.repeat(100_000) + 'x');
    expect(v.found).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('facilityName / severityName', () => {
  test('ECS names', () => {
    expect([0, 4, 10, 16, 23].map(facilityName)).toEqual(['kern', 'auth', 'authpriv', 'local0', 'local7']);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(severityName)).toEqual(
      ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'],
    );
    expect(facilityName(24)).toBeUndefined();
    expect(severityName(-1)).toBeUndefined();
    expect(severityName(1.5)).toBeUndefined();
  });
});
