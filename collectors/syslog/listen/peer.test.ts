import { hostPort } from '../../../core/net/host-port';
import { describeListener, describePeer, makePeer } from './peer';

describe('peer descriptions', () => {
  it('unwraps IPv4-mapped IPv6 addresses from dual-stack sockets', () => {
    expect(makePeer('tcp', 'tcp', '::ffff:10.1.2.3', 51514)).toEqual({ address: '10.1.2.3', port: 51514, transport: 'tcp', listener: 'tcp' });
    expect(makePeer('udp', 'udp', '2001:db8::1', 514).address).toBe('2001:db8::1');
  });

  it('keeps the client certificate subject only when there is one', () => {
    expect(makePeer('tls', 'tls', '10.0.0.9', 6514, 'fw-hanoi-01').clientCertSubject).toBe('fw-hanoi-01');
    expect('clientCertSubject' in makePeer('tls', 'tls', '10.0.0.9', 6514)).toBe(false);
  });

  it('formats peers and listeners for error details, bracketing IPv6', () => {
    expect(describePeer(makePeer('tcp', 'tcp', '10.1.2.3', 51514))).toBe('syslog tcp 10.1.2.3:51514');
    expect(hostPort('2001:db8::1', 514)).toBe('[2001:db8::1]:514');
    expect(describeListener('tls', 'tls', '::', 6514)).toBe('syslog tls listener "tls" on [::]:6514');
  });
});
