/**
 * contain.block_ip with real nftables inside a network namespace this test creates (root, as in CI),
 * the HTTP firewall adapter against a real HTTP server, dry-run and the never-block list.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { playbooksConfig } from '../config';
import { actionContext, testServices } from '../testdata/fixtures';
import { nftArguments, nftCommand, nftSetupScript, runCommand } from './block/nftables';
import { containBlockIp } from './contain-block-ip';

const NS = `socnoc-test-${process.pid}`;

function requireTools(): void {
  for (const tool of ['nft', 'ip']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'pipe' });
    } catch {
      throw new Error(`${tool} is missing: apt-get install nftables iproute2 (this test needs root to create a network namespace)`);
    }
  }
}

function listSet(set: string): string {
  return execFileSync('ip', ['netns', 'exec', NS, 'nft', 'list', 'set', 'inet', 'socnoc', set], { encoding: 'utf8' });
}

function config(extra: Record<string, unknown> = {}) {
  return playbooksConfig({ blockIp: { mode: 'enforce', neverBlock: ['127.0.0.0/8', '10.20.0.0/16', 'fd00:1::/64'], nftables: { netns: NS }, ...extra } });
}

async function block(params: Record<string, unknown>, cfg = config(), dryRun = false) {
  return containBlockIp.run(actionContext(testServices({ config: cfg }), { dryRun }), containBlockIp.params.parse(params));
}

describe('contain.block_ip with nftables in a network namespace', () => {
  beforeAll(async () => {
    requireTools();
    execFileSync('ip', ['netns', 'add', NS]);
    await runCommand(['ip', 'netns', 'exec', NS, 'nft', '-f', '-'], { input: nftSetupScript(config().blockIp.nftables) });
  });
  afterAll(() => {
    try {
      execFileSync('ip', ['netns', 'del', NS]);
    } catch {
      // Nothing to clean when creating it failed.
    }
  });

  test('blocks an IPv4 and an IPv6 address with a timeout, then removes them', async () => {
    const added = await block({ ip: '203.0.113.7', duration: '1h', reason: 'ssh brute force' });
    expect(added.output).toMatchObject({ ip: '203.0.113.7', operation: 'block', duration: '1h', executed: true, dry_run: false, command: ['ip', 'netns', 'exec', NS, 'nft', 'add', 'element', 'inet', 'socnoc', 'blocklist', '{ 203.0.113.7 timeout 1h }'] });
    expect(listSet('blocklist')).toMatch(/203\.0\.113\.7 timeout 1h expires \d/);
    await block({ ip: '2001:db8::7', duration: '30m' });
    expect(listSet('blocklist6')).toMatch(/2001:db8::7 timeout 30m expires/);

    const removed = await block({ ip: '203.0.113.7', operation: 'unblock' });
    expect(removed.output).toMatchObject({ operation: 'unblock', executed: true, already_absent: false });
    expect(listSet('blocklist')).not.toContain('203.0.113.7');
    // Removing again is the desired state, not an error.
    const again = await block({ ip: '203.0.113.7', operation: 'unblock' });
    expect(again.output).toMatchObject({ already_absent: true });
    await block({ ip: '2001:db8::7', operation: 'unblock' });
    expect(listSet('blocklist6')).not.toContain('2001:db8::7');
  });

  test('dry run (configured mode, step flag, or a simulated run) executes nothing and shows the command', async () => {
    const byMode = await block({ ip: '198.51.100.30', duration: '24h' }, config({ mode: 'dry_run' }));
    expect(byMode.output).toMatchObject({ dry_run: true, executed: false, command: ['ip', 'netns', 'exec', NS, 'nft', 'add', 'element', 'inet', 'socnoc', 'blocklist', '{ 198.51.100.30 timeout 1d }'] });
    await block({ ip: '198.51.100.30', dry_run: true });
    await block({ ip: '198.51.100.30' }, config(), true);
    const simulated = containBlockIp.simulate(actionContext(testServices({ config: config() })), containBlockIp.params.parse({ ip: '198.51.100.30' }));
    expect(simulated).toMatchObject({ executed: false, duration: '1h' });
    expect(listSet('blocklist')).not.toContain('198.51.100.30');
  });

  test('the never-block list is checked first, dry run or not', async () => {
    await expect(block({ ip: '10.20.3.4' })).rejects.toThrow('refusing to block 10.20.3.4: it is in the never-block list (10.20.0.0/16)');
    await expect(block({ ip: '127.0.0.1', dry_run: true })).rejects.toThrow(/never-block list \(127\.0\.0\.0\/8\)/);
    await expect(block({ ip: 'fd00:1::9' })).rejects.toThrow(/fd00:1::\/64/);
    await expect(block({ ip: '::ffff:10.20.0.1' })).rejects.toThrow(/never-block/);
    await expect(block({ ip: '198.51.100.0/24' })).rejects.toThrow('"198.51.100.0/24" is not an IP address');
    await expect(block({ ip: '1.2.3.4; rm -rf /' })).rejects.toThrow('is not an IP address');
    expect(listSet('blocklist')).not.toMatch(/elements/);
  });
});

describe('nft over SSH', () => {
  test('runs nft on the firewall with BatchMode and quoted arguments', () => {
    const cfg = playbooksConfig({ blockIp: { nftables: { ssh: { host: 'fw1.so-yte.hanoi.gov.vn', user: 'socnoc', port: 2222, identityFile: '/etc/socnoc/fw_ed25519', options: ['StrictHostKeyChecking=yes'] } } } }).blockIp.nftables;
    const args = nftArguments(cfg, { operation: 'add', ip: '203.0.113.7', family: 4, timeoutMs: 3_600_000 });
    expect(nftCommand(cfg, args)).toEqual([
      'ssh', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-p', '2222', '-i', '/etc/socnoc/fw_ed25519', '-o', 'StrictHostKeyChecking=yes',
      'socnoc@fw1.so-yte.hanoi.gov.vn', '--', "'nft' 'add' 'element' 'inet' 'socnoc' 'blocklist' '{ 203.0.113.7 timeout 1h }'",
    ]);
  });
});

describe('contain.block_ip through an HTTP firewall API', () => {
  let server: Server;
  let base: string;
  const hits: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
  let status = 200;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(status).end('{"result":"ok"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const httpConfig = () =>
    playbooksConfig({
      blockIp: {
        adapter: 'http',
        mode: 'enforce',
        http: { url: `${base}/api/v2/blocklist`, removeUrl: `${base}/api/v2/blocklist/{{ ip }}`, headers: { authorization: 'Bearer fw-token' } },
      },
    });

  test('adds with the templated JSON body and auth header, removes with DELETE', async () => {
    const added = await block({ ip: '203.0.113.9', duration: '2h', reason: 'brute "force"' }, httpConfig());
    expect(added.output).toMatchObject({ executed: true, status: 200 });
    expect(hits[0]).toMatchObject({ method: 'POST', url: '/api/v2/blocklist' });
    expect(hits[0].headers.authorization).toBe('Bearer fw-token');
    expect(JSON.parse(hits[0].body)).toEqual({ ip: '203.0.113.9', timeout: 7200, reason: 'brute "force"' });
    await block({ ip: '203.0.113.9', operation: 'unblock' }, httpConfig());
    expect(hits[1]).toMatchObject({ method: 'DELETE', url: '/api/v2/blocklist/203.0.113.9', body: '' });
  });

  test('a non-2xx answer is an error; dry run sends nothing', async () => {
    status = 403;
    await expect(block({ ip: '203.0.113.10' }, httpConfig())).rejects.toThrow(`firewall API POST ${base}/api/v2/blocklist answered 403`);
    status = 200;
    const n = hits.length;
    const dry = await block({ ip: '203.0.113.10', dry_run: true }, httpConfig());
    expect(dry.output).toMatchObject({ executed: false, request: { method: 'POST', url: `${base}/api/v2/blocklist` } });
    expect(hits).toHaveLength(n);
  });
});
