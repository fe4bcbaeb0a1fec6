/**
 * Which agency a flow belongs to, and which way it crosses the perimeter.
 *
 * Agency, first match wins:
 *   1. the agency whose CIDRs hold the flow's source address,
 *   2. else the one holding its destination address,
 *   3. else the exporter's own agency (its address in an agency CIDR),
 *   4. else the listener's configured agency, else `unassigned`.
 * Addresses come before the exporter because one Metronet core router carries many agencies' traffic;
 * the exporter decides only for flows of unmapped addresses (post-NAT, transit). Source before destination
 * so that each unidirectional flow belongs to the agency that sent it:
 * A -> B belongs to A and B -> A to B, whichever device exported them.
 *
 * network.direction (ECS perimeter view, as Filebeat's `internal_networks`): a flow address is internal when
 * an agency CIDR or `netflow.internalNetworks` holds it; internal -> internal is `internal`, internal ->
 * other `outbound`, other -> internal `inbound`, other -> other `external`; `unknown` without addresses.
 */
import { AgencyResolver, UNASSIGNED, type Agency } from '../../../core/tenancy';

export type PerimeterDirection = 'inbound' | 'outbound' | 'internal' | 'external' | 'unknown';

/** Facts about one received packet that every flow in it shares. */
export interface FlowPacketContext {
  /** Transport source address of the datagram or TCP connection (IPv4-mapped IPv6 already unwrapped). */
  exporter: string;
  receivedMs: number;
  /** receivedMs as ISO 8601, formatted once per packet. */
  receivedIso: string;
  /** Steps 3-4 above: the exporter's agency, else the listener's, else unassigned. */
  fallbackAgency: Agency;
}

/** What the tenancy knows about one address: its agency, and whether it is inside the perimeter. */
interface AddressClass {
  agency: Agency | undefined;
  internal: boolean;
}

/** Flow addresses repeat (a few thousand hosts talk most); the answers are cached, bounded. */
const ADDRESS_CACHE_LIMIT = 65_536;

export class FlowTenancy {
  /** Results of the last classify() call (scratch fields: no object per flow). */
  agency: Agency = UNASSIGNED;
  direction: PerimeterDirection = 'unknown';
  /** The destination's agency when both addresses belong to agencies and they differ (traffic between zones); else null. */
  destinationAgency: Agency | null = null;
  private readonly internal: AgencyResolver;
  private readonly classes = new Map<string, AddressClass>();

  constructor(
    private readonly agencies: AgencyResolver,
    internalNetworks: readonly string[],
  ) {
    // AgencyResolver is the project's longest-prefix table; one pseudo-agency makes it a CIDR set.
    this.internal = new AgencyResolver([{ id: 'internal', name: 'internal networks', cidrs: [...internalNetworks] }]);
  }

  packetContext(exporter: string, receivedMs: number, receivedIso: string, listenerAgency: string | undefined): FlowPacketContext {
    return {
      exporter,
      receivedMs,
      receivedIso,
      fallbackAgency: this.agencies.resolve(exporter, listenerAgency),
    };
  }

  /** Sets `agency` and `direction` for a flow between two addresses ('' when the record had none). */
  classify(srcAddr: string, dstAddr: string, fallback: Agency): void {
    if (srcAddr.length === 0 || dstAddr.length === 0) {
      const only = srcAddr.length > 0 ? srcAddr : dstAddr;
      this.agency = (only.length > 0 ? this.classOf(only).agency : undefined) ?? fallback;
      this.direction = 'unknown';
      this.destinationAgency = null;
      return;
    }
    const src = this.classOf(srcAddr);
    const dst = this.classOf(dstAddr);
    this.agency = src.agency ?? dst.agency ?? fallback;
    this.destinationAgency = src.agency !== undefined && dst.agency !== undefined && src.agency.id !== dst.agency.id ? dst.agency : null;
    if (src.internal) this.direction = dst.internal ? 'internal' : 'outbound';
    else this.direction = dst.internal ? 'inbound' : 'external';
  }

  /** Inside the perimeter: in an agency CIDR or netflow.internalNetworks. */
  isInternal(address: string): boolean {
    return this.classOf(address).internal;
  }

  private classOf(address: string): AddressClass {
    let c = this.classes.get(address);
    if (c === undefined) {
      const agency = this.agencies.bySource(address);
      c = { agency, internal: agency !== undefined || this.internal.bySource(address) !== undefined };
      if (this.classes.size >= ADDRESS_CACHE_LIMIT) this.classes.clear();
      this.classes.set(address, c);
    }
    return c;
  }
}
