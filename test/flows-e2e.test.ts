/**
 * Flows end to end through `socnoc start` (embedded default): Debian softflowd reads the repository's
 * capture and exports NetFlow v9 through nfcapd, which decodes it and repeats every datagram to socnoc
 * (-R), so nfdump and socnoc see the same stream; a crafted NetFlow v9 port scan from a second exporter
 * address follows. When the minute closes: GET /api/v1/flows/top gives nfdump's bytes per source
 * address, /flows/timeseries the same total, and the scan raises alerts through /api/v1/alerts (the
 * per-minute summary rule and the per-flow correlation). Flows published for detection only are not
 * counted as stored. Needs `apt-get install softflowd nfdump`; never skipped.
 */
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { testdataDir } from '../collectors/netflow/testdata/captures';
import { FlowCorrelationFilter } from '../collectors/netflow/correlation-filter';
import { netflowConfigSchema } from '../collectors/netflow/config';
import { softflowdExport, startNfcapdOnFreePort, type NfdumpFlow } from '../collectors/netflow/testing/peers';
import { netflowV9Datagrams, type V9Flow } from '../collectors/netflow/testing/v9-datagrams';
import type { EcsEvent } from '../core/event';
import { ADMIN_PASSWORD, startTestSocnoc, type TestSocnoc } from './support/socnoc';

const PCAP = join(testdataDir(), 'traffic.pcap');
const SCAN_EXPORTER = '127.0.0.2';
const SCANNER = '198.51.100.66';
const TARGET = '10.66.0.80';
/** rules/sigma/socnoc/flow/net_flow_summary_port_scan.yml and mr_net_flow_port_scan.yml */
const SUMMARY_PORT_SCAN_RULE = 'a66acce7-1030-4330-b286-f2d11408d1eb';
const FLOW_PORT_SCAN_RULE = '13ad1547-ba4d-4852-a3f6-45184e6b34ad';

interface TopRow {
  key: string;
  bytes: number;
  packets: number;
  flows: number;
}
interface AlertList {
  alerts: Array<{ rule: { id: string; name: string }; mappings: { attack: { techniques: string[] } }; group: Record<string, string>; events: EcsEvent[] }>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** nfdump's bytes, packets and flows per source address, largest first. */
function perSource(flows: readonly NfdumpFlow[]): TopRow[] {
  const by = new Map<string, TopRow>();
  for (const f of flows) {
    const row = by.get(f.src) ?? { key: f.src, bytes: 0, packets: 0, flows: 0 };
    row.bytes += f.bytes;
    row.packets += f.packets;
    row.flows++;
    by.set(f.src, row);
  }
  return [...by.values()].sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key));
}

async function sendFrom(address: string, port: number, datagrams: readonly Buffer[]): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => resolve());
  });
  for (const d of datagrams) await new Promise<void>((resolve, reject) => socket.send(d, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  socket.close();
}

describe('flows end to end', () => {
  let s: TestSocnoc;
  let admin: string;
  let flowPort: number;

  beforeAll(async () => {
    s = await startTestSocnoc({
      netflow: {
        listeners: [{ name: 'udp-e2e', transport: 'udp', host: '127.0.0.1', port: 0 }],
        // Written as soon as the minute ends (the collector checks every 5 s).
        aggregate: { graceSeconds: 0 },
      },
    });
    admin = await s.login('admin', ADMIN_PASSWORD);
    const listener = s.running.netflow.listeners().find((l) => l.name === 'udp-e2e');
    if (listener === undefined) throw new Error('the netflow listener udp-e2e did not start');
    flowPort = listener.address().port;
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('softflowd through nfcapd: top talkers and time series equal nfdump; a scan raises alerts', async () => {
    const started = Date.now();
    const nfcapd = await startNfcapdOnFreePort({ host: '127.0.0.1', port: flowPort });
    let nfdump: NfdumpFlow[];
    try {
      const run = await softflowdExport(PCAP, `127.0.0.1:${nfcapd.port}`, ['-v', '9', '-6']);
      expect(run.output).toMatch(/Flows exported: \d+ \(230 records\)/);
    } finally {
      nfdump = await nfcapd.flows();
    }
    expect(nfdump).toHaveLength(230);
    const expected = perSource(nfdump);
    const totalBytes = expected.reduce((n, r) => n + r.bytes, 0);
    expect(totalBytes).toBe(186_392);

    // A vertical scan: 300 ports of one host, one SYN each, exported by another router. The flows end at
    // the export time, so they fall in the open minute: a minute already closed would take them as late
    // rows, which are stored but not summarized again.
    const now = Date.now();
    const scan: V9Flow[] = Array.from({ length: 300 }, (_, i) => ({
      src: SCANNER, dst: TARGET, srcPort: 45_000 + i, dstPort: 1 + i, protocol: 6, bytes: 44, packets: 1, firstMs: now - 500, lastMs: now, inIf: 2, outIf: 5, tcpFlags: 0x02,
    }));
    await sendFrom(SCAN_EXPORTER, flowPort, netflowV9Datagrams(scan, { bootMs: now - 86_400_000, exportMs: now }));

    // The minutes holding the flows close at the next minute boundary (grace 0) plus one 5 s check.
    const from = new Date(started - 120_000).toISOString();
    let top: TopRow[];
    const deadline = Date.now() + 100_000;
    for (;;) {
      const res = await s.get<{ top: TopRow[] }>(`/api/v1/flows/top?by=source.ip&exporter=127.0.0.1&limit=1000&from=${from}&to=now%2B1h`, admin);
      expect(res.status).toBe(200);
      top = res.body.top;
      if (top.reduce((n, r) => n + r.bytes, 0) >= totalBytes || Date.now() > deadline) break;
      await sleep(1000);
    }
    // Every source with nfdump's bytes, packets and flows (ties in bytes may come in either order).
    const byKey = (rows: TopRow[]): TopRow[] => [...rows].sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key));
    expect(byKey(top)).toEqual(expected);

    const series = await s.get<{ series: Array<{ bytes: number; packets: number; flows: number }> }>(`/api/v1/flows/timeseries?exporter=127.0.0.1&from=${from}&to=now%2B1h&interval=1m`, admin);
    expect(series.status).toBe(200);
    expect(series.body.series.reduce((n, p) => n + p.bytes, 0)).toBe(totalBytes);
    expect(series.body.series.reduce((n, p) => n + p.flows, 0)).toBe(230);

    const scanTop = await s.get<{ top: TopRow[] }>(`/api/v1/flows/top?by=source.ip&exporter=${SCAN_EXPORTER}&from=${from}&to=now%2B1h`, admin);
    expect(scanTop.body.top).toEqual([{ key: SCANNER, bytes: 300 * 44, packets: 300, flows: 300 }]);

    // Alerts: the minute's summary (300 distinct ports) and the per-flow correlation (50 ports of one host in 2 min).
    let alerts: AlertList['alerts'];
    const alertDeadline = Date.now() + 30_000;
    for (;;) {
      alerts = (await s.get<AlertList>(`/api/v1/alerts?rule=${SUMMARY_PORT_SCAN_RULE},${FLOW_PORT_SCAN_RULE}&limit=100`, admin)).body.alerts;
      if (alerts.length >= 2 || Date.now() > alertDeadline) break;
      await sleep(250);
    }
    const summaryAlert = alerts.find((a) => a.rule.id === SUMMARY_PORT_SCAN_RULE);
    expect(summaryAlert?.group).toEqual({ 'source.ip': SCANNER });
    expect(summaryAlert?.mappings.attack.techniques).toContain('T1046');
    expect(summaryAlert?.events[0]).toMatchObject({
      event: { dataset: 'netflow.summary', action: 'source_activity' },
      source: { ip: SCANNER },
      observer: { ip: [SCAN_EXPORTER] },
      netflow: { summary: { distinct_destination_ports: 300, distinct_destination_hosts: 1, flows: 300 } },
    });
    const flowAlert = alerts.find((a) => a.rule.id === FLOW_PORT_SCAN_RULE);
    expect(flowAlert?.group).toMatchObject({ 'source.ip': SCANNER, 'destination.ip': TARGET });
    // softflowd's traffic (ordinary sessions) raised no scan alert.
    expect(alerts.filter((a) => a.group['source.ip'] !== SCANNER)).toEqual([]);

    // Flows went to detection but not to the store: stored counts only what the store keeps.
    const metrics = (await s.get<string>('/metrics', admin)).body;
    expect(metrics).toContain('socnoc_input_stored_total{input="netflow/udp-e2e"} 0');
    // Published for detection: the flows a flow rule can match (netflow.correlation.flows: matching): the
    // 300 one-packet probes and softflowd's flows the default selection takes; the rest only skipped.
    const selection = new FlowCorrelationFilter(netflowConfigSchema.parse({}).correlation);
    const selected = 300 + nfdump.filter((f) => selection.matches(f.protocol, f.dstPort, f.packets, f.bytes)).length;
    expect(metrics).toContain(`socnoc_flow_correlated_total{input="netflow/udp-e2e"} ${selected}`);
    expect(metrics).toContain(`socnoc_flow_correlation_skipped_total ${530 - selected}`);
    expect(metrics).toMatch(/socnoc_input_stored_total\{input="netflow\/summary"\} [1-9]/);
    const storedFlows = await s.get<{ events: EcsEvent[] }>('/api/v1/events?q=event.dataset:netflow.flow&limit=10', admin);
    expect(storedFlows.body.events).toEqual([]);
  }, 180_000);
});
