/**
 * The inventory on a real SQLite file: CRUD, config devices merged read-only, parents checked,
 * credentials sealed on disk (the file is searched for them), the DeviceSource seeing changes,
 * discovery upserts, key rotation.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, type SqliteDb } from '../../../core/store/sqlite';
import { AgencyResolver } from '../../../core/tenancy';
import type { DeviceConfig } from '../config';
import { SecretBox } from './secret-box';
import { DeviceInventory, InventoryError } from './store';

const agencies = new AgencyResolver([
  { id: 'hanoi-doh', name: 'Hanoi DoH', cidrs: ['10.10.0.0/16'] },
  { id: 'danang-dof', name: 'Da Nang DoF', cidrs: ['10.20.0.0/16'] },
]);
const CONFIG: DeviceConfig[] = [{ name: 'core-rtr-01', address: '10.0.0.1', port: 161, agency: 'hanoi-doh', tags: ['core'], snmp: { version: '2c', community: 'cfg-community-xyz' } }];
const COMMUNITY = 'Metronet-RO-7f3a9c';
const V3_PASSWORDS = ['Auth-Pass-8812', 'Priv-Pass-4471'];

let dir: string;
let db: SqliteDb;
let key: Buffer;
let inv: DeviceInventory;

function open(box = new SecretBox(key)): DeviceInventory {
  return new DeviceInventory({ db, box, agencies, configDevices: CONFIG, defaultIntervalSeconds: 60 });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'socnoc-inventory-'));
  db = openSqlite(join(dir, 'snmp.db'));
  key = randomBytes(32);
  inv = open();
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function errorOf(fn: () => unknown): InventoryError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InventoryError) return err;
    throw err;
  }
  throw new Error('expected an InventoryError');
}

describe('DeviceInventory', () => {
  it('creates, lists by agency, updates and deletes; config devices are listed and read-only', () => {
    const sw = inv.create({ name: 'hn-access-01', address: '10.10.1.2', port: 161, tags: ['access'], snmp: { version: '2c', community: COMMUNITY }, parent: 'core-rtr-01' });
    expect(sw).toMatchObject({ name: 'hn-access-01', organizationId: 'hanoi-doh', source: 'api', status: 'unknown', parent: 'core-rtr-01', snmp: { version: '2c' } });
    const dn = inv.create({ name: 'dn-fw-01', address: '10.20.0.1', port: 161, organizationId: 'danang-dof', tags: [], snmp: { version: '3', user: 'noc', auth: { protocol: 'sha256', password: V3_PASSWORDS[0] }, priv: { protocol: 'aes', password: V3_PASSWORDS[1] }, context: '' } });
    expect(dn.snmp).toEqual({ version: '3', user: 'noc', securityLevel: 'authPriv' });
    expect(inv.list().map((d) => d.name)).toEqual(['core-rtr-01', 'dn-fw-01', 'hn-access-01']);
    expect(inv.list(['hanoi-doh']).map((d) => d.name)).toEqual(['core-rtr-01', 'hn-access-01']);
    expect(Object.fromEntries(inv.countByOrganization())).toEqual({ 'hanoi-doh': 2, 'danang-dof': 1 });
    expect(inv.get(dn.id, ['hanoi-doh'])).toBeUndefined();
    expect(inv.get('core-rtr-01')).toMatchObject({ source: 'config', organizationId: 'hanoi-doh' });

    const moved = inv.update(sw.id, { name: 'hn-access-01b', intervalSeconds: 30, parent: null, tags: ['access', 'floor-2'] });
    expect(moved).toMatchObject({ name: 'hn-access-01b', intervalSeconds: 30, tags: ['access', 'floor-2'] });
    expect(moved.parent).toBeUndefined();
    expect(errorOf(() => inv.update('core-rtr-01', { tags: [] })).kind).toBe('read_only');
    expect(errorOf(() => inv.delete('core-rtr-01')).kind).toBe('read_only');
    inv.delete(sw.id);
    expect(inv.get(sw.id)).toBeUndefined();
    expect(errorOf(() => inv.delete(sw.id)).kind).toBe('not_found');
  });

  it('refuses duplicate names and endpoints, unknown agencies and parents, and parent loops', () => {
    const a = inv.create({ name: 'a', address: '10.10.0.1', port: 161, tags: [], snmp: { version: '2c', community: 'c' } });
    const b = inv.create({ name: 'b', address: '10.10.0.2', port: 161, tags: [], parent: a.id, snmp: { version: '2c', community: 'c' } });
    expect(errorOf(() => inv.create({ name: 'a', address: '10.10.0.3', port: 161, tags: [], snmp: { version: '2c', community: 'c' } })).message).toMatch(/named "a" already exists/);
    expect(errorOf(() => inv.create({ name: 'core-rtr-01', address: '10.10.0.3', port: 161, tags: [], snmp: { version: '2c', community: 'c' } })).kind).toBe('conflict');
    expect(errorOf(() => inv.create({ name: 'c', address: '10.10.0.2', port: 161, tags: [], snmp: { version: '2c', community: 'c' } })).message).toMatch(/device "b" already polls 10.10.0.2 port 161/);
    expect(errorOf(() => inv.create({ name: 'c', address: '10.10.0.3', port: 161, organizationId: 'nowhere', tags: [], snmp: { version: '2c', community: 'c' } })).message).toMatch(/unknown agency "nowhere"/);
    expect(errorOf(() => inv.create({ name: 'c', address: '10.10.0.3', port: 161, parent: 'ghost', tags: [], snmp: { version: '2c', community: 'c' } })).message).toMatch(/parent device "ghost" does not exist/);
    expect(errorOf(() => inv.update(a.id, { parent: 'b' })).message).toMatch(/loop/);
    // Deleting a parent orphans its children instead of failing.
    inv.delete(a.id);
    expect(inv.get(b.id)?.parent).toBeUndefined();
  });

  it('keeps credentials sealed in the database file and gives them only to the poller', () => {
    const d = inv.create({ name: 'hn-sw', address: '10.10.1.9', port: 1161, tags: [], snmp: { version: '2c', community: COMMUNITY } });
    inv.create({ name: 'hn-fw', address: '10.10.1.10', port: 161, tags: [], snmp: { version: '3', user: 'noc', auth: { protocol: 'sha', password: V3_PASSWORDS[0] }, priv: { protocol: 'aes256', password: V3_PASSWORDS[1] }, context: '' } });
    db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f));
      for (const secret of [COMMUNITY, ...V3_PASSWORDS]) expect(`${f}: ${bytes.includes(Buffer.from(secret))}`).toBe(`${f}: false`);
    }
    expect(JSON.stringify(inv.list())).not.toContain(COMMUNITY);
    const polled = inv.pollDevices().find((p) => p.id === d.id);
    expect(polled).toMatchObject({ name: 'hn-sw', port: 1161, agency: 'hanoi-doh', intervalSeconds: 60, snmp: { version: '2c', community: COMMUNITY } });
  });

  it('signals every change to the DeviceSource, and leaves out rows it cannot decrypt', async () => {
    const source = inv.deviceSource();
    let signals = 0;
    const off = source.subscribe(() => signals++);
    const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
    const d = inv.create({ name: 'x', address: '10.10.2.1', port: 161, tags: [], snmp: { version: '2c', community: 'c' } });
    await turn();
    expect(signals).toBe(1);
    // A burst of changes is one signal.
    inv.update(d.id, { port: 1161 });
    inv.update(d.id, { tags: ['a'] });
    await turn();
    expect(signals).toBe(2);
    inv.recordPoll(d.id, { status: 'up', at: Date.now(), sys: { name: 'X-SW', objectId: '1.3.6.1.4.1.9.1.1208' } });
    await turn();
    expect(signals).toBe(2); // poll results are no change for the poller
    expect(inv.get(d.id)).toMatchObject({ status: 'up', vendor: 'Cisco', sys: { name: 'X-SW' } });
    expect((await source.list()).map((p) => p.id)).toEqual(['core-rtr-01', d.id]);
    inv.delete(d.id);
    await turn();
    expect(signals).toBe(3);
    off();

    inv.create({ name: 'y', address: '10.10.2.2', port: 161, tags: [], snmp: { version: '2c', community: 'c' } });
    const failures: string[] = [];
    const wrongKey = new DeviceInventory({ db, box: new SecretBox(randomBytes(32)), agencies, defaultIntervalSeconds: 60, onSecretError: (id, err) => failures.push(`${id} ${err.message}`) });
    expect(wrongKey.pollDevices()).toEqual([]);
    expect(failures[0]).toMatch(/neither SOCNOC_SECRET_KEY/);
  });

  it('re-seals credentials after a key rotation', () => {
    const d = inv.create({ name: 'r', address: '10.10.3.1', port: 161, tags: [], snmp: { version: '2c', community: COMMUNITY } });
    const newKey = randomBytes(32);
    const rotated = open(new SecretBox(newKey, [key]));
    expect(rotated.rotateCredentials()).toBe(1);
    expect(rotated.rotateCredentials()).toBe(0);
    const onlyNew = open(new SecretBox(newKey));
    expect(onlyNew.pollDevices().find((p) => p.id === d.id)?.snmp).toEqual({ version: '2c', community: COMMUNITY });
  });

  it('adds discovered devices once and refreshes their system group after', () => {
    const first = inv.upsertDiscovered({ name: 'sw-lab', address: '10.20.5.5', port: 161, tags: ['discovered'], snmp: { version: '2c', community: 'c' }, sys: { name: 'sw-lab', descr: 'Huawei VRP', objectId: '1.3.6.1.4.1.2011.2.23.1' } });
    expect(first.created).toBe(true);
    expect(first.device).toMatchObject({ source: 'discovery', organizationId: 'danang-dof', vendor: 'Huawei' });
    const again = inv.upsertDiscovered({ name: 'sw-lab', address: '10.20.5.5', port: 161, tags: [], snmp: { version: '2c', community: 'c' }, sys: { name: 'sw-lab', descr: 'Huawei VRP V8', objectId: '1.3.6.1.4.1.2011.2.23.1' } });
    expect(again.created).toBe(false);
    expect(again.device.sys.descr).toBe('Huawei VRP V8');
    // Another device answering with the same sysName gets a suffixed name.
    const twin = inv.upsertDiscovered({ name: 'sw-lab', address: '10.20.5.6', port: 161, tags: [], snmp: { version: '2c', community: 'c' }, sys: { name: 'sw-lab' } });
    expect(twin.device.name).toBe('sw-lab-2');
  });
});

describe('interface tags', () => {
  it('are stored per ifIndex, merged by updates, and reach the poller', async () => {
    const sw = inv.create({ name: 'hn-access-02', address: '10.10.1.3', port: 161, tags: [], interfaceTags: { '49': ['uplink'] }, snmp: { version: '2c', community: COMMUNITY } });
    expect(sw.interfaceTags).toEqual({ '49': ['uplink'] });
    const edited = inv.update(sw.id, { interfaceTags: { '50': ['trunk', 'trunk'], '49': null } });
    expect(edited.interfaceTags).toEqual({ '50': ['trunk'] });
    expect(inv.update(sw.id, { interfaceTags: { '2': ['wan'] } }).interfaceTags).toEqual({ '2': ['wan'], '50': ['trunk'] });
    expect(inv.update(sw.id, { tags: ['x'] }).interfaceTags).toEqual({ '2': ['wan'], '50': ['trunk'] });
    const polled = (await inv.deviceSource().list()).find((d) => d.id === sw.id);
    expect(polled?.interfaceTags).toEqual({ '2': ['wan'], '50': ['trunk'] });
  });
});
