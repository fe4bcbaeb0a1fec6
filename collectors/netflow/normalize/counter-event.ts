/**
 * An sFlow counter sample (RFC 2863 interface counters, RFC 3635 Ethernet counters) as an ECS metric event,
 * event.dataset `sflow.counters`. Counters are the device's running totals, as sent: rates are the
 * consumer's job (difference of two samples of the same agent, source and ifIndex).
 */
import type { EcsEvent } from '../../../core/event';
import type { EthernetCounters, InterfaceCounterRecord } from '../decode/types';
import type { FlowEventIds } from './event-ids';
import type { FlowPacketContext } from './flow-tenancy';
import { interfaceOf, type InterfaceNameResolver } from './interface-names';

/** RFC 2863 direction as sFlow encodes it (0 unknown, 1 full-duplex, 2 half-duplex, 3 in, 4 out). */
const IF_DIRECTIONS = ['unknown', 'full-duplex', 'half-duplex', 'in', 'out'];

export interface SflowCounterTotals {
  octets: number;
  unicast_packets: number;
  multicast_packets: number;
  broadcast_packets: number;
  discards: number;
  errors: number;
}

/** The `sflow` namespace of a counter event. */
export interface SflowCounterFields {
  agent_address: string;
  sub_agent_id: number;
  source_id: number;
  sequence: number;
  uptime_ms: number;
  interface: {
    index: number;
    type: number;
    /** bits per second */
    speed: number;
    direction: string;
    admin_status: 'up' | 'down';
    oper_status: 'up' | 'down';
    promiscuous: boolean;
  };
  in: SflowCounterTotals & { unknown_protocols: number };
  out: SflowCounterTotals;
  ethernet?: {
    alignment_errors: number;
    fcs_errors: number;
    single_collision_frames: number;
    multiple_collision_frames: number;
    sqe_test_errors: number;
    deferred_transmissions: number;
    late_collisions: number;
    excessive_collisions: number;
    internal_mac_transmit_errors: number;
    carrier_sense_errors: number;
    frame_too_longs: number;
    internal_mac_receive_errors: number;
    symbol_errors: number;
  };
}

function ethernetFields(e: EthernetCounters): NonNullable<SflowCounterFields['ethernet']> {
  return {
    alignment_errors: e.alignmentErrors,
    fcs_errors: e.fcsErrors,
    single_collision_frames: e.singleCollisionFrames,
    multiple_collision_frames: e.multipleCollisionFrames,
    sqe_test_errors: e.sqeTestErrors,
    deferred_transmissions: e.deferredTransmissions,
    late_collisions: e.lateCollisions,
    excessive_collisions: e.excessiveCollisions,
    internal_mac_transmit_errors: e.internalMacTransmitErrors,
    carrier_sense_errors: e.carrierSenseErrors,
    frame_too_longs: e.frameTooLongs,
    internal_mac_receive_errors: e.internalMacReceiveErrors,
    symbol_errors: e.symbolErrors,
  };
}

export function buildCounterEvent(rec: InterfaceCounterRecord, ctx: FlowPacketContext, names: InterfaceNameResolver, ids: FlowEventIds): EcsEvent {
  const relayed = rec.agentAddress.length > 0 && rec.agentAddress !== ctx.exporter;
  const device = relayed ? rec.agentAddress : ctx.exporter;
  const iface = interfaceOf(names, device, rec.ifIndex);
  const agency = ctx.fallbackAgency;
  const sflow: SflowCounterFields = {
    agent_address: rec.agentAddress.length > 0 ? rec.agentAddress : ctx.exporter,
    sub_agent_id: rec.subAgentId,
    source_id: rec.sourceId,
    sequence: rec.sequence,
    uptime_ms: rec.uptimeMs,
    interface: {
      index: rec.ifIndex,
      type: rec.ifType,
      speed: rec.ifSpeed,
      direction: IF_DIRECTIONS[rec.ifDirection] ?? 'unknown',
      admin_status: rec.adminUp ? 'up' : 'down',
      oper_status: rec.operUp ? 'up' : 'down',
      promiscuous: rec.promiscuous,
    },
    in: {
      octets: rec.inOctets,
      unicast_packets: rec.inUcastPkts,
      multicast_packets: rec.inMulticastPkts,
      broadcast_packets: rec.inBroadcastPkts,
      discards: rec.inDiscards,
      errors: rec.inErrors,
      unknown_protocols: rec.inUnknownProtos,
    },
    out: {
      octets: rec.outOctets,
      unicast_packets: rec.outUcastPkts,
      multicast_packets: rec.outMulticastPkts,
      broadcast_packets: rec.outBroadcastPkts,
      discards: rec.outDiscards,
      errors: rec.outErrors,
    },
  };
  if (rec.ethernet !== null) sflow.ethernet = ethernetFields(rec.ethernet);
  return {
    '@timestamp': ctx.receivedIso,
    event: {
      id: ids.next(),
      created: ctx.receivedIso,
      ingested: ctx.receivedIso,
      kind: 'metric',
      category: ['network'],
      type: ['info'],
      dataset: 'sflow.counters',
      module: 'sflow',
    },
    organization: { id: agency.id, name: agency.name },
    observer: { ip: relayed ? [device, ctx.exporter] : [device] },
    interface: iface,
    sflow,
  };
}
