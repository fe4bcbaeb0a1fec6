/**
 * Who did what in one minute, for the `netflow.summary` events flow analytics read: per source the
 * distinct destination ports and hosts it reached and the bytes it sent out of the perimeter, in flows it
 * initiated (scans, exfiltration); per destination the bytes, packets and distinct sources it received (DDoS); per exporter
 * the totals. Bounded: at most `maxTracked` sources and destinations per minute (flows beyond are counted,
 * not tracked), distinct sets capped at `maxDistinct` members.
 */
import type { Agency } from '../../../core/tenancy';
import { DistinctValues } from './distinct-values';

export interface ActivityLimits {
  maxTracked: number;
  maxDistinct: number;
}

export class SourceActivity {
  /** Another exporter's or agency's record of the same address (rare: chained, not keyed). */
  next: SourceActivity | null = null;
  readonly ports = new DistinctValues<number>();
  readonly hosts = new DistinctValues<string>();
  bytes = 0;
  packets = 0;
  flows = 0;
  outboundBytes = 0;
  outboundFlows = 0;
  constructor(
    readonly exporter: string,
    readonly agency: Agency,
    readonly ip: string,
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
  readonly sources = new DistinctValues<string>();
  readonly ports = new DistinctValues<number>();
  bytes = 0;
  packets = 0;
  flows = 0;
  constructor(
    readonly exporter: string,
    readonly agency: Agency,
    readonly ip: string,
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

export class MinuteActivity {
  /** By address; entries of the same address from other exporters or agencies are chained by `next`. */
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
    for (const head of this.sourcesByIp.values()) for (let s: SourceActivity | null = head; s !== null; s = s.next) out.push(s);
    return out;
  }

  destinations(): DestinationActivity[] {
    const out: DestinationActivity[] = [];
    for (const head of this.destinationsByIp.values()) for (let d: DestinationActivity | null = head; d !== null; d = d.next) out.push(d);
    return out;
  }

  /**
   * `dstPort` -1 when the protocol has no ports. `initiated` false for a reply (a service's answer to a
   * client): it counts in totals and for its destination, not in the source's distinct ports and hosts or
   * outbound bytes, so that a busy server answering many clients is neither a scanner nor an uploader; nor
   * in the destination's distinct ports (the client's ephemeral port is not a port it was reached on).
   */
  add(exporter: string, agency: Agency, src: string, dst: string, dstPort: number, bytes: number, packets: number, outbound: boolean, initiated: boolean): void {
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
    if (src.length > 0) {
      const head = this.sourcesByIp.get(src);
      let s: SourceActivity | null | undefined = head;
      while (s !== undefined && s !== null && !(s.agency.id === agency.id && s.exporter === exporter)) s = s.next;
      if ((s === undefined || s === null) && this.sourceCount < limits.maxTracked) {
        s = new SourceActivity(exporter, agency, src);
        s.next = head ?? null;
        this.sourcesByIp.set(src, s);
        this.sourceCount++;
      }
      if (s === undefined || s === null) this.untracked++;
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
          if (dst.length > 0) s.hosts.add(dst, limits.maxDistinct);
        }
      }
    }
    if (dst.length > 0) {
      const head = this.destinationsByIp.get(dst);
      let d: DestinationActivity | null | undefined = head;
      while (d !== undefined && d !== null && !(d.agency.id === agency.id && d.exporter === exporter)) d = d.next;
      if ((d === undefined || d === null) && this.destinationCount < limits.maxTracked) {
        d = new DestinationActivity(exporter, agency, dst);
        d.next = head ?? null;
        this.destinationsByIp.set(dst, d);
        this.destinationCount++;
      }
      if (d === undefined || d === null) this.untracked++;
      else {
        d.bytes += bytes;
        d.packets += packets;
        d.flows++;
        if (src.length > 0) d.sources.add(src, limits.maxDistinct);
        // A reply lands on a client's ephemeral port: not a port the client was reached on (and a busy
        // client would hold a set of hundreds of them per minute for nothing).
        if (dstPort >= 0 && initiated) d.ports.add(dstPort, limits.maxDistinct);
      }
    }
  }
}
