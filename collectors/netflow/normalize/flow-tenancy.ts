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
import { ipv4Text } from '../decode/bytes';

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
  /** 1 + its index in FlowTenancy's shared answers (what the IPv4 slots hold). */
  answer: number;
}

/** Flow addresses repeat (a few thousand hosts talk most); the answers are cached, bounded. */
const ADDRESS_CACHE_LIMIT = 65_536;

/** Slots of the IPv4 class cache (direct-mapped by address): 2^18 x 8 bytes. */
const V4_CLASS_SLOT_BITS = 18;

export class FlowTenancy {
  /** Results of the last classify() call (scratch fields: no object per flow). */
  agency: Agency = UNASSIGNED;
  direction: PerimeterDirection = 'unknown';
  /** The destination's agency when both addresses belong to agencies and they differ (traffic between zones); else null. */
  destinationAgency: Agency | null = null;
  private readonly internal: AgencyResolver;
  private readonly classes = new Map<string, AddressClass>();
  /**
   * IPv4 answers by address number: no string hashing per flow. Slot i holds at [2i] the address (int32)
   * and at [2i+1] 1 + the index of its answer in `v4Answers` (0: empty), side by side so that a lookup
   * touches one cache line. A slot keeps the last address that hashed there; misses ask the CIDR tables
   * through classOf. The answers are few (agency x internal), shared objects.
   */
  private readonly v4Slots = new Int32Array(2 << V4_CLASS_SLOT_BITS);
  private readonly v4Answers: AddressClass[] = [];
  private readonly v4AnswerIndex = new Map<string, number>();

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

  /**
   * classify() for decoded addresses: IPv4 ones (`v4` >= 0, the same address as the text, which may be ''
   * when decoded with lazyV4Text) are looked up by number.
   */
  classifyV4(srcAddr: string, srcV4: number, dstAddr: string, dstV4: number, fallback: Agency): void {
    if (srcV4 < 0 || dstV4 < 0) {
      this.classify(srcV4 >= 0 && srcAddr.length === 0 ? ipv4Text(srcV4) : srcAddr, dstV4 >= 0 && dstAddr.length === 0 ? ipv4Text(dstV4) : dstAddr, fallback);
      return;
    }
    const src = this.classOfV4(srcAddr, srcV4);
    const dst = this.classOfV4(dstAddr, dstV4);
    this.agency = src.agency ?? dst.agency ?? fallback;
    this.destinationAgency = src.agency !== undefined && dst.agency !== undefined && src.agency.id !== dst.agency.id ? dst.agency : null;
    if (src.internal) this.direction = dst.internal ? 'internal' : 'outbound';
    else this.direction = dst.internal ? 'inbound' : 'external';
  }

  private classOfV4(address: string, v4: number): AddressClass {
    const key = v4 | 0;
    // Fibonacci hashing: the top bits of key * 2^32/phi.
    const slot = (Math.imul(key, 0x9e3779b1) >>> (32 - V4_CLASS_SLOT_BITS)) << 1;
    const slots = this.v4Slots;
    const answer = slots[slot + 1];
    if (answer !== 0 && slots[slot] === key) return this.v4Answers[answer - 1];
    const found = this.classOf(address.length > 0 ? address : ipv4Text(v4));
    slots[slot] = key;
    slots[slot + 1] = found.answer;
    return found;
  }

  /** Inside the perimeter: in an agency CIDR or netflow.internalNetworks. */
  isInternal(address: string): boolean {
    return this.classOf(address).internal;
  }

  /** The one answer object for an (agency, internal) pair. */
  private shared(agency: Agency | undefined, internal: boolean): AddressClass {
    const name = (agency === undefined ? '' : agency.id) + (internal ? '|i' : '|e');
    let index = this.v4AnswerIndex.get(name);
    if (index === undefined) {
      index = this.v4Answers.length;
      this.v4Answers.push({ agency, internal, answer: index + 1 });
      this.v4AnswerIndex.set(name, index);
    }
    return this.v4Answers[index];
  }

  private classOf(address: string): AddressClass {
    let c = this.classes.get(address);
    if (c === undefined) {
      const agency = this.agencies.bySource(address);
      c = this.shared(agency, agency !== undefined || this.internal.bySource(address) !== undefined);
      if (this.classes.size >= ADDRESS_CACHE_LIMIT) this.classes.clear();
      this.classes.set(address, c);
    }
    return c;
  }
}
