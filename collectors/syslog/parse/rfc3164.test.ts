import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRfc3164 } from './rfc3164';

const HCM = 'Asia/Ho_Chi_Minh';
// Receive time for the fixtures: 2026-11-27 10:00 in Ho Chi Minh City.
const NOW = Date.UTC(2026, 10, 27, 3, 0, 0);
const HOUR = 3_600_000;

function fixture(name: string): string[] {
  return readFileSync(join(__dirname, 'testdata', name), 'utf8').split('\n').filter((l) => l.length > 0);
}

function parse(line: string, timezone = HCM, now = NOW) {
  return parseRfc3164(line, { timezone, now });
}

/** Wall-clock time in Ho Chi Minh City (UTC+7, no DST) as epoch ms. */
function hcm(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number {
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - 7 * HOUR;
}

describe('parseRfc3164: util-linux logger and rsyslog output', () => {
  test('logger --rfc3164 with pid, and sudo with padded message', () => {
    const [sshd, sudo] = fixture('logger-udp.txt');
    // logger ran on a UTC machine, so its local time is read as UTC here.
    expect(parse(sshd, 'UTC')).toEqual({
      format: 'rfc3164', facility: 10, severity: 6,
      timestamp: Date.UTC(2026, 10, 27, 2, 20, 0), timestampAssumedZone: true,
      hostname: 'vm', appName: 'sshd', procId: '16960',
      message: 'Accepted publickey for admin from 10.1.2.3 port 50022 ssh2: ED25519 SHA256:abc',
    });
    expect(parse(sudo, 'UTC')).toEqual({
      format: 'rfc3164', facility: 10, severity: 5,
      timestamp: Date.UTC(2026, 10, 27, 2, 20, 0), timestampAssumedZone: true,
      hostname: 'vm', appName: 'sudo',
      message: 'admin : TTY=pts/0 ; PWD=/home/admin ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx',
    });
  });

  test('RSYSLOG_ForwardFormat: RFC 3339 timestamp in a 3164 layout, trailing LF', () => {
    const lines = readFileSync(join(__dirname, 'testdata', 'rsyslog-forward.txt'), 'utf8').split(/(?<=\n)/);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(parse(lines[0])).toEqual({
      format: 'rfc3164', facility: 10, severity: 6,
      timestamp: Date.UTC(2026, 10, 27, 2, 20, 0), timestampAssumedZone: false,
      hostname: 'vm', appName: 'sshd', procId: '16958',
      message: 'Accepted publickey for admin from 10.1.2.3 port 50022 ssh2: ED25519 SHA256:abc',
    });
    // A relayed RFC 5424 message: rsyslog writes TAG without the colon; with a pid it is still a tag.
    expect(parse(lines[3])).toEqual({
      format: 'rfc3164', facility: 9, severity: 3,
      timestamp: Date.UTC(2026, 10, 27, 2, 20, 0, 693), timestampAssumedZone: false,
      hostname: 'vm', appName: 'CRON', procId: '16968',
      message: '(root) CMD (run-parts /etc/cron.hourly)',
    });
    // Without a pid or colon the tag cannot be told from text, so the message stays whole.
    expect(parse(lines[2])).toEqual({
      format: 'rfc3164', facility: 23, severity: 5,
      timestamp: Date.UTC(2026, 10, 27, 2, 20, 0, 537), timestampAssumedZone: false,
      hostname: 'vm', message: 'myapp User login ok',
    });
    // rsyslog's nil hostname is `-`.
    expect(parse(lines[4])).toEqual({
      format: 'rfc3164', facility: 1, severity: 4,
      timestamp: Date.UTC(2026, 10, 27, 2, 20, 0, 849), timestampAssumedZone: false,
      message: 'app no time quality, no host',
    });
    expect(parse(lines[6]).message).toBe('app Xin chào Việt Nam — tiếng Việt có dấu');
  });

  test('RSYSLOG_TraditionalForwardFormat relaying a Cisco line keeps the relay time and reads the tag', () => {
    const lines = fixture('rsyslog-traditional-forward.txt');
    expect(parse(lines[7], 'UTC')).toEqual({
      format: 'rfc3164', facility: 23, severity: 5,
      timestamp: Date.UTC(2026, 10, 27, 2, 20, 1), timestampAssumedZone: true,
      hostname: 'localhost', sequence: 123,
      ciscoTag: { facility: 'LINK', severity: 3, mnemonic: 'UPDOWN' },
      message: 'Interface GigabitEthernet0/1, changed state to down',
    });
    expect(parse(lines[8], 'UTC')).toEqual({
      format: 'rfc3164', facility: 20, severity: 6,
      timestamp: Date.UTC(2026, 10, 27, 2, 20, 1), timestampAssumedZone: true,
      hostname: 'localhost',
      ciscoTag: { facility: 'ASA', severity: 6, mnemonic: '302013' },
      message: 'Built outbound TCP connection 1234 for outside:8.8.8.8/53 (8.8.8.8/53) to inside:10.0.0.5/51234 (10.0.0.5/51234)',
    });
  });
});

describe('parseRfc3164: Cisco IOS, IOS-XR, NX-OS', () => {
  const lines = fixture('cisco-ios.txt');

  test('sequence number, unsynchronised clock marker, UTC zone, no hostname', () => {
    expect(parse(lines[0])).toEqual({
      format: 'rfc3164', facility: 23, severity: 5,
      // `*Mar 1 …`: a clock never synchronised (time since boot) is no event time.
      clockUnsynchronized: true,
      sequence: 123, ciscoTag: { facility: 'LINK', severity: 3, mnemonic: 'UPDOWN' },
      message: 'Interface GigabitEthernet0/1, changed state to down',
    });
  });

  test('origin-id hostname after the sequence number', () => {
    expect(parse(lines[1])).toEqual({
      format: 'rfc3164', facility: 23, severity: 5,
      clockUnsynchronized: true,
      sequence: 124, hostname: 'hn-core-rt01',
      ciscoTag: { facility: 'LINEPROTO', severity: 5, mnemonic: 'UPDOWN' },
      message: 'Line protocol on Interface GigabitEthernet0/1, changed state to down',
    });
  });

  test('zero-padded sequence, msec and a known zone abbreviation (ICT = UTC+7)', () => {
    expect(parse(lines[2], 'UTC')).toEqual({
      format: 'rfc3164', facility: 23, severity: 5,
      timestamp: hcm(2026, 11, 27, 1, 4, 5, 123), timestampAssumedZone: false,
      sequence: 125, ciscoTag: { facility: 'SYS', severity: 5, mnemonic: 'CONFIG_I' },
      message: 'Configured from console by admin on vty0 (10.0.0.5)',
    });
  });

  test('`.` marker (sync lost) without zone reads the configured zone', () => {
    expect(parse(lines[3])).toEqual({
      format: 'rfc3164', facility: 23, severity: 5,
      timestamp: hcm(2026, 11, 27, 1, 4, 5), timestampAssumedZone: true,
      sequence: 126, ciscoTag: { facility: 'SEC_LOGIN', severity: 5, mnemonic: 'LOGIN_SUCCESS' },
      message: 'Login Success [user: admin] [Source: 10.0.0.5] [localport: 22] at 01:04:05 ICT Fri Nov 27 2026',
    });
  });

  test('timestamp with year', () => {
    const m = parse(lines[4]);
    expect(m.timestamp).toBe(Date.UTC(2026, 10, 27, 1, 4, 5, 123));
    expect(m.timestampAssumedZone).toBe(false);
    expect(m.ciscoTag).toEqual({ facility: 'SSH', severity: 5, mnemonic: 'SSH2_USERAUTH' });
    expect(m.sequence).toBe(127);
  });

  test('relay header in front of a Cisco line', () => {
    expect(parse(lines[5])).toEqual({
      format: 'rfc3164', facility: 23, severity: 5,
      timestamp: hcm(2026, 11, 27, 1, 4, 5), timestampAssumedZone: true,
      hostname: '10.10.1.1', sequence: 128,
      ciscoTag: { facility: 'DUAL', severity: 5, mnemonic: 'NBRCHANGE' },
      message: 'EIGRP-IPv4 100: Neighbor 10.10.1.2 (GigabitEthernet0/2) is down: holding time expired',
    });
  });

  test('NX-OS: empty sequence and year-first timestamp', () => {
    expect(parse(lines[6], 'UTC')).toEqual({
      format: 'rfc3164', facility: 23, severity: 5,
      timestamp: hcm(2026, 11, 27, 1, 4, 5), timestampAssumedZone: false,
      ciscoTag: { facility: 'ETHPORT', severity: 5, mnemonic: 'IF_DOWN_LINK_FAILURE' },
      message: 'Interface Ethernet1/1 is down (Link failure)',
    });
  });

  test('IOS-XR: node prefix, process tag, dashed facility and a space before the colon', () => {
    expect(parse(lines[7])).toEqual({
      format: 'rfc3164', facility: 23, severity: 3,
      timestamp: Date.UTC(2026, 10, 27, 1, 4, 5, 123), timestampAssumedZone: false,
      sequence: 129, appName: 'ifmgr', procId: '254',
      ciscoTag: { facility: 'PKT_INFRA-LINK', severity: 3, mnemonic: 'UPDOWN' },
      message: 'Interface GigabitEthernet0/0/0/0, changed state to Down',
    });
  });

  test('custom `clock timezone` name before `: %` is a zone, read as the configured one', () => {
    const m = parse(lines[8]);
    expect(m.timestamp).toBe(hcm(2026, 11, 27, 1, 4, 5));
    expect(m.timestampAssumedZone).toBe(true);
    expect(m.hostname).toBeUndefined();
    expect(m.ciscoTag).toEqual({ facility: 'SEC', severity: 6, mnemonic: 'IPACCESSLOGP' });
  });
});

describe('parseRfc3164: Cisco ASA / FTD', () => {
  const lines = fixture('cisco-asa.txt');

  test('no timestamp, no hostname', () => {
    expect(parse(lines[0])).toEqual({
      format: 'rfc3164', facility: 20, severity: 6,
      ciscoTag: { facility: 'ASA', severity: 6, mnemonic: '302013' },
      message: 'Built outbound TCP connection 1234 for outside:8.8.8.8/53 (8.8.8.8/53) to inside:10.0.0.5/51234 (10.0.0.5/51234)',
    });
  });

  test('`Mmm dd yyyy hh:mm:ss:` without device id', () => {
    expect(parse(lines[1])).toEqual({
      format: 'rfc3164', facility: 20, severity: 6,
      timestamp: hcm(2026, 11, 27, 1, 4, 5), timestampAssumedZone: true,
      ciscoTag: { facility: 'ASA', severity: 6, mnemonic: '302014' },
      message: 'Teardown TCP connection 1234 for outside:8.8.8.8/53 to inside:10.0.0.5/51234 duration 0:00:30 bytes 1024 TCP FINs',
    });
  });

  test('device id followed by ` : `', () => {
    expect(parse(lines[2])).toEqual({
      format: 'rfc3164', facility: 20, severity: 4,
      timestamp: hcm(2026, 11, 27, 1, 4, 5), timestampAssumedZone: true,
      hostname: 'asa-fw01', ciscoTag: { facility: 'ASA', severity: 4, mnemonic: '106023' },
      message: 'Deny tcp src outside:203.0.113.7/4455 dst inside:10.0.0.5/22 by access-group "OUTSIDE_IN" [0x0, 0x0]',
    });
  });

  test('FQDN hostname, then the tag', () => {
    const m = parse(lines[3]);
    expect(m.hostname).toBe('asa-fw01.corp.example.vn');
    expect(m.ciscoTag).toEqual({ facility: 'ASA', severity: 6, mnemonic: '113004' });
    expect(m.message).toBe('AAA user authentication Successful : server =  10.0.0.10 : user = admin');
  });

  test('FTD with RFC 5424-style timestamp and two spaces before ` : `', () => {
    expect(parse(lines[4])).toEqual({
      format: 'rfc3164', facility: 20, severity: 5,
      timestamp: Date.UTC(2026, 10, 27, 1, 4, 5), timestampAssumedZone: false,
      hostname: 'ftd01', ciscoTag: { facility: 'FTD', severity: 5, mnemonic: '430003' },
      message: 'DeviceUUID: 0a1b2c3d-1111-2222-3333-444455556666, AccessControlRuleAction: Allow, SrcIP: 10.0.0.5, DstIP: 8.8.8.8, SrcPort: 51234, DstPort: 53, Protocol: udp',
    });
  });

  test('`Mmm dd yyyy hh:mm:ss UTC:`', () => {
    const m = parse(lines[5]);
    expect(m.timestamp).toBe(Date.UTC(2026, 10, 27, 1, 4, 5));
    expect(m.timestampAssumedZone).toBe(false);
    expect(m.hostname).toBeUndefined();
    expect(m.ciscoTag?.mnemonic).toBe('611101');
  });
});

describe('parseRfc3164: other vendors', () => {
  test('FortiGate sends key=value right after the PRI', () => {
    const [traffic] = fixture('fortigate.txt');
    expect(parse(traffic)).toEqual({
      format: 'rfc3164', facility: 23, severity: 5,
      message: traffic.slice('<189>'.length),
    });
  });

  test('Palo Alto CSV after the hostname: no tag', () => {
    const [traffic] = fixture('paloalto.txt');
    expect(parse(traffic)).toEqual({
      format: 'rfc3164', facility: 1, severity: 6,
      timestamp: hcm(2026, 11, 27, 1, 4, 5), timestampAssumedZone: true,
      hostname: 'PA-3220', message: traffic.slice(traffic.indexOf('1,2026/')),
    });
  });

  test('pfSense filterlog without hostname', () => {
    const [filterlog, , sshd] = fixture('pfsense.txt');
    expect(parse(filterlog)).toEqual({
      format: 'rfc3164', facility: 16, severity: 6,
      timestamp: hcm(2026, 11, 27, 1, 4, 5), timestampAssumedZone: true,
      appName: 'filterlog',
      message: '5,,,1000000103,em0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,203.0.113.7,10.0.0.1,51234,22,0,S,1234567890,,64240,,mss;sackOK;TS;nop;wscale',
    });
    expect(parse(sshd)).toMatchObject({ appName: 'sshd', procId: '38212', hostname: undefined });
  });

  test('Juniper: tag then the event name', () => {
    const [, deny, commit] = fixture('juniper.txt');
    expect(parse(deny)).toEqual({
      format: 'rfc3164', facility: 3, severity: 4,
      timestamp: hcm(2026, 11, 27, 1, 4, 5), timestampAssumedZone: true,
      hostname: 'srx-01', appName: 'RT_FLOW',
      message: 'RT_FLOW_SESSION_DENY: session denied 203.0.113.7/4455->10.0.0.5/22 0x0 junos-ssh 6(0) deny-all untrust trust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 No policy',
    });
    expect(parse(commit)).toMatchObject({ hostname: 'mx480-hcm', appName: 'mgd', procId: '4567' });
  });

  test('Huawei: offset glued to the time; `%%01…` is not a Cisco tag and stays in the message', () => {
    const [linkState, cmd] = fixture('huawei.txt');
    expect(parse(linkState, 'UTC')).toEqual({
      format: 'rfc3164', facility: 23, severity: 3,
      timestamp: hcm(2026, 11, 27, 1, 4, 5), timestampAssumedZone: false,
      hostname: 'HN-CORE-S5720',
      message: '%%01IFNET/4/LINK_STATE(l)[123]:The line protocol IP on the interface GigabitEthernet0/0/1 has entered the DOWN state.',
    });
    expect(parse(cmd)).toMatchObject({ hostname: 'HCM-AR6120', appName: undefined, ciscoTag: undefined, timestampAssumedZone: true });
  });

  test('Linux hosts: space-padded day, IP and IPv6 hostnames, path tags, tabs', () => {
    const lines = fixture('linux.txt');
    expect(parse(lines[0])).toEqual({
      format: 'rfc3164', facility: 4, severity: 6,
      timestamp: hcm(2026, 11, 7, 9, 15, 2), timestampAssumedZone: true,
      hostname: 'web-01.corp.example.vn', appName: 'sshd', procId: '2231',
      message: 'Failed password for invalid user oracle from 203.0.113.7 port 40112 ssh2',
    });
    expect(parse(lines[1])).toMatchObject({ hostname: '10.0.0.20', appName: 'CRON', procId: '3312' });
    expect(parse(lines[2])).toMatchObject({ facility: 0, severity: 4, hostname: 'fw-gw', appName: 'kernel', procId: undefined });
    expect(parse(lines[2]).message.startsWith('[UFW BLOCK] IN=eth0')).toBe(true);
    expect(parse(lines[6])).toMatchObject({ hostname: '2001:db8::10', appName: '/usr/sbin/cron', procId: '991' });
    expect(parse(lines[7])).toMatchObject({ hostname: 'WIN-DC01', appName: undefined });
    expect(parse(lines[7]).message.startsWith('MSWinEventLog\t1\tSecurity\t4625')).toBe(true);
  });

  test('tag without hostname: `<13>Nov 27 01:04:05 sshd[12]: msg`', () => {
    expect(parse(fixture('linux.txt')[4])).toEqual({
      format: 'rfc3164', facility: 1, severity: 5,
      timestamp: hcm(2026, 11, 27, 1, 4, 5), timestampAssumedZone: true,
      appName: 'sshd', procId: '12', message: 'Server listening on 0.0.0.0 port 22.',
    });
  });

  test('forward format with a +07:00 offset and fractional seconds', () => {
    expect(parse(fixture('linux.txt')[5], 'UTC')).toMatchObject({
      timestamp: hcm(2026, 11, 27, 1, 4, 5, 123), timestampAssumedZone: false, hostname: 'app-01', appName: 'nginx',
    });
  });
});

describe('parseRfc3164: missing parts and garbage', () => {
  test('no PRI but a timestamp: 3164 without facility/severity', () => {
    const lines = fixture('linux.txt');
    expect(parse(lines[8], 'UTC')).toEqual({
      format: 'rfc3164',
      timestamp: hcm(2026, 11, 27, 1, 4, 5, 123), timestampAssumedZone: false,
      hostname: 'web-01', appName: 'nginx', procId: '811', message: 'worker process started',
    });
    expect(parse(lines[9])).toMatchObject({ format: 'rfc3164', facility: undefined, hostname: 'web-01', appName: 'sshd' });
  });

  test('no PRI and no header: raw, kept whole', () => {
    expect(parse('just a plain line from a file, no header at all\r\n')).toEqual({
      format: 'raw', message: 'just a plain line from a file, no header at all',
    });
    expect(parse('123: host1: numbered line')).toEqual({ format: 'raw', message: '123: host1: numbered line' });
  });

  test('invalid PRI is not a PRI', () => {
    // PRI above 191: the line is not syslog we can trust, so it is kept whole.
    expect(parse('<192>Nov 27 01:04:05 host app: x')).toEqual({ format: 'raw', message: '<192>Nov 27 01:04:05 host app: x' });
    expect(parse('<1234>x')).toEqual({ format: 'raw', message: '<1234>x' });
    expect(parse('<abc>hello')).toEqual({ format: 'raw', message: '<abc>hello' });
    expect(parse('<>')).toEqual({ format: 'raw', message: '<>' });
  });

  test('PRI only, PRI and text, empty line', () => {
    expect(parse('<13>')).toEqual({ format: 'rfc3164', facility: 1, severity: 5, message: '' });
    expect(parse('<13>hello world')).toEqual({ format: 'rfc3164', facility: 1, severity: 5, message: 'hello world' });
    expect(parse('')).toEqual({ format: 'raw', message: '' });
  });

  test('URL-like text is not a tag; a timestamp cut short is not a timestamp', () => {
    expect(parse('<13>Nov 27 01:04:05 host http://example.com/ down')).toMatchObject({ appName: undefined, message: 'http://example.com/ down' });
    expect(parse('<13>Nov 27 01:04')).toEqual({ format: 'rfc3164', facility: 1, severity: 5, message: 'Nov 27 01:04' });
  });

  test('BOM before the message is dropped', () => {
    expect(parse('<13>Nov 27 01:04:05 h app: \uFEFFxin chào').message).toBe('xin chào');
  });

  test('CEF right after the timestamp has no hostname or tag', () => {
    const m = parse('<134>Nov 27 01:04:05 CEF:0|a|b|1|2|n|5|src=1.2.3.4');
    expect(m).toMatchObject({ hostname: undefined, appName: undefined, message: 'CEF:0|a|b|1|2|n|5|src=1.2.3.4' });
  });
});

describe('parseRfc3164: year inference and zones', () => {
  test('Dec 31 received on Jan 1 is last year; Jan 1 received on Dec 31 is next year', () => {
    const newYear = Date.UTC(2027, 0, 1, 0, 0, 30);
    expect(parse('<13>Dec 31 23:59:50 h a: x', 'UTC', newYear).timestamp).toBe(Date.UTC(2026, 11, 31, 23, 59, 50));
    const eve = Date.UTC(2026, 11, 31, 23, 59, 50);
    expect(parse('<13>Jan  1 00:00:05 h a: x', 'UTC', eve).timestamp).toBe(Date.UTC(2027, 0, 1, 0, 0, 5));
  });

  test('year boundary is taken in the configured zone, not UTC', () => {
    // 2027-01-01 02:00 in Ho Chi Minh City is still 2026 in UTC.
    const now = hcm(2027, 1, 1, 2, 0, 0);
    expect(parse('<13>Jan  1 01:59:00 h a: x', HCM, now).timestamp).toBe(hcm(2027, 1, 1, 1, 59, 0));
  });

  test('Feb 29 gets the nearest leap year, or no timestamp', () => {
    expect(parse('<13>Feb 29 10:00:00 h a: x', 'UTC', Date.UTC(2028, 2, 5)).timestamp).toBe(Date.UTC(2028, 1, 29, 10));
    const m = parse('<13>Feb 29 10:00:00 h a: x', 'UTC', Date.UTC(2026, 5, 1));
    expect(m.timestamp).toBeUndefined();
    expect(m.hostname).toBe('h');
  });

  test('DST zone: local times on both sides of a transition', () => {
    // Europe/Berlin: CEST (+2) until 2026-10-25 01:00 UTC, then CET (+1).
    const now = Date.UTC(2026, 10, 1);
    expect(parse('<13>Oct 24 12:00:00 h a: x', 'Europe/Berlin', now).timestamp).toBe(Date.UTC(2026, 9, 24, 10));
    expect(parse('<13>Oct 26 12:00:00 h a: x', 'Europe/Berlin', now).timestamp).toBe(Date.UTC(2026, 9, 26, 11));
  });

  test('numeric and named zones after the time', () => {
    expect(parse('<13>Nov 27 2026 10:11:12 UTC host app: x').timestamp).toBe(Date.UTC(2026, 10, 27, 10, 11, 12));
    expect(parse('<13>Nov 27 10:11:12 +0700 host app: x')).toMatchObject({ timestamp: hcm(2026, 11, 27, 10, 11, 12), hostname: 'host' });
    expect(parse('<13>Nov 27 10:11:12 UTC+07:00 host app: x')).toMatchObject({ timestamp: hcm(2026, 11, 27, 10, 11, 12), timestampAssumedZone: false });
    // An upper-case hostname that is no zone stays the hostname.
    expect(parse('<13>Nov 27 10:11:12 CORE app: x')).toMatchObject({ hostname: 'CORE', timestampAssumedZone: true });
  });

  test('unknown zone name falls back to UTC instead of throwing', () => {
    expect(parse('<13>Nov 27 01:04:05 h a: x', 'Mars/Olympus_Mons').timestamp).toBe(Date.UTC(2026, 10, 27, 1, 4, 5));
  });
});
