import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { buildBaseEvent } from '../to-event';
import { chooseNormalizer, normalizeSyslog } from './index';
import { normalizeCisco } from './cisco';
import { normalizeCef } from './cef';
import { normalizeFortigate } from './fortigate';
import { normalizeJson } from './json';
import { normalizeLeef } from './leef';
import { normalizePam } from './linux-pam';
import { normalizeSshd } from './linux-sshd';
import { normalizePanos } from './panos';
import { normalizeAccessLog } from './access-log';
import { normalizeBind } from './bind';
import { normalizeDhcpd } from './dhcpd';
import { normalizeSnare } from './snare';
import { normalizeSquid } from './squid';
import { syslogMessage } from './testdata/fixtures';

function baseEvent(msg: SyslogMessage): EcsEvent {
  return buildBaseEvent(msg, { original: 'raw', receivedAt: Date.UTC(2024, 2, 4), peerAddress: '192.0.2.9', organization: { id: 'agency-a' } });
}

describe('normalizer dispatch (messages built directly, no parser)', () => {
  it.each([
    ['a Cisco tag found by the parser', syslogMessage({ message: 'Interface Gi0/1, changed state to down', ciscoTag: { facility: 'LINK', severity: 3, mnemonic: 'UPDOWN' } }), normalizeCisco],
    ['a Cisco tag the parser missed', syslogMessage({ message: '%ASA-6-302013: Built inbound TCP connection 1 for a:1.1.1.1/1 (1.1.1.1/1) to b:2.2.2.2/2 (2.2.2.2/2)' }), normalizeCisco],
    ['a CEF header', syslogMessage({ message: 'CEF:0|V|P|1|1|n|1|src=1.1.1.1' }), normalizeCef],
    ['CEF taken as the program name', syslogMessage({ appName: 'CEF', message: '0|V|P|1|1|n|1|src=1.1.1.1' }), normalizeCef],
    ['CEF behind a prefix', syslogMessage({ message: 'host1 CEF:0|V|P|1|1|n|1|src=1.1.1.1' }), normalizeCef],
    ['a LEEF header', syslogMessage({ message: 'LEEF:1.0|V|P|1|e|src=1.1.1.1' }), normalizeLeef],
    ['a JSON object even from a known program', syslogMessage({ appName: 'nginx', message: '{"message":"x"}' }), normalizeJson],
    ['the sshd program', syslogMessage({ appName: 'sshd', message: 'Accepted password for a from 1.1.1.1 port 1 ssh2' }), normalizeSshd],
    ['a PAM line from any program', syslogMessage({ appName: 'login', message: 'pam_unix(login:session): session closed for user a' }), normalizePam],
    ['FortiGate key=value', syslogMessage({ message: 'date=2024-03-04 time=10:00:00 logid="0000000013" type="traffic" subtype="forward"' }), normalizeFortigate],
    ['PAN-OS CSV', syslogMessage({ message: '1,2024/03/04 10:00:00,0123,TRAFFIC,end,2561,2024/03/04 10:00:00,1.1.1.1' }), normalizePanos],
    ['the named program (ISC BIND)', syslogMessage({ appName: 'named', message: 'client @0x7f0 10.1.2.3#5300 (a.example): query: a.example IN A + (10.0.0.53)' }), normalizeBind],
    ['the dhcpd program', syslogMessage({ appName: 'dhcpd', message: 'DHCPACK on 10.1.5.20 to 00:1a:2b:3c:4d:5e via eth1' }), normalizeDhcpd],
    ['the squid program', syslogMessage({ appName: 'squid', message: '1709547332.123 245 10.1.2.3 TCP_MISS/200 1534 GET http://example.com/ - HIER_DIRECT/93.184.216.34 text/html' }), normalizeSquid],
    ['Squid 4 kid tag', syslogMessage({ appName: '(squid-1)', message: '1709547332.123 245 10.1.2.3 TCP_MISS/200 1534 GET http://example.com/ - HIER_DIRECT/93.184.216.34 text/html' }), normalizeSquid],
    ['a Snare record', syslogMessage({ message: 'MSWinEventLog\t1\tSecurity\t1\tMon Mar 04 10:15:32 2024\t4625\tMicrosoft-Windows-Security-Auditing\tN/A\tN/A\tFailure Audit\tWS1\tLogon\t\tAn account failed to log on.\t1' }), normalizeSnare],
    ['an access log from an unknown program', syslogMessage({ appName: 'gw', message: '1.1.1.1 - - [04/Mar/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 1' }), normalizeAccessLog],
  ])('routes %s', (_what, msg, normalizer) => {
    expect(chooseNormalizer(msg)).toBe(normalizer);
  });

  it('sends a repeat summary to the repeat unwrapper whatever the program', () => {
    const chosen = chooseNormalizer(syslogMessage({ appName: 'sshd', message: 'message repeated 2 times: [ Failed password for root from 1.1.1.1 port 1 ssh2]' }));
    expect(chosen?.name).toBe('normalizeRepeated');
    expect(chooseNormalizer(syslogMessage({ appName: 'sshd', message: 'message from a user' }))).toBe(normalizeSshd);
  });

  it('chooses nothing for an ordinary message', () => {
    expect(chooseNormalizer(syslogMessage({ appName: 'kernel', message: 'eth0: link up' }))).toBeUndefined();
  });

  it('keeps the base event for a message no normalizer knows', () => {
    const msg = syslogMessage({ appName: 'kernel', message: 'eth0: link up' });
    const event = baseEvent(msg);
    const before = JSON.stringify(event);
    expect(normalizeSyslog(msg, event)).toBe(false);
    expect(JSON.stringify(event)).toBe(before);
    expect(event.event.dataset).toBe('syslog');
    expect(event.log?.syslog?.appname).toBe('kernel');
  });

  it('turns a normalizer that throws into an unparsed event naming the normalizer', () => {
    let reads = 0;
    const msg = {
      format: 'rfc3164',
      appName: 'sshd',
      hostname: 'web01',
      // The dispatcher reads the message once; the sshd normalizer's read throws.
      get message(): string {
        reads++;
        if (reads > 1) throw new Error('boom');
        return 'Accepted password for bob from 10.0.0.5 port 1 ssh2';
      },
    } as SyslogMessage;
    const event = baseEvent(syslogMessage({ message: '' }));
    let normalized: boolean | undefined;
    expect(() => {
      normalized = normalizeSyslog(msg, event);
    }).not.toThrow();
    expect(normalized).toBe(false);
    expect(event.event.dataset).toBe('syslog');
    expect(event.event.module).toBeUndefined();
    expect(event.error).toEqual({ message: 'syslog normalizer normalizeSshd failed on a message from web01: boom' });
  });
});
