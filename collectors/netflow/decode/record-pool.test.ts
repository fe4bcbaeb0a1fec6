import { decodeFlowPacket, FlowTemplateCache } from '.';
import { fillAddressText, type FlowRecord } from './types';
import { NETFLOW_CAPTURES, readCapture } from '../testdata/captures';

const T0 = Date.parse('2026-11-27T03:00:30.000Z');

describe('decoding into a record pool', () => {
  it.each(NETFLOW_CAPTURES)('%s: pooled records equal fresh ones, and the pool is reused from packet to packet', (name) => {
    const fresh = new FlowTemplateCache();
    const pooled = new FlowTemplateCache();
    const pool: FlowRecord[] = [];
    let reused = 0;
    for (const pkt of readCapture(name)) {
      const before = pool.slice();
      const a = decodeFlowPacket(pkt, { exporter: '192.0.2.9', receivedMs: T0 }, fresh);
      const b = decodeFlowPacket(pkt, { exporter: '192.0.2.9', receivedMs: T0, recordPool: pool }, pooled);
      // Compared field by field now: the next packet overwrites b's records.
      expect(b.flows).toEqual(a.flows);
      expect(b.error).toEqual(a.error);
      for (let i = 0; i < b.flows.length; i++) {
        expect(b.flows[i]).toBe(pool[i]);
        if (i < before.length && before[i] === b.flows[i]) reused++;
      }
    }
    expect(pool.length).toBeGreaterThan(0);
    expect(reused).toBeGreaterThan(0);
  });
});

describe('decoding with lazyV4Text', () => {
  it.each(NETFLOW_CAPTURES)('%s: IPv4 addresses left as numbers, and fillAddressText gives back the eager records', (name) => {
    const eager = new FlowTemplateCache();
    const lazy = new FlowTemplateCache();
    let v4 = 0;
    for (const pkt of readCapture(name)) {
      const a = decodeFlowPacket(pkt, { exporter: '192.0.2.9', receivedMs: T0 }, eager);
      const b = decodeFlowPacket(pkt, { exporter: '192.0.2.9', receivedMs: T0, recordPool: [], lazyV4Text: true }, lazy);
      expect(b.flows.length).toBe(a.flows.length);
      for (let i = 0; i < b.flows.length; i++) {
        const f = b.flows[i];
        if (f.srcV4 >= 0) {
          v4++;
          expect(f.srcAddr).toBe('');
        }
        if (f.dstV4 >= 0) expect(f.dstAddr).toBe('');
        fillAddressText(f);
        expect(f).toEqual(a.flows[i]);
      }
    }
    expect(v4).toBeGreaterThan(0);
  });
});
