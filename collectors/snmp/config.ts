/**
 * The `snmp:` section of socnoc.yaml (trap receiver and poller) and the top-level `devices:` list
 * (issue 4's contract: `devices: [{name, address, port, agency, interval_s, parent, snmp: {...}}]`).
 * Every key has a default, so no file at all runs the trap receiver on UDP 10162 and a poller with
 * no devices.
 */
import { z } from 'zod';
import { ConfigError } from '../../core/config';
import { parseDiscoveryRange } from './discovery/cidr';

/** USM authentication protocols net-snmp implements (RFC 3414 MD5/SHA-1, RFC 7860 SHA-2). */
export const AUTH_PROTOCOLS = ['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export type AuthProtocolName = (typeof AUTH_PROTOCOLS)[number];

/**
 * USM privacy protocols: DES, AES-128 (RFC 3826; `aes128` is an alias), and AES-192 and AES-256
 * with either key extension: `aes192`/`aes256` are draft-blumenthal (Net-SNMP's "AES-192"/"AES-256"),
 * `aes192c`/`aes256c` draft-reeder (Cisco's "aes 192"/"aes 256", Net-SNMP's "AES-192-C"/"AES-256-C").
 * net-snmp has no AES-192: usm-aes192.ts registers it.
 */
export const PRIV_PROTOCOLS = ['des', 'aes', 'aes128', 'aes192', 'aes192c', 'aes256', 'aes256c'] as const;
export type PrivProtocolName = (typeof PRIV_PROTOCOLS)[number];

const authProtocol = z.enum(AUTH_PROTOCOLS, { error: `authentication protocol must be one of ${AUTH_PROTOCOLS.join(', ')}` });
const privProtocol = z.enum(PRIV_PROTOCOLS, {
  error: `privacy protocol must be one of ${PRIV_PROTOCOLS.join(', ')}`,
});
/** RFC 3414 §11.2: pass phrases shorter than 8 characters are refused by conforming agents. */
const usmPassword = z.string().min(8, 'USM pass phrases need at least 8 characters (RFC 3414 §11.2)');
const port = z.number().int().min(0).max(65535);
const agencyId = z.string().min(1);

/** A v3 user the trap receiver accepts: no keys = noAuthNoPriv, authKey = authNoPriv, both = authPriv. */
export const trapUserSchema = z
  .object({
    name: z.string().min(1).max(32),
    authProtocol: authProtocol.optional(),
    authKey: usmPassword.optional(),
    privProtocol: privProtocol.optional(),
    privKey: usmPassword.optional(),
  })
  .strict()
  .superRefine((u, ctx) => {
    if ((u.authKey === undefined) !== (u.authProtocol === undefined)) {
      ctx.addIssue({ code: 'custom', message: `user ${u.name}: set authProtocol and authKey together` });
    }
    if ((u.privKey === undefined) !== (u.privProtocol === undefined)) {
      ctx.addIssue({ code: 'custom', message: `user ${u.name}: set privProtocol and privKey together` });
    }
    if (u.privKey !== undefined && u.authKey === undefined) {
      ctx.addIssue({ code: 'custom', message: `user ${u.name}: privacy needs authentication (USM has no noAuthPriv)` });
    }
  });
export type TrapUserConfig = z.infer<typeof trapUserSchema>;

const trapDefaults = {
  enabled: true,
  host: '::',
  port: 10162,
  communities: ['public'],
  users: [] as TrapUserConfig[],
  mibDirs: [] as string[],
  receiveBufferBytes: 4 * 1024 * 1024,
};

export const snmpTrapConfigSchema = z
  .object({
    enabled: z.boolean().default(trapDefaults.enabled),
    /** '::' receives IPv4 and IPv6 (falls back to 0.0.0.0 where IPv6 is disabled). */
    host: z.string().default(trapDefaults.host),
    port: port.default(trapDefaults.port),
    /** Agency for traps whose sender and agent address no agency CIDR covers. */
    agency: agencyId.optional(),
    /**
     * v1/v2c communities accepted; a trap with any other community is refused and counted
     * (`unknown_community`). An empty list refuses v1 and v2c altogether (v3 only). There is no
     * "accept any": communities travel in clear text and are no authentication, but an allow-list
     * still keeps stray or forged senders out of the event store.
     */
    communities: z.array(z.string().min(1)).default(trapDefaults.communities),
    /** SNMPv3 USM users; a v3 trap from any other user (including the empty user) is refused. */
    users: z.array(trapUserSchema).default(trapDefaults.users),
    /**
     * Our SNMP engine ID (hex, 5 to 32 bytes), authoritative for v3 informs. Devices that send v3
     * informs are often configured with it (Cisco: `snmp-server engineID remote`); when unset a
     * random one is made at each start and logged.
     */
    engineId: z
      .string()
      .regex(/^(0x)?([0-9a-fA-F]{2}){5,32}$/, 'engineId must be 5 to 32 bytes of hex')
      .optional(),
    /** Folders of MIB files (SMIv1/SMIv2) whose object and notification names extend the built-in table. */
    mibDirs: z.array(z.string().min(1)).default(trapDefaults.mibDirs),
    receiveBufferBytes: z.number().int().positive().default(trapDefaults.receiveBufferBytes),
  })
  .strict()
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    for (const u of t.users) {
      if (seen.has(u.name)) ctx.addIssue({ code: 'custom', path: ['users'], message: `duplicate v3 user "${u.name}"` });
      seen.add(u.name);
    }
  });
export type SnmpTrapConfig = z.infer<typeof snmpTrapConfigSchema>;

const thresholdDefaults = {
  utilizationPct: 80,
  errorsPerSecond: 1,
  discardsPerSecond: 10,
  cpuPct: 90,
  memoryPct: 90,
};

/**
 * Levels above which the poller emits a measurement event each poll (`interface-utilization-high`,
 * `device-cpu-high`...). How long it must last before an alert is the NOC rules' business; these
 * only keep ordinary polls from producing events.
 */
export const snmpThresholdsSchema = z
  .object({
    utilizationPct: z.number().min(0).max(1000).default(thresholdDefaults.utilizationPct),
    errorsPerSecond: z.number().min(0).default(thresholdDefaults.errorsPerSecond),
    discardsPerSecond: z.number().min(0).default(thresholdDefaults.discardsPerSecond),
    cpuPct: z.number().min(0).max(100).default(thresholdDefaults.cpuPct),
    memoryPct: z.number().min(0).max(100).default(thresholdDefaults.memoryPct),
  })
  .strict();
export type SnmpThresholds = z.infer<typeof snmpThresholdsSchema>;

const pollerDefaults = {
  enabled: true,
  concurrency: 64,
  downConcurrency: 8,
  timeoutMs: 2000,
  retries: 1,
  maxRepetitions: 20,
  defaultIntervalSeconds: 60,
  downAfterMisses: 3,
  spreadStart: true,
  thresholds: thresholdDefaults,
};

export const snmpPollerConfigSchema = z
  .object({
    enabled: z.boolean().default(pollerDefaults.enabled),
    /** Devices polled at once (devices that are up or not yet known). */
    concurrency: z.number().int().min(1).max(4096).default(pollerDefaults.concurrency),
    /**
     * Devices already down are probed in their own, smaller lane, so that a site outage (hundreds of
     * devices timing out) cannot take the slots the live devices need.
     */
    downConcurrency: z.number().int().min(1).max(4096).default(pollerDefaults.downConcurrency),
    /** Per request; a request is sent 1 + retries times before the device counts as unreachable. */
    timeoutMs: z.number().int().min(50).max(60_000).default(pollerDefaults.timeoutMs),
    retries: z.number().int().min(0).max(5).default(pollerDefaults.retries),
    /** GETBULK max-repetitions for table walks; lower it for agents that answer tooBig. */
    maxRepetitions: z.number().int().min(1).max(200).default(pollerDefaults.maxRepetitions),
    defaultIntervalSeconds: z.number().int().min(1).max(86_400).default(pollerDefaults.defaultIntervalSeconds),
    /** Consecutive missed polls after which a device is down. */
    downAfterMisses: z.number().int().min(1).max(100).default(pollerDefaults.downAfterMisses),
    /** Spread first polls over one interval so that thousands of devices do not start together. */
    spreadStart: z.boolean().default(pollerDefaults.spreadStart),
    thresholds: snmpThresholdsSchema.default(thresholdDefaults),
  })
  .strict();
export type SnmpPollerConfig = z.infer<typeof snmpPollerConfigSchema>;

const metricsDefaults = { enabled: true, rawRetentionDays: 2, fiveMinuteRetentionDays: 30, hourlyRetentionDays: 730 };

/**
 * The time series of poll results (`<dataDir>/snmp-metrics/`): raw samples, 5-minute and hourly
 * rollups, each tier kept longer than the one before (2,000 devices × 50 interfaces make about
 * 144 million raw rows a day, 29 million 5-minute and 2.4 million hourly ones).
 */
export const snmpMetricsConfigSchema = z
  .object({
    enabled: z.boolean().default(metricsDefaults.enabled),
    /** Days of raw samples (one per poll). */
    rawRetentionDays: z.number().int().min(1).max(3650).default(metricsDefaults.rawRetentionDays),
    /** Days of 5-minute rollups (average and maximum). */
    fiveMinuteRetentionDays: z.number().int().min(1).max(3650).default(metricsDefaults.fiveMinuteRetentionDays),
    /** Days of hourly rollups (average and maximum). */
    hourlyRetentionDays: z.number().int().min(1).max(36500).default(metricsDefaults.hourlyRetentionDays),
  })
  .strict()
  .refine((m) => m.rawRetentionDays <= m.fiveMinuteRetentionDays && m.fiveMinuteRetentionDays <= m.hourlyRetentionDays, {
    message: 'keep each tier at least as long as the finer one: rawRetentionDays <= fiveMinuteRetentionDays <= hourlyRetentionDays',
  });
export type SnmpMetricsConfig = z.infer<typeof snmpMetricsConfigSchema>;

const discoveryDefaults = {
  enabled: false,
  ranges: [] as DiscoveryRangeConfig[],
  ratePerSecond: 20,
  concurrency: 32,
  intervalMinutes: 1440,
  timeoutMs: 1000,
  retries: 0,
  maxAddressesPerRange: 65536,
  maxAdHocAddresses: 1024,
};

export const snmpDiscoveryConfigSchema = z
  .object({
    /** Sweep the ranges every intervalMinutes (a sweep can also be started through the API). */
    enabled: z.boolean().default(discoveryDefaults.enabled),
    ranges: z.array(z.lazy(() => discoveryRangeSchema)).default(discoveryDefaults.ranges),
    /** Addresses probed per second at most, over all ranges (protects firewalls and slow links). */
    ratePerSecond: z.number().min(0.1).max(10_000).default(discoveryDefaults.ratePerSecond),
    /** Probes waiting for an answer at once. */
    concurrency: z.number().int().min(1).max(1024).default(discoveryDefaults.concurrency),
    intervalMinutes: z.number().int().min(1).max(525_600).default(discoveryDefaults.intervalMinutes),
    timeoutMs: z.number().int().min(50).max(60_000).default(discoveryDefaults.timeoutMs),
    retries: z.number().int().min(0).max(5).default(discoveryDefaults.retries),
    /** Larger ranges are refused (a /16 is 65,536 addresses). */
    maxAddressesPerRange: z.number().int().min(1).max(16_777_216).default(discoveryDefaults.maxAddressesPerRange),
    /** Addresses one ad-hoc sweep (POST /api/v1/devices/discovery with ranges) may cover in all. */
    maxAdHocAddresses: z.number().int().min(1).max(65_536).default(discoveryDefaults.maxAdHocAddresses),
  })
  .strict();
export type SnmpDiscoveryConfig = z.infer<typeof snmpDiscoveryConfigSchema>;

export const snmpConfigSchema = z
  .object({
    traps: snmpTrapConfigSchema.default(trapDefaults),
    poller: snmpPollerConfigSchema.default(pollerDefaults),
    metrics: snmpMetricsConfigSchema.default(metricsDefaults),
    discovery: snmpDiscoveryConfigSchema.default(discoveryDefaults),
  })
  .strict()
  .default({ traps: trapDefaults, poller: pollerDefaults, metrics: metricsDefaults, discovery: discoveryDefaults });
export type SnmpConfig = z.infer<typeof snmpConfigSchema>;

/** YAML reads `version: 3` as a number and `version: 2c` as a string; both mean the same. */
function versionAsString(raw: unknown): unknown {
  if (raw !== null && typeof raw === 'object' && typeof (raw as { version?: unknown }).version === 'number') {
    return { ...(raw as object), version: String((raw as { version: number }).version) };
  }
  return raw;
}

const communityCredentials = { community: z.string().min(1) };
export const deviceSnmpSchema = z.preprocess(
  versionAsString,
  z.discriminatedUnion('version', [
    z.object({ version: z.literal('1'), ...communityCredentials }).strict(),
    z.object({ version: z.literal('2c'), ...communityCredentials }).strict(),
    z
      .object({
        version: z.literal('3'),
        user: z.string().min(1).max(32),
        auth: z.object({ protocol: authProtocol, password: usmPassword }).strict().optional(),
        priv: z.object({ protocol: privProtocol, password: usmPassword }).strict().optional(),
        /** SNMPv3 context name (VRF or bridge instance on some agents). */
        context: z.string().default(''),
      })
      .strict()
      .refine((c) => c.priv === undefined || c.auth !== undefined, 'privacy needs authentication (USM has no noAuthPriv)'),
  ]),
);
export type DeviceSnmpConfig = z.infer<typeof deviceSnmpSchema>;

export const deviceConfigSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** IPv4 or IPv6 address, or a host name. */
    address: z.string().min(1),
    port: port.default(161),
    agency: agencyId.optional(),
    /** Poll interval in seconds; snmp.poller.defaultIntervalSeconds when absent. */
    interval_s: z.number().int().min(1).max(86_400).optional(),
    /** Name of the device this one is reached through (a down parent explains a down child). */
    parent: z.string().min(1).optional(),
    tags: z.array(z.string().min(1)).default([]),
    /** Interface tags by ifIndex, e.g. {"10101": {tags: [uplink]}}: NOC rules alert on uplinks and trunks. */
    interfaces: z.record(z.string().regex(/^\d+$/, 'interface keys are ifIndex numbers'), z.object({ tags: z.array(z.string().min(1)) }).strict()).optional(),
    snmp: deviceSnmpSchema,
  })
  .strict();
export type DeviceConfig = z.infer<typeof deviceConfigSchema>;

export const devicesConfigSchema = z.array(deviceConfigSchema).default([]);

/** One range discovery sweeps: each credential set is tried in order until one answers. */
export const discoveryRangeSchema = z
  .object({
    /** IPv4 CIDR, e.g. 10.20.0.0/24 (network and broadcast addresses are skipped below /31), or a small IPv6 prefix (/112 or longer). */
    cidr: z.string().min(1),
    port: port.default(161),
    /** Agency of devices found here; the address's agency CIDR when absent. */
    agency: agencyId.optional(),
    credentials: z.array(deviceSnmpSchema).min(1, 'give at least one credential set (e.g. {version: 2c, community: public})'),
    tags: z.array(z.string().min(1)).default([]),
    /** Name or id of the device the range sits behind (parent of the devices found). */
    parent: z.string().min(1).optional(),
  })
  .strict();
export type DiscoveryRangeConfig = z.infer<typeof discoveryRangeSchema>;

/**
 * Checks across sections that zod cannot see: unique device names, parents that exist and do not
 * loop, agencies that exist. `source` names the file for the error message.
 */
export function checkSnmpConfig(snmp: SnmpConfig, devices: readonly DeviceConfig[], agencyIds: ReadonlySet<string>, source: string): void {
  const problems: string[] = [];
  if (snmp.traps.agency !== undefined && !agencyIds.has(snmp.traps.agency)) problems.push(`snmp.traps.agency: unknown agency "${snmp.traps.agency}"`);
  const byName = new Map<string, DeviceConfig>();
  for (const d of devices) {
    if (byName.has(d.name)) problems.push(`devices: duplicate device name "${d.name}"`);
    byName.set(d.name, d);
    if (d.agency !== undefined && !agencyIds.has(d.agency)) problems.push(`devices.${d.name}.agency: unknown agency "${d.agency}"`);
  }
  for (const d of devices) {
    if (d.parent === undefined) continue;
    if (!byName.has(d.parent)) {
      problems.push(`devices.${d.name}.parent: unknown device "${d.parent}"`);
      continue;
    }
    const seen = new Set<string>([d.name]);
    for (let p: DeviceConfig | undefined = byName.get(d.parent); p !== undefined; p = p.parent !== undefined ? byName.get(p.parent) : undefined) {
      if (seen.has(p.name)) {
        problems.push(`devices.${d.name}.parent: parent chain loops through "${p.name}"`);
        break;
      }
      seen.add(p.name);
    }
  }
  snmp.discovery.ranges.forEach((r, i) => {
    try {
      parseDiscoveryRange(r.cidr, snmp.discovery.maxAddressesPerRange);
    } catch (err) {
      problems.push(`snmp.discovery.ranges[${i}].cidr: ${(err as Error).message}`);
    }
    if (r.agency !== undefined && !agencyIds.has(r.agency)) problems.push(`snmp.discovery.ranges[${i}].agency: unknown agency "${r.agency}"`);
  });
  if (problems.length > 0) throw new ConfigError(`invalid configuration in ${source}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}
