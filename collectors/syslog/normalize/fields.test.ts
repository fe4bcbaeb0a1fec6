import { ecsMac, isHostname, setUrlPath, isIpAddress, isIpv4, parseCount, parseDecimalOrHex, parseHms, parsePort, setAddress, setIp, setTransport, setUserName } from './fields';
import type { EcsEvent } from '../../../core/event';

function empty(): EcsEvent {
  return { '@timestamp': '2024-03-04T00:00:00.000Z', event: { id: 'x' } };
}

describe('field validators', () => {
  it.each(['0.0.0.0', '10.1.2.3', '255.255.255.255'])('accepts IPv4 %s', (ip) => expect(isIpv4(ip)).toBe(true));
  it.each(['256.1.1.1', '1.2.3', '1.2.3.4.5', '1..2.3', '1.2.3.4 ', '01234.1.1.1', 'a.b.c.d', '1192.168.2.2'])('rejects IPv4 %s', (ip) => expect(isIpv4(ip)).toBe(false));
  it.each(['2001:db8::1', '::1', 'fe80::1', '::ffff:10.0.0.1'])('accepts IPv6 %s', (ip) => expect(isIpAddress(ip)).toBe(true));
  it.each(['2001:db8:::1', ':', 'gggg::1', '1:2:3:4:5:6:7:8:9'])('rejects IPv6 %s', (ip) => expect(isIpAddress(ip)).toBe(false));

  it('writes an IPv4-mapped IPv6 address as its IPv4 address and keeps the text as address', () => {
    const event = empty();
    expect(setAddress(event, 'source', '::ffff:10.0.0.5')).toBe(true);
    expect(event.source).toEqual({ ip: '10.0.0.5', address: '::ffff:10.0.0.5' });
    expect(setIp(event, 'destination', '::ffff:10.0.0.6')).toBe(true);
    expect(event.destination).toEqual({ ip: '10.0.0.6', address: '::ffff:10.0.0.6' });
    expect(setIp(event, 'client', '::ffff:0a00:0005')).toBe(true);
    expect(event.client?.ip).toBe('::ffff:0a00:0005');
  });

  it('tells names from mistyped IPs', () => {
    expect(isHostname('fw01.example.com')).toBe(true);
    expect(isHostname('WS042')).toBe(true);
    expect(isHostname('1192.168.2.2')).toBe(false);
    expect(isHostname('-bad')).toBe(false);
    expect(isHostname('has space')).toBe(false);
  });

  it('accepts ports 0-65535 written as digits only', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('65535')).toBe(65535);
    expect(parsePort('65536')).toBeUndefined();
    expect(parsePort('-1')).toBeUndefined();
    expect(parsePort('80a')).toBeUndefined();
    expect(parsePort('')).toBeUndefined();
  });

  it('accepts counters that stay exact', () => {
    expect(parseCount('15728640')).toBe(15728640);
    expect(parseCount('1234567890123456')).toBeUndefined();
    expect(parseCount('1e5')).toBeUndefined();
  });

  it('reads Windows hexadecimal ids', () => {
    expect(parseDecimalOrHex('0x1a2c')).toBe(0x1a2c);
    expect(parseDecimalOrHex('6700')).toBe(6700);
    expect(parseDecimalOrHex('0xZZ')).toBeUndefined();
  });

  it('reads ASA durations, hours past 24 included', () => {
    expect(parseHms('0:02:01')).toBe(121);
    expect(parseHms('92:24:20')).toBe(92 * 3600 + 24 * 60 + 20);
    expect(parseHms('1:61:00')).toBeUndefined();
  });

  it('names protocols from numbers and words', () => {
    const a = empty();
    setTransport(a, '17');
    expect(a.network).toEqual({ iana_number: '17', transport: 'udp' });
    const b = empty();
    setTransport(b, 'TCP');
    expect(b.network).toEqual({ iana_number: '6', transport: 'tcp' });
    const c = empty();
    setTransport(c, '300');
    expect(c.network).toEqual({});
  });

  it('splits DOMAIN\\user and ignores "-"', () => {
    const a = empty();
    setUserName(a, 'CORP\\jdoe');
    expect(a.user).toEqual({ domain: 'CORP', name: 'jdoe' });
    const b = empty();
    setUserName(b, '-');
    expect(b.user).toBeUndefined();
  });
});

describe('ecsMac', () => {
  it('writes colon, hyphen and Cisco dotted MAC addresses in ECS form', () => {
    expect(ecsMac('0:50:56:a1:b:c')).toBe('00-50-56-A1-0B-0C');
    expect(ecsMac('00-1a-2b-3c-4d-5e')).toBe('00-1A-2B-3C-4D-5E');
    expect(ecsMac('0011.22aa.bbcc')).toBe('00-11-22-AA-BB-CC');
  });

  it('refuses anything but six octets of hex', () => {
    expect(ecsMac('00:1a:2b:3c:4d')).toBeUndefined();
    expect(ecsMac('00:1a:2b:3c:4d:5g')).toBeUndefined();
    expect(ecsMac('00:1a:2b:3c:4d:5e5')).toBeUndefined();
    expect(ecsMac('0011.22aa.bbc')).toBeUndefined();
    expect(ecsMac('001122aabbcc')).toBeUndefined();
  });
});

describe('setUrlPath', () => {
  function parts(target: string): Record<string, unknown> {
    const url = {};
    setUrlPath(url, target);
    return url;
  }

  it('splits path and query and takes the last extension of the last segment', () => {
    expect(parts('/shell.php?cmd=id')).toEqual({ path: '/shell.php', query: 'cmd=id', extension: 'php' });
    expect(parts('/dl/archive.tar.gz')).toEqual({ path: '/dl/archive.tar.gz', extension: 'gz' });
    expect(parts('/a.b/c')).toEqual({ path: '/a.b/c' });
  });

  it('sets no extension for directories, dot files, trailing dots or long dotted names', () => {
    expect(parts('/static/')).toEqual({ path: '/static/' });
    expect(parts('/.htaccess')).toEqual({ path: '/.htaccess' });
    expect(parts('/file.')).toEqual({ path: '/file.' });
    expect(parts('/v1.2-release-notes-final')).toEqual({ path: '/v1.2-release-notes-final' });
    expect(parts('?x=1')).toEqual({ query: 'x=1' });
  });
});
