/**
 * The correlation filter against the rules it stands in for: every flow event a shipped flow rule's cases
 * say must fire (rules/sigma/socnoc/tests/, positives and the events of firing sequences) passes the
 * default selection, so publishing only selected flows loses no alert of the pack. Plus the selection's
 * own cases and the intel predicate.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { netflowConfigSchema } from './config';
import { FlowCorrelationFilter } from './correlation-filter';
import { newFlowRecord, type FlowRecord } from './decode/types';

const CASES = join(__dirname, '../../rules/sigma/socnoc/tests');
const defaults = netflowConfigSchema.parse({}).correlation;

interface FlowCaseEvent {
  event?: { dataset?: string };
  source?: { ip?: string; packets?: number };
  destination?: { ip?: string; port?: number };
  network?: { iana_number?: string; packets?: number; bytes?: number };
}

interface CaseFile {
  positive?: FlowCaseEvent[];
  sequences?: Array<{ fires: boolean; events: FlowCaseEvent[] }>;
}

const isFlow = (e: FlowCaseEvent): boolean => e.event?.dataset === 'netflow.flow' || e.event?.dataset === 'sflow.flow';

function recordOf(e: FlowCaseEvent): FlowRecord {
  const r = newFlowRecord('netflow_v9', '192.0.2.1');
  r.srcAddr = e.source?.ip ?? '';
  r.dstAddr = e.destination?.ip ?? '';
  r.protocol = Number(e.network?.iana_number ?? 0);
  r.dstPort = e.destination?.port ?? 0;
  r.packets = e.network?.packets ?? e.source?.packets ?? 0;
  r.bytes = e.network?.bytes ?? 0;
  return r;
}

function flow(protocol: number, dstPort: number, packets: number, bytes: number, src = '10.0.0.5', dst = '198.51.100.7'): FlowRecord {
  const r = newFlowRecord('ipfix', '192.0.2.1');
  Object.assign(r, { protocol, dstPort, packets, bytes, srcAddr: src, dstAddr: dst });
  return r;
}

describe('FlowCorrelationFilter', () => {
  it('passes every flow event the shipped flow rules must fire on', () => {
    const filter = new FlowCorrelationFilter(defaults);
    let checked = 0;
    const missed: string[] = [];
    for (const file of readdirSync(CASES).filter((f) => f.endsWith('.json'))) {
      const cases = JSON.parse(readFileSync(join(CASES, file), 'utf8')) as CaseFile;
      const events = [...(cases.positive ?? []), ...(cases.sequences ?? []).filter((s) => s.fires).flatMap((s) => s.events)].filter(isFlow);
      for (const e of events) {
        checked++;
        if (!filter.wants(recordOf(e))) missed.push(`${file}: ${e.network?.iana_number}/${e.destination?.port} packets ${e.network?.packets} bytes ${e.network?.bytes}`);
      }
    }
    expect(missed).toEqual([]);
    // The flow rules' cases are there to check (10 single-flow rules and 2 correlations at least).
    expect(checked).toBeGreaterThan(40);
  });

  it('leaves out ordinary traffic and counts what it saw and selected', () => {
    const filter = new FlowCorrelationFilter(defaults);
    expect(filter.wants(flow(6, 443, 40, 52_000))).toBe(false); // HTTPS session
    expect(filter.wants(flow(17, 53, 1, 80))).toBe(false); // DNS query
    expect(filter.wants(flow(6, 32_768, 12, 9_000))).toBe(false); // an answer to a client port
    expect(filter.wants(flow(17, 161, 1, 90))).toBe(true); // SNMP
    expect(filter.wants(flow(6, 161, 4, 300))).toBe(false); // TCP 161 is not SNMP
    expect(filter.wants(flow(6, 3389, 200, 90_000))).toBe(true); // RDP
    expect(filter.wants(flow(6, 443, 2, 120))).toBe(true); // probe-sized
    expect(filter.wants(flow(17, 53, 800, 1_200_000))).toBe(true); // large DNS flow
    expect(filter.wants(flow(17, 853, 20, 4000))).toBe(true); // DNS over QUIC/DTLS
    expect(filter.wants(flow(1, 853, 1, 84))).toBe(false); // ICMP type 3 code 85 is no port
    expect([filter.seen, filter.selected]).toEqual([10, 5]);
  });

  it('selects flows from or to an intel address, and everything with flows: all', () => {
    const bad = new Set(['203.0.113.66']);
    const filter = new FlowCorrelationFilter(defaults, (ip) => bad.has(ip));
    expect(filter.wants(flow(6, 443, 40, 52_000, '10.0.0.5', '203.0.113.66'))).toBe(true);
    expect(filter.wants(flow(6, 51_000, 40, 52_000, '203.0.113.66', '10.0.0.5'))).toBe(true);
    expect(filter.wants(flow(6, 443, 40, 52_000))).toBe(false);
    // IPv4 answers are remembered for the minute: the predicate is asked once per address and minute.
    let asked = 0;
    const counting = new FlowCorrelationFilter(defaults, (ip) => {
      asked++;
      return bad.has(ip);
    });
    const t0 = Date.parse('2026-11-27T02:00:10Z');
    counting.tick(t0);
    const v4 = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    const withNumbers = (f: FlowRecord): FlowRecord => Object.assign(f, { srcV4: v4(f.srcAddr), dstV4: v4(f.dstAddr) });
    for (let i = 0; i < 5; i++) expect(counting.wants(withNumbers(flow(6, 443, 40, 52_000, '10.0.0.5', '203.0.113.66')))).toBe(true);
    for (let i = 0; i < 5; i++) expect(counting.wants(withNumbers(flow(6, 443, 40, 52_000, '10.0.0.6', '198.51.100.9')))).toBe(false);
    expect(asked).toBe(4);
    // A new minute asks again (feeds change).
    counting.tick(t0 + 60_000);
    bad.delete('203.0.113.66');
    expect(counting.wants(withNumbers(flow(6, 443, 40, 52_000, '10.0.0.5', '203.0.113.66')))).toBe(false);
    // Records decoded with lazyV4Text carry the numbers only: the predicate still gets the address text.
    const numbersOnly = (f: FlowRecord): FlowRecord => Object.assign(withNumbers(f), { srcAddr: '', dstAddr: '' });
    bad.add('198.51.100.77');
    expect(counting.wants(numbersOnly(flow(6, 443, 40, 52_000, '10.0.0.7', '198.51.100.77')))).toBe(true);
    expect(counting.wants(numbersOnly(flow(6, 443, 40, 52_000, '10.0.0.7', '198.51.100.78')))).toBe(false);
    const all = new FlowCorrelationFilter({ ...defaults, flows: 'all' });
    expect(all.all).toBe(true);
    expect(all.wants(flow(6, 443, 40, 52_000))).toBe(true);
  });

  it('follows the configured lists', () => {
    const filter = new FlowCorrelationFilter({ ...defaults, tcpPorts: [8443], udpPorts: [], anyPorts: [], maxProbePackets: 0, minBytes: 0 });
    expect(filter.wants(flow(6, 8443, 40, 5000))).toBe(true);
    expect(filter.wants(flow(6, 22, 40, 5000))).toBe(false);
    expect(filter.wants(flow(17, 161, 1, 90))).toBe(false);
    expect(filter.wants(flow(6, 443, 1, 40))).toBe(false);
    expect(filter.wants(flow(17, 53, 800, 50_000_000))).toBe(false);
  });
});
