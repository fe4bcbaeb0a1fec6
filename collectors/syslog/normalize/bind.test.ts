import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('bind.txt');
const observer = { vendor: 'ISC', product: 'BIND', type: 'dns' };

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, { event: { dataset: 'bind.query', module: 'bind', category: ['network'], type: ['protocol'], action: 'dns-query' }, dns: { type: 'query', question: { name: 'www.example.com', type: 'A', class: 'IN' } }, source: { ip: '10.1.2.3', port: 53012 }, destination: { ip: '10.0.0.53' }, network: { transport: 'udp', protocol: 'dns' }, bind: { query: { flags: '+E(0)K' } }, observer }],
  [true, { event: { dataset: 'bind.query' }, dns: { question: { name: 'mail.example.org', type: 'MX' } }, source: { ip: '10.1.2.4', port: 41123 }, network: { transport: 'tcp' }, bind: { view: 'internal' } }],
  [true, { event: { dataset: 'bind.query' }, dns: { question: { name: 'printer.local.example.com', type: 'AAAA' } }, source: { ip: '10.1.2.5', port: 5353 } }],
  [true, { event: { dataset: 'bind.query' }, dns: { question: { name: 'mzxw6ytboi4dcmrsgq3tmmbymvzwk4tforxgk3lzn5zgw43vmjzq.t.exfil-example.net', type: 'TXT' } }, source: { ip: '2001:db8:10::25', port: 60001 }, destination: { ip: '2001:db8:10::53' } }],
  [true, { event: { dataset: 'bind.security', category: ['network'], type: ['protocol', 'denied'], outcome: 'failure', action: 'query-denied' }, dns: { type: 'query', question: { name: 'evil-relay.example.net', type: 'A', class: 'IN' } }, source: { ip: '203.0.113.7', port: 40000 } }],
  [true, { event: { dataset: 'bind.security', action: 'zone-transfer-denied', outcome: 'failure' }, dns: { question: { name: 'example.org', type: 'AXFR', class: 'IN' } }, source: { ip: '203.0.113.7', port: 40001 } }],
  [true, { event: { dataset: 'bind.security', action: 'query-denied', reason: 'allow-query-cache did not match' }, dns: { question: { name: 'c2.example.net', type: 'ANY' } }, bind: { view: 'external' }, source: { ip: '203.0.113.8' } }],
  [true, { event: { dataset: 'bind.security', action: 'update-denied' }, dns: { question: { name: 'example.org', class: 'IN' } }, source: { ip: '10.9.9.9', port: 52000 } }],
  [true, { event: { dataset: 'bind.xfer_out', type: ['protocol', 'allowed'], outcome: 'success', action: 'zone-transfer-started' }, dns: { question: { name: 'example.org', type: 'AXFR', class: 'IN' } }, source: { ip: '10.0.0.54', port: 33211 }, network: { transport: 'tcp' } }],
  [true, { event: { dataset: 'bind.lame_servers', action: 'lame-server', outcome: 'failure' }, dns: { question: { name: 'www.example.biz' } }, destination: { ip: '192.0.2.44', port: 53 } }],
  [false, { event: { dataset: 'syslog' } }],
  [false, { event: { dataset: 'syslog' }, message: 'zone example.org/IN: loaded serial 2024030401' }],
];

describe('ISC BIND named normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 90) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('leaves a truncated query line without any DNS or address field', () => {
    const { event } = results[10];
    expect(event.dns).toBeUndefined();
    expect(event.source).toBeUndefined();
    expect(event.event.category).toBeUndefined();
  });

  it('has no DNS question type for an update, which names only the zone', () => {
    expect((results[7].event.dns as { question: Record<string, string> }).question.type).toBeUndefined();
  });
});
