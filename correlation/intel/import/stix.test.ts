import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntelImportError } from '../types';
import { importStixBundle } from './stix';
import { parseStixPattern } from './stix-pattern';

const STIX = join(__dirname, '..', 'testdata', 'stix');
const read = (name: string): string => readFileSync(join(STIX, name), 'utf8');

describe('STIX patterns', () => {
  it('reads OR-ed comparisons and observations, quoted hash names and escapes', () => {
    const ok = parseStixPattern("([ipv4-addr:value = '198.51.100.1' OR domain-name:value = 'it\\'s.example']) OR [file:hashes.'SHA-256' = 'bb'] OR [file:hashes.MD5 = 'cc']");
    expect(ok).toEqual({
      ok: true,
      skipped: [],
      values: [
        { type: 'ipv4', value: '198.51.100.1', path: 'ipv4-addr:value' },
        { type: 'domain', value: "it's.example", path: 'domain-name:value' },
        { type: 'sha256', value: 'bb', path: "file:hashes.'SHA-256'" },
        { type: 'md5', value: 'cc', path: 'file:hashes.MD5' },
      ],
    });
    expect(parseStixPattern("[ipv4-addr:value ISSUBSET '10.0.0.0/8']")).toMatchObject({ ok: true, values: [{ type: 'ipv4', value: '10.0.0.0/8' }] });
    expect(parseStixPattern("[network-traffic:dst_ref.value = '198.51.100.9']")).toMatchObject({ ok: true, values: [{ type: undefined, value: '198.51.100.9' }] });
  });

  it.each([
    ["[ipv4-addr:value = '1.2.3.4' AND ipv4-addr:value = '5.6.7.8']", true, /AND/],
    ["[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'x.example']", true, /AND/],
    ["[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [domain-name:value = 'x.example']", true, /FOLLOWEDBY/],
    ["[ipv4-addr:value = '1.2.3.4'] REPEATS 5 TIMES", true, /REPEATS/],
    ["[ipv4-addr:value != '1.2.3.4']", true, /!=/],
    ["[url:value MATCHES '^http://x']", true, /MATCHES/],
    ["[ipv4-addr:value NOT = '1.2.3.4']", true, /NOT/],
    ["[email-addr:value = 'a@b.example']", true, /no supported observable/],
    ["[ipv4-addr:value = '1.2.3.4'", false, /where "\]" was expected/],
    ["[ipv4-addr:value = '1.2.3.4]", false, /unterminated string/],
    ['ipv4-addr:value = 1', false, /expected "\["/],
  ])('%s → not matchable', (pattern, unsupported, reason) => {
    const r = parseStixPattern(pattern);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.unsupported).toBe(unsupported);
      expect(r.reason).toMatch(reason);
    }
  });
});

describe('STIX 2.1 bundle import', () => {
  it('imports indicators with validity, confidence, labels, ATT&CK, TLP and related names', () => {
    const r = importStixBundle(read('apt-bundle.json'), 'apt-bundle.json');
    const byValue = new Map(r.indicators.map((i) => [i.value, i]));
    expect([...byValue.keys()].sort()).toEqual(
      [
        '198.51.100.23',
        '203.0.113.0/24',
        'update-check.example-cdn.net',
        'malicious.example.net/payload/dropper.php',
        'e3b4f0c7a5d2b1c8f9e6d3a0b7c4e1f8a5d2c9b6e3f0a7d4c1b8e5f2a9c6d3b0',
        '44d88612fea8a8f36de82e1278abb02f',
        '2001:db8:bad::/48',
        '192.0.2.201',
        '192.0.2.77',
      ].sort(),
    );
    const c2 = byValue.get('203.0.113.0/24')!;
    expect(c2).toMatchObject({ type: 'ipv4', confidence: 85, validFrom: Date.parse('2024-03-01T08:00:00Z'), validUntil: Date.parse('2099-01-01T00:00:00Z') });
    expect(c2.meta).toMatchObject({ source: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', name: 'PlugX C2 servers', labels: ['apt', 'plugx', 'malicious-activity'], attack: ['attack.command-and-control'], tlp: 'green' });
    // Both values of the OR share one meta object.
    expect(byValue.get('198.51.100.23')!.meta).toBe(c2.meta);
    expect(byValue.get('update-check.example-cdn.net')!.meta).toMatchObject({ labels: ['PlugX'], attack: ['attack.t1071.001'] });
    expect(byValue.get('44d88612fea8a8f36de82e1278abb02f')).toMatchObject({ type: 'md5', confidence: 95, meta: { attack: ['attack.t1574.002'] } });
    expect(byValue.get('malicious.example.net/payload/dropper.php')!.meta.reference).toBe('https://example.gov.vn/advisories/2024-031');
    // The newer version of a re-issued indicator replaces the older; revoked ones are left out.
    expect(byValue.has('192.0.2.200')).toBe(false);
    expect(byValue.has('192.0.2.99')).toBe(false);
    expect(r.skipped).toBe(2);
    expect(r.invalid).toBe(0);
    expect(r.unsupported).toBe(4);
    expect(r.unsupportedList.map((u) => u.reason)).toEqual([
      expect.stringContaining('AND joins observations'),
      expect.stringContaining('FOLLOWEDBY'),
      expect.stringContaining('no supported observable (email-addr:value)'),
      expect.stringContaining('pattern_type "sigma"'),
    ]);
  });

  it('counts each broken indicator with its position and still loads the good ones', () => {
    const r = importStixBundle(read('broken-bundle.json'), 'broken-bundle.json');
    expect(r.indicators.map((i) => i.value)).toEqual(['still-good.example.com']);
    expect(r.invalid).toBe(7);
    expect(r.errors).toEqual([
      { position: 'objects[0] indicator--11111111-1111-4111-8111-111111111111', reason: expect.stringContaining('pattern') },
      { position: 'objects[1] indicator-22222222', reason: expect.stringContaining('expected indicator--<UUID>') },
      { position: 'objects[5] indicator--66666666-6666-4666-8666-666666666666', reason: expect.stringContaining('confidence') },
      { position: 'objects[6]', reason: 'not a STIX object' },
      { position: 'indicator--33333333-3333-4333-8333-333333333333', reason: expect.stringContaining('unterminated string') },
      { position: 'indicator--44444444-4444-4444-8444-444444444444', reason: expect.stringContaining('"300.1.2.3" is not an IPv4 address') },
      { position: 'indicator--55555555-5555-4555-8555-555555555555', reason: expect.stringContaining('valid_until 2023-03-01T00:00:00Z is not after valid_from') },
    ]);
  });

  it('rejects documents that are not bundles as a whole', () => {
    expect(() => importStixBundle(read('not-a-bundle.json'), 'not-a-bundle.json')).toThrow(IntelImportError);
    expect(() => importStixBundle(read('not-a-bundle.json'), 'not-a-bundle.json')).toThrow(/not-a-bundle.json: not a STIX 2.1 bundle/);
    expect(() => importStixBundle('{"type": "bundle", "objects": [', 'cut.json')).toThrow(/cut.json: not JSON/);
  });
});
