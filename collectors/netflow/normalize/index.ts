/** Decoded flow and counter records -> ECS events: the normalize step between decode/ and the pipeline. */
import type { EcsEvent } from '../../../core/event';
import type { AgencyResolver } from '../../../core/tenancy';
import type { FlowRecord, InterfaceCounterRecord } from '../decode/types';
import { buildCounterEvent } from './counter-event';
import { FlowEventIds } from './event-ids';
import { buildFlowEvent, type FlowEventTools } from './flow-event';
import { FlowTenancy, type FlowPacketContext } from './flow-tenancy';
import { NO_INTERFACE_NAMES, type InterfaceNameResolver } from './interface-names';
import { IsoTimeFormatter } from './iso-time';
import type { GeoIpLookup } from '../geoip/lookup';
import type { Agency } from '../../../core/tenancy';

export type { NetflowEventFields } from './flow-event';
export type { SflowCounterFields } from './counter-event';
export { FlowTenancy, type FlowPacketContext, type PerimeterDirection } from './flow-tenancy';
export { NO_INTERFACE_NAMES, InterfaceNameTable, type InterfaceNameResolver } from './interface-names';

export interface FlowNormalizerOptions {
  agencies: AgencyResolver;
  /** CIDRs inside the perimeter besides the agencies' (netflow.internalNetworks). */
  internalNetworks: readonly string[];
  interfaceNames?: InterfaceNameResolver;
  /** Sets source/destination geo and AS on flow events; none by default. */
  geoip?: GeoIpLookup;
}

export class FlowNormalizer {
  private readonly tools: FlowEventTools;
  /** classify()'s answer, reused: the caller reads it before the next call. */
  private readonly classified: { agency: Agency; outbound: boolean } = { agency: { id: '', name: '' }, outbound: false };

  constructor(options: FlowNormalizerOptions) {
    this.tools = {
      tenancy: new FlowTenancy(options.agencies, options.internalNetworks),
      names: options.interfaceNames ?? NO_INTERFACE_NAMES,
      iso: new IsoTimeFormatter(),
      ids: new FlowEventIds(),
      geoip: options.geoip ?? null,
    };
  }

  /**
   * The flow's agency and whether it leaves the perimeter, without building an event (for aggregation).
   * Cached per address like flowEvent's own classification.
   */
  classify(flow: FlowRecord, ctx: FlowPacketContext): { agency: Agency; outbound: boolean } {
    const t = this.tools.tenancy;
    t.classifyV4(flow.srcAddr, flow.srcV4, flow.dstAddr, flow.dstV4, ctx.fallbackAgency);
    this.classified.agency = t.agency;
    this.classified.outbound = t.direction === 'outbound';
    return this.classified;
  }

  /** The agency of an exporter address alone (summary events of the exporter). */
  exporterAgency(exporter: string): Agency {
    return this.tools.tenancy.packetContext(exporter, 0, '', undefined).fallbackAgency;
  }

  /** Inside the perimeter (agency CIDRs and netflow.internalNetworks), as network.direction decides. */
  isInternal(address: string): boolean {
    return this.tools.tenancy.isInternal(address);
  }

  /** Once per received packet; every record of the packet shares it. */
  packetContext(exporter: string, receivedMs: number, listenerAgency?: string): FlowPacketContext {
    return this.tools.tenancy.packetContext(exporter, receivedMs, this.tools.iso.format(receivedMs), listenerAgency);
  }

  flowEvent(flow: FlowRecord, ctx: FlowPacketContext): EcsEvent {
    return buildFlowEvent(flow, ctx, this.tools);
  }

  counterEvent(rec: InterfaceCounterRecord, ctx: FlowPacketContext): EcsEvent {
    return buildCounterEvent(rec, ctx, this.tools.names, this.tools.ids);
  }
}
