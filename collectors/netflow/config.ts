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

const defaults = {
  enabled: true,
  listeners: DEFAULT_FLOW_LISTENERS,
  // Flow exporters burst (a router flushing its cache sends thousands of datagrams at once): 8 MiB holds
  // ~5,500 full-size datagrams while the event loop is busy. Linux caps it at net.core.rmem_max.
  udpReceiveBufferBytes: 8 * 1024 * 1024,
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
};

export const netflowConfigSchema = z
  .object({
    enabled: z.boolean().default(defaults.enabled),
    listeners: z.array(flowListenerSchema).default(defaults.listeners),
    /** SO_RCVBUF requested for each UDP socket; the granted size is logged (and a warning when smaller). */
    udpReceiveBufferBytes: z.number().int().positive().default(defaults.udpReceiveBufferBytes),
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
     * Raw flow records in the event store, beside the per-minute aggregates (read by flow storage, not by
     * the collector, which always hands every flow to the pipeline for analytics and aggregation).
     */
    rawFlows: z
      .object({
        enabled: z.boolean().default(rawFlowsDefaults.enabled),
        retentionDays: z.number().int().positive().default(rawFlowsDefaults.retentionDays),
      })
      .strict()
      .default(rawFlowsDefaults),
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
