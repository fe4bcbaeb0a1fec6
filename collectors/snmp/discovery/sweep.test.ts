/**
 * Discovery against two real snmpd agents on 127.0.0.1 and 127.0.0.2 (same port, different
 * communities) in a /29 whose other addresses stay silent; then the rate and concurrency bounds
 * with a scripted probe; then the HTTP trigger.
 */
import { Metrics } from '../../../core/metrics';
import { startHarness } from '../../../core/http/testdata/harness';
import { openSqlite, type SqliteDb } from '../../../core/store/sqlite';
import { AgencyResolver } from '../../../core/tenancy';
import { randomBytes } from 'node:crypto';
import { snmpDiscoveryConfigSchema } from '../config';
import { devicesHttpModule } from '../http';
import { SecretBox } from '../inventory/secret-box';
import { DeviceInventory } from '../inventory/store';
import { freeUdpPort, startSnmpd, type SnmpdPeer } from '../testing/peers';
import { silentLogger } from '../testing/recording-sink';
import { bigIntToIpv6, parseDiscoveryRange, parseIpv4Range } from './cidr';
import { createSnmpDiscovery } from './sweep';
import { vendorOf } from './vendors';

const agencies = new AgencyResolver([{ id: 'hanoi-doh', name: 'Hanoi DoH', cidrs: ['127.0.0.0/8'] }]);
let db: SqliteDb;
let inventory: DeviceInventory;
beforeEach(() => {
  db = openSqlite(':memory:');
  inventory = new DeviceInventory({ db, box: new SecretBox(randomBytes(32)), agencies, defaultIntervalSeconds: 60 });
});
afterEach(() => db.close());

describe('CIDR ranges and vendors', () => {
  it('skips network and broadcast addresses below /31 and refuses bad or huge ranges', () => {
    expect(parseIpv4Range('10.1.2.0/29', 100)).toMatchObject({ size: 6 });
    expect(parseIpv4Range('10.1.2.6/31', 100)).toMatchObject({ size: 2 });
    expect(parseIpv4Range('10.1.2.7', 100)).toMatchObject({ size: 1 });
    expect(() => parseIpv4Range('10.1.2.1/24', 1000)).toThrow(/host bits set \(did you mean 10\.1\.2\.0\/24\?\)/);
    expect(() => parseIpv4Range('10.0.0.0/8', 65536)).toThrow(/16777214 addresses exceed/);
    expect(() => parseIpv4Range('2001:db8::/64', 10)).toThrow(/not an IPv4/);
  });

  it('sweeps small IPv6 prefixes, skipping the subnet-router anycast address, and refuses large ones', () => {
    const r = parseDiscoveryRange('2001:db8:10::/126', 100);
    expect([...r.addresses()]).toEqual(['2001:db8:10::1', '2001:db8:10::2', '2001:db8:10::3']);
    expect(r.size).toBe(3);
    expect([...parseDiscoveryRange('::1', 10).addresses()]).toEqual(['::1']);
    expect([...parseDiscoveryRange('10.1.2.0/30', 10).addresses()]).toEqual(['10.1.2.1', '10.1.2.2']);
    expect(() => parseDiscoveryRange('2001:db8::/64', 65536)).toThrow(/18446744073709551615 addresses exceed/);
    expect(() => parseDiscoveryRange('2001:db8::1/120', 1000)).toThrow(/host bits set \(did you mean 2001:db8::\/120\?\)/);
    expect(bigIntToIpv6(0xfe800000000000000000000000000001n)).toBe('fe80::1');
  });

  it('names vendors by enterprise number', () => {
    expect(vendorOf('1.3.6.1.4.1.9.1.1208')).toBe('Cisco');
    expect(vendorOf('1.3.6.1.4.1.2636.1.1.1.2.29')).toBe('Juniper');
    expect(vendorOf('1.3.6.1.4.1.12356.101.1.1')).toBe('Fortinet');
    expect(vendorOf('1.3.6.1.4.1.8072.3.2.10')).toBe('Net-SNMP');
    expect(vendorOf('1.3.6.1.4.1.99999.1')).toBe('enterprise 99999');
    expect(vendorOf('1.3.6.1.2.1.1')).toBeUndefined();
  });
});

describe('discovery against snmpd', () => {
  const agents: SnmpdPeer[] = [];
  afterAll(async () => {
    for (const a of agents) await a.stop();
  });

  it('finds the two agents with the credential each answers to, then refreshes them', async () => {
    const port = await freeUdpPort();
    agents.push(await startSnmpd({ address: '127.0.0.1', port, community: 'public', sysName: 'lab-sw-1' }));
    agents.push(await startSnmpd({ address: '127.0.0.2', port, community: 'lab2-ro', sysName: 'lab-sw-2' }));
    const config = snmpDiscoveryConfigSchema.parse({
      ranges: [{ cidr: '127.0.0.0/29', port, agency: 'hanoi-doh', tags: ['lab'], credentials: [{ version: '2c', community: 'public' }, { version: '2c', community: 'lab2-ro' }] }],
      ratePerSecond: 100,
      concurrency: 8,
      timeoutMs: 300,
    });
    const discovery = createSnmpDiscovery({ inventory, logger: silentLogger, metrics: new Metrics({ defaultMetrics: false }) }, config);
    const first = discovery.sweep();
    expect(first.started).toBe(true);
    expect(discovery.sweep().started).toBe(false); // one sweep at a time
    await discovery.idle();
    expect(first.status).toMatchObject({ running: false, addresses: 6, probed: 11, found: 2, created: 2, updated: 0, errors: [] });
    const found = inventory.list().map((d) => [d.name, d.address, d.source, d.vendor, d.tags.join(','), d.organizationId]);
    expect(found).toEqual([
      ['lab-sw-1', '127.0.0.1', 'discovery', 'Net-SNMP', 'lab', 'hanoi-doh'],
      ['lab-sw-2', '127.0.0.2', 'discovery', 'Net-SNMP', 'lab', 'hanoi-doh'],
    ]);
    // The credential that answered is the one the poller gets.
    expect(inventory.pollDevices().map((p) => (p.snmp.version === '2c' ? p.snmp.community : ''))).toEqual(['public', 'lab2-ro']);

    const second = discovery.sweep();
    await discovery.idle();
    expect(second.status).toMatchObject({ found: 2, created: 0, updated: 2 });
    expect(inventory.list()).toHaveLength(2);
    await discovery.stop();
  }, 30_000);
});

describe('discovery bounds', () => {
  it('starts probes no faster than the rate and keeps no more than `concurrency` waiting', async () => {
    const starts: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const probe = async (): Promise<undefined> => {
      starts.push(performance.now());
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 150));
      inFlight--;
      return undefined;
    };
    const config = snmpDiscoveryConfigSchema.parse({ ranges: [{ cidr: '192.0.2.0/29', credentials: [{ version: '2c', community: 'x' }] }], ratePerSecond: 40, concurrency: 2 });
    const discovery = createSnmpDiscovery({ inventory, logger: silentLogger, metrics: new Metrics({ defaultMetrics: false }), probe }, config);
    discovery.sweep();
    await discovery.idle();
    expect(starts).toHaveLength(6);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    // Starts are scheduled 1/40 s apart on a fixed grid: one late timer shortens the next gap, never the total span.
    expect(starts[starts.length - 1] - starts[0]).toBeGreaterThanOrEqual(5 * 25 - 5);
  });

  it('is started over HTTP by devices:manage holders only', async () => {
    const config = snmpDiscoveryConfigSchema.parse({ ranges: [{ cidr: '192.0.2.1', credentials: [{ version: '2c', community: 'x' }] }] });
    const discovery = createSnmpDiscovery({ inventory, logger: silentLogger, metrics: new Metrics({ defaultMetrics: false }), probe: async () => ({ name: 'edge-1', objectId: '1.3.6.1.4.1.14988.1' }) }, config);
    const h = await startHarness({ modules: [devicesHttpModule({ inventory, poller: { device: () => undefined }, agencies, discovery })] });
    try {
      const analyst = (await h.login('analyst.hn')).token;
      const noc = (await h.login('noc.hn')).token;
      expect((await h.send('POST', '/api/v1/devices/discovery', undefined, { token: analyst })).status).toBe(403);
      const res = await h.send('POST', '/api/v1/devices/discovery', undefined, { token: noc });
      expect(res.status).toBe(202);
      expect(((await res.json()) as { started: boolean }).started).toBe(true);
      await discovery.idle();
      const status = (await (await h.get('/api/v1/devices/discovery', { token: analyst })).json()) as { sweep: { created: number } };
      expect(status.sweep.created).toBe(1);
      expect(inventory.list()[0]).toMatchObject({ name: 'edge-1', vendor: 'MikroTik', organizationId: 'unassigned' });
    } finally {
      await h.close();
    }
  });

  it('sweeps ad-hoc ranges from the API: bounded, only in agencies the caller manages, with no configured range', async () => {
    const agencies2 = new AgencyResolver([
      { id: 'hanoi-doh', name: 'Hanoi DoH', cidrs: ['127.0.0.0/8'] },
      { id: 'danang-dof', name: 'Da Nang DoF', cidrs: ['10.20.0.0/16'] },
    ]);
    const probed: string[] = [];
    const config = snmpDiscoveryConfigSchema.parse({ maxAdHocAddresses: 16, ratePerSecond: 1000 });
    const probe = async (t: { address: string }) => {
      probed.push(t.address);
      return t.address === '10.10.5.2' ? { name: 'hn-ap-02', objectId: '1.3.6.1.4.1.14823.1.2.1' } : undefined;
    };
    const discovery = createSnmpDiscovery({ inventory, logger: silentLogger, metrics: new Metrics({ defaultMetrics: false }), probe }, config);
    const h = await startHarness({ modules: [devicesHttpModule({ inventory, poller: { device: () => undefined }, agencies: agencies2, discovery, maxAdHocAddresses: 16 })] });
    try {
      const noc = (await h.login('noc.hn')).token;
      const range = (cidr: string, agency: string) => ({ ranges: [{ cidr, agency, credentials: [{ version: '2c', community: 'hn-ro' }], tags: ['wifi'] }] });
      expect((await h.send('POST', '/api/v1/devices/discovery', undefined, { token: noc })).status).toBe(409); // nothing configured, no body
      const other = await h.send('POST', '/api/v1/devices/discovery', range('10.20.5.0/29', 'danang-dof'), { token: noc });
      expect(other.status).toBe(403);
      const big = await h.send('POST', '/api/v1/devices/discovery', range('10.10.0.0/24', 'hanoi-doh'), { token: noc });
      expect(big.status).toBe(400);
      expect(((await big.json()) as { error: { message: string } }).error.message).toMatch(/254 addresses exceed the limit of 16|exceed snmp.discovery.maxAddressesPerRange \(16\)/);
      const ok = await h.send('POST', '/api/v1/devices/discovery', range('10.10.5.0/29', 'hanoi-doh'), { token: noc });
      expect(ok.status).toBe(202);
      await discovery.idle();
      expect(probed).toEqual(['10.10.5.1', '10.10.5.2', '10.10.5.3', '10.10.5.4', '10.10.5.5', '10.10.5.6']);
      expect(discovery.status()).toMatchObject({ ranges: ['10.10.5.0/29'], addresses: 6, created: 1 });
      expect(inventory.list()).toEqual([expect.objectContaining({ name: 'hn-ap-02', address: '10.10.5.2', organizationId: 'hanoi-doh', tags: ['wifi'], vendor: 'Aruba' })]);
    } finally {
      await h.close();
    }
  });
});
