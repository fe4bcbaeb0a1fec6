import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRfc5424 } from './rfc5424';

const HOUR = 3_600_000;

function fixture(name: string): string[] {
  return readFileSync(join(__dirname, 'testdata', name), 'utf8').split('\n').filter((l) => l.length > 0);
}

/** Frames of an RFC 6587 octet-counted stream (`LEN SP MSG`, LEN in bytes), as rsyslog sent them. */
function octetCountedFrames(name: string): string[] {
  const buf = readFileSync(join(__dirname, 'testdata', name));
  const frames: string[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const sp = buf.indexOf(0x20, pos);
    const len = Number(buf.subarray(pos, sp).toString('ascii'));
    frames.push(buf.subarray(sp + 1, sp + 1 + len).toString('utf8'));
    pos = sp + 1 + len;
  }
  return frames;
}

describe('parseRfc5424: util-linux logger', () => {
  const lines = fixture('logger-udp.txt');

  test('MSGID and structured data with escaped quote, backslash and bracket', () => {
    expect(parseRfc5424(lines[2])).toEqual({
      format: 'rfc5424', facility: 23, severity: 5, version: '1',
      timestamp: Date.UTC(2026, 10, 27, 2, 20, 0, 539), timestampAssumedZone: false,
      hostname: 'vm', appName: 'myapp', msgId: 'LOGIN',
      structuredData: {
        timeQuality: { tzKnown: '1', isSynced: '0' },
        'origin@32473': { ip: '10.0.0.1', note: 'a "quoted" \\ back ] br' },
      },
      message: 'User login ok',
    });
  });

  test('PROCID, NIL MSGID', () => {
    expect(parseRfc5424(lines[3])).toEqual({
      format: 'rfc5424', facility: 9, severity: 3, version: '1',
      timestamp: Date.UTC(2026, 10, 27, 2, 20, 0, 695), timestampAssumedZone: false,
      hostname: 'vm', appName: 'CRON', procId: '16969',
      structuredData: { timeQuality: { tzKnown: '1', isSynced: '0' } },
      message: '(root) CMD (run-parts /etc/cron.hourly)',
    });
  });

  test('NIL hostname and NIL structured data', () => {
    expect(parseRfc5424(lines[4])).toEqual({
      format: 'rfc5424', facility: 1, severity: 4, version: '1',
      timestamp: Date.UTC(2026, 10, 27, 2, 20, 0, 852), timestampAssumedZone: false,
      appName: 'app', message: 'no time quality, no host',
    });
  });

  test('NIL timestamp', () => {
    expect(parseRfc5424(lines[5])).toEqual({
      format: 'rfc5424', facility: 1, severity: 7, version: '1',
      hostname: 'vm', appName: 'app', message: 'no time',
    });
  });

  test('UTF-8 message', () => {
    expect(parseRfc5424(lines[6])?.message).toBe('Xin chào Việt Nam — tiếng Việt có dấu');
  });
});

describe('parseRfc5424: rsyslog RSYSLOG_SyslogProtocol23Format (octet-counted)', () => {
  const frames = octetCountedFrames('rsyslog-protocol23.octet-counted');

  test('two spaces before MSG and the trailing LF are not part of the message', () => {
    expect(frames[0].endsWith('\n')).toBe(true);
    expect(parseRfc5424(frames[0])).toEqual({
      format: 'rfc5424', facility: 10, severity: 6, version: '1',
      timestamp: Date.UTC(2026, 10, 27, 2, 20, 0), timestampAssumedZone: false,
      hostname: 'vm', appName: 'sshd', procId: '16958',
      message: 'Accepted publickey for admin from 10.1.2.3 port 50022 ssh2: ED25519 SHA256:abc',
    });
  });

  test('structured data relayed intact', () => {
    expect(parseRfc5424(frames[2])).toEqual({
      format: 'rfc5424', facility: 23, severity: 5, version: '1',
      timestamp: Date.UTC(2026, 10, 27, 2, 20, 0, 537), timestampAssumedZone: false,
      hostname: 'vm', appName: 'myapp', msgId: 'LOGIN',
      structuredData: {
        timeQuality: { tzKnown: '1', isSynced: '0' },
        'origin@32473': { ip: '10.0.0.1', note: 'a "quoted" \\ back ] br' },
      },
      message: 'User login ok',
    });
  });

  test('every frame parses as 5424 with its text intact', () => {
    for (const frame of frames) {
      const m = parseRfc5424(frame);
      expect(m).not.toBeNull();
      expect(m?.message.endsWith('\n')).toBe(false);
      expect(m?.message.startsWith(' ')).toBe(false);
    }
    expect(parseRfc5424(frames[7])?.message).toBe('*Mar  1 18:48:50.483 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down');
  });
});

describe('parseRfc5424: vendors', () => {
  test('Juniper SRX structured RT_FLOW', () => {
    const [create] = fixture('juniper.txt');
    const m = parseRfc5424(create);
    expect(m).toMatchObject({
      format: 'rfc5424', facility: 1, severity: 6, version: '1',
      timestamp: Date.UTC(2026, 10, 27, 1, 4, 5, 123) - 7 * HOUR, timestampAssumedZone: false,
      hostname: 'srx-01', appName: 'RT_FLOW', procId: undefined, msgId: 'RT_FLOW_SESSION_CREATE',
    });
    const sd = m?.structuredData?.['junos@2636.1.1.1.2.129'];
    expect(sd?.['source-address']).toBe('10.0.0.5');
    expect(sd?.['src-nat-rule-type']).toBe('source rule');
    expect(sd?.['packet-incoming-interface']).toBe('ge-0/0/1.0');
    expect(Object.keys(sd ?? {})).toHaveLength(20);
    expect(m?.message.startsWith('session created 10.0.0.5/51234->8.8.8.8/53')).toBe(true);
  });

  test('pfSense 2.5+ RFC 5424 filterlog', () => {
    expect(parseRfc5424(fixture('pfsense.txt')[1])).toEqual({
      format: 'rfc5424', facility: 16, severity: 6, version: '1',
      timestamp: Date.UTC(2026, 10, 27, 1, 4, 5, 123) - 7 * HOUR, timestampAssumedZone: false,
      hostname: 'pfSense.home.arpa', appName: 'filterlog', procId: '38145',
      message: '5,,,1000000103,igb1,match,pass,out,4,0x0,,64,48321,0,DF,17,udp,72,10.0.0.1,8.8.8.8,51234,53,52',
    });
  });

  test('Palo Alto IETF format with all NIL fields', () => {
    const m = parseRfc5424(fixture('paloalto.txt')[1]);
    expect(m).toMatchObject({ hostname: 'PA-3220', appName: undefined, procId: undefined, msgId: undefined, structuredData: undefined });
    expect(m?.message.startsWith('1,2026/11/27 01:04:05,013201001234,THREAT,url')).toBe(true);
  });

  test("Check Point's `[key:\"value\"; …]` is not RFC 5424 SD: kept as the message", () => {
    const [native, sd] = fixture('checkpoint.txt');
    const m = parseRfc5424(native);
    expect(m).toMatchObject({
      format: 'rfc5424', hostname: 'gw-hn-01', appName: 'CheckPoint', procId: '26203', msgId: undefined, structuredData: undefined,
    });
    expect(m?.message).toBe(native.slice(native.indexOf('[action:')));
    expect(parseRfc5424(sd)).toMatchObject({
      structuredData: { 'origin@2620': { action: 'Drop', src: '203.0.113.7', dst: '10.0.0.5', service: '23', rule_name: 'Cleanup rule' } },
      message: '',
    });
  });

  test('QRadar-style LEEF right after the hostname', () => {
    const line = fixture('leef.txt')[3];
    expect(parseRfc5424(line)).toEqual({
      format: 'rfc5424', facility: 16, severity: 5, version: '1',
      timestamp: Date.UTC(2019, 0, 18, 11, 7, 53, 520) - 7 * HOUR, timestampAssumedZone: false,
      hostname: 'myhostname', message: line.slice(line.indexOf('LEEF:')),
    });
  });
});

describe('parseRfc5424: RFC examples and edge cases', () => {
  test('RFC 5424 §6.5 example 1 with BOM', () => {
    const line = '<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF\'su root\' failed for lonvick on /dev/pts/8';
    expect(parseRfc5424(line)).toEqual({
      format: 'rfc5424', facility: 4, severity: 2, version: '1',
      timestamp: Date.UTC(2003, 9, 11, 22, 14, 15, 3), timestampAssumedZone: false,
      hostname: 'mymachine.example.com', appName: 'su', msgId: 'ID47',
      message: "'su root' failed for lonvick on /dev/pts/8",
    });
  });

  test('RFC 5424 §6.5 example 2: negative offset, microseconds, no SD', () => {
    const m = parseRfc5424('<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It\'s time to make the do-nuts.');
    expect(m).toMatchObject({
      facility: 20, severity: 5, timestamp: Date.UTC(2003, 7, 24, 12, 14, 15), hostname: '192.0.2.1',
      appName: 'myproc', procId: '8710', msgId: undefined, message: "%% It's time to make the do-nuts.",
    });
  });

  test('RFC 5424 §6.5 example 4: SD only, no MSG', () => {
    const m = parseRfc5424('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]');
    expect(m?.structuredData).toEqual({
      'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' },
      'examplePriority@32473': { class: 'high' },
    });
    expect(m?.message).toBe('');
  });

  test('escapes: only \\" \\\\ \\] are unescaped, other backslashes kept; `]` inside quotes', () => {
    const m = parseRfc5424('<13>1 - h a - - [x@1 p="C:\\temp\\n" q="a]b" r="\\\\\\"" s=""] m');
    expect(m?.structuredData).toEqual({ 'x@1': { p: 'C:\\temp\\n', q: 'a]b', r: '\\"', s: '' } });
    expect(m?.message).toBe('m');
  });

  test('repeated SD-ID merges; `__proto__` is stored as data', () => {
    const m = parseRfc5424('<13>1 - h a - - [a x="1"][a y="2"][__proto__ polluted="yes"] m');
    expect(m?.structuredData?.a).toEqual({ x: '1', y: '2' });
    expect(Object.prototype.hasOwnProperty.call(m?.structuredData, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('malformed SD keeps the text as the message', () => {
    for (const sd of ['[a x=1] msg', '[a x="1" msg', '[ x="1"] msg', '[a x="1"', 'hello world']) {
      const m = parseRfc5424(`<13>1 2026-11-27T01:04:05Z h a p m ${sd}`);
      expect(m).toMatchObject({ format: 'rfc5424', hostname: 'h', appName: 'a', procId: 'p', msgId: 'm', structuredData: undefined, message: sd });
    }
  });

  test('timestamp without offset reads the given zone; lower-case t/z accepted', () => {
    const m = parseRfc5424('<13>1 2026-11-27T01:04:05.5 h a - - - x', { timezone: 'Asia/Ho_Chi_Minh' });
    expect(m).toMatchObject({ timestamp: Date.UTC(2026, 10, 27, 1, 4, 5, 500) - 7 * HOUR, timestampAssumedZone: true });
    expect(parseRfc5424('<13>1 2026-11-27t01:04:05z h a - - - x')?.timestamp).toBe(Date.UTC(2026, 10, 27, 1, 4, 5));
  });

  test('an invalid date keeps the 5424 header without a timestamp', () => {
    expect(parseRfc5424('<13>1 2026-13-45T99:00:00Z h a - - - x')).toMatchObject({ timestamp: undefined, hostname: 'h', message: 'x' });
  });

  test('header cut short', () => {
    expect(parseRfc5424('<13>1 - h')).toEqual({ format: 'rfc5424', facility: 1, severity: 5, version: '1', hostname: 'h', message: '' });
  });

  test('not RFC 5424', () => {
    expect(parseRfc5424('<13>Nov 27 01:04:05 h a: x')).toBeNull();
    expect(parseRfc5424('<13>1 hello world')).toBeNull();
    expect(parseRfc5424('<189>123: *Mar  1 18:48:50.483 UTC: %LINK-3-UPDOWN: x')).toBeNull();
    expect(parseRfc5424('<13>0 - h a - - - x')).toBeNull();
    expect(parseRfc5424('1 - h a - - - x')).toBeNull();
    expect(parseRfc5424('')).toBeNull();
  });
});
