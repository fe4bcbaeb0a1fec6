/**
 * Dependencies: a device that stops answering behind a failing parent is `unreachable` (one
 * device-unreachable event, no device-down), while one behind a parent that answers is `down`.
 * Real UDP: dead ports on loopback and a scripted agent as the live parent.
 */
import { Metrics } from '../../../core/metrics';
import { AgencyResolver } from '../../../core/tenancy';
import { snmpPollerConfigSchema, type DeviceConfig } from '../config';
import { freeUdpPort } from '../testing/peers';
import { RecordingSink, silentLogger } from '../testing/recording-sink';
import { ScriptedAgent } from '../testing/scripted-agent';
import { configDeviceSource } from './device-source';
import { createSnmpPoller, type SnmpPoller } from './poller';

const agencies = new AgencyResolver([{ id: 'lab', name: 'Lab', cidrs: ['127.0.0.0/8'] }]);
let poller: SnmpPoller | undefined;
let agent: ScriptedAgent | undefined;
afterEach(async () => {
  await poller?.stop();
  agent?.close();
});

function start(devices: DeviceConfig[]): { poller: SnmpPoller; sink: RecordingSink } {
  const sink = new RecordingSink();
  const config = snmpPollerConfigSchema.parse({ spreadStart: false, timeoutMs: 150, retries: 0, downAfterMisses: 2 });
  poller = createSnmpPoller({ sink, agencies, metrics: new Metrics({ defaultMetrics: false }), logger: silentLogger, devices: configDeviceSource(devices, 3600) }, config);
  return { poller, sink };
}

const dev = (name: string, port: number, parent?: string): DeviceConfig => ({ name, address: '127.0.0.1', port, tags: [], snmp: { version: '2c', community: 'public' }, ...(parent !== undefined ? { parent } : {}) });

it('marks a silent child of a silent parent unreachable, with one event naming the parent', async () => {
  const { poller: p, sink } = start([dev('core-rtr', await freeUdpPort()), dev('access-sw', await freeUdpPort(), 'core-rtr')]);
  await p.start();
  await p.pollNow('access-sw');
  await p.pollNow('access-sw'); // second miss: the parent is asked now, and fails too
  expect(p.device('access-sw')?.status).toBe('unreachable');
  await p.pollNow('core-rtr');
  await p.pollNow('access-sw');
  expect(p.device('core-rtr')?.status).toBe('down');
  expect(p.device('access-sw')?.status).toBe('unreachable');
  const state = sink.events.filter((e) => e.event.kind === 'state').map((e) => `${e.event.action} ${e.observer?.name}`);
  expect(state.filter((s) => s.startsWith('device-unreachable'))).toEqual(['device-unreachable access-sw']);
  expect(state).not.toContain('device-down access-sw');
  expect(state).toContain('device-down core-rtr');
  const unreachable = sink.events.find((e) => e.event.action === 'device-unreachable');
  expect(unreachable?.message).toMatch(/unreachable behind its parent core-rtr/);
  expect(unreachable).toMatchObject({ event: { dataset: 'snmp.device' }, snmp: { device: { status: 'unreachable', parent: 'core-rtr', parent_name: 'core-rtr' } } });
});

it('marks a silent child of an answering parent down', async () => {
  agent = await ScriptedAgent.start('CORE', [], 100_000);
  const { poller: p, sink } = start([dev('core-rtr', agent.port), dev('access-sw', await freeUdpPort(), 'core-rtr')]);
  await p.start();
  await p.pollNow('access-sw');
  await p.pollNow('access-sw');
  expect(p.device('core-rtr')?.status).toBe('up');
  expect(p.device('access-sw')?.status).toBe('down');
  expect(sink.events.map((e) => e.event.action)).toEqual(['device-down']);
});
