import { join } from 'node:path';
import { startHarness, type Harness } from '../../core/http/testdata/harness';
import { createLogger } from '../../core/logger';
import { Metrics } from '../../core/metrics';
import { intelConfigSchema } from './config';
import { createIntel, type IntelCapability } from './index';

const TESTDATA = join(__dirname, 'testdata');
const NOW = Date.parse('2025-03-01T03:00:00Z');

describe('intel HTTP routes', () => {
  let intel: IntelCapability;
  let h: Harness;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    intel = createIntel(
      { logger: createLogger('silent'), metrics: new Metrics({ defaultMetrics: false }), now: () => NOW },
      intelConfigSchema.parse({
        lookupMaxValues: 5,
        feeds: [
          { name: 'vncert', format: 'stix', path: join(TESTDATA, 'stix', 'apt-bundle.json'), refreshMinutes: 0 },
          { name: 'danang-list', format: 'txt', path: join(TESTDATA, 'lists', 'drop.txt'), refreshMinutes: 0, agencies: ['danang-dof'] },
          { name: 'off', format: 'txt', path: join(TESTDATA, 'lists', 'drop.txt'), enabled: false },
        ],
      }),
    );
    await intel.start();
    h = await startHarness({ modules: [intel.http] });
    for (const u of ['admin', 'analyst.hn', 'analyst.dn', 'auditor', 'noc.hn'] as const) tokens[u] = (await h.login(u)).token;
  });
  afterAll(async () => {
    await h.close();
    await intel.stop();
  });

  const get = async (path: string, user: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await h.get(path, { token: tokens[user] });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const post = async (path: string, body: unknown, user: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await h.send('POST', path, body, { token: tokens[user] });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('lists feeds with counts and errors, hiding agency feeds from other agencies', async () => {
    const admin = await get('/api/v1/intel/feeds', 'admin');
    expect(admin.status).toBe(200);
    const feeds = admin.body.feeds as Array<Record<string, unknown>>;
    expect(feeds.map((f) => [f.name, f.state, f.indicators])).toEqual([
      ['vncert', 'ok', 9],
      ['danang-list', 'ok', 6],
      ['off', 'disabled', 0],
    ]);
    // 192.0.2.77 expired in 2020: 8 of 9 match now.
    expect(feeds[0]).toMatchObject({ active: 8, by_type: { ipv4: 4, ipv6: 1, domain: 1, url: 1, sha256: 1, md5: 1 }, rejected: { invalid: 0, unsupported: 4, skipped: 2, duplicates: 0 } });
    expect(feeds[1]).toMatchObject({ errors: [{ position: expect.stringContaining('drop.txt:9') }] });
    const hanoi = await get('/api/v1/intel/feeds', 'analyst.hn');
    expect((hanoi.body.feeds as Array<{ name: string }>).map((f) => f.name)).toEqual(['vncert', 'off']);
    expect((await get('/api/v1/intel/feeds', 'auditor')).status).toBe(200);
    expect((await get('/api/v1/intel/feeds', 'noc.hn')).status).toBe(403);
  });

  it('searches indicators by text, type and activity', async () => {
    const plugx = await get('/api/v1/intel/indicators?q=plugx', 'analyst.hn');
    expect((plugx.body.indicators as Array<{ value: string }>).map((i) => i.value).sort()).toEqual(['198.51.100.23', '203.0.113.0/24', '44d88612fea8a8f36de82e1278abb02f', 'e3b4f0c7a5d2b1c8f9e6d3a0b7c4e1f8a5d2c9b6e3f0a7d4c1b8e5f2a9c6d3b0', 'update-check.example-cdn.net']);
    const expired = await get('/api/v1/intel/indicators?active=false', 'admin');
    expect(expired.body).toMatchObject({ total: 1, indicators: [{ value: '192.0.2.77', active: false, valid_until: '2020-06-01T00:00:00.000Z' }] });
    const v6 = await get('/api/v1/intel/indicators?type=ipv6&limit=1', 'analyst.dn');
    expect(v6.body.total).toBe(2);
    expect((await get('/api/v1/intel/indicators?type=email', 'admin')).status).toBe(400);
  });

  it('looks values up, refanged and scoped by agency', async () => {
    const res = await post('/api/v1/intel/lookup', { values: ['203.0.113.45', 'cdn.update-check.example-cdn[.]net', '2001:db8:dead::1', '192.0.2.77', '8.8.8.8'] }, 'analyst.dn');
    expect(res.status).toBe(200);
    const results = res.body.results as Array<{ value: string; matched: boolean; indicators: Array<{ feed: string; value: string; confidence: number }> }>;
    expect(results.map((r) => [r.value, r.indicators.map((i) => `${i.feed}:${i.value}`)])).toEqual([
      ['203.0.113.45', ['vncert:203.0.113.0/24']],
      ['cdn.update-check.example-cdn[.]net', ['vncert:update-check.example-cdn.net']],
      ['2001:db8:dead::1', ['danang-list:2001:db8:dead::1']],
      ['192.0.2.77', []],
      ['8.8.8.8', []],
    ]);
    const hanoi = await post('/api/v1/intel/lookup', { values: ['2001:db8:dead::1'] }, 'analyst.hn');
    expect((hanoi.body.results as Array<{ matched: boolean }>)[0].matched).toBe(false);
    const tooMany = await post('/api/v1/intel/lookup', { values: ['1', '2', '3', '4', '5', '6'] }, 'admin');
    expect(tooMany.status).toBe(400);
  });

  it('refreshes a feed on demand for intel:manage holders only', async () => {
    const before = intel.feeds.status('vncert')!.refreshes;
    expect((await post('/api/v1/intel/feeds/vncert/refresh', {}, 'auditor')).status).toBe(403);
    const res = await post('/api/v1/intel/feeds/vncert/refresh', {}, 'analyst.hn');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'vncert', state: 'ok', refreshes: before + 1 });
    expect((await post('/api/v1/intel/feeds/nope/refresh', {}, 'admin')).status).toBe(404);
    expect((await post('/api/v1/intel/feeds/danang-list/refresh', {}, 'analyst.hn')).status).toBe(404);
    expect((await post('/api/v1/intel/feeds/off/refresh', {}, 'admin')).status).toBe(409);
  });
});
