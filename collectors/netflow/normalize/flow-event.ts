/**
 * A decoded flow record as an ECS event (event.dataset `netflow.flow` or `sflow.flow`), with the fields
 * ECS defines for flows (source/destination/network/observer) and the rest under `netflow.*`, named after
 * the IPFIX information elements as Filebeat's netflow input names them (tcp_control_bits,
 * ip_class_of_service, ...), so queries written for Filebeat data carry over.
 *
 * Runs once per flow (hundreds of thousands per second): plain object literals, no closures, no regex, one
 * Date formatting per distinct time. Optional fields are left out rather than set to zero, so stored
 * events stay small and `exists` queries mean something.
 */
import type { EcsEndpoint, EcsEvent } from '../../../core/event';
import type { FlowExtraField, FlowFormat, FlowRecord } from '../decode/types';
import type { FlowPacketContext, FlowTenancy } from './flow-tenancy';
import { interfaceOf, type InterfaceNameResolver } from './interface-names';
import type { FlowEventIds } from './event-ids';
import type { IsoTimeFormatter } from './iso-time';
import type { GeoIpLookup } from '../geoip/lookup';
import { ianaNumber, isIcmp, protocolHasPorts, transportName } from './protocols';

/** The `netflow` namespace of a flow event. */
export interface NetflowEventFields {
  exporter: {
    /** Transport source of the export packets. */
    address: string;
    format: FlowFormat;
    /** 5, 9, 10 (IPFIX) or 5 for sFlow v5 (see `format`). */
    version: number;
    /** v9 source ID, IPFIX observation domain, sFlow data source, v5 engine type << 8 | engine id. */
    source_id: number;
    /** sFlow agent address from the datagram, when it differs from `address` (a relay sent it). */
    agent_address?: string;
  };
  /** N of 1-in-N packet sampling; bytes and packets in the event are already multiplied by it. */
  sampling_interval: number;
  ip_class_of_service: number;
  tcp_control_bits?: number;
  /** The exporter's own view: the flow was metered entering or leaving its interface. */
  flow_direction?: 'ingress' | 'egress';
  source_prefix_length?: number;
  destination_prefix_length?: number;
  ip_next_hop_address?: string;
  bgp_next_hop_address?: string;
  vlan_id?: number;
  post_vlan_id?: number;
  icmp_type?: number;
  icmp_code?: number;
  /** IPFIX flowEndReason (RFC 7011 / IANA): idle_timeout, active_timeout, end_of_flow, forced_end, lack_of_resources. */
  flow_end_reason?: string;
  application_id?: string;
  /** Set (true) when source and destination belong to different agencies: traffic between zones. */
  cross_agency?: boolean;
  /** With cross_agency: the destination's agency (organization.id is the source's). */
  destination_organization_id?: string;
  /** Elements socnoc has no column for (enterprise-specific, vendor v9 types), raw. */
  extra?: FlowExtraField[];
}

const VERSION: Record<FlowFormat, number> = { netflow_v5: 5, netflow_v9: 9, ipfix: 10, sflow_v5: 5 };

const END_REASONS = ['', 'idle_timeout', 'active_timeout', 'end_of_flow', 'forced_end', 'lack_of_resources'];

/** Date can represent ±8.64e15 ms; flow times come from exporter clocks and may be anything. */
const MAX_DATE_MS = 8.64e15;

function isUsableTime(ms: number): boolean {
  return ms > 0 && ms < MAX_DATE_MS;
}

/** ECS MAC format: uppercase, hyphen-separated (the decoders give lowercase, colon-separated). */
function ecsMac(mac: string): string {
  return mac.toUpperCase().replaceAll(':', '-');
}

function isUnsetAddress(addr: string): boolean {
  return addr.length === 0 || addr === '0.0.0.0' || addr === '::';
}

function endpoint(ip: string, port: number, withPort: boolean): EcsEndpoint {
  if (ip.length === 0) return withPort ? { port } : {};
  return withPort ? { ip, port } : { ip };
}

/** Per-normalizer helpers that make the hot path cheap (cached time formatting, counter-based ids). */
export interface FlowEventTools {
  tenancy: FlowTenancy;
  names: InterfaceNameResolver;
  iso: IsoTimeFormatter;
  ids: FlowEventIds;
  /** Country and AS of public addresses; null: none. */
  geoip: GeoIpLookup | null;
}

export function buildFlowEvent(flow: FlowRecord, ctx: FlowPacketContext, tools: FlowEventTools): EcsEvent {
  const { tenancy, names, iso } = tools;
  const endMs = isUsableTime(flow.endMs) ? flow.endMs : isUsableTime(flow.exportTimeMs) ? flow.exportTimeMs : ctx.receivedMs;
  const startMs = isUsableTime(flow.startMs) && flow.startMs <= endMs ? flow.startMs : endMs;
  const endIso = endMs === ctx.receivedMs ? ctx.receivedIso : iso.format(endMs);
  const startIso = startMs === endMs ? endIso : iso.format(startMs);
  const sflow = flow.format === 'sflow_v5';
  const protocol = flow.protocol;
  const icmp = isIcmp(protocol);
  const withPorts = protocolHasPorts(protocol) || (!icmp && (flow.srcPort !== 0 || flow.dstPort !== 0));

  tenancy.classifyV4(flow.srcAddr, flow.srcV4, flow.dstAddr, flow.dstV4, ctx.fallbackAgency);
  const agency = tenancy.agency;

  const source = endpoint(flow.srcAddr, flow.srcPort, withPorts);
  source.bytes = flow.bytes;
  source.packets = flow.packets;
  const destination = endpoint(flow.dstAddr, flow.dstPort, withPorts);
  if (flow.srcMac.length > 0) source.mac = ecsMac(flow.srcMac);
  if (flow.dstMac.length > 0) destination.mac = ecsMac(flow.dstMac);
  if (flow.srcAs > 0) source.as = { number: flow.srcAs };
  if (flow.dstAs > 0) destination.as = { number: flow.dstAs };
  if (flow.natSrcAddr.length > 0 || flow.natSrcPort > 0) source.nat = { ip: flow.natSrcAddr, port: flow.natSrcPort };
  if (flow.natDstAddr.length > 0 || flow.natDstPort > 0) destination.nat = { ip: flow.natDstAddr, port: flow.natDstPort };
  if (tools.geoip !== null) {
    tools.geoip.enrich(source);
    tools.geoip.enrich(destination);
  }

  const transport = transportName(protocol);
  const network: NonNullable<EcsEvent['network']> =
    transport === undefined
      ? { iana_number: ianaNumber(protocol), bytes: flow.bytes, packets: flow.packets, direction: tenancy.direction }
      : { transport, iana_number: ianaNumber(protocol), bytes: flow.bytes, packets: flow.packets, direction: tenancy.direction };
  if (flow.ipVersion === 4) network.type = 'ipv4';
  else if (flow.ipVersion === 6) network.type = 'ipv6';

  // sFlow names the metering device in the datagram; NetFlow/IPFIX only by the packet's source address.
  const relayed = sflow && flow.agentAddress.length > 0 && flow.agentAddress !== ctx.exporter;
  const device = relayed ? flow.agentAddress : ctx.exporter;
  const observer: NonNullable<EcsEvent['observer']> = { ip: relayed ? [device, ctx.exporter] : [device] };
  if (flow.inIf > 0) observer.ingress = { interface: interfaceOf(names, device, flow.inIf) };
  if (flow.outIf > 0) observer.egress = { interface: interfaceOf(names, device, flow.outIf) };

  const netflow: NetflowEventFields = {
    exporter: { address: ctx.exporter, format: flow.format, version: VERSION[flow.format], source_id: flow.sourceId },
    sampling_interval: flow.samplingRate,
    ip_class_of_service: flow.tos,
  };
  if (relayed) netflow.exporter.agent_address = flow.agentAddress;
  if (tenancy.destinationAgency !== null) {
    netflow.cross_agency = true;
    netflow.destination_organization_id = tenancy.destinationAgency.id;
  }
  if (protocol === 6) netflow.tcp_control_bits = flow.tcpFlags;
  if (flow.direction !== 'unknown') netflow.flow_direction = flow.direction;
  if (flow.srcMask > 0) netflow.source_prefix_length = flow.srcMask;
  if (flow.dstMask > 0) netflow.destination_prefix_length = flow.dstMask;
  if (!isUnsetAddress(flow.nextHop)) netflow.ip_next_hop_address = flow.nextHop;
  if (!isUnsetAddress(flow.bgpNextHop)) netflow.bgp_next_hop_address = flow.bgpNextHop;
  if (flow.srcVlan > 0) netflow.vlan_id = flow.srcVlan;
  if (flow.dstVlan > 0) netflow.post_vlan_id = flow.dstVlan;
  if (icmp && flow.icmpType >= 0) {
    netflow.icmp_type = flow.icmpType;
    netflow.icmp_code = flow.icmpCode;
  }
  if (flow.flowEndReason > 0) netflow.flow_end_reason = END_REASONS[flow.flowEndReason] ?? String(flow.flowEndReason);
  if (flow.applicationId.length > 0) netflow.application_id = flow.applicationId;
  if (flow.extra !== null) netflow.extra = flow.extra;

  return {
    '@timestamp': endIso,
    event: {
      id: tools.ids.next(),
      created: ctx.receivedIso,
      ingested: ctx.receivedIso,
      kind: 'event',
      category: ['network'],
      type: ['connection'],
      dataset: sflow ? 'sflow.flow' : 'netflow.flow',
      module: sflow ? 'sflow' : 'netflow',
      start: startIso,
      end: endIso,
      duration: (endMs - startMs) * 1_000_000,
    },
    organization: { id: agency.id, name: agency.name },
    source,
    destination,
    network,
    observer,
    netflow,
  };
}
