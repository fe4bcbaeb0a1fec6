import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('access-log.txt');

const web = (outcome: string, type: string[] = ['access']) => ({ category: ['web'], type, outcome });

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, {
    '@timestamp': '2024-03-04T10:15:32.000Z',
    event: { ...web('success'), dataset: 'nginx.access', module: 'nginx' },
    source: { ip: '203.0.113.10' },
    http: { request: { method: 'GET', referrer: 'https://www.example.com/' }, version: '1.1', response: { status_code: 200, body: { bytes: 612 } } },
    url: { original: '/index.html', path: '/index.html' },
    user_agent: { original: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36' },
  }],
  // The access-log time carries its own zone: 17:15:33 +0700 is 10:15:33 UTC.
  [true, {
    '@timestamp': '2024-03-04T10:15:33.000Z',
    event: web('failure', ['access', 'error']),
    user: { name: 'alice' },
    http: { request: { method: 'POST' }, version: '2.0', response: { status_code: 401 } },
    url: { original: '/api/login?next=%2Fadmin', path: '/api/login', query: 'next=%2Fadmin' },
    user_agent: { original: 'curl/8.5.0' },
  }],
  [true, { event: web('failure', ['access', 'error']), source: { ip: '2001:db8::77' }, http: { response: { status_code: 404 } } }],
  [true, {
    event: { ...web('success'), dataset: 'apache.access', module: 'apache' },
    source: { ip: '198.51.100.20' },
    destination: { domain: 'www.example.com', port: 443 },
    url: { domain: 'www.example.com', port: 443, path: '/static/app.js' },
    http: { response: { status_code: 200, body: { bytes: 48213 } } },
  }],
  [true, { event: { ...web('failure', ['access', 'error']), dataset: 'apache.access' }, http: { response: { status_code: 403, body: { bytes: 199 } } }, url: { path: '/server-status' } }],
  [true, { event: { ...web('success'), dataset: 'apache.access' }, destination: { domain: 'shop.example.com' }, http: { response: { status_code: 302 } }, user_agent: { original: 'Mozilla/5.0' } }],
  [true, { event: { dataset: 'nginx.error', category: ['web'], type: ['error'] }, log: { level: 'error' } }],
  [true, { event: { ...web('failure', ['access', 'error']), dataset: 'http.access', module: 'http' }, http: { request: { method: 'PUT' }, response: { status_code: 500 } } }],
];

describe('web access log normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 110) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('writes no user for "-", no body size for "-" and no referrer for "-"', () => {
    expect(results[0].event.user).toBeUndefined();
    expect(results[5].event.http?.response?.body).toBeUndefined();
    expect(results[5].event.http?.request?.referrer).toBeUndefined();
  });
});
