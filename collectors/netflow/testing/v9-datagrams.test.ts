/** The v9 builder's packets decode to the flows given (so tests built on it test the collector, not the builder). */
import { decodeFlowPacket, FlowTemplateCache } from '../decode';
import { netflowV9Datagrams, V9_FLOWS_PER_DATAGRAM, type V9Flow } from './v9-datagrams';

test('flows, times and interfaces survive a round trip through the decoder', () => {
  const boot = Date.parse('2026-11-27T01:00:00.000Z');
  const at = Date.parse('2026-11-27T02:15:30.000Z');
  const flows: V9Flow[] = Array.from({ length: 50 }, (_, i) => ({
    src: '198.51.100.66', dst: '10.1.0.80', srcPort: 40_000 + i, dstPort: 1 + i, protocol: 6, bytes: 44, packets: 1,
    firstMs: at - 1000, lastMs: at - 500, inIf: 3, outIf: 7, tcpFlags: 0x02,
  }));
  const datagrams = netflowV9Datagrams(flows, { bootMs: boot, exportMs: at, sourceId: 5 });
  expect(datagrams).toHaveLength(Math.ceil(50 / V9_FLOWS_PER_DATAGRAM));
  const cache = new FlowTemplateCache();
  const decoded = datagrams.flatMap((d) => {
    const r = decodeFlowPacket(d, { exporter: '192.0.2.1', receivedMs: at, session: undefined }, cache);
    expect(r.error).toBeNull();
    expect(d.length).toBeLessThan(1400);
    return r.flows;
  });
  expect(decoded).toHaveLength(50);
  expect(decoded[49]).toMatchObject({ srcAddr: '198.51.100.66', dstAddr: '10.1.0.80', srcPort: 40_049, dstPort: 50, protocol: 6, bytes: 44, packets: 1, startMs: at - 1000, endMs: at - 500, inIf: 3, outIf: 7, tcpFlags: 2, sourceId: 5 });
});
