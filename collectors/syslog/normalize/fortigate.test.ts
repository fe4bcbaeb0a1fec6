import { FIXTURE_NOW, fixtureLines, normalizeFixture, normalizeLine } from './testdata/fixtures';
import { parseSyslogLine } from '../parse';
import { buildSyslogEvent } from '../to-event';

const results = normalizeFixture('fortigate.txt');

const fgt = { vendor: 'Fortinet', product: 'FortiGate', type: 'firewall', name: 'FGT60F-HQ', serial_number: 'FGT60FTK21000001' };

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, {
    // eventtime in nanoseconds wins over date/time (local time with tz).
    '@timestamp': '2024-03-04T10:15:32.123Z',
    event: { dataset: 'fortinet.fortigate', module: 'fortinet', code: '0000000013', category: ['network'], type: ['connection', 'allowed', 'end'], outcome: 'success', action: 'close', duration: 116e9 },
    observer: { ...fgt, ingress: { interface: { name: 'port2' } }, egress: { interface: { name: 'wan1' } } },
    source: { ip: '10.1.100.11', port: 58012, bytes: 1188, packets: 17, nat: { ip: '198.51.100.2', port: 58012 } },
    destination: { ip: '93.184.216.34', port: 443, bytes: 5224, packets: 16, geo: { country_name: 'United States' } },
    network: { transport: 'tcp', iana_number: '6', protocol: 'https', application: 'HTTPS.BROWSER', bytes: 6412, packets: 33 },
    rule: { id: '1', name: 'LAN-to-WAN', uuid: 'ccb269e0-5735-51e9-a218-a397dd08b7eb' },
    user: { name: 'bob', group: { name: 'Staff' } },
    fortinet: { fortigate: { vd: 'root', subtype: 'forward', sessionid: '105048' } },
  }],
  [true, {
    event: { type: ['connection', 'denied'], outcome: 'failure', action: 'deny' },
    source: { ip: '203.0.113.99', port: 52000, geo: { country_name: 'China' } },
    destination: { ip: '198.51.100.2', port: 23 },
    network: { protocol: 'telnet' },
    rule: { id: '0' },
  }],
  [true, {
    event: { kind: 'alert', category: ['malware', 'network'], type: ['info', 'denied'], outcome: 'failure', action: 'blocked', code: '0211008192' },
    rule: { name: 'EICAR_TEST_FILE', id: '2172' },
    file: { name: 'eicar.com' },
    url: { original: 'http://172.16.200.55/virus/eicar.com' },
    user: { name: 'bob' },
    message: 'File is infected.',
  }],
  [true, {
    event: { kind: 'event', category: ['web', 'network'], type: ['access', 'denied'], outcome: 'failure', action: 'blocked' },
    url: { domain: 'malicious.example.net', path: '/payload/dropper.php', original: 'http://malicious.example.net/payload/dropper.php' },
    destination: { ip: '185.230.61.185', domain: 'malicious.example.net', port: 80 },
    rule: { category: 'Malicious Websites' },
  }],
  [true, {
    event: { kind: 'alert', category: ['intrusion_detection', 'network'], outcome: 'failure', action: 'dropped' },
    rule: { name: 'Apache.Log4j.Error.Log.Remote.Code.Execution', id: '51006' },
    source: { ip: '203.0.113.66', port: 41222, geo: { country_name: 'Netherlands' } },
    destination: { ip: '10.1.50.10', port: 443 },
    fortinet: { fortigate: { severity: 'critical' } },
  }],
  [true, { event: { category: ['network'], type: ['connection', 'denied'], action: 'block' }, network: { application: 'Tor' }, rule: { category: 'Proxy' } }],
  [true, {
    event: { category: ['authentication'], type: ['start'], outcome: 'failure', action: 'login', reason: 'name_invalid' },
    user: { name: 'admin1' },
    source: { ip: '203.0.113.70' },
    log: { level: 'alert' },
  }],
  [true, { event: { category: ['configuration'], type: ['change'], outcome: 'success', action: 'Edit', reason: 'Object attribute configured' }, user: { name: 'admin' }, source: { ip: '10.1.100.5' } }],
  [true, { event: { category: ['authentication', 'network'], outcome: 'failure', action: 'ssl-login-fail', reason: 'sslvpn_login_permission_denied' }, user: { name: 'jsmith' }, source: { ip: '203.0.113.71' } }],
  [true, { event: { category: ['session', 'network'], type: ['start'], action: 'tunnel-up' }, user: { name: 'asmith', group: { name: 'VPN-Users' } }, source: { ip: '203.0.113.72' } }],
  [true, { event: { category: ['authentication'], outcome: 'success', action: 'authentication' }, user: { name: 'carol', group: { name: 'Staff' } }, source: { ip: '10.1.100.13' }, destination: { ip: '10.1.1.10' } }],
  // A relay added a BSD header; eventtime in seconds (FortiOS 6.0).
  [true, { '@timestamp': '2024-03-04T10:35:00.000Z', event: { type: ['connection', 'allowed', 'end'], action: 'accept' }, network: { transport: 'udp', protocol: 'dns', bytes: 190, packets: 2 } }],
  // A domain user: the backslash is data, not an escape.
  [true, { event: { action: 'server-rst', type: ['connection', 'allowed', 'end'] }, user: { name: 'jdoe', domain: 'HCM', group: { name: 'Staff' } }, fortinet: { fortigate: { user: 'HCM\\jdoe' } } }],
  // A DoS-policy anomaly whose session was cleared is a block.
  [true, { event: { kind: 'alert', category: ['intrusion_detection', 'network'], type: ['info', 'denied'], outcome: 'failure', action: 'clear_session' }, rule: { name: 'tcp_syn_flood' } }],
  // An IPsec negotiation that failed; user N/A is no user.
  [true, { event: { category: ['authentication', 'network'], outcome: 'failure', action: 'negotiate', reason: 'peer SA proposal not match local policy' }, source: { ip: '203.0.113.77', port: 500 } }],
];

describe('FortiGate normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 120) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('skips "Reserved" countries and an "N/A" group or user', () => {
    expect(results[0].event.source?.geo).toBeUndefined();
    expect(results[8].event.user?.group).toBeUndefined();
    expect(results[results.length - 1].event.user).toBeUndefined();
  });
});

describe('FortiGate time without eventtime', () => {
  const lines = fixtureLines('fortigate-no-eventtime.txt');
  const inUtc = lines.map((line) => normalizeLine(line, 'UTC'));
  const inHanoi = lines.map((line) => normalizeLine(line, 'Asia/Ho_Chi_Minh'));
  const inNewYork = lines.map((line) => normalizeLine(line, 'America/New_York'));

  it('reads a FortiOS 5.x traffic line in the collector zone', () => {
    expect(inUtc[0].normalized).toBe(true);
    expect(inUtc[0].event['@timestamp']).toBe('2024-03-04T08:15:32.000Z');
    expect(inHanoi[0].event['@timestamp']).toBe('2024-03-04T01:15:32.000Z');
    // 4 March is before the US DST change (10 March 2024): EST, UTC-5.
    expect(inNewYork[0].event['@timestamp']).toBe('2024-03-04T13:15:32.000Z');
    expect(inHanoi[0].event).toMatchObject({ event: { action: 'close', type: ['connection', 'allowed', 'end'] }, source: { ip: '10.10.20.31', nat: { ip: '203.0.113.18' } } });
  });

  it('reads a FortiOS 6.0 UTM line without tz in the collector zone', () => {
    expect(inHanoi[1].normalized).toBe(true);
    expect(inHanoi[1].event['@timestamp']).toBe('2024-03-04T02:20:11.000Z');
    expect(inHanoi[1].event).toMatchObject({ event: { category: ['web', 'network'], type: ['access', 'denied'] }, url: { domain: 'casino.example.com' } });
  });

  it('prefers the device tz over the collector zone', () => {
    for (const results of [inUtc, inHanoi, inNewYork]) {
      expect(results[2].normalized).toBe(true);
      expect(results[2].event['@timestamp']).toBe('2024-03-04T02:30:00.000Z');
      expect(results[2].event.event.kind).toBe('alert');
    }
  });

  it('keeps the receive time when the date and time are garbage', () => {
    expect(inHanoi[3].normalized).toBe(true);
    expect(inHanoi[3].event['@timestamp']).toBe(new Date(FIXTURE_NOW).toISOString());
    expect(inHanoi[3].event.source?.ip).toBe('10.10.20.32');
  });

  it('keeps a relay header time when the device date does not exist', () => {
    expect(inUtc[4].normalized).toBe(true);
    expect(inUtc[4].event['@timestamp']).toBe('2024-03-04T11:00:05.000Z');
    expect(inUtc[4].event).toMatchObject({ event: { category: ['authentication'], outcome: 'success', action: 'login' }, source: { ip: '10.10.1.5' } });
  });

  it('still prefers eventtime over date and time', () => {
    const withEventtime = normalizeFixture('fortigate.txt', 'America/New_York');
    expect(withEventtime[0].event['@timestamp']).toBe('2024-03-04T10:15:32.123Z');
  });
});

describe('FortiGate time through buildSyslogEvent', () => {
  it('reads the device clock in the zone the collector passes in its context', () => {
    const line = fixtureLines('fortigate-no-eventtime.txt')[0];
    const ctx = { original: line, receivedAt: FIXTURE_NOW, peerAddress: '192.0.2.1', organization: { id: 'agency-a' } };
    const msg = parseSyslogLine(line, { timezone: 'Asia/Ho_Chi_Minh', now: FIXTURE_NOW });
    expect(buildSyslogEvent(msg, { ...ctx, timezone: 'Asia/Ho_Chi_Minh' })['@timestamp']).toBe('2024-03-04T01:15:32.000Z');
    // Callers that name no zone get UTC, as before the context carried one.
    expect(buildSyslogEvent(msg, ctx)['@timestamp']).toBe('2024-03-04T08:15:32.000Z');
  });
});
