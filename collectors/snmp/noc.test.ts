/**
 * The NOC at its boundary: createSnmpNoc on real SQLite files, the devices HTTP module on a real
 * server, and a scripted SNMP agent on loopback. A device added through the API is polled without
 * a restart; its interfaces, rates and series come back through the API; credentials never do;
 * agencies scope every route; Prometheus shows the device.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from '../../core/http/testdata/harness';
import { Metrics } from '../../core/metrics';
import { openSqlite, type SqliteDb } from '../../core/store/sqlite';
import { AgencyResolver } from '../../core/tenancy';
import { snmpConfigSchema } from './config';
import { loadSecretBox } from './inventory/secret-box';
import { createSnmpNoc, type SnmpNoc } from './noc';
import { RecordingSink, silentLogger } from './testing/recording-sink';
import { ScriptedAgent } from './testing/scripted-agent';

const COMMUNITY = 'Hn-Noc-Community-42';
const agencies = new AgencyResolver([
  { id: 'hanoi-doh', name: 'Hanoi DoH', cidrs: ['127.0.0.0/8'] },
  { id: 'danang-dof', name: 'Da Nang DoF', cidrs: ['10.20.0.0/16'] },
]);

let dir: string;
let db: SqliteDb;
let metricsDb: SqliteDb;
let agent: ScriptedAgent;
let noc: SnmpNoc;
let h: Harness;
let metrics: Metrics;
const tokens: Record<string, string> = {};
const sink = new RecordingSink();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'socnoc-noc-'));
  db = openSqlite(join(dir, 'snmp.db'));
  metricsDb = openSqlite(join(dir, 'snmp-metrics.db'));
  agent = await ScriptedAgent.start('HN-ACCESS-01', [
    { index: 1, name: 'Gi1/0/1', speed: 1_000_000_000, highSpeed: 1000, admin: 1, oper: 1, inOctets32: 0, outOctets32: 0, inErrors: 0, inDiscards: 0, hcInOctets: 1_000_000n, hcOutOctets: 5_000n, hc: true },
    { index: 2, name: 'Gi1/0/2', speed: 1_000_000_000, highSpeed: 1000, admin: 1, oper: 2, inOctets32: 0, outOctets32: 0, inErrors: 0, inDiscards: 0, hcInOctets: 0n, hcOutOctets: 0n, hc: true },
  ], 360_000);
  metrics = new Metrics({ defaultMetrics: false });
  const config = snmpConfigSchema.parse({ traps: { enabled: false }, poller: { spreadStart: false, timeoutMs: 500, retries: 0, defaultIntervalSeconds: 3600 } });
  noc = createSnmpNoc(
    {
      sink,
      agencies,
      metrics,
      logger: silentLogger,
      db,
      metricsDb,
      box: loadSecretBox({ dataDir: dir, env: {} }),
      configDevices: [{ name: 'dn-core', address: '10.20.0.1', port: 161, agency: 'danang-dof', tags: ['core'], snmp: { version: '2c', community: 'config-secret-dn' } }],
    },
    config,
  );
  await noc.start();
  h = await startHarness({ modules: [noc.httpModule] });
  for (const u of ['admin', 'analyst.hn', 'analyst.dn', 'noc.hn', 'auditor'] as const) tokens[u] = (await h.login(u)).token;
});
afterAll(async () => {
  await h?.close();
  await noc?.stop();
  agent?.close();
  db?.close();
  metricsDb?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call<T>(method: string, path: string, user: string, body?: unknown, status = 200): Promise<T> {
  const res = await h.send(method, `/api/v1${path}`, body, { token: tokens[user] });
  const text = await res.text();
  expect(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`).toBe(`${method} ${path} → ${status} ${text.slice(0, 300)}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

interface DeviceJson {
  id: string;
  name: string;
  status: string;
  organization: { id: string };
  source: string;
  read_only: boolean;
  has_credentials: boolean;
  snmp: Record<string, string>;
  sys: Record<string, unknown>;
  vendor: string | null;
}
interface InterfaceJson {
  index: number;
  name: string;
  oper_status?: string;
  in_bps?: number;
  utilization_pct?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('NOC devices API with the poller and the metrics store', () => {
  let id = '';

  it('adds a device that the poller picks up without a restart, and never returns its credentials', async () => {
    const created = await call<DeviceJson>('POST', '/devices', 'noc.hn', { name: 'hn-access-01', address: '127.0.0.1', port: agent.port, tags: ['access'], snmp: { version: '2c', community: COMMUNITY } }, 201);
    id = created.id;
    expect(created).toMatchObject({ organization: { id: 'hanoi-doh' }, source: 'api', read_only: false, has_credentials: true, snmp: { version: '2c' } });
    expect(JSON.stringify(created)).not.toContain(COMMUNITY);
    // The poller reloads on the inventory's signal; its first poll runs at once.
    const deadline = Date.now() + 5000;
    while (noc.collector.poller.device(id)?.status !== 'up') {
      if (Date.now() > deadline) throw new Error('the poller did not poll the new device');
      await sleep(20);
    }
    await sleep(300);
    agent.update(1, { hcInOctets: 1_000_000n + 12_500_000n });
    await noc.collector.poller.pollNow(id);

    const got = await call<DeviceJson>('GET', `/devices/${id}`, 'analyst.hn');
    expect(got).toMatchObject({ status: 'up', sys: { name: 'HN-ACCESS-01', object_id: '1.3.6.1.4.1.9.1.1208' }, vendor: 'Cisco' });
    const list = await call<{ devices: DeviceJson[] }>('GET', '/devices', 'admin');
    expect(list.devices.map((d) => d.name)).toEqual(['dn-core', 'hn-access-01']);
    for (const s of [COMMUNITY, 'config-secret-dn']) expect(JSON.stringify(list)).not.toContain(s);
  });

  it('serves the interface table with rates, and the series from the metrics store', async () => {
    const { interfaces } = await call<{ interfaces: InterfaceJson[] }>('GET', `/devices/${id}/interfaces`, 'noc.hn');
    expect(interfaces.map((i) => [i.index, i.name, i.oper_status])).toEqual([
      [1, 'Gi1/0/1', 'up'],
      [2, 'Gi1/0/2', 'down'],
    ]);
    expect(interfaces[0].in_bps).toBeGreaterThan(0);
    expect(interfaces[0].utilization_pct).toBeGreaterThan(0);

    const series = await call<{ points: Array<{ t: string; value: number; max: number }>; interface: { index: number } }>('GET', `/devices/${id}/metrics?metric=in_bps&interface=Gi1/0/1&from=now-10m&step=1m`, 'noc.hn');
    expect(series.interface.index).toBe(1);
    expect(series.points).toHaveLength(1); // the first poll has no rate; the second one has
    expect(series.points[0].value).toBeCloseTo(interfaces[0].in_bps ?? 0, 3);
    const up = await call<{ points: Array<{ value: number }> }>('GET', `/devices/${id}/metrics?metric=up&from=now-10m&step=10m`, 'noc.hn');
    expect(up.points.map((p) => p.value)).toEqual([1]);

    const bad = await call<{ error: { message: string } }>('GET', `/devices/${id}/metrics?metric=in_bps`, 'noc.hn', undefined, 400);
    expect(bad.error.message).toMatch(/interface/);
    await call('GET', `/devices/${id}/metrics?metric=in_bps&interface=Te9/9`, 'noc.hn', undefined, 404);
  });

  it('exports the device and its interfaces to Prometheus', async () => {
    const text = await metrics.registry.metrics();
    expect(text).toContain('socnoc_device_up{device="hn-access-01",agency="hanoi-doh"} 1');
    expect(text).toMatch(/socnoc_interface_utilization_ratio\{device="hn-access-01",interface="Gi1\/0\/1",direction="in"\} 0\.\d+/);
    expect(text).toContain('socnoc_interface_oper_up{device="hn-access-01",interface="Gi1/0/2"} 0');
  });

  it('scopes every route by agency and permission', async () => {
    const dn = await call<{ devices: DeviceJson[] }>('GET', '/devices', 'analyst.dn');
    expect(dn.devices.map((d) => d.name)).toEqual(['dn-core']);
    await call('GET', `/devices/${id}`, 'analyst.dn', undefined, 404);
    await call('GET', `/devices/${id}/interfaces`, 'analyst.dn', undefined, 404);
    // soc_analyst reads devices but does not manage them; noc_operator manages only its agencies.
    await call('PATCH', `/devices/${id}`, 'analyst.hn', { tags: [] }, 403);
    const foreign = await call<{ error: { message: string } }>('POST', '/devices', 'noc.hn', { name: 'dn-sw', address: '10.20.1.1', snmp: { version: '2c', community: 'x' } }, 403);
    expect(foreign.error.message).toMatch(/danang-dof/);
    await call('POST', '/devices', 'noc.hn', { name: 'dn-sw', address: '10.20.1.1', agency: 'danang-dof', snmp: { version: '2c', community: 'x' } }, 403);
    await call('PATCH', '/devices/dn-core', 'admin', { tags: [] }, 409);
    await call('DELETE', '/devices/dn-core', 'admin', undefined, 409);
  });

  it('validates credentials: SHA-2, AES-192 and AES-256 accepted under operator spellings, unknown protocols refused by name', async () => {
    const v3 = await call<DeviceJson>('POST', '/devices', 'admin', { name: 'hn-fw-01', address: '127.0.0.9', snmp: { version: '3', user: 'nocuser', auth: { protocol: 'SHA-512', password: 'Auth-pass-123' }, priv: { protocol: 'AES-256', password: 'Priv-pass-456' } } }, 201);
    expect(v3.snmp).toEqual({ version: '3', user: 'nocuser', security_level: 'authPriv' });
    expect(JSON.stringify(v3)).not.toMatch(/Auth-pass|Priv-pass/);
    for (const [name, protocol] of [['hn-fw-02', 'AES-192'], ['hn-fw-03', 'AES192-C']]) {
      const aes192 = await call<DeviceJson>('POST', '/devices', 'admin', { name, address: '127.0.0.10', snmp: { version: '3', user: 'u', auth: { protocol: 'sha', password: 'Auth-pass-123' }, priv: { protocol, password: 'Priv-pass-456' } } }, 201);
      expect(aes192.snmp).toEqual({ version: '3', user: 'u', security_level: 'authPriv' });
      await call('DELETE', `/devices/${aes192.id}`, 'admin', undefined, 204);
    }
    const tripleDes = await call<{ error: { message: string } }>('POST', '/devices', 'admin', { name: 'x', address: '127.0.0.10', snmp: { version: '3', user: 'u', auth: { protocol: 'sha', password: 'Auth-pass-123' }, priv: { protocol: '3DES', password: 'Priv-pass-456' } } }, 400);
    expect(tripleDes.error.message).toMatch(/privacy protocol must be one of .*aes192, aes192c/);
    const short = await call<{ error: { message: string } }>('POST', '/devices', 'admin', { name: 'x', address: '127.0.0.10', snmp: { version: '3', user: 'u', auth: { protocol: 'md5', password: 'short' } } }, 400);
    expect(short.error.message).toMatch(/at least 8 characters/);
    await call('POST', '/devices', 'admin', { name: 'hn-access-01', address: '127.0.0.11', snmp: { version: '2c', community: 'x' } }, 409);
    await call('DELETE', `/devices/${v3.id}`, 'admin', undefined, 204);
  });

  it('keeps no credential in clear in the database files', () => {
    for (const d of [db, metricsDb]) d.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))) {
      const bytes = readFileSync(f);
      for (const secret of [COMMUNITY, 'Auth-pass-123', 'Priv-pass-456']) expect(`${f}: ${bytes.includes(Buffer.from(secret))}`).toBe(`${f}: false`);
    }
  });

  it('edits and deletes: the poller follows, the series go', async () => {
    const patched = await call<DeviceJson>('PATCH', `/devices/${id}`, 'noc.hn', { name: 'hn-access-01-renamed', tags: ['access', 'uplink'] });
    expect(patched.name).toBe('hn-access-01-renamed');
    await sleep(50);
    expect(noc.collector.poller.device(id)?.name).toBe('hn-access-01-renamed');
    await call('DELETE', `/devices/${id}`, 'noc.hn', undefined, 204);
    await sleep(50);
    expect(noc.collector.poller.device(id)).toBeUndefined();
    await call('GET', `/devices/${id}`, 'noc.hn', undefined, 404);
    expect(noc.metricsStore?.query({ deviceId: id, metric: 'up', from: 0, to: Date.now() + 1000, stepMs: 86_400_000 * 365 })).toEqual([]);
  });
});
