import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../core/logger';
import { intelConfigSchema } from '../config';
import { IntelIndex } from '../intel-index';
import { IntelStats } from '../metrics';
import { IntelFeeds } from './intel-feeds';

const TESTDATA = join(__dirname, '..', 'testdata');
const NOW = Date.parse('2025-03-01T00:00:00Z') / 1000;

interface Served {
  status: number;
  body: string;
  etag?: string;
}

/** A feed server on 127.0.0.1:0 honouring If-None-Match, recording what it was asked. */
class FeedServer {
  readonly files = new Map<string, Served>();
  readonly requests: Array<{ path: string; ifNoneMatch: string | undefined; authorization: string | undefined }> = [];
  private server: Server | undefined;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const path = req.url ?? '/';
      const inm = req.headers['if-none-match'];
      this.requests.push({ path, ifNoneMatch: inm, authorization: req.headers.authorization });
      const file = this.files.get(path);
      if (file === undefined) {
        res.writeHead(404).end('not found');
        return;
      }
      if (file.etag !== undefined && inm === file.etag) {
        res.writeHead(304, { etag: file.etag }).end();
        return;
      }
      res.writeHead(file.status, { 'content-type': 'application/json', ...(file.etag !== undefined ? { etag: file.etag } : {}) }).end(file.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

function feedsFor(raw: unknown, index = new IntelIndex(), cacheDir?: string): { feeds: IntelFeeds; index: IntelIndex; stats: IntelStats } {
  const config = intelConfigSchema.parse(raw);
  const stats = new IntelStats();
  return { feeds: new IntelFeeds(config.feeds, { index, logger: createLogger('silent'), stats, cacheDir }), index, stats };
}

describe('intel feeds', () => {
  let server: FeedServer;
  let dir: string;
  beforeEach(async () => {
    server = new FeedServer();
    await server.start();
    dir = mkdtempSync(join(tmpdir(), 'socnoc-intel-feeds-'));
  });
  afterEach(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a STIX bundle over HTTP, revalidates with ETag, and keeps the last good set when a refresh fails', async () => {
    server.files.set('/taxii/bundle.json', { status: 200, body: readFileSync(join(TESTDATA, 'stix', 'apt-bundle.json'), 'utf8'), etag: '"v1"' });
    const { feeds, index, stats } = feedsFor({ feeds: [{ name: 'vncert', format: 'stix', url: `${server.base}/taxii/bundle.json`, refreshMinutes: 0, headers: { Authorization: 'Bearer feed-token' } }] });
    await feeds.start();
    const first = feeds.status('vncert')!;
    expect(first).toMatchObject({ state: 'ok', indicators: 9, unsupported: 4, skipped: 2, invalid: 0, refreshes: 1, failures: 0 });
    expect(index.lookup('203.0.113.45', NOW).map((m) => m.indicator.value)).toEqual(['203.0.113.0/24']);
    expect(server.requests[0]).toEqual({ path: '/taxii/bundle.json', ifNoneMatch: undefined, authorization: 'Bearer feed-token' });
    const firstSeen = index.feed('vncert')!.index.get('ipv4', '198.51.100.23')!.firstSeen;

    // Unchanged: a scheduled (non-forced) read sends the ETag, the server answers 304 and the same index stays.
    const loaded = index.feed('vncert')!.index;
    await feeds.start();
    expect(server.requests[1].ifNoneMatch).toBe('"v1"');
    expect(index.feed('vncert')!.index).toBe(loaded);
    expect(stats.feed('vncert').refreshNotModified).toBe(1);
    // A manual refresh re-reads everything.
    await feeds.refresh('vncert');
    expect(server.requests[2].ifNoneMatch).toBeUndefined();

    server.files.set('/taxii/bundle.json', { status: 503, body: 'maintenance' });
    const failed = await feeds.refresh('vncert');
    expect(failed).toMatchObject({ state: 'failed', failures: 1, indicators: 9, lastError: expect.stringContaining('HTTP 503') });
    expect(index.lookup('198.51.100.23', NOW)).toHaveLength(1);
    expect(stats.feed('vncert').refreshFailed).toBe(1);

    // A new version replaces the set; indicators it kept keep their first-seen time.
    const smaller = { type: 'bundle', id: 'bundle--1', objects: [JSON.parse(readFileSync(join(TESTDATA, 'stix', 'apt-bundle.json'), 'utf8')).objects[2]] };
    server.files.set('/taxii/bundle.json', { status: 200, body: JSON.stringify(smaller), etag: '"v2"' });
    const changed = await feeds.refresh('vncert');
    expect(changed).toMatchObject({ state: 'ok', indicators: 2, lastError: undefined });
    expect(index.lookup('update-check.example-cdn.net', NOW)).toEqual([]);
    expect(index.feed('vncert')!.index.get('ipv4', '198.51.100.23')!.firstSeen).toBe(firstSeen);
    feeds.stop();
  });

  it('matches the last good set of a URL feed from disk after a restart while the feed is unreachable', async () => {
    const cacheDir = join(dir, 'intel-cache');
    server.files.set('/taxii/bundle.json', { status: 200, body: readFileSync(join(TESTDATA, 'stix', 'apt-bundle.json'), 'utf8'), etag: '"v1"' });
    const raw = { feeds: [{ name: 'vncert', format: 'stix', url: `${server.base}/taxii/bundle.json`, refreshMinutes: 0, expiryDays: 30 }] };
    const before = feedsFor(raw, new IntelIndex(), cacheDir);
    await before.feeds.start();
    expect(before.feeds.status('vncert')).toMatchObject({ state: 'ok', indicators: 9, fromCache: 0 });
    const savedAt = before.feeds.status('vncert')!.lastChange;
    before.feeds.stop();

    // Restart with the server down: the cached set matches, the status says so, its age counts from the read.
    server.files.set('/taxii/bundle.json', { status: 503, body: 'maintenance' });
    const after = feedsFor(raw, new IntelIndex(), cacheDir);
    await after.feeds.start();
    expect(after.feeds.status('vncert')).toMatchObject({ state: 'failed', indicators: 9, fromCache: savedAt, lastError: expect.stringContaining('HTTP 503') });
    expect(after.index.lookup('203.0.113.45', NOW).map((m) => m.indicator.value)).toEqual(['203.0.113.0/24']);
    expect(after.index.feed('vncert')!.lastSeen).toBe(Math.floor(savedAt / 1000));
    after.feeds.stop();

    // A damaged cache is refused (nothing matches) instead of half-loaded.
    const file = join(cacheDir, 'vncert.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').split('\n').slice(0, 4).join('\n'));
    const damaged = feedsFor(raw, new IntelIndex(), cacheDir);
    await damaged.feeds.start();
    expect(damaged.feeds.status('vncert')).toMatchObject({ state: 'failed', indicators: 0, fromCache: 0 });
    expect(damaged.index.lookup('203.0.113.45', NOW)).toEqual([]);
    damaged.feeds.stop();
  });

  it('sends If-None-Match on scheduled refreshes and counts 304 as not modified', async () => {
    server.files.set('/drop.txt', { status: 200, body: readFileSync(join(TESTDATA, 'lists', 'drop.txt'), 'utf8'), etag: 'W/"drop-1"' });
    const { feeds, stats } = feedsFor({ feeds: [{ name: 'drop', format: 'txt', url: `${server.base}/drop.txt`, refreshMinutes: 0 }] });
    await feeds.start();
    // start() is a non-forced read; a second start-like read revalidates.
    await feeds.start();
    expect(server.requests.map((r) => r.ifNoneMatch)).toEqual([undefined, 'W/"drop-1"']);
    expect(stats.feed('drop')).toMatchObject({ refreshOk: 1, refreshNotModified: 1, indicators: 6 });
    expect(feeds.status('drop')).toMatchObject({ state: 'ok', indicators: 6, invalid: 1, errors: [{ position: `${server.base}/drop.txt:9`, reason: expect.stringContaining('999.1.1.1') }] });
    feeds.stop();
  });

  it('reads a MISP feed folder over HTTP, fetching only events whose manifest timestamp changed', async () => {
    const misp = join(TESTDATA, 'misp', 'feed');
    const manifest = JSON.parse(readFileSync(join(misp, 'manifest.json'), 'utf8')) as Record<string, { timestamp: string }>;
    const serveManifest = (etag: string): void => {
      server.files.set('/misp/manifest.json', { status: 200, body: JSON.stringify(manifest), etag });
    };
    serveManifest('"m1"');
    for (const uuid of Object.keys(manifest)) server.files.set(`/misp/${uuid}.json`, { status: 200, body: readFileSync(join(misp, `${uuid}.json`), 'utf8') });
    const { feeds, index } = feedsFor({ feeds: [{ name: 'circl', format: 'misp', url: `${server.base}/misp/`, refreshMinutes: 0, confidence: 75 }] });
    await feeds.start();
    expect(feeds.status('circl')).toMatchObject({ state: 'ok', indicators: 10, skipped: 3, unsupported: 1, invalid: 1 });
    expect(index.lookup('www.dichvucong-gov.example.com', NOW)[0].indicator).toMatchObject({ type: 'domain', confidence: 75 });
    expect(server.requests.map((r) => r.path).sort()).toEqual(['/misp/5f6b2c1a-8d3e-4f7a-9b2c-1d0e3f4a5b6c.json', '/misp/6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d.json', '/misp/manifest.json']);

    // One event changes; the other is reused; an event file that now fails keeps its last version.
    server.requests.length = 0;
    manifest['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'].timestamp = '1714700000';
    manifest['5f6b2c1a-8d3e-4f7a-9b2c-1d0e3f4a5b6c'].timestamp = '1714700001';
    serveManifest('"m2"');
    server.files.set('/misp/6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d.json', { status: 200, body: JSON.stringify({ Event: { uuid: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', info: 'updated', Attribute: [{ type: 'ip-dst', value: '198.51.100.200', to_ids: true }] } }) });
    server.files.set('/misp/5f6b2c1a-8d3e-4f7a-9b2c-1d0e3f4a5b6c.json', { status: 500, body: 'oops' });
    const status = await feeds.refresh('circl');
    expect(status).toMatchObject({ state: 'ok', indicators: 9 });
    expect(status!.errors).toContainEqual({ position: `${server.base}/misp/5f6b2c1a-8d3e-4f7a-9b2c-1d0e3f4a5b6c.json`, reason: expect.stringContaining('HTTP 500') });
    expect(index.lookup('198.51.100.200', NOW)).toHaveLength(1);
    expect(index.lookup('162.243.103.246', NOW)).toHaveLength(1);
    expect(index.lookup('dichvucong-gov.example.com', NOW)).toEqual([]);
    feeds.stop();
  });

  it('reads files and a MISP folder on disk, and reports a missing file by path', async () => {
    const csv = join(dir, 'iocs.csv');
    copyFileSync(join(TESTDATA, 'lists', 'iocs.csv'), csv);
    const { feeds, index } = feedsFor({
      feeds: [
        { name: 'local-csv', format: 'csv', path: csv, refreshMinutes: 0, expiryDays: 0 },
        { name: 'local-misp', format: 'misp', path: join(TESTDATA, 'misp', 'feed'), refreshMinutes: 0 },
        { name: 'missing', format: 'txt', path: join(dir, 'nope.txt'), refreshMinutes: 0 },
      ],
    });
    await feeds.start();
    expect(feeds.status('local-csv')).toMatchObject({ state: 'ok', indicators: 6 });
    expect(feeds.status('local-misp')).toMatchObject({ state: 'ok', indicators: 10 });
    expect(feeds.status('missing')).toMatchObject({ state: 'failed', lastError: expect.stringContaining('nope.txt: ENOENT') });
    const before = index.feed('local-csv')!.index;
    await feeds.start();
    expect(index.feed('local-csv')!.index).toBe(before);
    writeFileSync(csv, 'value\n198.51.100.99\n');
    utimesSync(csv, new Date(), new Date(Date.now() + 5000));
    await feeds.start();
    expect(feeds.status('local-csv')).toMatchObject({ indicators: 1 });
    feeds.stop();
  });

  it('rejects invalid feed configuration with the reason', () => {
    expect(() => intelConfigSchema.parse({ feeds: [{ name: 'a', format: 'stix' }] })).toThrow(/exactly one of path or url/);
    expect(() => intelConfigSchema.parse({ feeds: [{ name: 'a b', format: 'stix', path: 'x' }] })).toThrow(/feed name/);
    expect(() => intelConfigSchema.parse({ feeds: [{ name: 'a', format: 'stix', url: 'ftp://x/y' }] })).toThrow();
    expect(() => intelConfigSchema.parse({ feeds: [{ name: 'a', format: 'txt', path: 'x' }, { name: 'a', format: 'txt', path: 'y' }] })).toThrow(/unique/);
    expect(intelConfigSchema.parse(undefined)).toMatchObject({ enabled: true, feeds: [], minConfidence: 0 });
  });
});
