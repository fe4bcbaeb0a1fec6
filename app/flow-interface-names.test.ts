/**
 * Interface names for flows from the real NOC: the device inventory on a SQLite file, the SNMP poller
 * polling a scripted agent on loopback, and the flow collector receiving NetFlow v9 from the same address.
 * Names appear once the device is polled, follow the inventory (address change, delete) and come back
 * for a resolver built after the polls (restart of the flow side).
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { EcsEvent } from '../core/event';
import { Metrics } from '../core/metrics';
import { openSqlite, type SqliteDb } from '../core/store/sqlite';
import { AgencyResolver } from '../core/tenancy';
import { createFlowCollector, netflowConfigSchema, type FlowCollector } from '../collectors/netflow';
import { RecordingSink as FlowSink } from '../collectors/netflow/testing/sink';
import { netflowV9Datagrams } from '../collectors/netflow/testing/v9-datagrams';
import { createSnmpNoc, loadSecretBox, snmpConfigSchema, type SnmpNoc } from '../collectors/snmp';
import type { PollReport } from '../collectors/snmp';
import { DeviceInventory } from '../collectors/snmp';
import { RecordingSink, silentLogger } from '../collectors/snmp/testing/recording-sink';
import { ScriptedAgent } from '../collectors/snmp/testing/scripted-agent';
import { createFlowInterfaceNames, type FlowInterfaceNames } from './flow-interface-names';

const agencies = new AgencyResolver([{ id: 'hanoi-doh', name: 'Hanoi DoH', cidrs: ['127.0.0.0/8', '10.0.0.0/8'] }]);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

let dir: string;
let db: SqliteDb;
let agent: ScriptedAgent;
let noc: SnmpNoc;
const resolvers: FlowInterfaceNames[] = [];
const collectors: FlowCollector[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'socnoc-flow-ifnames-'));
  db = openSqlite(join(dir, 'snmp.db'));
  agent = await ScriptedAgent.start('HN-CORE-01', [
    { index: 1, name: 'Te1/1/1', speed: 4_294_967_295, highSpeed: 10_000, admin: 1, oper: 1, inOctets32: 0, outOctets32: 0, inErrors: 0, inDiscards: 0, hcInOctets: 0n, hcOutOctets: 0n, hc: true },
    { index: 24, name: 'Gi1/0/24', speed: 1_000_000_000, highSpeed: 1000, admin: 1, oper: 1, inOctets32: 0, outOctets32: 0, inErrors: 0, inDiscards: 0, hcInOctets: 0n, hcOutOctets: 0n, hc: true },
  ], 360_000);
  const config = snmpConfigSchema.parse({ traps: { enabled: false }, metrics: { enabled: false }, poller: { spreadStart: false, timeoutMs: 500, retries: 0, defaultIntervalSeconds: 3600 } });
  noc = createSnmpNoc({ sink: new RecordingSink(), agencies, metrics: new Metrics({ defaultMetrics: false }), logger: silentLogger, db, box: loadSecretBox({ dataDir: dir, env: {} }), configDevices: [] }, config);
  await noc.start();
});

afterAll(async () => {
  for (const r of resolvers) r.stop();
  for (const c of collectors) await c.stop();
  await noc?.stop();
  agent?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

function resolver(): FlowInterfaceNames {
  const r = createFlowInterfaceNames({ inventory: noc.inventory, poller: noc.collector.poller });
  resolvers.push(r);
  return r;
}

/** A flow collector using the resolver, and one v9 datagram from 127.0.0.1 with flows on ifIndex 1 → 24 and 7 → 1. */
async function flowEventsThrough(names: FlowInterfaceNames): Promise<EcsEvent[]> {
  const sink = new FlowSink();
  const collector = createFlowCollector(
    { sink, agencies, metrics: new Metrics({ defaultMetrics: false }), logger: pino({ level: 'silent' }), interfaceNames: names, geoip: null },
    // Every flow as an event (the default sends only flows a rule or intel could match).
    netflowConfigSchema.parse({ listeners: [{ name: 'udp-ifnames', transport: 'udp', host: '127.0.0.1', port: 0 }], correlation: { flows: 'all' } }),
  );
  await collector.start();
  collectors.push(collector);
  const now = Date.now();
  const [datagram] = netflowV9Datagrams(
    [
      { src: '10.0.0.5', dst: '203.0.113.10', srcPort: 51_000, dstPort: 443, protocol: 6, bytes: 4000, packets: 8, firstMs: now - 2000, lastMs: now - 1000, inIf: 24, outIf: 1 },
      { src: '203.0.113.10', dst: '10.0.0.5', srcPort: 443, dstPort: 51_000, protocol: 6, bytes: 90_000, packets: 70, firstMs: now - 2000, lastMs: now - 1000, inIf: 1, outIf: 7 },
    ],
    { bootMs: now - 3_600_000, exportMs: now },
  );
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => socket.send(datagram, collector.listeners()[0].address().port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  socket.close();
  await until('two flow events', () => sink.events.length >= 2);
  return sink.events;
}

describe('flow interface names from the NOC inventory and poller', () => {
  let deviceId = '';

  it('knows nothing before the device is in the inventory and polled', () => {
    const names = resolver();
    expect(names.interfaceName('127.0.0.1', 1)).toBeUndefined();
    expect(names.knownExporters()).toBe(0);
  });

  it('names the interfaces of flows exported by a polled device', async () => {
    const names = resolvers[0];
    deviceId = noc.inventory.create({ name: 'hn-core-01', address: '127.0.0.1', port: agent.port, tags: ['core'], snmp: { version: '2c', community: 'public' } }).id;
    await until('the first poll of the new device', () => names.interfaceName('127.0.0.1', 1) !== undefined);
    expect([names.interfaceName('127.0.0.1', 1), names.interfaceName('127.0.0.1', 24), names.interfaceName('127.0.0.1', 7)]).toEqual(['Te1/1/1', 'Gi1/0/24', undefined]);
    // Another exporter's ifIndex 1 is not this one.
    expect(names.interfaceName('10.9.9.9', 1)).toBeUndefined();

    const events = await flowEventsThrough(names);
    const byDestination = new Map(events.map((e) => [e.destination?.ip, e.observer]));
    expect(byDestination.get('203.0.113.10')).toMatchObject({ ingress: { interface: { id: '24', name: 'Gi1/0/24' } }, egress: { interface: { id: '1', name: 'Te1/1/1' } } });
    // ifIndex 7 is not in the device's table: the id alone.
    expect(byDestination.get('10.0.0.5')?.egress).toEqual({ interface: { id: '7' } });
  });

  it('a resolver built after the polls (the flow side restarted) starts with the last poll', () => {
    const late = resolver();
    expect(late.interfaceName('127.0.0.1', 24)).toBe('Gi1/0/24');
    expect(late.knownExporters()).toBe(1);
  });

  it('follows the inventory: an address change and a delete forget the old names', async () => {
    const names = resolvers[0];
    noc.inventory.update(deviceId, { address: '127.0.0.2' });
    await until('the address change to be applied', () => names.interfaceName('127.0.0.1', 1) === undefined);
    noc.inventory.update(deviceId, { address: '127.0.0.1' });
    await noc.collector.poller.pollNow(deviceId);
    await until('names back after the next poll', () => names.interfaceName('127.0.0.1', 1) === 'Te1/1/1');
    noc.inventory.delete(deviceId);
    await until('the delete to be applied', () => names.knownExporters() === 0);
    expect(names.interfaceName('127.0.0.1', 24)).toBeUndefined();
  });
});

describe('ifAlias and ifDescr', () => {
  it('uses ifName, else ifDescr, and ifAlias as the alias, from each poll report', () => {
    const inventory = new DeviceInventory({ db, box: loadSecretBox({ dataDir: dir, env: {} }), agencies, defaultIntervalSeconds: 300 });
    const dev = inventory.create({ name: 'dn-edge-02', address: '10.20.0.2', port: 161, tags: [], snmp: { version: '2c', community: 'public' } });
    const listeners: Array<(r: PollReport) => void> = [];
    const names = createFlowInterfaceNames({ inventory, poller: { onPoll: (l) => (listeners.push(l), () => undefined), deviceAt: () => undefined } });
    resolvers.push(names);
    const report = (interfaces: Array<{ index: number; name?: string; descr?: string; alias?: string }>): PollReport => ({
      deviceId: dev.id,
      organizationId: 'hanoi-doh',
      at: Date.now(),
      ok: true,
      status: 'up',
      durationMs: 12,
      sample: { interfaces: new Map(interfaces.map((i) => [i.index, { ...i, counters: {} }])) } as unknown as PollReport['sample'],
    });
    for (const l of listeners) l(report([{ index: 3, name: 'Gi0/3', alias: 'Uplink VNPT Metronet' }, { index: 4, descr: 'GigabitEthernet0/4', alias: '' }, { index: 5 }]));
    expect([names.interfaceName('10.20.0.2', 3), names.interfaceAlias('10.20.0.2', 3)]).toEqual(['Gi0/3', 'Uplink VNPT Metronet']);
    expect([names.interfaceName('10.20.0.2', 4), names.interfaceAlias('10.20.0.2', 4)]).toEqual(['GigabitEthernet0/4', undefined]);
    expect(names.interfaceName('10.20.0.2', 5)).toBeUndefined();
    // The next poll replaces the table (an interface renamed, one removed).
    for (const l of listeners) l(report([{ index: 3, name: 'Gi0/3', alias: 'Uplink Viettel' }]));
    expect([names.interfaceAlias('10.20.0.2', 3), names.interfaceName('10.20.0.2', 4)]).toEqual(['Uplink Viettel', undefined]);
    // A failed poll keeps the last known names.
    for (const l of listeners) l({ ...report([]), ok: false, sample: undefined });
    expect(names.interfaceName('10.20.0.2', 3)).toBe('Gi0/3');
    inventory.delete(dev.id);
  });
});
