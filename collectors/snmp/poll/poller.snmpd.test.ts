/**
 * The poller against a real Net-SNMP snmpd on loopback, v2c and v3 authPriv: system group, lo's
 * interface rows, hrStorage, hrProcessorLoad (snmpd has it only after a minute of samples, so that
 * test runs last), reachability with a dead port next to a live agent, and down/up/restart when the
 * agent is stopped and started again.
 */
import { Metrics } from '../../../core/metrics';
import { AgencyResolver } from '../../../core/tenancy';
import { snmpPollerConfigSchema, type DeviceConfig, type SnmpPollerConfig } from '../config';
import { freeUdpPort, startSnmpd, type SnmpdPeer } from '../testing/peers';
import { RecordingSink, silentLogger } from '../testing/recording-sink';
import { configDeviceSource } from './device-source';
import { createSnmpPoller, type PollReport, type SnmpPoller } from './poller';

const V3_USER = { name: 'authPrivUser', auth: 'SHA', authPass: 'authpass123', priv: 'AES', privPass: 'privpass123' };
/** snmpd's AES192 is the Blumenthal key extension, AES192C Reeder's (Net-SNMP 5.8+). */
const AES192_USERS = [
  { name: 'aes192User', auth: 'SHA', authPass: 'authpass123', priv: 'AES192', privPass: 'privpass192' },
  { name: 'aes192cUser', auth: 'SHA', authPass: 'authpass123', priv: 'AES192C', privPass: 'privpass192' },
];
const agencies = new AgencyResolver([{ id: 'lab', name: 'Loopback lab', cidrs: ['127.0.0.0/8'] }]);

let snmpd: SnmpdPeer;
const pollers: SnmpPoller[] = [];
const extraAgents: SnmpdPeer[] = [];

beforeAll(async () => {
  snmpd = await startSnmpd({ sysName: 'snmpd-test', users: [V3_USER, ...AES192_USERS] });
});
afterAll(async () => {
  await snmpd?.stop();
});
afterEach(async () => {
  for (const p of pollers.splice(0)) await p.stop();
  for (const a of extraAgents.splice(0)) await a.stop();
});

function poller(devices: DeviceConfig[], overrides: Partial<SnmpPollerConfig> = {}): { poller: SnmpPoller; sink: RecordingSink; metrics: Metrics } {
  const config = snmpPollerConfigSchema.parse({ spreadStart: false, timeoutMs: 500, retries: 1, downAfterMisses: 2, ...overrides });
  const sink = new RecordingSink();
  const metrics = new Metrics({ defaultMetrics: false });
  const p = createSnmpPoller({ sink, agencies, metrics, logger: silentLogger, devices: configDeviceSource(devices, 3600) }, config);
  pollers.push(p);
  return { poller: p, sink, metrics };
}

function device(name: string, port: number, snmp: DeviceConfig['snmp'], interval_s?: number): DeviceConfig {
  return { name, address: '127.0.0.1', port, tags: ['lab'], snmp, ...(interval_s !== undefined ? { interval_s } : {}) };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('SNMP poller against snmpd', () => {
  it('polls v2c: system group, the loopback interface with rates on the second poll, memory', async () => {
    const { poller: p } = poller([device('lab-v2c', snmpd.port, { version: '2c', community: 'public' })]);
    await p.start();
    await p.pollNow('lab-v2c');
    const first = p.device('lab-v2c');
    expect(first).toMatchObject({ status: 'up', organization: { id: 'lab' }, sys: { name: 'snmpd-test', object_id: '1.3.6.1.4.1.8072.3.2.10', location: 'socnoc test rack' }, missed_polls: 0 });
    expect(first?.sys.descr).toMatch(/^Linux /);
    expect(first?.sys.uptime_s).toBeGreaterThanOrEqual(0);
    const lo = first?.interfaces.find((i) => i.descr === 'lo');
    expect(lo).toMatchObject({ name: 'lo', admin_status: 'up', oper_status: 'up', type: 24 });
    expect(lo?.in_bps).toBeUndefined(); // one sample: no rate yet
    expect(first?.memory).toMatchObject({ type: 'ram', descr: 'Physical memory' });
    expect(first?.memory?.size_bytes).toBeGreaterThan(0);
    expect(first?.storage.length).toBeGreaterThan(1);

    // snmpd caches its interface counters for a few seconds: poll again after the cache expired.
    await sleep(6000);
    await p.pollNow('lab-v2c');
    const second = p.device('lab-v2c');
    const lo2 = second?.interfaces.find((i) => i.descr === 'lo');
    // snmp traffic itself crosses lo, so the counters moved between the two polls.
    expect(lo2?.in_bps).toBeGreaterThan(0);
    expect(lo2?.out_bps).toBeGreaterThan(0);
    expect(lo2?.in_pps).toBeGreaterThan(0);
    expect(lo2?.in_errors_ps).toBe(0);
    expect(lo2?.utilization_pct).toBeGreaterThan(0);
  }, 20_000);

  it('polls v3 authPriv (SHA/AES), and a wrong pass phrase makes the device down with the reason', async () => {
    const good = device('lab-v3', snmpd.port, { version: '3', user: 'authPrivUser', auth: { protocol: 'sha', password: 'authpass123' }, priv: { protocol: 'aes', password: 'privpass123' }, context: '' });
    const bad = device('lab-v3-badpass', snmpd.port, { version: '3', user: 'authPrivUser', auth: { protocol: 'sha', password: 'wrongpass99' }, priv: { protocol: 'aes', password: 'privpass123' }, context: '' });
    const { poller: p, sink, metrics } = poller([good, bad]);
    await p.start();
    await Promise.all([p.pollNow('lab-v3'), p.pollNow('lab-v3-badpass')]);
    await p.pollNow('lab-v3-badpass');
    expect(p.device('lab-v3')).toMatchObject({ status: 'up', sys: { name: 'snmpd-test' } });
    expect(p.device('lab-v3')?.interfaces.some((i) => i.name === 'lo')).toBe(true);
    const down = p.device('lab-v3-badpass');
    expect(down).toMatchObject({ status: 'down', missed_polls: 2 });
    expect(down?.last_error).toBeDefined();
    expect(sink.events.map((e) => [e.event.action, (e.snmp as { device: { id: string } }).device.id])).toEqual([['device-down', 'lab-v3-badpass']]);
    expect(metrics.input('snmp/poll')).toMatchObject({ received: 3, parsed: 1 });
    expect(JSON.stringify(p.devices())).not.toContain('authpass123');
  });

  it('polls v3 authPriv with AES-192, Blumenthal (aes192) and Reeder (aes192c) key extensions', async () => {
    const v3 = (name: string, user: string, priv: 'aes192' | 'aes192c', privPass = 'privpass192'): DeviceConfig =>
      device(name, snmpd.port, { version: '3', user, auth: { protocol: 'sha', password: 'authpass123' }, priv: { protocol: priv, password: privPass }, context: '' });
    const { poller: p, sink } = poller([
      v3('lab-aes192', 'aes192User', 'aes192'),
      v3('lab-aes192c', 'aes192cUser', 'aes192c'),
      // The right pass phrase under the other extension gives another key: snmpd cannot decrypt.
      v3('lab-aes192-wrong-extension', 'aes192User', 'aes192c'),
    ]);
    await p.start();
    await Promise.all([p.pollNow('lab-aes192'), p.pollNow('lab-aes192c'), p.pollNow('lab-aes192-wrong-extension')]);
    await p.pollNow('lab-aes192-wrong-extension');
    for (const id of ['lab-aes192', 'lab-aes192c']) {
      expect(p.device(id)).toMatchObject({ status: 'up', sys: { name: 'snmpd-test' }, missed_polls: 0 });
      expect(p.device(id)?.interfaces.find((i) => i.descr === 'lo')).toMatchObject({ oper_status: 'up' });
    }
    expect(p.device('lab-aes192-wrong-extension')).toMatchObject({ status: 'down', missed_polls: 2 });
    expect(sink.events.filter((e) => e.event.kind === 'state').map((e) => e.event.action)).toEqual(['device-down']);
  });

  it('a dead device times out without delaying the live one, and is reported down', async () => {
    const deadPort = await freeUdpPort();
    const { poller: p, sink } = poller([device('dead', deadPort, { version: '2c', community: 'public' }, 1), device('live', snmpd.port, { version: '2c', community: 'public' }, 1)], { concurrency: 2 });
    const reports: PollReport[] = [];
    p.onPoll((r) => reports.push(r));
    await p.start();
    await sleep(3600);
    const live = reports.filter((r) => r.deviceId === 'live');
    const dead = reports.filter((r) => r.deviceId === 'dead');
    expect(live.length).toBeGreaterThanOrEqual(3);
    for (const r of live) {
      expect(r.ok).toBe(true);
      expect(r.durationMs).toBeLessThan(400);
    }
    expect(dead.length).toBeGreaterThanOrEqual(2);
    for (const r of dead) {
      expect(r.ok).toBe(false);
      expect(r.durationMs).toBeGreaterThanOrEqual(950); // 500 ms timeout, one retry
    }
    expect(p.device('dead')).toMatchObject({ status: 'down' });
    expect(p.device('live')).toMatchObject({ status: 'up', missed_polls: 0 });
    const downEvents = sink.events.filter((e) => e.event.action === 'device-down');
    expect(downEvents).toHaveLength(1);
    expect(downEvents[0]).toMatchObject({ event: { dataset: 'snmp.device', kind: 'state' }, snmp: { device: { id: 'dead', previous_status: 'unknown', missed_polls: 2 } } });
  });

  it('stopping snmpd makes the device down; starting it again brings it up and reports the restart', async () => {
    let agent = await startSnmpd({ sysName: 'restart-me' });
    extraAgents.push(agent);
    const { poller: p, sink } = poller([device('flappy', agent.port, { version: '2c', community: 'public' })]);
    await p.start();
    await sleep(2500); // let sysUpTime grow, so that the restarted agent's is smaller
    await p.pollNow('flappy');
    expect(p.device('flappy')?.status).toBe('up');
    const port = agent.port;
    await agent.stop();
    extraAgents.splice(0);
    await p.pollNow('flappy');
    await p.pollNow('flappy');
    expect(p.device('flappy')?.status).toBe('down');
    agent = await startSnmpd({ sysName: 'restart-me', port });
    extraAgents.push(agent);
    await p.pollNow('flappy');
    expect(p.device('flappy')?.status).toBe('up');
    // State events only: a busy test machine may also cross the CPU threshold (device-cpu-high, kind metric).
    expect(sink.events.filter((e) => e.event.kind === 'state').map((e) => e.event.action)).toEqual(['device-down', 'device-up', 'device-restarted']);
  });

  it('reads hrProcessorLoad once snmpd has a minute of CPU samples', async () => {
    const { poller: p } = poller([device('lab-cpu', snmpd.port, { version: '2c', community: 'public' })]);
    await p.start();
    const wait = snmpd.startedAt + 62_000 - Date.now();
    if (wait > 0) await sleep(wait);
    await p.pollNow('lab-cpu');
    const cpu = p.device('lab-cpu')?.cpu_load_pct;
    expect(typeof cpu).toBe('number');
    expect(cpu).toBeGreaterThanOrEqual(0);
    expect(cpu).toBeLessThanOrEqual(100);
  }, 90_000);
});
