/**
 * The syslog path end to end on the embedded default: real senders (util-linux logger, rsyslog,
 * a TLS client) → listeners → parse → normalize → pipeline → SQLite → GET /api/v1/events.
 */
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { logger, startRsyslogRelay } from '../collectors/syslog/listen/testing/peers';
import { getField, type EcsEvent } from '../core/event';
import { ADMIN_PASSWORD, startTestSocnoc, type TestSocnoc } from './support/socnoc';

const AGENCIES = [
  { id: 'ubnd-q1', name: 'UBND Quận 1', cidrs: ['127.0.0.0/8'] },
  { id: 'ubnd-q3', name: 'UBND Quận 3', cidrs: ['::1/128'] },
];

describe('syslog end to end', () => {
  let s: TestSocnoc;
  let admin: string;

  beforeAll(async () => {
    s = await startTestSocnoc({
      agencies: AGENCIES,
      syslog: {
        timezone: 'Asia/Ho_Chi_Minh',
        listeners: [
          { name: 'udp', protocol: 'udp', host: '127.0.0.1', port: 0 },
          { name: 'tcp', protocol: 'tcp', host: '127.0.0.1', port: 0 },
          { name: 'tls', protocol: 'tls', host: '127.0.0.1', port: 0 },
          { name: 'udp6', protocol: 'udp', host: '::1', port: 0 },
        ],
      },
    });
    admin = await s.login('admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await s.stop();
  });

  const one = async (q: string): Promise<EcsEvent> => {
    const events = await s.waitForEvents(admin, q, 1, 2000);
    expect(events).toHaveLength(1);
    return events[0];
  };

  it('stores an sshd failure sent by logger over UDP in RFC 3164 form, normalized, within 2 s', async () => {
    await logger('127.0.0.1', s.port('udp'), ['--udp', '--rfc3164', '-t', 'sshd', '-p', 'auth.info', 'Failed password for invalid user e2eudp from 203.0.113.9 port 52144 ssh2']);
    const e = await one('user.name:e2eudp');
    expect(e.organization).toEqual({ id: 'ubnd-q1', name: 'UBND Quận 1' });
    expect(getField(e, 'source.ip')).toBe('203.0.113.9');
    expect(getField(e, 'source.port')).toBe(52144);
    expect(getField(e, 'event.outcome')).toBe('failure');
    expect(getField(e, 'event.category')).toContain('authentication');
    expect(getField(e, 'log.syslog.appname')).toBe('sshd');
    expect(getField(e, 'log.syslog.facility.name')).toBe('auth');
    expect(getField(e, 'log.syslog.severity.name')).toBe('informational');
    expect(getField(e, 'observer.ip')).toEqual(['127.0.0.1']);
    expect(typeof e.event.id).toBe('string');
    expect(e.event.original).toMatch(/^<38>/);
  });

  it('stores RFC 5424 with structured data over UDP', async () => {
    await logger('127.0.0.1', s.port('udp'), ['--udp', '--rfc5424', '-t', 'myapp', '--msgid', 'LOGIN', '--sd-id', 'origin@32473', '--sd-param', 'ip="10.0.0.1"', 'e2e-rfc5424-udp hello']);
    const e = await one('"e2e-rfc5424-udp"');
    expect(getField(e, 'log.syslog.msgid')).toBe('LOGIN');
    expect(getField(e, 'log.syslog.version')).toBe('1');
    expect(getField(e, 'log.syslog.structured_data')).toMatchObject({ 'origin@32473': { ip: '10.0.0.1' } });
    expect(e.message).toBe('e2e-rfc5424-udp hello');
  });

  it('stores RFC 3164 over TCP with newline framing and RFC 5424 over TCP with octet counting', async () => {
    await logger('127.0.0.1', s.port('tcp'), ['--tcp', '--rfc3164', '-t', 'sudo', '-p', 'authpriv.notice', '    e2eop : TTY=pts/0 ; PWD=/home/e2eop ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx']);
    await logger('127.0.0.1', s.port('tcp'), ['--tcp', '--octet-count', '--rfc5424', '-t', 'e2eapp', 'e2e-octet-5424 done']);
    const sudo = await one('user.name:e2eop');
    expect(getField(sudo, 'process.command_line') ?? sudo.message).toMatch(/systemctl restart nginx/);
    expect(getField(sudo, 'log.syslog.appname')).toBe('sudo');
    const octet = await one('log.syslog.appname:e2eapp');
    expect(octet.message).toBe('e2e-octet-5424 done');
  });

  it('stores what rsyslog forwards over octet-counted TCP, every message once', async () => {
    const relay = await startRsyslogRelay([
      `action(type="omfwd" target="127.0.0.1" port="${s.port('tcp')}" protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")`,
    ]);
    try {
      const lines = Array.from({ length: 300 }, (_, i) => `<134>Nov 27 10:00:00 relayhost rsyslogtest: relayed message ${i}`).join('\n') + '\n';
      await new Promise<void>((resolve, reject) => {
        const sock = connect(relay.inputPort, '127.0.0.1', () => sock.end(lines, resolve));
        sock.on('error', reject);
      });
      const events = await s.waitForEvents(admin, 'log.syslog.appname:rsyslogtest', 300, 10_000);
      expect(events).toHaveLength(300);
      const seen = new Set(events.map((e) => e.message));
      expect(seen.size).toBe(300);
      expect(seen.has('relayed message 299')).toBe(true);
      expect(getField(events[0], 'host.hostname')).toBe('relayhost');
    } finally {
      await relay.stop();
    }
  });

  it('stores messages from a TLS client (RFC 5425 framing)', async () => {
    const frame = (m: string): string => `${Buffer.byteLength(m)} ${m}`;
    await new Promise<void>((resolve, reject) => {
      const sock = tlsConnect({ host: '127.0.0.1', port: s.port('tls'), rejectUnauthorized: false, minVersion: 'TLSv1.2' }, () => {
        sock.end(frame('<86>1 2026-11-27T03:04:05.123+07:00 bastion sshd 812 - - Accepted publickey for e2etls from 198.51.100.20 port 40022 ssh2: ED25519 SHA256:abc'), () => resolve());
      });
      sock.on('error', reject);
    });
    const e = await one('user.name:e2etls');
    expect(e['@timestamp']).toBe('2026-11-26T20:04:05.123Z');
    expect(getField(e, 'event.outcome')).toBe('success');
    expect(getField(e, 'source.ip')).toBe('198.51.100.20');
    expect(getField(e, 'host.hostname')).toBe('bastion');
  });

  it('keeps each agency to its own events', async () => {
    await s.post('/api/v1/users', { username: 'alice', password: 'alice-password-1', role: 'soc_analyst', agencies: ['ubnd-q1'] }, admin);
    await s.post('/api/v1/users', { username: 'bob', password: 'bob-password-1', role: 'soc_analyst', agencies: ['ubnd-q3'] }, admin);
    await logger('127.0.0.1', s.port('udp'), ['--udp', '--rfc3164', '-t', 'isolation', 'isolation-test from q1']);
    await logger('::1', s.port('udp6'), ['--udp', '--rfc3164', '-t', 'isolation', 'isolation-test from q3']);
    const all = await s.waitForEvents(admin, 'log.syslog.appname:isolation', 2, 2000);
    expect(all.map((e) => e.organization?.id).sort()).toEqual(['ubnd-q1', 'ubnd-q3']);

    const alice = await s.login('alice', 'alice-password-1');
    const bob = await s.login('bob', 'bob-password-1');
    const aliceSees = await s.get<{ events: EcsEvent[]; total: number }>('/api/v1/events?q=isolation-test', alice);
    const bobSees = await s.get<{ events: EcsEvent[]; total: number }>('/api/v1/events?q=isolation-test', bob);
    expect(aliceSees.body.events.map((e) => e.message)).toEqual(['isolation-test from q1']);
    expect(bobSees.body.events.map((e) => e.message)).toEqual(['isolation-test from q3']);
    // Alice asking for q3's data explicitly still gets nothing of it, through every read route.
    const explicit = await s.get<{ events: EcsEvent[]; total: number }>('/api/v1/events?q=organization.id:ubnd-q3', alice);
    expect(explicit.body.total).toBe(0);
    expect(explicit.body.events).toEqual([]);
    const top = await s.get<Array<{ value: string; count: number }> | { values: Array<{ value: string }> }>('/api/v1/events/top?field=organization.id&size=10', alice);
    expect(JSON.stringify(top.body)).not.toContain('ubnd-q3');
    const unauth = await s.get('/api/v1/events', '');
    expect(unauth.status).toBe(401);
  });

  it('raises deduplicated alerts from the built-in rules, scoped by agency', async () => {
    for (let i = 0; i < 12; i++) {
      await logger('127.0.0.1', s.port('tcp'), ['--tcp', '--rfc3164', '-t', 'sshd', '-p', 'auth.info', `Failed password for root from 198.51.100.77 port ${40000 + i} ssh2`]);
    }
    for (let i = 0; i < 3; i++) {
      await logger('127.0.0.1', s.port('tcp'), ['--tcp', '--rfc3164', '-t', 'sshd', '-p', 'auth.info', `Accepted password for root from 198.51.100.77 port ${40100 + i} ssh2`]);
    }
    type AlertList = { total: number; alerts: Array<{ id: string; count: number; severity: string; rule: { id: string; name: string; tags: string[] }; organization: { id: string }; events: EcsEvent[] }> };
    let list: AlertList = { total: 0, alerts: [] };
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      list = (await s.get<AlertList>('/api/v1/alerts?q=source.ip:198.51.100.77&limit=100', admin)).body;
      if (list.alerts.some((a) => /brute/i.test(a.rule.name)) && list.alerts.some((a) => /after .*fail/i.test(a.rule.name)) && list.alerts.some((a) => a.count >= 3)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const names = list.alerts.map((a) => a.rule.name);
    expect(names.some((n) => /brute/i.test(n))).toBe(true);
    expect(names.some((n) => /after .*fail/i.test(n))).toBe(true);
    for (const a of list.alerts) {
      expect(a.organization.id).toBe('ubnd-q1');
      expect(a.rule.tags.some((t) => t.startsWith('attack.'))).toBe(true);
    }
    // Three root logins from one address fold into one alert counted three times, not three alerts.
    const perRule = new Map<string, number>();
    for (const a of list.alerts) perRule.set(a.rule.id, (perRule.get(a.rule.id) ?? 0) + 1);
    expect(Math.max(...perRule.values())).toBe(1);
    expect(list.alerts.find((a) => /root/i.test(a.rule.name))?.count).toBe(3);
    const bob = await s.login('bob', 'bob-password-1');
    const bobSees = await s.get<AlertList>('/api/v1/alerts?q=source.ip:198.51.100.77', bob);
    expect(bobSees.status).toBe(200);
    expect(bobSees.body.total).toBe(0);
  });
});

