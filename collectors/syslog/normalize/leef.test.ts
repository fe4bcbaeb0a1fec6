import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('leef.txt');

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, {
    '@timestamp': '2024-03-04T10:15:32.000Z',
    event: { dataset: 'leef', module: 'leef', code: 'deny', action: 'deny', category: ['network'], type: ['connection', 'denied'], outcome: 'failure' },
    observer: { vendor: 'Palo Alto Networks', product: 'PAN-OS Syslog Integration' },
    source: { ip: '203.0.113.20', port: 51333, bytes: 74, packets: 1 },
    destination: { ip: '10.1.50.10', port: 3389, bytes: 0, packets: 0 },
    network: { transport: 'tcp', bytes: 74, packets: 1 },
    leef: { version: '1.0', product_version: '10.1.6', category: 'TRAFFIC', severity: '3' },
  }],
  [true, { event: { code: '41', category: ['authentication'], type: ['start'] }, user: { name: 'joe.black' }, source: { ip: '10.0.1.8', port: 81 }, destination: { ip: '10.0.0.5', port: 21 }, leef: { version: '2.0' } }],
  [true, { '@timestamp': '2024-03-04T03:15:34.500Z', event: { code: '4625', action: 'failure', category: ['authentication'] }, user: { domain: 'CORP', name: 'administrator' }, source: { ip: '203.0.113.21' } }],
];

describe('LEEF normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 120) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('treats srcPostNAT=0.0.0.0 and an empty usrName as absent', () => {
    expect(results[0].event.source?.nat).toBeUndefined();
    expect(results[0].event.user).toBeUndefined();
  });
});
