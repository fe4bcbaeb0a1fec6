/**
 * A live exporter: Debian softflowd reads testdata/traffic.pcap (690 packets, 230 unidirectional flows) and
 * exports to the collector on loopback, as NetFlow v5, NetFlow v9 and IPFIX over TCP. For v9 the datagrams
 * go through nfcapd first, which decodes them and repeats each one to the collector (-R): both decode the
 * same stream, and the totals must agree. softflowd and nfdump must be installed; these tests never skip.
 */
import { join } from 'node:path';
import pino from 'pino';
import { Metrics } from '../../core/metrics';
import { AgencyResolver } from '../../core/tenancy';
import { waitUntil } from '../syslog/listen/testing/recorder';
import { netflowConfigSchema } from './config';
import { createFlowCollector, type FlowCollector } from '.';
import { testdataDir } from './testdata/captures';
import { softflowdExport, startNfcapdOnFreePort } from './testing/peers';
import { RecordingSink } from './testing/sink';

const PCAP = join(testdataDir(), 'traffic.pcap');
const running: FlowCollector[] = [];

async function startCollector() {
  const sink = new RecordingSink();
  const metrics = new Metrics({ defaultMetrics: false });
  const cfg = netflowConfigSchema.parse({
    listeners: [
      { name: 'udp-live', transport: 'udp', host: '127.0.0.1', port: 0 },
      { name: 'tcp-live', transport: 'tcp', host: '127.0.0.1', port: 0 },
    ],
    // Every flow as an event, to count them against nfdump.
    correlation: { flows: 'all' },
  });
  const collector = createFlowCollector({ sink, agencies: new AgencyResolver([]), metrics, logger: pino({ level: 'silent' }) }, cfg);
  await collector.start();
  running.push(collector);
  const port = (name: string): number => collector.listeners().find((l) => l.name === name)?.address().port ?? 0;
  return { sink, metrics, udpPort: port('udp-live'), tcpPort: port('tcp-live') };
}

function totals(sink: RecordingSink): { flows: number; packets: number; bytes: number } {
  let packets = 0;
  let bytes = 0;
  for (const e of sink.events) {
    packets += e.network?.packets ?? 0;
    bytes += e.network?.bytes ?? 0;
  }
  return { flows: sink.events.length, packets, bytes };
}

/** softflowd's own summary line: "Flows exported: 170 (230 records) in 9 packets (0 failures)". */
function exportedRecords(output: string): number {
  const m = /Flows exported: \d+ \((\d+) records\) in (\d+) packets \((\d+) failures\)/.exec(output);
  if (!m) throw new Error(`softflowd printed no export summary: ${output}`);
  expect(Number(m[3])).toBe(0);
  return Number(m[1]);
}

afterEach(async () => {
  for (const c of running.splice(0)) await c.stop();
});

describe('softflowd exporting a pcap to the collector', () => {
  test('NetFlow v9 with IPv6, through nfcapd: the same totals as nfdump on the same stream', async () => {
    const { sink, metrics, udpPort } = await startCollector();
    const nfcapd = await startNfcapdOnFreePort({ host: '127.0.0.1', port: udpPort });
    let nfdump;
    try {
      const run = await softflowdExport(PCAP, `127.0.0.1:${nfcapd.port}`, ['-v', '9', '-6']);
      expect(exportedRecords(run.output)).toBe(230);
      await waitUntil('230 events', () => sink.events.length >= 230);
    } finally {
      nfdump = await nfcapd.totals();
    }
    expect(nfdump).toEqual({ flows: 230, packets: 690, bytes: 186_392 });
    expect(totals(sink)).toEqual(nfdump);
    const stats = metrics.input('netflow/udp-live');
    expect([stats.totalFailed(), stats.totalDropped()]).toEqual([0, 0]);
    expect(sink.events.filter((e) => e.network?.type === 'ipv6')).toHaveLength(60);
    expect(sink.events.every((e) => e.netflow !== undefined && (e.netflow as { exporter: { version: number } }).exporter.version === 9)).toBe(true);
  });

  test('IPFIX over TCP (-P tcp): every flow, nothing failed', async () => {
    const { sink, metrics, tcpPort } = await startCollector();
    const run = await softflowdExport(PCAP, `127.0.0.1:${tcpPort}`, ['-v', '10', '-6', '-P', 'tcp']);
    expect(exportedRecords(run.output)).toBe(230);
    await waitUntil('230 events', () => sink.events.length >= 230);
    expect(totals(sink)).toEqual({ flows: 230, packets: 690, bytes: 186_392 });
    const stats = metrics.input('netflow/tcp-live');
    expect(stats.received).toBeGreaterThan(0);
    expect([stats.totalFailed(), stats.totalDropped()]).toEqual([0, 0]);
    for (const e of sink.events) {
      expect(e.netflow).toMatchObject({ exporter: { format: 'ipfix', version: 10 } });
      // softflowd -r without -a stamps flows from its own clock: times must still be real dates in order.
      expect(Date.parse(e.event.start ?? '')).toBeLessThanOrEqual(Date.parse(e.event.end ?? ''));
    }
  });

  test('NetFlow v5 over UDP: IPv4 only, as nfdump counted it for the committed capture', async () => {
    const { sink, udpPort } = await startCollector();
    const run = await softflowdExport(PCAP, `127.0.0.1:${udpPort}`, ['-v', '5']);
    expect(exportedRecords(run.output)).toBe(170);
    await waitUntil('170 events', () => sink.events.length >= 170);
    expect(totals(sink)).toEqual({ flows: 170, packets: 630, bytes: 182_472 });
    expect(sink.events.every((e) => e.network?.type === 'ipv4')).toBe(true);
  });
});
