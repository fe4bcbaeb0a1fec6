/** The `netflow:` section of socnoc.yaml: flow listeners (NetFlow v5/v9, IPFIX, sFlow) and their limits. */
import { z } from 'zod';
import { parseCidr } from '../../core/net/ip';

const port = z.number().int().min(0).max(65535);

const cidr = z.string().refine((text) => {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
}, 'not an IPv4 or IPv6 CIDR or address');

const listenerBase = {
  /** Metrics input `netflow/<name>`; unique. */
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'listener name may hold letters, digits, dot, dash and underscore'),
  host: z.string().default('::'),
  port,
  /** Agency for flows no address mapping claims (see normalize/flow-event.ts for the order). */
  agency: z.string().optional(),
};

/**
 * UDP listeners accept every format (the version field tells NetFlow v5, v9, IPFIX and sFlow v5 apart),
 * so an exporter pointed at the "wrong" standard port still works. TCP carries IPFIX only (RFC 7011 s10.4).
 */
export const flowListenerSchema = z.discriminatedUnion('transport', [
  z.object({ ...listenerBase, transport: z.literal('udp') }).strict(),
  z.object({ ...listenerBase, transport: z.literal('tcp') }).strict(),
]);
export type FlowListenerConfig = z.infer<typeof flowListenerSchema>;

/** ARCHITECTURE.md default ports: NetFlow v5/v9 2055, IPFIX 4739 (UDP and TCP), sFlow 6343. */
export const DEFAULT_FLOW_LISTENERS: FlowListenerConfig[] = [
  { name: 'udp-2055', transport: 'udp', host: '::', port: 2055 },
  { name: 'udp-4739', transport: 'udp', host: '::', port: 4739 },
  { name: 'tcp-4739', transport: 'tcp', host: '::', port: 4739 },
  { name: 'udp-6343', transport: 'udp', host: '::', port: 6343 },
];

/** RFC 1918 and RFC 4193: "internal" for network.direction unless configured otherwise. */
export const DEFAULT_INTERNAL_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'];

const rawFlowsDefaults = { enabled: false, retentionDays: 7 };

/**
 * Ports kept as they are in aggregates although above 1023: the services a Metronet runs or attackers
 * look for (databases, RDP, VNC, proxies, management). Other ports above 1023 are ephemeral client ports,
 * folded to 0 so that one conversation is one aggregate row instead of one per connection.
 */
export const DEFAULT_SERVICE_PORTS = [
  1080, 1194, 1433, 1434, 1521, 1701, 1723, 1812, 1813, 1883, 2049, 2082, 2083, 2222, 2375, 2376, 3128, 3268, 3269, 3306, 3389, 4500,
  5060, 5061, 5432, 5601, 5671, 5672, 5900, 5901, 5985, 5986, 6379, 6443, 6514, 8000, 8008, 8080, 8081, 8443, 8888, 9000, 9090, 9092,
  9200, 9300, 9443, 10050, 10051, 11211, 27017,
];

const aggregateDefaults = {
  enabled: true,
  retentionDays: 90,
  maxKeysPerMinute: 200_000,
  maxKeysPerHour: 500_000,
  graceSeconds: 60,
  maxLatenessSeconds: 3600,
  servicePorts: DEFAULT_SERVICE_PORTS,
};

const summaryDefaults = { enabled: true, topN: 20, maxTracked: 50_000, maxDistinct: 1024, timezone: 'Asia/Ho_Chi_Minh' };

const hourlyBaselineDefaults = { enabled: true, halfLifeDays: 7, warmupDays: 3, maxKeys: 20_000 };
const baselineDefaults = { enabled: true, halfLifeMinutes: 1440, warmupMinutes: 120, maxKeys: 100_000, hourly: hourlyBaselineDefaults };

const newServicesDefaults = { enabled: true, learningMinutes: 1440, maxKeys: 100_000 };

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not an IANA timezone (e.g. Asia/Ho_Chi_Minh)');

/**
 * Flows published for detection when raw flows are off (netflow.toCorrelation): only those a shipped flow
 * rule or intel can match (docs/flows.md, "Flows for correlation"). The port lists are the destination
 * ports the rules in rules/sigma/socnoc/flow/ select (correlation-filter.test.ts checks every positive case
 * of those rules passes).
 */
export const DEFAULT_CORRELATION_TCP_PORTS = [
  21, 22, 23, 139, 445, 512, 513, 1337, 1433, 3306, 3333, 3389, 4444, 5432, 5555, 5900, 5985, 5986, 6665, 6666, 6667, 6668, 6669, 6697,
  7777, 9001, 9030, 9050, 9150, 12345, 12346, 14433, 14444, 27374, 31337, 45560, 45700,
];
const correlationDefaults = {
  flows: 'matching' as 'matching' | 'all',
  tcpPorts: DEFAULT_CORRELATION_TCP_PORTS,
  udpPorts: [161, 162],
  anyPorts: [853],
  maxProbePackets: 3,
  minBytes: 1_000_000,
};

const geoipDefaults = { enabled: true, countryDatabase: '', asnDatabase: '', cacheSize: 65_536 };

const defaults = {
  enabled: true,
  listeners: DEFAULT_FLOW_LISTENERS,
  // Flow exporters burst (a router flushing its cache sends thousands of datagrams at once): 8 MiB holds
  // ~5,500 full-size datagrams while the event loop is busy. Linux caps it at net.core.rmem_max.
  udpReceiveBufferBytes: 8 * 1024 * 1024,
  // A minute close and day-file writes hold the main thread for up to seconds at 100k flows/s; a thread
  // that only receives keeps the kernel buffer drained meanwhile (bench/flows-loss.ts).
  receiveThread: true,
  receiveThreadMaxBytes: 64 * 1024 * 1024,
  // Cisco refreshes templates every 30 min by default; three missed refreshes is the usual collector rule.
  templateTimeoutSeconds: 90 * 60,
  maxTemplateDomains: 4096,
  earlyDataMaxSets: 256,
  earlyDataMaxBytes: 1024 * 1024,
  earlyDataMaxAgeSeconds: 10,
  tcpIdleTimeoutSeconds: 600,
  maxConnections: 1000,
  internalNetworks: DEFAULT_INTERNAL_NETWORKS,
  rawFlows: rawFlowsDefaults,
  toCorrelation: true,
  correlation: correlationDefaults,
  aggregate: aggregateDefaults,
  summary: summaryDefaults,
  baseline: baselineDefaults,
  newServices: newServicesDefaults,
  geoip: geoipDefaults,
};

export const netflowConfigSchema = z
  .object({
    enabled: z.boolean().default(defaults.enabled),
    listeners: z.array(flowListenerSchema).default(defaults.listeners),
    /** SO_RCVBUF requested for each UDP socket; the granted size is logged (and a warning when smaller). */
    udpReceiveBufferBytes: z.number().int().positive().default(defaults.udpReceiveBufferBytes),
    /** UDP listeners receive in a worker thread that hands datagrams to the main thread in batches. */
    receiveThread: z.boolean().default(defaults.receiveThread),
    /** Receive thread: bytes received and not yet handled by the main thread; datagrams beyond are dropped and counted. */
    receiveThreadMaxBytes: z.number().int().min(65_536).default(defaults.receiveThreadMaxBytes),
    /** A NetFlow v9 / IPFIX-over-UDP template not refreshed for this long is forgotten; 0 keeps templates. */
    templateTimeoutSeconds: z.number().int().min(0).default(defaults.templateTimeoutSeconds),
    /** Exporter + observation domain pairs remembered (least recently used evicted beyond). */
    maxTemplateDomains: z.number().int().positive().default(defaults.maxTemplateDomains),
    /** Data sets that arrive before their template are held this long (bounded by count and bytes); 0 sets disables. */
    earlyDataMaxSets: z.number().int().min(0).default(defaults.earlyDataMaxSets),
    earlyDataMaxBytes: z.number().int().min(0).default(defaults.earlyDataMaxBytes),
    earlyDataMaxAgeSeconds: z.number().int().min(0).default(defaults.earlyDataMaxAgeSeconds),
    /** IPFIX over TCP: close a connection silent for this long (0 never); the exporter reconnects and resends templates. */
    tcpIdleTimeoutSeconds: z.number().int().min(0).default(defaults.tcpIdleTimeoutSeconds),
    maxConnections: z.number().int().positive().default(defaults.maxConnections),
    /**
     * Networks inside the perimeter, for network.direction (inbound / outbound / internal / external).
     * Agency CIDRs always count as internal too.
     */
    internalNetworks: z.array(cidr).default(defaults.internalNetworks),
    /**
     * Raw flow records as events in the event store, beside the per-minute aggregates. Off by default:
     * at Metronet rates one event per flow is most of the store (aggregates are ~100x fewer rows).
     */
    rawFlows: z
      .object({
        enabled: z.boolean().default(rawFlowsDefaults.enabled),
        retentionDays: z.number().int().positive().default(rawFlowsDefaults.retentionDays),
      })
      .strict()
      .default(rawFlowsDefaults),
    /**
     * Raw flows off: still publish each normalized flow to the bus for detection (Sigma, intel, cleartext
     * protocols), marked not to be stored (`socnoc.store: false`, core/event-hints.ts). Ignored when raw flows are on.
     */
    toCorrelation: z.boolean().default(defaults.toCorrelation),
    /** Which flows toCorrelation publishes: `matching` (default) those a flow rule or intel can match, `all` every flow. */
    correlation: z
      .object({
        /** `all` for custom Sigma rules on flow events that the lists below do not cover. */
        flows: z.enum(['matching', 'all']).default(correlationDefaults.flows),
        /** TCP flows to these destination ports are published. */
        tcpPorts: z.array(port).default(correlationDefaults.tcpPorts),
        /** UDP flows to these destination ports are published (SNMP across zones). */
        udpPorts: z.array(port).default(correlationDefaults.udpPorts),
        /** Flows of any protocol to these destination ports are published (DNS over TLS / QUIC). */
        anyPorts: z.array(port).default(correlationDefaults.anyPorts),
        /** TCP flows of at most this many packets (probe-sized: the port-scan correlation) are published; 0 none. */
        maxProbePackets: z.number().int().min(0).default(correlationDefaults.maxProbePackets),
        /** Flows of at least this many bytes are published (large DNS transfers); 0 none. */
        minBytes: z.number().int().min(0).default(correlationDefaults.minBytes),
      })
      .strict()
      .default(correlationDefaults),
    /** Per-minute aggregates in `<dataDir>/flows/flows-YYYYMMDD.db`, what /api/v1/flows reads. */
    aggregate: z
      .object({
        enabled: z.boolean().default(aggregateDefaults.enabled),
        /** Day files older than this are deleted. */
        retentionDays: z.number().int().positive().default(aggregateDefaults.retentionDays),
        /** Distinct keys held per minute; further flows are folded into one "other" row per exporter and agency (counted). */
        maxKeysPerMinute: z.number().int().positive().default(aggregateDefaults.maxKeysPerMinute),
        /** A minute is written this long after it ends, so that flows exported a little late still land in it. */
        graceSeconds: z.number().int().min(0).max(3600).default(aggregateDefaults.graceSeconds),
        /** Flows ending further back than this (or in the future) are counted in the minute they arrive (exporter clock skew). */
        maxLatenessSeconds: z.number().int().min(60).max(86_400).default(aggregateDefaults.maxLatenessSeconds),
        /** Keys held per hour for the hourly rollup (what day-long queries read); further keys fold into "other" rows. */
        maxKeysPerHour: z.number().int().positive().default(aggregateDefaults.maxKeysPerHour),
        /** Ports above 1023 kept in aggregates; others above 1023 are folded to 0. */
        servicePorts: z.array(port).default(aggregateDefaults.servicePorts),
      })
      .strict()
      .default(aggregateDefaults),
    /** Per-minute `netflow.summary` events for flow analytics (scans, DDoS, exfiltration); see docs/flows.md. */
    summary: z
      .object({
        enabled: z.boolean().default(summaryDefaults.enabled),
        /** Per minute and ranking (distinct ports, distinct hosts, outbound bytes; bytes, packets, distinct sources), the N highest. */
        topN: z.number().int().min(1).max(1000).default(summaryDefaults.topN),
        /** Sources and destinations tracked per minute; beyond, flows are left out of summaries (counted). */
        maxTracked: z.number().int().positive().default(summaryDefaults.maxTracked),
        /** Distinct ports / hosts / sources counted per address up to this value. */
        maxDistinct: z.number().int().min(2).max(65536).default(summaryDefaults.maxDistinct),
        /** Timezone of `netflow.summary.local_hour` (night-time rules): the agencies' local time. */
        timezone: timezone.default(summaryDefaults.timezone),
      })
      .strict()
      .default(summaryDefaults),
    /**
     * Learned per-address baselines on summary events (docs/flows.md): packets per minute per destination,
     * outbound bytes per minute per internal source; saved in `<dataDir>/flows/flow-state.db`.
     */
    baseline: z
      .object({
        enabled: z.boolean().default(baselineDefaults.enabled),
        /** Minutes after which a minute's weight in the baseline has halved (1440: the baseline spans about a day). */
        halfLifeMinutes: z.number().positive().max(525_600).default(baselineDefaults.halfLifeMinutes),
        /** An address's baseline counts as warm (rules use it) once learned this long. */
        warmupMinutes: z.number().int().min(0).default(baselineDefaults.warmupMinutes),
        /** Addresses remembered per baseline (destinations, sources); the least recently seen is forgotten. */
        maxKeys: z.number().int().positive().default(baselineDefaults.maxKeys),
        /** Per internal source, an hour-of-day profile (24 buckets) of outbound bytes per minute: the upload rules' baseline. */
        hourly: z
          .object({
            enabled: z.boolean().default(hourlyBaselineDefaults.enabled),
            /** Days after which a day's weight in an hour's bucket has halved. */
            halfLifeDays: z.number().positive().max(365).default(hourlyBaselineDefaults.halfLifeDays),
            /** A source's profile is warm (rules use it) once learned this many days. */
            warmupDays: z.number().min(0).max(365).default(hourlyBaselineDefaults.warmupDays),
            /** Sources profiled (24 x 3 numbers each); the least recently seen is forgotten. */
            maxKeys: z.number().int().positive().default(hourlyBaselineDefaults.maxKeys),
          })
          .strict()
          .default(hourlyBaselineDefaults),
      })
      .strict()
      .default(baselineDefaults),
    /** `new_external_service` summary events: an internal address answering outside addresses on a new (protocol, port). */
    newServices: z
      .object({
        enabled: z.boolean().default(newServicesDefaults.enabled),
        /** After socnoc first sees flows, services are recorded silently for this long (the existing ones). */
        learningMinutes: z.number().int().min(0).default(newServicesDefaults.learningMinutes),
        /** Services remembered; the least recently seen is forgotten (and reported again if it returns). */
        maxKeys: z.number().int().positive().default(newServicesDefaults.maxKeys),
      })
      .strict()
      .default(newServicesDefaults),
    /** Country and AS of public addresses on flow events. */
    geoip: z
      .object({
        enabled: z.boolean().default(geoipDefaults.enabled),
        /** MaxMind-format country database; empty uses the shipped CC0 @ip-location-db/geo-whois-asn-country. */
        countryDatabase: z.string().default(geoipDefaults.countryDatabase),
        /** MaxMind-format ASN database (GeoLite2-ASN or compatible); empty: no AS lookups. */
        asnDatabase: z.string().default(geoipDefaults.asnDatabase),
        /** Addresses whose answers are remembered. */
        cacheSize: z.number().int().min(0).default(geoipDefaults.cacheSize),
      })
      .strict()
      .default(geoipDefaults),
  })
  .strict()
  .default(defaults);

export type NetflowConfig = z.infer<typeof netflowConfigSchema>;

/** Cross-field checks zod cannot express per key: unique listener names, known agencies. Returns problems as `path: message`. */
export function checkNetflowConfig(config: NetflowConfig, agencyIds: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const sockets = new Set<string>();
  for (const l of config.listeners) {
    if (names.has(l.name)) problems.push(`netflow.listeners: duplicate listener name "${l.name}"`);
    names.add(l.name);
    const socket = `${l.transport}/${l.host}/${l.port}`;
    if (l.port !== 0 && sockets.has(socket)) problems.push(`netflow.listeners.${l.name}: ${l.transport} ${l.host} port ${l.port} is already used by another listener`);
    sockets.add(socket);
    if (l.agency !== undefined && !agencyIds.has(l.agency)) problems.push(`netflow.listeners.${l.name}.agency: unknown agency "${l.agency}"`);
  }
  return problems;
}
