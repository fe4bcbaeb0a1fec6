/**
 * Who did what in one minute, for the `netflow.summary` events flow analytics read: per source the
 * distinct destination ports and hosts it reached and the bytes it sent out of the perimeter, in flows it
 * initiated (scans, exfiltration); per destination the bytes, packets and distinct sources it received (DDoS); per exporter
 * the totals. Bounded: at most `maxTracked` sources and destinations per minute (flows beyond are counted,
 * not tracked), distinct sets capped at `maxDistinct` members.
 */
import type { Agency } from '../../../core/tenancy';
import { ipv4Text } from '../decode/bytes';
import { DistinctValues } from './distinct-values';
import { V4AddressTable } from './v4-address-table';

export interface ActivityLimits {
  maxTracked: number;
  maxDistinct: number;
}

export class SourceActivity {
  /** Another exporter's or agency's record of the same address (rare: chained, not keyed). */
  next: SourceActivity | null = null;
  readonly ports = new DistinctValues<number>();
  /** Destination addresses: IPv4 ones as their number, others as text. */
  readonly hosts = new DistinctValues<string | number>();
  bytes = 0;
  packets = 0;
  flows = 0;
  outboundBytes = 0;
  outboundFlows = 0;
  constructor(
    readonly exporter: string,
    readonly agency: Agency,
    readonly ip: string,
    /** The IPv4 address as an unsigned 32-bit number; -1 for other addresses. */
    readonly v4: number,
  ) {}

  get distinctPorts(): number {
    return this.ports.size;
  }

  get distinctHosts(): number {
    return this.hosts.size;
  }
}

export class DestinationActivity {
  next: DestinationActivity | null = null;
  /** Source addresses: IPv4 ones as their number, others as text. */
  readonly sources = new DistinctValues<string | number>();
  readonly ports = new DistinctValues<number>();
  bytes = 0;
  packets = 0;
  flows = 0;
  constructor(
    readonly exporter: string,
    readonly agency: Agency,
    readonly ip: string,
    /** The IPv4 address as an unsigned 32-bit number; -1 for other addresses. */
    readonly v4: number,
  ) {}

  get distinctSources(): number {
    return this.sources.size;
  }

  get distinctPorts(): number {
    return this.ports.size;
  }
}

export class ExporterActivity {
  bytes = 0;
  packets = 0;
  flows = 0;
  constructor(readonly exporter: string) {}
}

/**
 * One aggregate row's entries in the minute's activity (the row's key holds the source and destination
 * address, agency and exporter, so every flow of the row lands on the same two entries), and the totals
 * its flows added since, not yet in the entries (flushRow at the minute's close): a flow then touches its
 * row only, not two more objects.
 */
export interface RowActivity {
  /** Whether the entries were looked up (null then: not tracked, the maps were full). */
  activityResolved: boolean;
  sourceActivity: SourceActivity | null;
  destinationActivity: DestinationActivity | null;
  /** The row's destination was offered to the source's distinct hosts (by an initiated flow). */
  hostCounted: boolean;
  /** The destination port last offered to the entries' distinct ports; -1 none. */
  portCounted: number;
  pendingBytes: number;
  pendingPackets: number;
  pendingFlows: number;
  pendingOutboundBytes: number;
  pendingOutboundFlows: number;
}

export class MinuteActivity {
  /** IPv4 addresses by number; entries of the same address from other exporters or agencies are chained by `next`. */
  private readonly sourcesV4 = new V4AddressTable<SourceActivity>();
  private readonly destinationsV4 = new V4AddressTable<DestinationActivity>();
  /** Other addresses (IPv6) by text, chained the same way. */
  private readonly sourcesByIp = new Map<string, SourceActivity>();
  private readonly destinationsByIp = new Map<string, DestinationActivity>();
  private sourceCount = 0;
  private destinationCount = 0;
  readonly exporters = new Map<string, ExporterActivity>();
  /** Flow sides (source or destination) not tracked because the maps were full. */
  untracked = 0;
  private lastExporter: ExporterActivity | null = null;

  constructor(private readonly limits: ActivityLimits) {}

  sources(): SourceActivity[] {
    const out: SourceActivity[] = [];
    for (const head of this.sourcesV4.heads) for (let s: SourceActivity | null = head; s !== null; s = s.next) out.push(s);
    for (const head of this.sourcesByIp.values()) for (let s: SourceActivity | null = head; s !== null; s = s.next) out.push(s);
    return out;
  }

  destinations(): DestinationActivity[] {
    const out: DestinationActivity[] = [];
    for (const head of this.destinationsV4.heads) for (let d: DestinationActivity | null = head; d !== null; d = d.next) out.push(d);
    for (const head of this.destinationsByIp.values()) for (let d: DestinationActivity | null = head; d !== null; d = d.next) out.push(d);
    return out;
  }

  /**
   * `srcV4`/`dstV4` the addresses as unsigned 32-bit numbers when IPv4 (their text may be '': made only
   * for a new entry), else -1 (the text is then the key; '' for an absent address). `dstPort` -1 when the protocol has no ports. `initiated` false for a
   * reply (a service's answer to a client): it counts in totals and for its destination, not in the
   * source's distinct ports and hosts or outbound bytes, so that a busy server answering many clients is
   * neither a scanner nor an uploader; nor in the destination's distinct ports (the client's ephemeral
   * port is not a port it was reached on).
   */
  add(
    exporter: string,
    agency: Agency,
    src: string,
    srcV4: number,
    dst: string,
    dstV4: number,
    dstPort: number,
    bytes: number,
    packets: number,
    outbound: boolean,
    initiated: boolean,
  ): void {
    const limits = this.limits;
    // Flows of one packet share their exporter: the last one found is checked first.
    let ex = this.lastExporter;
    if (ex === null || ex.exporter !== exporter) {
      ex = this.exporters.get(exporter) ?? null;
      if (ex === null) {
        ex = new ExporterActivity(exporter);
        this.exporters.set(exporter, ex);
      }
      this.lastExporter = ex;
    }
    ex.bytes += bytes;
    ex.packets += packets;
    ex.flows++;
    const hasSrc = srcV4 >= 0 || src.length > 0;
    const hasDst = dstV4 >= 0 || dst.length > 0;
    if (hasSrc) {
      const s = srcV4 >= 0 ? this.sourceV4(exporter, agency, src, srcV4) : this.sourceOther(exporter, agency, src);
      if (s === null) this.untracked++;
      else {
        s.bytes += bytes;
        s.packets += packets;
        s.flows++;
        if (initiated) {
          if (outbound) {
            s.outboundBytes += bytes;
            s.outboundFlows++;
          }
          if (dstPort >= 0) s.ports.add(dstPort, limits.maxDistinct);
          if (dstV4 >= 0) s.hosts.add(dstV4, limits.maxDistinct);
          else if (dst.length > 0) s.hosts.add(dst, limits.maxDistinct);
        }
      }
    }
    if (hasDst) {
      const d = dstV4 >= 0 ? this.destinationV4(exporter, agency, dst, dstV4) : this.destinationOther(exporter, agency, dst);
      if (d === null) this.untracked++;
      else {
        d.bytes += bytes;
        d.packets += packets;
        d.flows++;
        if (srcV4 >= 0) d.sources.add(srcV4, limits.maxDistinct);
        else if (src.length > 0) d.sources.add(src, limits.maxDistinct);
        // A reply lands on a client's ephemeral port: not a port the client was reached on (and a busy
        // client would hold a set of hundreds of them per minute for nothing).
        if (dstPort >= 0 && initiated) d.ports.add(dstPort, limits.maxDistinct);
      }
    }
  }

  /**
   * add() for an IPv4 flow of an aggregate row that has seen a flow before in this minute (which created
   * or looked for the entries of its addresses): the entries are looked up once per row and kept on it,
   * the flow's totals wait on the row until flushRow. Distinct sets only grow, so a value offered before
   * is already in them or left out by the cap: the row's source, its destination (once an initiated
   * flow offered it) and a repeated destination port are not offered again.
   */
  addForRow(row: RowActivity, exporter: string, agency: Agency, srcV4: number, dstV4: number, dstPort: number, bytes: number, packets: number, outbound: boolean, initiated: boolean): void {
    let ex = this.lastExporter;
    if (ex === null || ex.exporter !== exporter) {
      ex = this.exporters.get(exporter) ?? null;
      if (ex === null) {
        ex = new ExporterActivity(exporter);
        this.exporters.set(exporter, ex);
      }
      this.lastExporter = ex;
    }
    ex.bytes += bytes;
    ex.packets += packets;
    ex.flows++;
    const maxDistinct = this.limits.maxDistinct;
    if (!row.activityResolved) {
      row.activityResolved = true;
      row.sourceActivity = this.sourceV4(exporter, agency, '', srcV4);
      row.destinationActivity = this.destinationV4(exporter, agency, '', dstV4);
      if (row.destinationActivity !== null) row.destinationActivity.sources.add(srcV4, maxDistinct);
    }
    row.pendingBytes += bytes;
    row.pendingPackets += packets;
    row.pendingFlows++;
    if (!initiated) return;
    if (outbound) {
      row.pendingOutboundBytes += bytes;
      row.pendingOutboundFlows++;
    }
    if (!row.hostCounted) {
      row.hostCounted = true;
      if (row.sourceActivity !== null) row.sourceActivity.hosts.add(dstV4, maxDistinct);
    }
    if (dstPort >= 0 && dstPort !== row.portCounted) {
      row.portCounted = dstPort;
      if (row.sourceActivity !== null) row.sourceActivity.ports.add(dstPort, maxDistinct);
      if (row.destinationActivity !== null) row.destinationActivity.ports.add(dstPort, maxDistinct);
    }
  }

  /** Moves a row's pending totals (addForRow) into its entries; flows of an untracked side count as untracked. */
  flushRow(row: RowActivity): void {
    const flows = row.pendingFlows;
    if (flows === 0) return;
    const s = row.sourceActivity;
    if (s === null) this.untracked += flows;
    else {
      s.bytes += row.pendingBytes;
      s.packets += row.pendingPackets;
      s.flows += flows;
      s.outboundBytes += row.pendingOutboundBytes;
      s.outboundFlows += row.pendingOutboundFlows;
    }
    const d = row.destinationActivity;
    if (d === null) this.untracked += flows;
    else {
      d.bytes += row.pendingBytes;
      d.packets += row.pendingPackets;
      d.flows += flows;
    }
    row.pendingBytes = 0;
    row.pendingPackets = 0;
    row.pendingFlows = 0;
    row.pendingOutboundBytes = 0;
    row.pendingOutboundFlows = 0;
  }

  /** The source entry of an IPv4 address, created when there is room; null when full. */
  private sourceV4(exporter: string, agency: Agency, src: string, v4: number): SourceActivity | null {
    const table = this.sourcesV4;
    const at = table.indexOf(v4);
    const head = at < 0 ? null : table.heads[at];
    let s = head;
    while (s !== null && !(s.agency.id === agency.id && s.exporter === exporter)) s = s.next;
    if (s !== null || this.sourceCount >= this.limits.maxTracked) return s;
    s = new SourceActivity(exporter, agency, src.length > 0 ? src : ipv4Text(v4), v4);
    s.next = head;
    if (at < 0) table.add(s);
    else table.heads[at] = s;
    this.sourceCount++;
    return s;
  }

  private sourceOther(exporter: string, agency: Agency, src: string): SourceActivity | null {
    const head = this.sourcesByIp.get(src) ?? null;
    let s = head;
    while (s !== null && !(s.agency.id === agency.id && s.exporter === exporter)) s = s.next;
    if (s !== null || this.sourceCount >= this.limits.maxTracked) return s;
    s = new SourceActivity(exporter, agency, src, -1);
    s.next = head;
    this.sourcesByIp.set(src, s);
    this.sourceCount++;
    return s;
  }

  private destinationV4(exporter: string, agency: Agency, dst: string, v4: number): DestinationActivity | null {
    const table = this.destinationsV4;
    const at = table.indexOf(v4);
    const head = at < 0 ? null : table.heads[at];
    let d = head;
    while (d !== null && !(d.agency.id === agency.id && d.exporter === exporter)) d = d.next;
    if (d !== null || this.destinationCount >= this.limits.maxTracked) return d;
    d = new DestinationActivity(exporter, agency, dst.length > 0 ? dst : ipv4Text(v4), v4);
    d.next = head;
    if (at < 0) table.add(d);
    else table.heads[at] = d;
    this.destinationCount++;
    return d;
  }

  private destinationOther(exporter: string, agency: Agency, dst: string): DestinationActivity | null {
    const head = this.destinationsByIp.get(dst) ?? null;
    let d = head;
    while (d !== null && !(d.agency.id === agency.id && d.exporter === exporter)) d = d.next;
    if (d !== null || this.destinationCount >= this.limits.maxTracked) return d;
    d = new DestinationActivity(exporter, agency, dst, -1);
    d.next = head;
    this.destinationsByIp.set(dst, d);
    this.destinationCount++;
    return d;
  }
}
