import { FeedIndex } from './feed-index';
import { IntelIndex, type IntelMatch } from './intel-index';
import { canonicalIndicator } from './normalize';
import type { IndicatorMeta, IndicatorType, ParsedIndicator } from './types';

const META: IndicatorMeta = { source: 'test', labels: [], attack: [] };
const NOW = Math.floor(Date.parse('2025-03-01T00:00:00Z') / 1000);

function parsed(value: string, extra: Partial<ParsedIndicator> = {}, type?: IndicatorType): ParsedIndicator {
  const c = canonicalIndicator(value, type);
  if (!c.ok) throw new Error(c.reason);
  return { type: c.type, value: c.value, meta: META, ...extra };
}

function indexOf(values: ParsedIndicator[], options: { defaultUntil?: number; agencies?: string[] } = {}): IntelIndex {
  const intel = new IntelIndex({ maxParentLabels: 4 });
  intel.setFeed({
    name: 'test',
    index: new FeedIndex(values, { defaultConfidence: 50, loadedAt: NOW - 10 }),
    lastSeen: NOW - 10,
    defaultUntil: options.defaultUntil ?? 0,
    agencies: options.agencies !== undefined ? new Set(options.agencies) : undefined,
    level: undefined,
  });
  return intel;
}

function ipHits(intel: IntelIndex, ip: string, now = NOW): string[] {
  const out: IntelMatch[] = [];
  intel.matchIp(ip, 'source.ip', now, undefined, out);
  return out.map((m) => m.indicator.value);
}

describe('FeedIndex and IntelIndex matching', () => {
  it('matches IPv4 ranges at their edges and prefers the most specific range', () => {
    const intel = indexOf([parsed('203.0.113.0/24'), parsed('203.0.113.128/25'), parsed('10.0.0.0/8'), parsed('0.0.0.0/0', { validUntil: Date.parse('2000-01-01T00:00:00Z') }), parsed('198.51.100.23')]);
    expect(ipHits(intel, '203.0.113.0')).toEqual(['203.0.113.0/24']);
    expect(ipHits(intel, '203.0.113.127')).toEqual(['203.0.113.0/24']);
    expect(ipHits(intel, '203.0.113.128')).toEqual(['203.0.113.128/25']);
    expect(ipHits(intel, '203.0.113.255')).toEqual(['203.0.113.128/25']);
    expect(ipHits(intel, '203.0.112.255')).toEqual([]);
    expect(ipHits(intel, '203.0.114.0')).toEqual([]);
    expect(ipHits(intel, '10.255.255.255')).toEqual(['10.0.0.0/8']);
    expect(ipHits(intel, '11.0.0.0')).toEqual([]);
    expect(ipHits(intel, '198.51.100.23')).toEqual(['198.51.100.23']);
    expect(ipHits(intel, '198.51.100.24')).toEqual([]);
    // An IPv4-mapped IPv6 address is the IPv4 address.
    expect(ipHits(intel, '::ffff:198.51.100.23')).toEqual(['198.51.100.23']);
  });

  it('matches IPv6 exact values in any spelling and ranges at their edges', () => {
    const intel = indexOf([parsed('2001:db8:bad::/48'), parsed('2001:db8:e3::25'), parsed('8000::/1'), parsed('2001:db8:bad:ff00::/56')]);
    expect(ipHits(intel, '2001:0DB8:00E3:0000:0000:0000:0000:0025')).toEqual(['2001:db8:e3::25']);
    expect(ipHits(intel, '2001:db8:bad::')).toEqual(['2001:db8:bad::/48']);
    expect(ipHits(intel, '2001:db8:bad:ffff:ffff:ffff:ffff:ffff')).toEqual(['2001:db8:bad:ff00::/56']);
    expect(ipHits(intel, '2001:db8:bae::')).toEqual([]);
    expect(ipHits(intel, '2001:db8:bac:ffff::1')).toEqual([]);
    expect(ipHits(intel, '8000::1')).toEqual(['8000::/1']);
    expect(ipHits(intel, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toEqual(['8000::/1']);
    expect(ipHits(intel, '7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toEqual([]);
    expect(ipHits(intel, 'not an address')).toEqual([]);
  });

  it('matches domains and their subdomains, hostnames exactly, and bounds parent checks by labels', () => {
    const intel = indexOf([parsed('example-cdn.net', {}, 'domain'), parsed('mail.phish.example', {}, 'hostname'), parsed('deep.a.b.example', {}, 'domain')]);
    const hits = (name: string): string[] => {
      const out: IntelMatch[] = [];
      intel.matchDomain(name, 'dns.question.name', NOW, undefined, out);
      return out.map((m) => m.indicator.value);
    };
    expect(hits('example-cdn.net')).toEqual(['example-cdn.net']);
    expect(hits('Update-Check.EXAMPLE-CDN.net.')).toEqual(['example-cdn.net']);
    expect(hits('x.y.z.w.update-check.example-cdn.net')).toEqual(['example-cdn.net']);
    expect(hits('notexample-cdn.net')).toEqual([]);
    expect(hits('mail.phish.example')).toEqual(['mail.phish.example']);
    expect(hits('www.mail.phish.example')).toEqual([]);
    // maxParentLabels 4: deep.a.b.example (4 labels) is a parent within bound...
    expect(hits('x.deep.a.b.example')).toEqual(['deep.a.b.example']);
    // ...a 5-label parent would not be checked.
    const five = indexOf([parsed('e.d.c.b.example', {}, 'domain')]);
    const out: IntelMatch[] = [];
    five.matchDomain('x.e.d.c.b.example', 'dns.question.name', NOW, undefined, out);
    expect(out).toEqual([]);
  });

  it('stops matching expired and not-yet-valid indicators, and applies the feed default expiry', () => {
    const intel = indexOf(
      [
        parsed('192.0.2.1', { validUntil: (NOW - 1) * 1000 }),
        parsed('192.0.2.2', { validFrom: (NOW + 3600) * 1000 }),
        parsed('192.0.2.3', { validUntil: (NOW + 3600) * 1000 }),
        parsed('192.0.2.4'),
        parsed('192.0.2.0/24', { validUntil: (NOW - 1) * 1000 }),
        parsed('192.0.0.0/16'),
      ],
      { defaultUntil: NOW + 60 },
    );
    expect(ipHits(intel, '192.0.2.1')).toEqual(['192.0.0.0/16']);
    expect(ipHits(intel, '192.0.2.2')).toEqual(['192.0.0.0/16']);
    expect(ipHits(intel, '192.0.2.3')).toEqual(['192.0.2.3']);
    expect(ipHits(intel, '192.0.2.4')).toEqual(['192.0.2.4']);
    // An hour later the feed default (last seen + expiry) has passed; the own expiry has too.
    expect(ipHits(intel, '192.0.2.4', NOW + 61)).toEqual([]);
    expect(ipHits(intel, '192.0.2.3', NOW + 3601)).toEqual([]);
    expect(ipHits(intel, '192.0.2.2', NOW + 3600)).toEqual([]);
    expect(ipHits(intel, '192.0.9.9', NOW + 61)).toEqual([]);
  });

  it('keeps the more confident duplicate and carries first-seen across reloads', () => {
    const first = new FeedIndex([parsed('198.51.100.1', { confidence: 30 }), parsed('198.51.100.1', { confidence: 80 }), parsed('198.51.100.2')], { defaultConfidence: 50, loadedAt: 1000 });
    expect(first.duplicates).toBe(1);
    expect(first.get('ipv4', '198.51.100.1')?.confidence).toBe(80);
    expect(first.get('ipv4', '198.51.100.2')?.confidence).toBe(50);
    const second = new FeedIndex([parsed('198.51.100.1'), parsed('198.51.100.3')], { defaultConfidence: 50, loadedAt: 2000, previous: first });
    expect(second.get('ipv4', '198.51.100.1')?.firstSeen).toBe(1000);
    expect(second.get('ipv4', '198.51.100.3')?.firstSeen).toBe(2000);
    expect(second.get('ipv4', '198.51.100.2')).toBeUndefined();
    expect(second.size).toBe(2);
  });

  it('matches URLs and hashes through their normalised keys', () => {
    const intel = indexOf([parsed('http://Malicious.example.net/payload/dropper.php'), parsed('44D88612FEA8A8F36DE82E1278ABB02F')]);
    const out: IntelMatch[] = [];
    intel.matchUrl('https://malicious.example.net:443/payload/dropper.php#x', 'url.full', NOW, undefined, out);
    intel.matchUrl('http://malicious.example.net/payload/Dropper.php', 'url.full', NOW, undefined, out);
    intel.matchHash('44d88612fea8a8f36de82e1278abb02f', 'file.hash.md5', NOW, undefined, out);
    intel.matchHash('44d88612fea8a8f36de82e1278abb02f00000000', 'file.hash.sha1', NOW, undefined, out);
    expect(out.map((m) => [m.field, m.indicator.value])).toEqual([
      ['url.full', 'malicious.example.net/payload/dropper.php'],
      ['file.hash.md5', '44d88612fea8a8f36de82e1278abb02f'],
    ]);
  });

  it('applies agency-restricted feeds only to their agencies, in events and lookups', () => {
    const intel = indexOf([parsed('198.51.100.1')], { agencies: ['hanoi-doh'] });
    const out: IntelMatch[] = [];
    intel.matchIp('198.51.100.1', 'source.ip', NOW, 'danang-dof', out);
    intel.matchIp('198.51.100.1', 'source.ip', NOW, undefined, out);
    expect(out).toEqual([]);
    intel.matchIp('198.51.100.1', 'source.ip', NOW, 'hanoi-doh', out);
    expect(out).toHaveLength(1);
    expect(intel.lookup('198.51.100.1', NOW, undefined, ['danang-dof'])).toEqual([]);
    expect(intel.lookup('198[.]51[.]100[.]1', NOW, undefined, ['hanoi-doh'])).toHaveLength(1);
    expect(intel.lookup('198.51.100.1', NOW)).toHaveLength(1);
    // A collector asking "is this address worth an event?" sees restricted feeds too.
    expect(intel.hasIp('198.51.100.1', NOW)).toBe(true);
    expect(intel.hasIp('198.51.100.2', NOW)).toBe(false);
    expect(intel.hasIp('not an address', NOW)).toBe(false);
  });
});
