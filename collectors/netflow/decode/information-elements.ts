/**
 * The IANA IPFIX information elements socnoc reads (https://www.iana.org/assignments/ipfix), and what each
 * becomes in a FlowRecord. NetFlow v9 field types 1-127 are the same numbers with the same meaning
 * (RFC 3954 s8 was the seed of the IPFIX registry), so one table serves both.
 *
 * Each element maps to an op code that the record decoder switches on. An op is only chosen when the
 * template's field length fits it (an IPv4 address must be 4 bytes), so the per-record loop never checks.
 * Elements not in the table, and every enterprise-specific element, become FlowRecord.extra (hex).
 */

// Op codes: plain integer constants so the record decoder's switch compiles to a jump table.
export const OP_EXTRA = 0;
export const OP_IGNORE = 1;
export const OP_BYTES = 2;
export const OP_PACKETS = 3;
export const OP_PROTOCOL = 4;
export const OP_TOS = 5;
export const OP_TCP_FLAGS = 6;
export const OP_SRC_PORT = 7;
export const OP_DST_PORT = 8;
export const OP_SRC_V4 = 9;
export const OP_DST_V4 = 10;
export const OP_SRC_V6 = 11;
export const OP_DST_V6 = 12;
export const OP_SRC_MASK = 13;
export const OP_DST_MASK = 14;
export const OP_IN_IF = 15;
export const OP_OUT_IF = 16;
export const OP_NEXT_HOP_V4 = 17;
export const OP_NEXT_HOP_V6 = 18;
export const OP_BGP_NEXT_HOP_V4 = 19;
export const OP_BGP_NEXT_HOP_V6 = 20;
export const OP_SRC_AS = 21;
export const OP_DST_AS = 22;
export const OP_END_UPTIME = 23;
export const OP_START_UPTIME = 24;
export const OP_START_SEC = 25;
export const OP_END_SEC = 26;
export const OP_START_MS = 27;
export const OP_END_MS = 28;
export const OP_START_NTP = 29;
export const OP_END_NTP = 30;
export const OP_START_DELTA_US = 31;
export const OP_END_DELTA_US = 32;
export const OP_SYS_INIT_MS = 33;
export const OP_DURATION_MS = 34;
export const OP_DURATION_US = 35;
export const OP_ICMP_TYPE_CODE = 36;
export const OP_ICMP_TYPE = 37;
export const OP_ICMP_CODE = 38;
export const OP_SAMPLING_INTERVAL = 39;
export const OP_SAMPLER_ID = 40;
export const OP_SAMPLING_PACKET_INTERVAL = 41;
export const OP_SAMPLING_PACKET_SPACE = 42;
export const OP_SAMPLING_SIZE = 43;
export const OP_SAMPLING_POPULATION = 44;
export const OP_SAMPLING_PROBABILITY = 45;
export const OP_SRC_MAC = 46;
export const OP_DST_MAC = 47;
export const OP_POST_SRC_MAC = 48;
export const OP_POST_DST_MAC = 49;
export const OP_VLAN = 50;
export const OP_POST_VLAN = 51;
export const OP_DIRECTION = 52;
export const OP_FLOW_END_REASON = 53;
export const OP_APPLICATION_ID = 54;
export const OP_NAT_SRC_V4 = 55;
export const OP_NAT_DST_V4 = 56;
export const OP_NAT_SRC_V6 = 57;
export const OP_NAT_DST_V6 = 58;
export const OP_NAT_SRC_PORT = 59;
export const OP_NAT_DST_PORT = 60;

/** How the template length must look for an op to apply. */
type Shape = 'uint' | 'v4' | 'v6' | 'mac' | 'u64' | 'octets' | 'float64' | 'none';

interface ElementDef {
  name: string;
  op: number;
  shape: Shape;
}

// [element id, IANA name, op, value shape]
const TABLE: Array<[number, string, number, Shape]> = [
  [1, 'octetDeltaCount', OP_BYTES, 'uint'],
  [2, 'packetDeltaCount', OP_PACKETS, 'uint'],
  [3, 'deltaFlowCount', OP_IGNORE, 'none'],
  [4, 'protocolIdentifier', OP_PROTOCOL, 'uint'],
  [5, 'ipClassOfService', OP_TOS, 'uint'],
  [6, 'tcpControlBits', OP_TCP_FLAGS, 'uint'],
  [7, 'sourceTransportPort', OP_SRC_PORT, 'uint'],
  [8, 'sourceIPv4Address', OP_SRC_V4, 'v4'],
  [9, 'sourceIPv4PrefixLength', OP_SRC_MASK, 'uint'],
  [10, 'ingressInterface', OP_IN_IF, 'uint'],
  [11, 'destinationTransportPort', OP_DST_PORT, 'uint'],
  [12, 'destinationIPv4Address', OP_DST_V4, 'v4'],
  [13, 'destinationIPv4PrefixLength', OP_DST_MASK, 'uint'],
  [14, 'egressInterface', OP_OUT_IF, 'uint'],
  [15, 'ipNextHopIPv4Address', OP_NEXT_HOP_V4, 'v4'],
  [16, 'bgpSourceAsNumber', OP_SRC_AS, 'uint'],
  [17, 'bgpDestinationAsNumber', OP_DST_AS, 'uint'],
  [18, 'bgpNextHopIPv4Address', OP_BGP_NEXT_HOP_V4, 'v4'],
  [19, 'postMCastPacketDeltaCount', OP_IGNORE, 'none'],
  [20, 'postMCastOctetDeltaCount', OP_IGNORE, 'none'],
  [21, 'flowEndSysUpTime', OP_END_UPTIME, 'uint'],
  [22, 'flowStartSysUpTime', OP_START_UPTIME, 'uint'],
  // v9 OUT_BYTES/OUT_PKTS: the egress-side count of the same flow, not a second direction.
  [23, 'postOctetDeltaCount', OP_IGNORE, 'none'],
  [24, 'postPacketDeltaCount', OP_IGNORE, 'none'],
  [25, 'minimumIpTotalLength', OP_IGNORE, 'none'],
  [26, 'maximumIpTotalLength', OP_IGNORE, 'none'],
  [27, 'sourceIPv6Address', OP_SRC_V6, 'v6'],
  [28, 'destinationIPv6Address', OP_DST_V6, 'v6'],
  [29, 'sourceIPv6PrefixLength', OP_SRC_MASK, 'uint'],
  [30, 'destinationIPv6PrefixLength', OP_DST_MASK, 'uint'],
  [31, 'flowLabelIPv6', OP_IGNORE, 'none'],
  [32, 'icmpTypeCodeIPv4', OP_ICMP_TYPE_CODE, 'uint'],
  [33, 'igmpType', OP_IGNORE, 'none'],
  [34, 'samplingInterval', OP_SAMPLING_INTERVAL, 'uint'],
  [35, 'samplingAlgorithm', OP_IGNORE, 'none'],
  [36, 'flowActiveTimeout', OP_IGNORE, 'none'],
  [37, 'flowIdleTimeout', OP_IGNORE, 'none'],
  [38, 'engineType', OP_IGNORE, 'none'],
  [39, 'engineId', OP_IGNORE, 'none'],
  [40, 'exportedOctetTotalCount', OP_IGNORE, 'none'],
  [41, 'exportedMessageTotalCount', OP_IGNORE, 'none'],
  [42, 'exportedFlowRecordTotalCount', OP_IGNORE, 'none'],
  [48, 'samplerId', OP_SAMPLER_ID, 'uint'],
  [49, 'samplerMode', OP_IGNORE, 'none'],
  [50, 'samplerRandomInterval', OP_SAMPLING_INTERVAL, 'uint'],
  [52, 'minimumTTL', OP_IGNORE, 'none'],
  [53, 'maximumTTL', OP_IGNORE, 'none'],
  [54, 'fragmentIdentification', OP_IGNORE, 'none'],
  [55, 'postIpClassOfService', OP_IGNORE, 'none'],
  [56, 'sourceMacAddress', OP_SRC_MAC, 'mac'],
  [57, 'postDestinationMacAddress', OP_POST_DST_MAC, 'mac'],
  [58, 'vlanId', OP_VLAN, 'uint'],
  [59, 'postVlanId', OP_POST_VLAN, 'uint'],
  [60, 'ipVersion', OP_IGNORE, 'none'],
  [61, 'flowDirection', OP_DIRECTION, 'uint'],
  [62, 'ipNextHopIPv6Address', OP_NEXT_HOP_V6, 'v6'],
  [63, 'bgpNextHopIPv6Address', OP_BGP_NEXT_HOP_V6, 'v6'],
  [64, 'ipv6ExtensionHeaders', OP_IGNORE, 'none'],
  [80, 'destinationMacAddress', OP_DST_MAC, 'mac'],
  [81, 'postSourceMacAddress', OP_POST_SRC_MAC, 'mac'],
  [82, 'interfaceName', OP_IGNORE, 'none'],
  [83, 'interfaceDescription', OP_IGNORE, 'none'],
  [84, 'samplerName', OP_IGNORE, 'none'],
  [85, 'octetTotalCount', OP_BYTES, 'uint'],
  [86, 'packetTotalCount', OP_PACKETS, 'uint'],
  [88, 'fragmentOffset', OP_IGNORE, 'none'],
  [89, 'forwardingStatus', OP_IGNORE, 'none'],
  [95, 'applicationId', OP_APPLICATION_ID, 'octets'],
  [136, 'flowEndReason', OP_FLOW_END_REASON, 'uint'],
  [139, 'icmpTypeCodeIPv6', OP_ICMP_TYPE_CODE, 'uint'],
  [143, 'meteringProcessId', OP_IGNORE, 'none'],
  [144, 'exportingProcessId', OP_IGNORE, 'none'],
  [148, 'flowId', OP_IGNORE, 'none'],
  [149, 'observationDomainId', OP_IGNORE, 'none'],
  [150, 'flowStartSeconds', OP_START_SEC, 'uint'],
  [151, 'flowEndSeconds', OP_END_SEC, 'uint'],
  [152, 'flowStartMilliseconds', OP_START_MS, 'uint'],
  [153, 'flowEndMilliseconds', OP_END_MS, 'uint'],
  [154, 'flowStartMicroseconds', OP_START_NTP, 'u64'],
  [155, 'flowEndMicroseconds', OP_END_NTP, 'u64'],
  [156, 'flowStartNanoseconds', OP_START_NTP, 'u64'],
  [157, 'flowEndNanoseconds', OP_END_NTP, 'u64'],
  [158, 'flowStartDeltaMicroseconds', OP_START_DELTA_US, 'uint'],
  [159, 'flowEndDeltaMicroseconds', OP_END_DELTA_US, 'uint'],
  [160, 'systemInitTimeMilliseconds', OP_SYS_INIT_MS, 'uint'],
  [161, 'flowDurationMilliseconds', OP_DURATION_MS, 'uint'],
  [162, 'flowDurationMicroseconds', OP_DURATION_US, 'uint'],
  [176, 'icmpTypeIPv4', OP_ICMP_TYPE, 'uint'],
  [177, 'icmpCodeIPv4', OP_ICMP_CODE, 'uint'],
  [178, 'icmpTypeIPv6', OP_ICMP_TYPE, 'uint'],
  [179, 'icmpCodeIPv6', OP_ICMP_CODE, 'uint'],
  [180, 'udpSourcePort', OP_SRC_PORT, 'uint'],
  [181, 'udpDestinationPort', OP_DST_PORT, 'uint'],
  [182, 'tcpSourcePort', OP_SRC_PORT, 'uint'],
  [183, 'tcpDestinationPort', OP_DST_PORT, 'uint'],
  [192, 'ipTTL', OP_IGNORE, 'none'],
  [225, 'postNATSourceIPv4Address', OP_NAT_SRC_V4, 'v4'],
  [226, 'postNATDestinationIPv4Address', OP_NAT_DST_V4, 'v4'],
  [227, 'postNAPTSourceTransportPort', OP_NAT_SRC_PORT, 'uint'],
  [228, 'postNAPTDestinationTransportPort', OP_NAT_DST_PORT, 'uint'],
  [243, 'dot1qVlanId', OP_VLAN, 'uint'],
  [254, 'postDot1qVlanId', OP_POST_VLAN, 'uint'],
  [281, 'postNATSourceIPv6Address', OP_NAT_SRC_V6, 'v6'],
  [282, 'postNATDestinationIPv6Address', OP_NAT_DST_V6, 'v6'],
  [302, 'selectorId', OP_SAMPLER_ID, 'uint'],
  [304, 'selectorAlgorithm', OP_IGNORE, 'none'],
  [305, 'samplingPacketInterval', OP_SAMPLING_PACKET_INTERVAL, 'uint'],
  [306, 'samplingPacketSpace', OP_SAMPLING_PACKET_SPACE, 'uint'],
  [309, 'samplingSize', OP_SAMPLING_SIZE, 'uint'],
  [310, 'samplingPopulation', OP_SAMPLING_POPULATION, 'uint'],
  [311, 'samplingProbability', OP_SAMPLING_PROBABILITY, 'float64'],
  [323, 'observationTimeMilliseconds', OP_IGNORE, 'none'],
];

const ELEMENTS = new Map<number, ElementDef>();
for (const [id, name, op, shape] of TABLE) ELEMENTS.set(id, { name, op, shape });

/** Template field length meaning "variable length" (RFC 7011 s7). */
export const VARIABLE_LENGTH = 65535;

export function informationElementName(enterprise: number, id: number): string {
  if (enterprise !== 0) return `${enterprise}.${id}`;
  return ELEMENTS.get(id)?.name ?? `ie${id}`;
}

function shapeFits(shape: Shape, length: number): boolean {
  switch (shape) {
    case 'uint':
      return length >= 1 && length <= 8;
    case 'v4':
      return length === 4;
    case 'v6':
      return length === 16;
    case 'mac':
      return length === 6;
    case 'u64':
      return length === 8;
    case 'float64':
      return length === 4 || length === 8;
    case 'octets':
      return length >= 1;
    case 'none':
      return true;
  }
}

/** The op for a template field; EXTRA for enterprise elements, unknown IDs and lengths that do not fit. */
export function fieldOp(enterprise: number, id: number, length: number): number {
  if (enterprise !== 0) return OP_EXTRA;
  const def = ELEMENTS.get(id);
  if (!def) return OP_EXTRA;
  if (def.op === OP_IGNORE) return OP_IGNORE;
  if (length === VARIABLE_LENGTH) return def.shape === 'octets' ? def.op : OP_EXTRA;
  return shapeFits(def.shape, length) ? def.op : OP_EXTRA;
}
