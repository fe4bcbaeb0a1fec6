import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('pfsense.txt');

const pf = { vendor: 'Netgate', product: 'pfSense', type: 'firewall' };
const block = { dataset: 'pfsense.filterlog', module: 'pfsense', category: ['network'], type: ['connection', 'denied'], outcome: 'failure', action: 'block' };
const pass = { dataset: 'pfsense.filterlog', category: ['network'], type: ['connection', 'allowed'], outcome: 'success', action: 'pass' };

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, {
    event: block,
    observer: { ...pf, ingress: { interface: { name: 'igb1' } } },
    source: { ip: '185.220.101.45', port: 44567 },
    destination: { ip: '198.51.100.2', port: 3389 },
    network: { type: 'ipv4', direction: 'inbound', transport: 'tcp', iana_number: '6' },
    rule: { id: '1000000103' },
    pfsense: { filterlog: { rule_number: '5', tracker: '1000000103', reason: 'match', ttl: '242', length: 40, tcp_flags: 'S' } },
  }],
  [true, { event: pass, observer: { egress: { interface: { name: 'igb0' } } }, network: { direction: 'outbound', transport: 'udp' }, source: { ip: '10.1.1.5', port: 53121 }, destination: { ip: '9.9.9.9', port: 53 }, pfsense: { filterlog: { data_length: 52 } } }],
  [true, { event: block, network: { transport: 'icmp', iana_number: '1' }, source: { ip: '203.0.113.8' }, destination: { ip: '198.51.100.2' }, pfsense: { filterlog: { icmp_type: 'request' } } }],
  [true, { event: block, network: { type: 'ipv6', transport: 'tcp' }, source: { ip: '2001:db8:bad::5', port: 51234 }, destination: { ip: '2001:db8:100::10', port: 22 }, pfsense: { filterlog: { ttl: '57', tcp_flags: 'S' } } }],
  [true, { event: pass, network: { type: 'ipv6', transport: 'ipv6-icmp', iana_number: '58' }, source: { ip: 'fe80::1' }, destination: { ip: 'ff02::1' } }],
  // RFC 5424 from pfSense 2.6+: the hostname is present.
  [true, { '@timestamp': '2024-03-04T10:15:37.123Z', event: block, host: { hostname: 'pfsense.home.arpa' }, network: { transport: 'udp' }, source: { ip: '198.51.100.99', port: 123 } }],
];

describe('pfSense filterlog normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 120) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('gives ICMP no ports', () => {
    expect(results[2].event.source?.port).toBeUndefined();
    expect(results[2].event.destination?.port).toBeUndefined();
  });
});
