import { formatIpv6, parseIpv4, parseIpv6 } from './ip';
import { canonicalIndicator, domainKey, inferType, refang, urlKey } from './normalize';

describe('IP parsing', () => {
  it('parses dotted quads and rejects malformed ones', () => {
    expect(parseIpv4('0.0.0.0')).toBe(0);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIpv4('198.51.100.23')).toBe(((198 * 256 + 51) * 256 + 100) * 256 + 23);
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1..2.3', '1.2.3.', 'a.b.c.d', '']) expect(parseIpv4(bad)).toBe(-1);
  });

  it.each([
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['[2001:db8::2]', '2001:db8::2'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
  ])('formats %s as %s (RFC 5952)', (input, canonical) => {
    const g = new Uint16Array(8);
    expect(parseIpv6(input, g)).toBe(true);
    expect(formatIpv6(g)).toBe(canonical);
  });

  it.each(['1:2:3:4:5:6:7:8:9', '2001:db8:::1', '2001:db8::1::2', '12345::1', ':1', '1:', 'g::1', '1:2:3:4:5:6:7'])('rejects %s', (input) => {
    expect(parseIpv6(input, new Uint16Array(8))).toBe(false);
  });
});

describe('canonical indicator values', () => {
  it('normalises addresses, ranges and mapped IPv4', () => {
    expect(canonicalIndicator(' 203.0.113.9 ')).toEqual({ ok: true, type: 'ipv4', value: '203.0.113.9' });
    expect(canonicalIndicator('203.0.113.77/24')).toEqual({ ok: true, type: 'ipv4', value: '203.0.113.0/24' });
    expect(canonicalIndicator('10.0.0.1/32')).toEqual({ ok: true, type: 'ipv4', value: '10.0.0.1' });
    expect(canonicalIndicator('2001:DB8:BAD:1::/48')).toEqual({ ok: true, type: 'ipv6', value: '2001:db8:bad::/48' });
    expect(canonicalIndicator('::ffff:198.51.100.5')).toEqual({ ok: true, type: 'ipv4', value: '198.51.100.5' });
    expect(canonicalIndicator('10.0.0.0/33')).toMatchObject({ ok: false, reason: expect.stringContaining('exceeds 32') });
    expect(canonicalIndicator('198.51.100.1', 'ipv6')).toMatchObject({ ok: false });
  });

  it('lowercases domains, drops the root dot and a wildcard, and converts IDNs to punycode', () => {
    expect(canonicalIndicator('Mail.Example-Phish.COM.', 'hostname')).toEqual({ ok: true, type: 'hostname', value: 'mail.example-phish.com' });
    expect(canonicalIndicator('*.evil.example')).toEqual({ ok: true, type: 'domain', value: 'evil.example' });
    expect(canonicalIndicator('thuế-gov.example.vn', 'domain')).toEqual({ ok: true, type: 'domain', value: 'xn--thu-gov-6t4c.example.vn' });
    expect(canonicalIndicator('bad domain.com', 'domain')).toMatchObject({ ok: false });
  });

  it('keys URLs without scheme, with a lowercase host and without default port or fragment', () => {
    expect(canonicalIndicator('HTTP://Evil.Example.COM:80/Login.php?a=B#frag')).toEqual({ ok: true, type: 'url', value: 'evil.example.com/Login.php?a=B' });
    expect(urlKey('https://evil.example.com/Login.php?a=B')).toBe('evil.example.com/Login.php?a=B');
    expect(urlKey('http://user:pw@evil.example.com:8080')).toBe('evil.example.com:8080/');
    expect(urlKey('http://evil.example.com?x=1')).toBe('evil.example.com/?x=1');
    expect(urlKey('/index.php?x=1')).toBeUndefined();
  });

  it('refangs shared indicators', () => {
    expect(refang('hxxps://evil[.]example[.]com/x')).toBe('https://evil.example.com/x');
    expect(canonicalIndicator('198[.]51[.]100[.]1')).toEqual({ ok: true, type: 'ipv4', value: '198.51.100.1' });
  });

  it('infers types and checks hash lengths', () => {
    expect(inferType('44d88612fea8a8f36de82e1278abb02f')).toBe('md5');
    expect(inferType('2fd4e1c67a2d28fced849ee1bb76e7391b93eb12')).toBe('sha1');
    expect(inferType('example.com/path')).toBe('url');
    expect(inferType('localhost')).toBeUndefined();
    expect(canonicalIndicator('ABCDEF', 'md5')).toMatchObject({ ok: false, reason: expect.stringContaining('not an MD5') });
    expect(canonicalIndicator('2fd4e1c67a2d28fced849ee1bb76e7391b93eb12', 'sha256')).toMatchObject({ ok: false, reason: expect.stringContaining('not a SHA256') });
  });

  it('domainKey lowercases and drops the trailing dot', () => {
    expect(domainKey('WWW.Example.com.')).toBe('www.example.com');
  });
});
