import { decodeFlowPacket, FlowTemplateCache } from '.';
import type { FlowRecord } from './types';
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
