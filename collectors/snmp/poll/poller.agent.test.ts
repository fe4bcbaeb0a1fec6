/**
 * The poller against a scripted agent whose counters the test moves: 64-bit and 32-bit rates
 * (through a Counter32 wrap), errors per second, a link going down, and a reboot that must give
 * no rate rather than a wrong one; a link that flaps between two polls, seen through ifLastChange.
 */
import { Metrics } from '../../../core/metrics';
import { AgencyResolver } from '../../../core/tenancy';
import { snmpPollerConfigSchema } from '../config';
import { RecordingSink, silentLogger } from '../testing/recording-sink';
import { ScriptedAgent } from '../testing/scripted-agent';
import { configDeviceSource } from './device-source';
import { createSnmpPoller, type PollReport, type SnmpPoller } from './poller';

let agent: ScriptedAgent | undefined;
let poller: SnmpPoller | undefined;
afterEach(async () => {
  await poller?.stop();
  agent?.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

it('derives rates from moving counters, wraps included; reports link and reboot changes', async () => {
  const bootedAt = Date.now() - 3_600_000; // up an hour
  const uptimeNow = (): number => Math.floor((Date.now() - bootedAt) / 10);
  agent = await ScriptedAgent.start('ACCESS-SW-07', [
    { index: 1, name: 'Gi1/0/1', speed: 1_000_000_000, highSpeed: 1000, admin: 1, oper: 1, inOctets32: 0, outOctets32: 0, inErrors: 0, inDiscards: 0, hcInOctets: 2n ** 62n, hcOutOctets: 10n, hc: true },
    { index: 2, name: 'Fa0/2', speed: 100_000_000, highSpeed: 100, admin: 1, oper: 1, inOctets32: 4_294_000_000, outOctets32: 0, inErrors: 100, inDiscards: 0, hcInOctets: 0n, hcOutOctets: 0n, hc: false },
  ], uptimeNow());
  const sink = new RecordingSink();
  const config = snmpPollerConfigSchema.parse({ spreadStart: false, timeoutMs: 500, retries: 0 });
  poller = createSnmpPoller(
    {
      sink,
      agencies: new AgencyResolver([]),
      metrics: new Metrics({ defaultMetrics: false }),
      logger: silentLogger,
      devices: configDeviceSource([{ name: 'access-sw-07', address: '127.0.0.1', port: agent.port, agency: undefined, tags: [], snmp: { version: '2c', community: 'any' } }], 3600),
    },
    config,
  );
  const reports: PollReport[] = [];
  poller.onPoll((r) => reports.push(r));
  await poller.start();
  const poll = async (): Promise<PollReport> => {
    agent?.setUptime(uptimeNow());
    await poller?.pollNow('access-sw-07');
    return reports[reports.length - 1];
  };

  const first = await poll();
  expect(first.ok).toBe(true);
  await sleep(300);
  // 64-bit: +75,000,000 bytes in; 32-bit: through the wrap, +1,967,296 bytes; 30 input errors.
  agent.update(1, { hcInOctets: 2n ** 62n + 75_000_000n, hcOutOctets: 10n + 1_000_000n });
  agent.update(2, { inOctets32: (4_294_000_000 + 1_967_296) % 4_294_967_296, inErrors: 130 });
  const second = await poll();
  const seconds = ((second.sample?.at ?? 0) - (first.sample?.at ?? 0)) / 1000;
  const gi = poller.device('access-sw-07')?.interfaces.find((i) => i.index === 1);
  const fa = poller.device('access-sw-07')?.interfaces.find((i) => i.index === 2);
  // The HC counter sits near 2^62, where a double is exact to 1024: the rate is right to a few ppm.
  const relative = (got: number | undefined, want: number): number => Math.abs((got ?? 0) / want - 1);
  expect(relative(gi?.in_bps, (75_000_000 * 8) / seconds)).toBeLessThan(1e-5);
  expect(gi?.out_bps).toBeCloseTo((1_000_000 * 8) / seconds, 3);
  expect(relative(gi?.utilization_pct, (75_000_000 * 8) / seconds / 1e7)).toBeLessThan(1e-5);
  expect(fa?.in_bps).toBeCloseTo((1_967_296 * 8) / seconds, 3);
  expect(fa?.in_errors_ps).toBeCloseTo(30 / seconds, 6);
  expect(second.rates?.get(2)?.inBps).toBe(fa?.in_bps);
  // 75 MB in a fraction of a second is far above 80 % of 1 Gb/s, and 30 errors well above 1/s: measurement events
  // (Fa0/2's utilisation depends on the elapsed time, so it is not asserted).
  const measured = sink.events.filter((e) => e.event.kind === 'metric');
  const seen = measured.map((e) => `${e.event.action} ${e.interface?.name}`);
  expect(seen).toEqual(expect.arrayContaining(['interface-errors-high Fa0/2', 'interface-utilization-high Gi1/0/1']));
  expect(seen).not.toContain('interface-errors-high Gi1/0/1');
  expect(measured.find((e) => e.interface?.name === 'Gi1/0/1')).toMatchObject({ event: { dataset: 'snmp.interface' }, snmp: { interface: { index: 1, threshold: 80 } } });
  sink.events.splice(0);

  agent.update(1, { oper: 2 });
  await poll();
  expect(sink.events.map((e) => e.event.action)).toEqual(['interface-down']);
  expect(sink.events[0]).toMatchObject({ interface: { id: '1', name: 'Gi1/0/1' }, snmp: { interface: { oper_status: 'down', previous_oper_status: 'up', admin_status: 'up' } }, host: { name: 'ACCESS-SW-07' } });

  // Reboot: uptime back to 20 s, counters restarted near zero. No rate, a restart event.
  agent.update(1, { oper: 1, hcInOctets: 5000n, hcOutOctets: 10n });
  agent.update(2, { inOctets32: 7000, inErrors: 0 });
  agent.setUptime(2000);
  await poller.pollNow('access-sw-07');
  const rebooted = reports[reports.length - 1];
  expect(rebooted.restarted).toBe(true);
  expect(poller.device('access-sw-07')?.interfaces.find((i) => i.index === 1)?.in_bps).toBeUndefined();
  expect(sink.events.map((e) => e.event.action)).toEqual(['interface-down', 'device-restarted', 'interface-up']);

  // And rates resume from the new baseline.
  await sleep(200);
  agent.update(1, { hcInOctets: 5000n + 125_000n });
  agent.setUptime(2000 + 25);
  await poller.pollNow('access-sw-07');
  expect(poller.device('access-sw-07')?.interfaces.find((i) => i.index === 1)?.in_bps).toBeGreaterThan(0);
  expect(poller.device('access-sw-07')).toMatchObject({ status: 'up', sys: { name: 'ACCESS-SW-07', object_id: '1.3.6.1.4.1.9.1.1208' }, organization: { id: 'unassigned' } });
});

it('sees a link that went down and came back between two polls through ifLastChange, and counts the changes', async () => {
  const bootedAt = Date.now() - 86_400_000; // up a day
  const uptimeNow = (): number => Math.floor((Date.now() - bootedAt) / 10);
  agent = await ScriptedAgent.start('ACCESS-SW-08', [
    { index: 12, name: 'Gi1/0/12', speed: 1_000_000_000, highSpeed: 1000, admin: 1, oper: 1, lastChange: 4_200, inOctets32: 0, outOctets32: 0, inErrors: 0, inDiscards: 0, hcInOctets: 0n, hcOutOctets: 0n, hc: true },
  ], uptimeNow());
  const sink = new RecordingSink();
  poller = createSnmpPoller(
    {
      sink,
      agencies: new AgencyResolver([]),
      metrics: new Metrics({ defaultMetrics: false }),
      logger: silentLogger,
      devices: configDeviceSource([{ name: 'access-sw-08', address: '127.0.0.1', port: agent.port, tags: [], interfaces: { '12': { tags: ['access'] } }, snmp: { version: '2c', community: 'any' } }], 3600),
    },
    snmpPollerConfigSchema.parse({ spreadStart: false, timeoutMs: 500, retries: 0 }),
  );
  await poller.start();
  const poll = async (): Promise<void> => {
    agent?.setUptime(uptimeNow());
    await poller?.pollNow('access-sw-08');
  };
  const changes = (): Array<[string | undefined, unknown]> => sink.events.filter((e) => e.event.kind === 'state').map((e) => [e.event.action, (e.snmp as { interface?: { changes?: number } }).interface?.changes]);

  await poll();
  await sleep(100);
  // Down and up again between the polls: ifOperStatus is "up" at both, ifLastChange is new.
  agent.update(12, { lastChange: uptimeNow() });
  await sleep(50);
  await poll();
  expect(changes()).toEqual([['interface-flapped', 2]]);
  expect(sink.events[0]).toMatchObject({ snmp: { interface: { oper_status: 'up', previous_oper_status: 'up', admin_status: 'up', tags: ['access'] } } });

  // Nothing new: no event. Then a plain down: one change.
  await poll();
  expect(changes()).toHaveLength(1);
  agent.update(12, { oper: 2, lastChange: uptimeNow() });
  await poll();
  expect(changes()).toEqual([['interface-flapped', 2], ['interface-down', 1]]);
});
