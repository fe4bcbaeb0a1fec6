/**
 * Which flows are published for detection when raw flows are off (netflow.toCorrelation). Publishing an
 * ECS event per flow cost more than decoding and aggregating it, and only a few flows can match a per-flow
 * rule: the shipped ones select on the destination port (cleartext logins, SNMP, SMB, backdoor and mining
 * ports, DNS over TLS), on probe-sized TCP flows (port-scan correlation) or on large flows (DNS
 * transfers); intel matches addresses. Everything else reaches detection through the per-minute summaries.
 * `netflow.correlation.flows: all` publishes every flow (custom rules on other fields).
 *
 * Per flow: three typed-array reads and two comparisons; the intel predicate only when nothing else
 * selected the flow, its IPv4 answers remembered for the current minute in a table indexed by the address
 * number (feeds change by the hour; a flow's addresses repeat by the second).
 */
import { ipv4Text } from './decode/bytes';
import type { FlowRecord } from './decode/types';

export interface FlowCorrelationOptions {
  flows: 'matching' | 'all';
  tcpPorts: readonly number[];
  udpPorts: readonly number[];
  anyPorts: readonly number[];
  maxProbePackets: number;
  minBytes: number;
}

/** True when an address is in a loaded threat-intel feed (any agency's): such flows are published. */
export type IntelAddressPredicate = (ip: string) => boolean;

const ICMP = 1;
const TCP = 6;
const UDP = 17;
const ICMPV6 = 58;
const SELECT_TCP = 1;
const SELECT_UDP = 2;
const SELECT_ANY = 4;
/** Remembered intel answers for IPv4 addresses: 2^16 slots of (address, minute * 2 + answer). */
const INTEL_SLOT_BITS = 16;
const MINUTE_MS = 60_000;

export class FlowCorrelationFilter {
  readonly all: boolean;
  /** Per destination port: SELECT_* bits. */
  private readonly ports = new Uint8Array(65536);
  private readonly maxProbePackets: number;
  private readonly minBytes: number;
  /** Flows looked at and flows selected (for socnoc_flow_correlation_*). */
  seen = 0;
  selected = 0;
  private readonly intelSlots = new Int32Array(2 << INTEL_SLOT_BITS);
  /** The minute the remembered answers are valid for, + 1 (0: none yet). */
  private minuteStamp = 1;

  constructor(
    o: FlowCorrelationOptions,
    private readonly intel: IntelAddressPredicate | null = null,
  ) {
    this.all = o.flows === 'all';
    for (const p of o.tcpPorts) this.ports[p] |= SELECT_TCP;
    for (const p of o.udpPorts) this.ports[p] |= SELECT_UDP;
    for (const p of o.anyPorts) this.ports[p] |= SELECT_ANY;
    this.maxProbePackets = o.maxProbePackets;
    // 0 disables: no flow has Infinity bytes.
    this.minBytes = o.minBytes > 0 ? o.minBytes : Infinity;
  }

  /** Once per packet: remembered intel answers older than the current minute are not used. */
  tick(nowMs: number): void {
    this.minuteStamp = (Math.floor(nowMs / MINUTE_MS) % 0x3fffffff) + 1;
  }

  /** Whether the flow goes to detection as an event. */
  wants(flow: FlowRecord): boolean {
    this.seen++;
    if (this.all || this.matches(flow.protocol, flow.dstPort, flow.packets, flow.bytes) || (this.intel !== null && this.intelHit(flow))) {
      this.selected++;
      return true;
    }
    return false;
  }

  /** The rule-shaped part of wants(), on the numbers alone. */
  matches(protocol: number, dstPort: number, packets: number, bytes: number): boolean {
    const bits = this.ports[dstPort & 0xffff];
    if (bits !== 0) {
      // ICMP "ports" are type * 256 + code as NetFlow exports them.
      if ((bits & SELECT_ANY) !== 0 && protocol !== ICMP && protocol !== ICMPV6) return true;
      if (protocol === TCP && (bits & SELECT_TCP) !== 0) return true;
      if (protocol === UDP && (bits & SELECT_UDP) !== 0) return true;
    }
    if (protocol === TCP && packets <= this.maxProbePackets) return true;
    return bytes >= this.minBytes;
  }

  private intelHit(flow: FlowRecord): boolean {
    return this.intelAddress(flow.srcAddr, flow.srcV4) || this.intelAddress(flow.dstAddr, flow.dstV4);
  }

  private intelAddress(address: string, v4: number): boolean {
    const intel = this.intel;
    if (intel === null || (address.length === 0 && v4 < 0)) return false;
    if (v4 < 0) return intel(address);
    const key = v4 | 0;
    const slot = (Math.imul(key, 0x9e3779b1) >>> (32 - INTEL_SLOT_BITS)) << 1;
    const slots = this.intelSlots;
    const stamp = slots[slot + 1];
    if (slots[slot] === key && stamp >>> 1 === this.minuteStamp) return (stamp & 1) === 1;
    // '' with v4 set: decoded with lazyV4Text.
    const hit = intel(address.length > 0 ? address : ipv4Text(v4));
    slots[slot] = key;
    slots[slot + 1] = (this.minuteStamp << 1) | (hit ? 1 : 0);
    return hit;
  }
}
