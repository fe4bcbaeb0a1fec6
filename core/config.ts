/**
 * socnoc.yaml: one file, validated with zod. Every key has a default, so no file at all runs the
 * whole suite on the embedded store. Errors name the offending key path.
 */
import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);

const listenerBase = {
  name: z.string().min(1),
  host: z.string().default('::'),
  port,
  /** Agency for everything this listener receives, unless a source CIDR maps it more precisely. */
  agency: z.string().optional(),
};

export const syslogListenerSchema = z.discriminatedUnion('protocol', [
  z.object({ ...listenerBase, protocol: z.literal('udp') }).strict(),
  z.object({ ...listenerBase, protocol: z.literal('tcp') }).strict(),
  z
    .object({
      ...listenerBase,
      protocol: z.literal('tls'),
      /** PEM files; when both are absent socnoc generates a self-signed pair in the data folder. */
      cert: z.string().optional(),
      key: z.string().optional(),
      /** CA bundle used to verify client certificates. */
      ca: z.string().optional(),
      requireClientCert: z.boolean().default(false),
    })
    .strict(),
]);
export type SyslogListenerConfig = z.infer<typeof syslogListenerSchema>;

export const agencySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'agency id may hold letters, digits, dot, dash and underscore'),
    name: z.string().min(1),
    cidrs: z.array(z.string()).default([]),
  })
  .strict();
export type AgencyConfig = z.infer<typeof agencySchema>;

export const DEFAULT_SYSLOG_LISTENERS: SyslogListenerConfig[] = [
  { name: 'udp', protocol: 'udp', host: '::', port: 5514 },
  { name: 'tcp', protocol: 'tcp', host: '::', port: 5514 },
  { name: 'tls', protocol: 'tls', host: '::', port: 6514, requireClientCert: false },
];

export const configSchema = z
  .object({
    /** Overridden by SOCNOC_DATA_DIR. */
    dataDir: z.string().default('./data'),
    log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info') }).strict().default({ level: 'info' }),
    http: z
      .object({
        host: z.string().default('::'),
        port: port.default(8080),
        sessionTtlMinutes: z.number().int().positive().default(480),
        /** Set when socnoc sits behind a reverse proxy that terminates TLS, so cookies are marked Secure. */
        secureCookies: z.boolean().default(false),
      })
      .strict()
      .default({ host: '::', port: 8080, sessionTtlMinutes: 480, secureCookies: false }),
    retention: z.object({ days: z.number().int().positive().default(90) }).strict().default({ days: 90 }),
    pipeline: z
      .object({
        /** Events held between the inputs and storage; TCP pauses and UDP drops when full. */
        queueSize: z.number().int().positive().default(200_000),
        batchSize: z.number().int().positive().default(2000),
        flushIntervalMs: z.number().int().positive().default(250),
      })
      .strict()
      .default({ queueSize: 200_000, batchSize: 2000, flushIntervalMs: 250 }),
    syslog: z
      .object({
        maxMessageSize: z.number().int().min(480).default(65536),
        udpReceiveBufferBytes: z.number().int().positive().default(4 * 1024 * 1024),
        /** Zone for RFC 3164 timestamps that carry none (an IANA name such as Asia/Ho_Chi_Minh). */
        timezone: z.string().default('UTC'),
        listeners: z.array(syslogListenerSchema).default(DEFAULT_SYSLOG_LISTENERS),
      })
      .strict()
      .default({ maxMessageSize: 65536, udpReceiveBufferBytes: 4 * 1024 * 1024, timezone: 'UTC', listeners: DEFAULT_SYSLOG_LISTENERS }),
    agencies: z.array(agencySchema).default([]),
  })
  .strict();

export type SocnocConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

function describeIssues(error: z.ZodError, source: string): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `  ${path}: ${issue.message}`;
  });
  return `invalid configuration in ${source}:\n${lines.join('\n')}`;
}

/** Validates an already-parsed object (from YAML or from tests). */
export function parseConfig(raw: unknown, source = 'configuration'): SocnocConfig {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(describeIssues(result.error, source));
  const config = result.data;
  const names = new Set<string>();
  for (const l of config.syslog.listeners) {
    if (names.has(l.name)) throw new ConfigError(`invalid configuration in ${source}:\n  syslog.listeners: duplicate listener name "${l.name}"`);
    names.add(l.name);
  }
  const ids = new Set<string>();
  for (const a of config.agencies) {
    if (ids.has(a.id)) throw new ConfigError(`invalid configuration in ${source}:\n  agencies: duplicate agency id "${a.id}"`);
    ids.add(a.id);
  }
  return config;
}

/**
 * Loads the configuration: `path` (from --config), else SOCNOC_CONFIG, else ./socnoc.yaml if it
 * exists, else defaults. SOCNOC_DATA_DIR overrides dataDir.
 */
export function loadConfig(path?: string, env: NodeJS.ProcessEnv = process.env): SocnocConfig {
  const file = path ?? env.SOCNOC_CONFIG ?? (existsSync('socnoc.yaml') ? 'socnoc.yaml' : undefined);
  let raw: unknown = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read configuration ${file}: ${(err as Error).message}`);
    }
    try {
      raw = parseYaml(text) ?? {};
    } catch (err) {
      throw new ConfigError(`configuration ${file} is not valid YAML: ${(err as Error).message}`);
    }
  }
  const config = parseConfig(raw, file ?? 'defaults');
  if (env.SOCNOC_DATA_DIR) config.dataDir = env.SOCNOC_DATA_DIR;
  return config;
}
