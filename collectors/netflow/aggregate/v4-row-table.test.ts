import type { Agency } from '../../../core/tenancy';
import { DEFAULT_SERVICE_PORTS } from '../config';
import { decodeFlowPacket, FlowTemplateCache } from '../decode';
import type { FlowRecord } from '../decode/types';
import { NETFLOW_CAPTURES, readCapture } from '../testdata/captures';
import { FlowMinuteAggregator, type FlowAggregateRow } from './minute-aggregator';
import { V4RowTable, v4KeyHash, type V4KeyedRow } from './v4-row-table';

const T0 = Date.parse('2026-11-27T03:00:30.000Z');
const GTVT: Agency = { id: 'so-gtvt', name: 'Sở Giao thông Vận tải' };

interface Row extends V4KeyedRow {
  n: number;
}

function row(n: number, srcV4: number, dstV4: number, dstPort = 443, org = 'so-gtvt', exporter = '192.0.2.9'): Row {
  return { n, srcV4, dstV4, srcPort: 0, dstPort, protocol: 6, inIf: 1, outIf: 2, org, exporter };
}

function find(t: V4RowTable<Row>, r: Row): Row | null {
  return t.find(v4KeyHash(r.srcV4, r.dstV4, r.srcPort, r.dstPort, r.protocol, r.inIf, r.outIf), r.srcV4, r.dstV4, r.srcPort, r.dstPort, r.protocol, r.inIf, r.outIf, r.org, r.exporter);
}

describe('V4RowTable', () => {
  it('finds every row again across growth, in insertion order, and tells keys differing in one field apart', () => {
    const t = new V4RowTable<Row>();
    const rows: Row[] = [];
    // 10.0.0.0/18 -> 203.0.113.7 plus the same pairs on :53: 32,768 keys, many table doublings.
    for (let i = 0; i < 16_384; i++) {
      rows.push(row(rows.length, 0x0a000000 + i, 0xcb007107, 443));
      rows.push(row(rows.length, 0x0a000000 + i, 0xcb007107, 53));
    }
    for (const r of rows) {
      expect(find(t, r)).toBeNull();
      t.insert(v4KeyHash(r.srcV4, r.dstV4, r.srcPort, r.dstPort, r.protocol, r.inIf, r.outIf), r);
    }
    expect(t.size).toBe(32_768);
    expect(t.rows.map((r) => r.n)).toEqual(rows.map((r) => r.n));
    for (const r of rows) expect(find(t, { ...r })).toBe(r);
    // Same numbers, another agency or exporter, or an address above 2^31: not found.
    expect(find(t, { ...rows[0], org: 'so-yte' })).toBeNull();
    expect(find(t, { ...rows[0], exporter: '192.0.2.10' })).toBeNull();
    expect(find(t, { ...rows[0], inIf: 3 })).toBeNull();
    expect(find(t, row(-1, 0xcb007107, 0x0a000000))).toBeNull();
  });
});

describe('FlowMinuteAggregator IPv4 rows', () => {
  it('gives the same rows whether IPv4 flows come with their numbers (table) or as text only (address maps)', () => {
    const cache = new FlowTemplateCache();
    const flows: FlowRecord[] = [];
    for (const name of NETFLOW_CAPTURES) for (const pkt of readCapture(name)) flows.push(...decodeFlowPacket(pkt, { exporter: '192.0.2.9', receivedMs: T0 }, cache).flows);
    const v4 = flows.filter((f) => f.srcV4 >= 0 && f.dstV4 >= 0);
    expect(v4.length).toBeGreaterThan(100);
    const opts = { maxKeysPerMinute: 100_000, graceMs: 60_000, maxLatenessMs: 100 * 365 * 86_400_000, servicePorts: DEFAULT_SERVICE_PORTS, activity: null };
    const byNumber = new FlowMinuteAggregator(opts);
    const byText = new FlowMinuteAggregator(opts);
    for (const f of v4) {
      byNumber.add(f, GTVT, false, T0);
      byText.add({ ...f, srcV4: -1, dstV4: -1 }, GTVT, false, T0);
    }
    const table = (a: FlowMinuteAggregator): string[] =>
      a
        .closeAll()
        .flatMap((c) => c.rows)
        .map((r: FlowAggregateRow) => `${r.minute} ${r.exporter} ${r.org} ${r.src} ${r.dst} ${r.srcPort} ${r.dstPort} ${r.protocol} ${r.inIf} ${r.outIf} = ${r.bytes} ${r.packets} ${r.flows}`)
        .sort();
    const rows = table(byNumber);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows).toEqual(table(byText));
  });
});
