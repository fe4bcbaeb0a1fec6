import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('squid.txt');
const observer = { vendor: 'Squid', product: 'Squid', type: 'proxy' };

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, { event: { dataset: 'squid.access', module: 'squid', category: ['network', 'web'], type: ['access', 'allowed'], outcome: 'success', action: 'tcp_miss', duration: 245e6 }, source: { ip: '10.1.2.3' }, destination: { ip: '93.184.216.34', domain: 'example.com' }, url: { original: 'http://example.com/', scheme: 'http', domain: 'example.com', path: '/' }, http: { request: { method: 'GET' }, response: { status_code: 200, bytes: 1534 } }, squid: { access: { result_code: 'TCP_MISS', hierarchy_code: 'HIER_DIRECT', content_type: 'text/html' } }, observer }],
  [true, { event: { action: 'tcp_mem_hit', duration: 3e6 }, url: { domain: 'static.example.com', path: '/img/logo.png', query: 'v=3' }, http: { response: { status_code: 200 } } }],
  [true, { event: { action: 'tcp_tunnel', type: ['access', 'allowed'] }, url: { original: 'login.microsoftonline.com:443', domain: 'login.microsoftonline.com', port: 443 }, destination: { ip: '20.190.160.20', domain: 'login.microsoftonline.com', port: 443 }, http: { request: { method: 'CONNECT' } } }],
  [true, { event: { action: 'tcp_denied', type: ['access', 'denied'], outcome: 'failure' }, source: { ip: '10.1.2.66' }, url: { domain: 'malware.example.net', path: '/payload.exe' }, http: { response: { status_code: 403 } } }],
  [true, { event: { outcome: 'failure', type: ['access', 'allowed'] }, user: { name: 'nguyenvana' }, url: { domain: 'api.example.org', port: 8080, path: '/v1/upload', query: 'id=42' }, http: { request: { method: 'POST' }, response: { status_code: 404 } }, process: { name: '(squid-1)' } }],
  [true, { source: { ip: '2001:db8:20::15' }, destination: { ip: '10.0.0.2' }, url: { scheme: 'https', domain: 'www.example.vn', path: '/tin-tuc' }, squid: { access: { hierarchy_code: 'FIRSTUP_PARENT' } } }],
  [true, { event: { action: 'none', outcome: 'failure' }, http: { request: { method: 'NONE' } }, url: { original: 'error:transaction-end-before-headers' } }],
  [false, { event: { dataset: 'syslog' } }],
  [false, { event: { dataset: 'syslog' } }],
];

describe('Squid access log normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 90) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('writes no HTTP status for NONE/000 and no user for a dash', () => {
    expect(results[6].event.http?.response?.status_code).toBeUndefined();
    expect(results[0].event.user).toBeUndefined();
  });

  it('writes no destination for HIER_NONE/-', () => {
    expect(results[3].event.destination).toEqual({ domain: 'malware.example.net' });
  });
});
