/**
 * socnoc.yaml: one file, validated with zod. Core owns the sections every module shares (data
 * folder, HTTP, retention, pipeline, agencies); each capability contributes its own section schema
 * and app/ composes them (see app/config.ts). Every key has a default, so no file at all runs the
 * whole suite on the embedded store. Errors name the offending key path.
 */
import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export const agencySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'agency id may hold letters, digits, dot, dash and underscore'),
    name: z.string().min(1),
    /** Source networks whose events belong to this agency (IPv4 or IPv6 CIDR, or a single address). */
    cidrs: z.array(z.string()).default([]),
  })
  .strict();
export type AgencyConfig = z.infer<typeof agencySchema>;

const httpDefaults = { host: '::', port: 8080, sessionTtlMinutes: 480, secureCookies: false, metricsPublic: false };
/**
 * queueSize bounds the events held in memory (~2.5 KB each for syslog): 50,000 is ~120 MB at worst,
 * half a second of UDP at 100,000/s. TCP and TLS inputs stop reading long before that (see
 * core/pipeline/event-pipeline.ts), so only UDP bursts use it.
 */
const pipelineDefaults = { queueSize: 50_000, batchSize: 500, flushIntervalMs: 250, maxInFlight: 12 };

export const coreConfigShape = {
  /** Overridden by SOCNOC_DATA_DIR. */
  dataDir: z.string().default('./data'),
  log: z
    .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
    .strict()
    .default({ level: 'info' }),
  http: z
    .object({
      host: z.string().default(httpDefaults.host),
      port: z.number().int().min(0).max(65535).default(httpDefaults.port),
      sessionTtlMinutes: z.number().int().positive().default(httpDefaults.sessionTtlMinutes),
      /** Set when socnoc sits behind a reverse proxy that terminates TLS, so cookies are marked Secure. */
      secureCookies: z.boolean().default(httpDefaults.secureCookies),
      /** Serve /metrics without a token (only where the port is firewalled to the Prometheus server). */
      metricsPublic: z.boolean().default(httpDefaults.metricsPublic),
    })
    .strict()
    .default(httpDefaults),
  retention: z.object({ days: z.number().int().positive().default(90) }).strict().default({ days: 90 }),
  pipeline: z
    .object({
      /** Events held between the inputs and storage; TCP pauses and UDP drops when full. */
      queueSize: z.number().int().positive().default(pipelineDefaults.queueSize),
      batchSize: z.number().int().positive().default(pipelineDefaults.batchSize),
      flushIntervalMs: z.number().int().positive().default(pipelineDefaults.flushIntervalMs),
      /**
       * Batches handed to the store and not yet committed. The writer thread's work comes in bursts
       * (FTS5 segment merges, WAL checkpoints: tens to hundreds of ms); with only a few batches in
       * flight the parsing thread waits out each burst, with 12 it keeps parsing through it.
       */
      maxInFlight: z.number().int().positive().default(pipelineDefaults.maxInFlight),
    })
    .strict()
    .default(pipelineDefaults),
  agencies: z.array(agencySchema).default([]),
};

export const coreConfigSchema = z.object(coreConfigShape).strict();
export type CoreConfig = z.infer<typeof coreConfigSchema>;

export class ConfigError extends Error {}

function describeIssues(error: z.ZodError, source: string): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `  ${path}: ${issue.message}`;
  });
  return `invalid configuration in ${source}:\n${lines.join('\n')}`;
}

/** Validates an already-parsed object against a composed schema. */
export function validateConfig<S extends z.ZodType>(schema: S, raw: unknown, source = 'configuration'): z.infer<S> {
  const result = schema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(describeIssues(result.error, source));
  return result.data;
}

/** Checks made after the schema: unique agency ids. */
export function checkCoreConfig(config: CoreConfig, source: string): void {
  const ids = new Set<string>();
  for (const a of config.agencies) {
    if (ids.has(a.id)) throw new ConfigError(`invalid configuration in ${source}:\n  agencies: duplicate agency id "${a.id}"`);
    ids.add(a.id);
  }
}

/**
 * Reads the configuration file: `path` (from --config), else SOCNOC_CONFIG, else ./socnoc.yaml if
 * it exists. Returns the parsed YAML (or {}) and where it came from, for validateConfig.
 */
export function readConfigFile(path?: string, env: NodeJS.ProcessEnv = process.env): { raw: unknown; source: string } {
  const file = path ?? env.SOCNOC_CONFIG ?? (existsSync('socnoc.yaml') ? 'socnoc.yaml' : undefined);
  if (file === undefined) return { raw: {}, source: 'defaults' };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read configuration ${file}: ${(err as Error).message}`);
  }
  try {
    return { raw: parseYaml(text) ?? {}, source: file };
  } catch (err) {
    throw new ConfigError(`configuration ${file} is not valid YAML: ${(err as Error).message}`);
  }
}
