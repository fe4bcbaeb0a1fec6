/**
 * The flow collector end to end on loopback: real exporter datagrams replayed over UDP, IPFIX framed over
 * TCP, garbage, and a full pipeline queue.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import pino from 'pino';
import { Metrics } from '../../core/metrics';
import { AgencyResolver } from '../../core/tenancy';
import { waitUntil } from '../syslog/listen/testing/recorder';
import { netflowConfigSchema, type NetflowConfig } from './config';
import { createFlowCollector, type FlowCollector } from '.';
import { decodeFlowPacket, FlowTemplateCache } from './decode';
import { readCapture, readExpected, type CaptureName } from './testdata/captures';
import { counterDatagram } from './testing/datagrams';
import { RecordingSink } from './testing/sink';

const agencies = new AgencyResolver([
  { id: 'so-gtvt', name: 'Sở Giao thông Vận tải', cidrs: ['10.0.0.0/24'] },
  { id: 'so-tnmt', name: 'Sở Tài nguyên và Môi trường', cidrs: [] },
]);

const running: FlowCollector[] = [];
const clients: Array<UdpSocket | Socket> = [];

function config(extra: Partial<NetflowConfig> = {}): NetflowConfig {
  return netflowConfigSchema.parse({
    listeners: [
      { name: 'udp-test', transport: 'udp', host: '127.0.0.1', port: 0, agency: 'so-tnmt' },
      { name: 'tcp-test', transport: 'tcp', host: '127.0.0.1', port: 0 },
    ],
    // Every flow as an event: these tests compare decoded flows with nfdump's (correlation-filter.test.ts covers the selection).
    correlation: { flows: 'all' },
    ...extra,
  });
}

async function startCollector(sink = new RecordingSink(), cfg = config()) {
  const metrics = new Metrics({ defaultMetrics: false });
  const collector = createFlowCollector({ sink, agencies, metrics, logger: pino({ level: 'silent' }) }, cfg);
  await collector.start();
  running.push(collector);
  const port = (name: string): number => {
    const l = collector.listeners().find((x) => x.name === name);
    if (!l) throw new Error(`no listener ${name}`);
    return l.address().port;
  };
  return { collector, sink, metrics, udpPort: port('udp-test'), tcpPort: port('tcp-test'), udp: metrics.input('netflow/udp-test'), tcp: metrics.input('netflow/tcp-test') };
}

async function sendDatagrams(port: number, datagrams: Buffer[]): Promise<void> {
  const s = createSocket('udp4');
  clients.push(s);
  for (const d of datagrams) {
    await new Promise<void>((resolve, reject) => s.send(d, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  }
}

function openTcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
    clients.push(s);
  });
}

async function writeAll(s: Socket, chunks: Buffer[]): Promise<void> {
  for (const c of chunks) {
    await new Promise<void>((resolve, reject) => s.write(c, (err) => (err ? reject(err) : resolve())));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** nfdump's totals for a capture (expected/<capture>.nfdump.csv). */
function nfdumpTotals(name: string): { flows: number; packets: number; bytes: number } {
  const rows = readExpected(`${name}.nfdump.csv`).trim().split('\n').slice(1);
  let packets = 0;
  let bytes = 0;
  for (const r of rows) {
    const c = r.split(',');
    packets += Number(c[7]);
    bytes += Number(c[8]);
  }
  return { flows: rows.length, packets, bytes };
}

function totals(events: RecordingSink['events']): { flows: number; packets: number; bytes: number } {
  let packets = 0;
  let bytes = 0;
  for (const e of events) {
    packets += e.network?.packets ?? 0;
    bytes += e.network?.bytes ?? 0;
  }
  return { flows: events.length, packets, bytes };
}

afterEach(async () => {
  for (const c of clients.splice(0)) {
    if ('destroy' in c) c.destroy();
    else c.close();
  }
  for (const c of running.splice(0)) await c.stop();
});

describe('UDP: real exporter datagrams replayed to the listener', () => {
  test.each<CaptureName>(['softflowd-v5', 'softflowd-v9', 'softflowd-ipfix', 'pmacct-v9', 'pmacct-ipfix'])('%s: the flows nfdump decodes, as ECS events', async (name) => {
    const { sink, udpPort, udp } = await startCollector();
    const datagrams = readCapture(name);
    const expected = nfdumpTotals(name);
    await sendDatagrams(udpPort, datagrams);
    await waitUntil(`${expected.flows} events`, () => sink.events.length >= expected.flows);
    expect(totals(sink.events)).toEqual(expected);
    expect([udp.received, udp.parsed, udp.totalFailed(), udp.totalDropped()]).toEqual([datagrams.length, expected.flows, 0, 0]);
    for (const e of sink.events) {
      expect(e.event).toMatchObject({ kind: 'event', category: ['network'], type: ['connection'], dataset: 'netflow.flow' });
      expect(e.observer?.ip).toEqual(['127.0.0.1']);
      // 10.0.0.0/24 is so-gtvt's; everything else falls back to the listener's agency.
      const src = e.source?.ip ?? '';
      const dst = e.destination?.ip ?? '';
      const owner = src.startsWith('10.0.0.') || dst.startsWith('10.0.0.') ? 'so-gtvt' : 'so-tnmt';
      expect(e.organization?.id).toBe(owner);
    }
  });

  test('pmacct sFlow: 682 sampled packets as sflow.flow events, and a counter sample as a metric event', async () => {
    const { sink, udpPort, udp } = await startCollector();
    await sendDatagrams(udpPort, [...readCapture('pmacct-sflow'), counterDatagram('127.0.0.1', 4, true)]);
    await waitUntil('683 events', () => sink.events.length >= 683);
    const flows = sink.events.filter((e) => e.event.dataset === 'sflow.flow');
    const counters = sink.events.filter((e) => e.event.dataset === 'sflow.counters');
    expect(totals(flows)).toEqual({ flows: 682, packets: 682, bytes: 198_140 });
    expect(counters).toHaveLength(1);
    expect(counters[0]).toMatchObject({ event: { kind: 'metric' }, interface: { id: '4' }, organization: { id: 'so-tnmt' }, sflow: { in: { octets: 9_000_000_000_000 } } });
    expect([udp.received, udp.parsed]).toEqual([94, 683]);
  });

  test('per-format packet and record counters and template state reach /metrics', async () => {
    const { sink, udpPort, metrics } = await startCollector();
    await sendDatagrams(udpPort, [...readCapture('softflowd-v9'), ...readCapture('pmacct-sflow')]);
    await waitUntil('events', () => sink.events.length >= 230 + 682);
    const text = await metrics.registry.metrics();
    expect(text).toContain('socnoc_flow_packets_total{input="netflow/udp-test",format="netflow_v9"} 9');
    expect(text).toContain('socnoc_flow_packets_total{input="netflow/udp-test",format="sflow_v5"} 93');
    expect(text).toContain('socnoc_flow_records_total{input="netflow/udp-test",format="netflow_v9"} 230');
    // As many templates as decoding the v9 capture alone learns (sFlow has none).
    const reference = new FlowTemplateCache();
    for (const p of readCapture('softflowd-v9')) decodeFlowPacket(p, { exporter: '127.0.0.1', receivedMs: Date.now() }, reference);
    expect(reference.stats.templates).toBeGreaterThan(0);
    expect(text).toContain(`socnoc_flow_templates ${reference.stats.templates}`);
    expect(text).toContain(`socnoc_flow_template_events_total{event="learned"} ${reference.stats.templatesLearned}`);
    expect(text).toContain('socnoc_input_parsed_total{input="netflow/udp-test"} 912');
  });
});

describe('IPFIX over TCP', () => {
  test('the softflowd IPFIX capture as one stream cut at awkward points: every flow, templates per session', async () => {
    const { sink, tcpPort, tcp, metrics } = await startCollector();
    const messages = readCapture('softflowd-ipfix');
    const whole = Buffer.concat(messages);
    // Cut inside the first header, one byte before the template set ends, mid-record, and 1-byte crumbs.
    const cuts = [2, 17, messages[0].length - 1, messages[0].length + 1, messages[0].length + 3, 777, 778, 2049, whole.length - 5];
    const chunks: Buffer[] = [];
    let from = 0;
    for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
      chunks.push(whole.subarray(from, cut));
      from = cut;
    }
    chunks.push(whole.subarray(from));
    const s = await openTcp(tcpPort);
    await writeAll(s, chunks);
    const expected = nfdumpTotals('softflowd-ipfix');
    await waitUntil('230 events', () => sink.events.length >= expected.flows, 3000, () => `${sink.events.length} events, received ${tcp.received}, failed ${JSON.stringify([...tcp.failed])}`);
    expect(totals(sink.events)).toEqual(expected);
    expect([tcp.received, tcp.parsed, tcp.totalFailed(), tcp.totalDropped()]).toEqual([messages.length, expected.flows, 0, 0]);
    expect(sink.events[0].organization?.id).toBe('so-gtvt');
    expect(await metrics.registry.metrics()).toMatch(/socnoc_flow_templates [1-9]/);
    // RFC 7011 s8: the session's templates end with it.
    s.end();
    await pollAsync('templates forgotten', async () => (await metrics.registry.metrics()).includes('socnoc_flow_templates 0'));
  });

  test('garbage on the stream closes that connection, counted; data before it is kept', async () => {
    const { sink, tcpPort, tcp } = await startCollector();
    const messages = readCapture('pmacct-ipfix');
    const s = await openTcp(tcpPort);
    const gone = new Promise<void>((resolve) => s.once('close', () => resolve()));
    await writeAll(s, [Buffer.concat([...messages.slice(0, 10), Buffer.from('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 TLS hello')])]);
    await gone;
    await waitUntil('failure counted', () => tcp.failed.get('tcp_framing_lost') === 1);
    expect(tcp.received).toBe(10);
    expect(sink.events.length).toBeGreaterThan(0);
  });
});

async function pollAsync(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('malformed input', () => {
  test('garbage datagrams are counted per reason and the listener keeps decoding', async () => {
    const { sink, udpPort, udp } = await startCollector();
    const v9 = readCapture('softflowd-v9');
    const garbage = [
      Buffer.from('hello, I am not a flow'), // bad_version
      Buffer.from([0, 5]), // truncated: no version word
      v9[1].subarray(0, 30), // truncated: a flowset announcing 1348 bytes
      Buffer.concat([Buffer.from([0, 10, 0xff, 0xff]), Buffer.alloc(40)]), // truncated: IPFIX length 65535, 44 received
      Buffer.alloc(0), // truncated: empty datagram
      Buffer.from([0, 0, 0, 5, 0, 0, 0, 9]), // bad_length: sFlow agent address type 9
    ];
    await sendDatagrams(udpPort, garbage);
    await waitUntil('garbage received', () => udp.received === garbage.length);
    expect(sink.events).toHaveLength(0);
    expect(Object.fromEntries(udp.failed)).toEqual({ bad_version: 1, truncated: 4, bad_length: 1 });
    await sendDatagrams(udpPort, v9);
    await waitUntil('230 flows', () => sink.events.length === 230);
    expect(udp.totalFailed()).toBe(6);
  });
});

describe('a full pipeline queue', () => {
  test('UDP: what the queue refuses is dropped and counted, per flow', async () => {
    const { sink, udpPort, udp } = await startCollector(new RecordingSink(50));
    await sendDatagrams(udpPort, readCapture('softflowd-v9'));
    await waitUntil('all datagrams', () => udp.received === 9);
    expect(sink.events).toHaveLength(50);
    expect(udp.parsed).toBe(50);
    expect(Object.fromEntries(udp.dropped)).toEqual({ queue_full: 180 });
  });

  test('UDP receive thread: datagrams beyond its in-flight bound are counted as dropped for the input', async () => {
    const { collector, udpPort, udp } = await startCollector(new RecordingSink(), config({ receiveThreadMaxBytes: 65_536 }));
    const s = createSocket('udp4');
    clients.push(s);
    // Connected first: sends with an address wait for a lookup on the next tick, after the held stretch.
    await new Promise<void>((resolve) => s.connect(udpPort, '127.0.0.1', resolve));
    const payload = Buffer.alloc(1000, 0);
    // Sent while the main thread is held, as by a long minute close: nothing is acknowledged meanwhile.
    for (let i = 0; i < 300; i++) {
      s.send(payload);
      if (i % 50 === 49) for (const until = Date.now() + 15; Date.now() < until; );
    }
    for (const until = Date.now() + 100; Date.now() < until; );
    await waitUntil('the held batches', () => udp.received > 0);
    await collector.stop();
    const dropped = udp.dropped.get('receive_thread_full') ?? 0;
    expect(dropped).toBeGreaterThan(150);
    expect(udp.received + dropped).toBe(300);
  });

  test('TCP: the connection pauses until the pipeline drains and nothing is lost', async () => {
    const sink = new RecordingSink(40);
    const { tcpPort, tcp } = await startCollector(sink);
    const messages = readCapture('pmacct-ipfix');
    const s = await openTcp(tcpPort);
    await writeAll(s, [Buffer.concat(messages)]);
    await waitUntil('queue full', () => sink.refused > 0 && sink.events.length === 40);
    while (sink.events.length < 230) {
      const before = sink.events.length;
      sink.grow(25);
      await waitUntil('progress', () => sink.events.length > before || sink.events.length === 230, 5000);
    }
    expect(totals(sink.events)).toEqual(nfdumpTotals('pmacct-ipfix'));
    expect([tcp.received, tcp.parsed, tcp.totalDropped(), tcp.totalFailed()]).toEqual([messages.length, 230, 0, 0]);
  });
});

describe('configuration', () => {
  test('disabled: start binds nothing', async () => {
    const collector = createFlowCollector(
      { sink: new RecordingSink(), agencies, metrics: new Metrics({ defaultMetrics: false }), logger: pino({ level: 'silent' }) },
      { ...config(), enabled: false },
    );
    await collector.start();
    expect(collector.listeners()).toEqual([]);
    await collector.stop();
  });

  test('a port already in use fails start, naming the listener, and leaves nothing bound', async () => {
    const { udpPort } = await startCollector();
    const clash = netflowConfigSchema.parse({
      listeners: [
        { name: 'tcp-ok', transport: 'tcp', host: '127.0.0.1', port: 0 },
        { name: 'udp-clash', transport: 'udp', host: '127.0.0.1', port: udpPort },
      ],
    });
    const collector = createFlowCollector({ sink: new RecordingSink(), agencies, metrics: new Metrics({ defaultMetrics: false }), logger: pino({ level: 'silent' }) }, clash);
    await expect(collector.start()).rejects.toThrow(/netflow udp listener "udp-clash" on 127\.0\.0\.1:\d+: cannot bind: .*EADDRINUSE/);
    expect(collector.listeners()).toEqual([]);
  });
});
