import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcsEndpoint } from '../../../core/event';
import { buildMmdb } from '../testing/mmdb-writer';
import { GeoIpLookup, isPublicAddress } from '.';

describe('public addresses', () => {
  test.each([
    ['8.8.8.8', true],
    ['203.162.4.191', true],
    ['2001:4860:4860::8888', true],
    ['2402:800:1::1', true],
    ['::ffff:8.8.8.8', true],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['100.64.0.1', false],
    ['127.0.0.1', false],
    ['169.254.1.1', false],
    ['192.0.2.7', false],
    ['198.51.100.9', false],
    ['203.0.113.1', false],
    ['198.18.5.5', false],
    ['224.0.0.251', false],
    ['255.255.255.255', false],
    ['0.0.0.0', false],
    ['::', false],
    ['::1', false],
    ['fe80::1', false],
    ['fd12:3456::1', false],
    ['ff02::1', false],
    ['2001:db8::1', false],
    ['::ffff:10.0.0.1', false],
    ['not-an-ip', false],
    ['1.2.3', false],
    ['1.2.3.256', false],
  ])('%s -> %s', (ip, expected) => {
    expect(isPublicAddress(ip)).toBe(expected);
  });
});

describe('GeoIpLookup', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-geoip-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('countries from the shipped CC0 database (values checked against it: Google US, APNIC-registered 1.1.1.1 AU, VNPT VN)', () => {
    const g = new GeoIpLookup();
    expect(g.lookup('8.8.8.8')?.countryIsoCode).toBe('US');
    expect(g.lookup('1.1.1.1')?.countryIsoCode).toBe('AU');
    expect(g.lookup('203.162.4.191')?.countryIsoCode).toBe('VN');
    expect(g.lookup('2001:4860:4860::8888')?.countryIsoCode).toBe('US');
    expect(g.lookup('8.8.8.8')?.asNumber).toBeUndefined();
  });

  test('private and reserved addresses are answered without a database lookup; repeats come from the cache', () => {
    const g = new GeoIpLookup();
    for (const ip of ['10.0.0.1', '192.168.1.1', 'fe80::1', 'garbage']) expect(g.lookup(ip)).toBeNull();
    expect(g.lookups).toBe(0);
    g.lookup('8.8.8.8');
    g.lookup('8.8.8.8');
    g.lookup('8.8.4.4');
    expect(g.lookups).toBe(2);
  });

  test('a configured ASN database adds AS number and name; a configured country database replaces the shipped one', () => {
    const asn = join(dir, 'asn.mmdb');
    writeFileSync(
      asn,
      buildMmdb('GeoLite2-ASN', [
        ['8.8.8.0/24', { autonomous_system_number: 15169, autonomous_system_organization: 'GOOGLE' }],
        ['203.162.0.0/16', { autonomous_system_number: 45899, autonomous_system_organization: 'VNPT Corp' }],
      ]),
    );
    const country = join(dir, 'country.mmdb');
    writeFileSync(country, buildMmdb('GeoLite2-Country', [['8.8.8.0/24', { country: { iso_code: 'ZZ' } }]]));
    const g = new GeoIpLookup({ asnDatabase: asn });
    expect(g.lookup('8.8.8.8')).toEqual({ countryIsoCode: 'US', asNumber: 15169, asOrganization: 'GOOGLE' });
    expect(g.lookup('203.162.4.191')).toEqual({ countryIsoCode: 'VN', asNumber: 45899, asOrganization: 'VNPT Corp' });
    // IPv6 in an IPv4-only ASN database: the country still answers.
    expect(g.lookup('2001:4860:4860::8888')).toEqual({ countryIsoCode: 'US', asNumber: undefined, asOrganization: undefined });

    const own = new GeoIpLookup({ countryDatabase: country, asnDatabase: asn });
    expect(own.lookup('8.8.8.8')?.countryIsoCode).toBe('ZZ');
    expect(own.lookup('1.1.1.1')).toBeNull();

    // On ECS endpoints: the exporter's BGP AS wins over the database; the name is added when they agree.
    const a: EcsEndpoint = { ip: '8.8.8.8', port: 53 };
    g.enrich(a);
    expect(a).toEqual({ ip: '8.8.8.8', port: 53, geo: { country_iso_code: 'US' }, as: { number: 15169, organization: { name: 'GOOGLE' } } });
    const b: EcsEndpoint = { ip: '8.8.8.8', as: { number: 64512 } };
    g.enrich(b);
    expect(b.as).toEqual({ number: 64512 });
    const c: EcsEndpoint = { ip: '10.0.0.1' };
    g.enrich(c);
    expect(c).toEqual({ ip: '10.0.0.1' });
  });

  test('a missing or broken database file is named in the error', () => {
    expect(() => new GeoIpLookup({ asnDatabase: join(dir, 'nope.mmdb') })).toThrow(/geoip ASN database .*nope\.mmdb: ENOENT/);
    const junk = join(dir, 'junk.mmdb');
    writeFileSync(junk, 'not a database');
    expect(() => new GeoIpLookup({ countryDatabase: junk })).toThrow(/geoip country database .*junk\.mmdb: not a MaxMind DB file/);
  });
});
