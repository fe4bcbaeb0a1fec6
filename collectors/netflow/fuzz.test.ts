/**
 * Robustness past the decoders: mutated real packets decoded AND normalized must give events that store
 * (JSON-serializable, valid @timestamp, no NaN), and random or mutated traffic on the flow sockets must
 * change nothing but the failure counters: the collector keeps running and decodes the next real stream.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import pino from 'pino';
import type { EcsEvent } from '../../core/event';
import { Metrics } from '../../core/metrics';
import { AgencyResolver } from '../../core/tenancy';
import { waitUntil } from '../syslog/listen/testing/recorder';
import { netflowConfigSchema } from './config';
import { createFlowCollector } from '.';
import { decodeFlowPacket, FlowTemplateCache } from './decode';
import { FlowNormalizer } from './normalize';
import { NETFLOW_CAPTURES, SFLOW_CAPTURES, readCapture } from './testdata/captures';
import { mutate, prng } from './testing/prng';
import { RecordingSink } from './testing/sink';

const agencies = new AgencyResolver([{ id: 'so-gtvt', name: 'Sở GTVT', cidrs: ['10.0.0.0/8', '2001:db8::/32'] }]);
const CAPTURES = [...NETFLOW_CAPTURES, ...SFLOW_CAPTURES].map((name) => readCapture(name));

/** Why an event could not be stored or queried as is; null when it can. */
function unstorable(e: EcsEvent): string | null {
  const json = JSON.stringify(e);
  if (json.includes('NaN') || json.includes('null') || json.includes('undefined') || json.includes('Infinity')) return `bad value in ${json}`;
  for (const t of [e['@timestamp'], e.event.start, e.event.end, e.event.created]) {
    if (t === undefined || Number.isNaN(Date.parse(t)) || new Date(Date.parse(t)).toISOString() !== t) return `bad time ${String(t)}`;
  }
  if (e.organization?.id === undefined) return 'no organization';
  return null;
}

test('12,000 mutated packets, decoded and normalized: every event is storable', () => {
  const rand = prng(0xf10f);
  const n = new FlowNormalizer({ agencies, internalNetworks: ['192.168.0.0/16'] });
  const cache = new FlowTemplateCache();
  let events = 0;
  for (let i = 0; i < 12_000; i++) {
    const capture = CAPTURES[i % CAPTURES.length];
    // Keep templates flowing so that data sets are decoded, not just dropped for lack of a template.
    const packet = i % 3 === 0 ? capture[i % capture.length] : mutate(capture[Math.floor(rand() * capture.length)], rand);
    const now = 1_700_000_000_000 + i;
    const r = decodeFlowPacket(packet, { exporter: '192.0.2.1', receivedMs: now }, cache);
    const ctx = n.packetContext('192.0.2.1', now);
    for (const f of r.flows) {
      const bad = unstorable(n.flowEvent(f, ctx));
      if (bad !== null) throw new Error(`${bad} from ${packet.toString('hex')}`);
      events++;
    }
    for (const c of r.counters) {
      const bad = unstorable(n.counterEvent(c, ctx));
      if (bad !== null) throw new Error(`${bad} from ${packet.toString('hex')}`);
      events++;
    }
  }
  expect(events).toBeGreaterThan(10_000);
});

test('random and mutated traffic on the UDP and TCP ports: counted, and the next real stream still decodes', async () => {
  const sink = new RecordingSink();
  const metrics = new Metrics({ defaultMetrics: false });
  const config = netflowConfigSchema.parse({
    listeners: [
      { name: 'udp-fuzz', transport: 'udp', host: '127.0.0.1', port: 0 },
      { name: 'tcp-fuzz', transport: 'tcp', host: '127.0.0.1', port: 0 },
    ],
    correlation: { flows: 'all' },
  });
  const collector = createFlowCollector({ sink, agencies, metrics, logger: pino({ level: 'silent' }) }, config);
  await collector.start();
  try {
    const [udpPort, tcpPort] = collector.listeners().map((l) => l.address().port);
    const udp = metrics.input('netflow/udp-fuzz');
    const tcp = metrics.input('netflow/tcp-fuzz');
    const rand = prng(7);
    const s = createSocket('udp4');
    const datagrams: Buffer[] = [];
    for (let i = 0; i < 1500; i++) {
      const capture = CAPTURES[i % CAPTURES.length];
      datagrams.push(i % 5 === 0 ? Buffer.from(Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256))) : mutate(capture[i % capture.length], rand));
    }
    for (let i = 0; i < datagrams.length; i++) {
      await new Promise<void>((resolve, reject) => s.send(datagrams[i], udpPort, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
      if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 5)); // let the loopback buffer drain
    }
    await waitUntil('every datagram received', () => udp.received === datagrams.length);
    expect(udp.failed.get('handler_error')).toBeUndefined();
    expect(udp.totalFailed()).toBeGreaterThan(0);
    for (const e of sink.events) expect(unstorable(e)).toBeNull();

    // TCP: 20 connections of mutated IPFIX streams; each ends by itself (framing lost or peer close).
    const ipfix = readCapture('pmacct-ipfix');
    for (let c = 0; c < 20; c++) {
      const stream = Buffer.concat(ipfix.map((m) => (rand() < 0.2 ? mutate(m, rand) : m)));
      await new Promise<void>((resolve) => {
        const sock = connect(tcpPort, '127.0.0.1', () => sock.end(stream));
        sock.on('error', () => resolve());
        sock.on('close', () => resolve());
      });
    }
    await waitUntil('tcp sessions over', () => tcp.received > 0);
    expect(tcp.failed.get('handler_error')).toBeUndefined();

    // The listeners still work: a clean capture decodes completely.
    sink.events.length = 0;
    const v5 = readCapture('softflowd-v5');
    for (const d of v5) await new Promise<void>((resolve) => s.send(d, udpPort, '127.0.0.1', () => resolve()));
    await waitUntil('170 flows', () => sink.events.length === 170);
    s.close();
  } finally {
    await collector.stop();
  }
});
