/** The benchmark's fast agent answers the real poller (net-snmp client) correctly, with GET and GETBULK walks. */
import { Metrics } from '../../../core/metrics';
import { AgencyResolver } from '../../../core/tenancy';
import { snmpPollerConfigSchema } from '../config';
import { configDeviceSource } from '../poll/device-source';
import { createSnmpPoller, type SnmpPoller } from '../poll/poller';
import { startFastAgent, type FastAgent } from './fast-agent';
import { RecordingSink, silentLogger } from './recording-sink';

let agent: FastAgent | undefined;
let poller: SnmpPoller | undefined;
afterEach(async () => {
  await poller?.stop();
  agent?.close();
});

it('serves the system group and 130 interfaces (walks across GETBULK pages) to the poller', async () => {
  agent = await startFastAgent('SIM-SW-1', 130);
  poller = createSnmpPoller(
    {
      sink: new RecordingSink(),
      agencies: new AgencyResolver([]),
      metrics: new Metrics({ defaultMetrics: false }),
      logger: silentLogger,
      devices: configDeviceSource([{ name: 'sim', address: '127.0.0.1', port: agent.port, tags: [], snmp: { version: '2c', community: 'public' } }], 3600),
    },
    snmpPollerConfigSchema.parse({ spreadStart: false, timeoutMs: 500, retries: 0 }),
  );
  await poller.start();
  await poller.pollNow('sim');
  await new Promise((r) => setTimeout(r, 1100));
  await poller.pollNow('sim');
  const d = poller.device('sim');
  expect(d).toMatchObject({ status: 'up', sys: { name: 'SIM-SW-1', object_id: '1.3.6.1.4.1.9.1.1208', location: 'Rack B3' } });
  expect(d?.sys.uptime_s).toBeGreaterThan(3599);
  expect(d?.interfaces).toHaveLength(130);
  expect(d?.interfaces[0]).toMatchObject({ index: 1, name: 'Gi1/0/1', descr: 'GigabitEthernet1/0/1', alias: 'Uplink to core', speed_bps: 1e9, admin_status: 'up', oper_status: 'up' });
  expect(d?.interfaces[6].oper_status).toBe('down');
  expect(d?.interfaces[129].name).toBe('Gi1/0/130');
  // Static counters: a rate of zero, not a restart.
  expect(d?.interfaces[0].in_bps).toBe(0);
});
