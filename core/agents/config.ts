/** The `agents:` section of socnoc.yaml: the agent listener, ingest limits, liveness and the default agent configuration. */
import { z } from 'zod';
import { agentConfigSchema, DEFAULT_AGENT_CONFIG } from './agent-config';

const listenDefaults = { host: '0.0.0.0', port: 8443 };
const ingestDefaults = {
  /** gzip body as received. */
  maxCompressedBytes: 4 * 1024 * 1024,
  /** After gunzip: a bomb stops here. */
  maxBatchBytes: 16 * 1024 * 1024,
  maxEventsPerBatch: 10_000,
  maxEventBytes: 256 * 1024,
  /**
   * Batches parsed and stored at once; more are refused with 429 + Retry-After and wait at the
   * agent (backpressure). Measured with 2,000 agents: 8 refused a third of the batches at half a
   * core (the store's fsync latency, not CPU, was the limit); 64 took the whole offered load. With
   * 10,000 agents (~670 batches/s) 64 refused 39,137 batches in 45 s, 512 refused 6,253 and stored
   * 18,500 of 20,000 events/s offered; maxInFlightBytes still bounds their memory.
   */
  maxConcurrentBatches: 512,
  /** Decompressed bytes of those batches together (the memory they hold); beyond it also 429. */
  maxInFlightBytes: 64 * 1024 * 1024,
  retryAfterSeconds: 2,
};
const defaults = {
  enabled: true,
  listen: listenDefaults,
  ingest: ingestDefaults,
  /** How often a status sweep looks for agents that stopped sending heartbeats. */
  offlineAfterHeartbeats: 3,
  /** Longest wait of a command long-poll before an empty answer. */
  commandPollSeconds: 25,
  /** Folder of YARA rules distributed to agents; relative to the working directory. */
  yaraRulesDir: 'rules/yara',
  /** Host name or address agents use to reach the server, written into the server certificate. */
  serverNames: [] as string[],
  defaultConfig: DEFAULT_AGENT_CONFIG,
};

export const agentsConfigSchema = z
  .object({
    enabled: z.boolean().default(defaults.enabled),
    listen: z
      .object({
        host: z.string().min(1).default(listenDefaults.host),
        port: z.number().int().min(0).max(65535).default(listenDefaults.port),
      })
      .strict()
      .default(listenDefaults),
    ingest: z
      .object({
        maxCompressedBytes: z.number().int().min(1024).default(ingestDefaults.maxCompressedBytes),
        maxBatchBytes: z.number().int().min(1024).default(ingestDefaults.maxBatchBytes),
        maxEventsPerBatch: z.number().int().min(1).max(100_000).default(ingestDefaults.maxEventsPerBatch),
        maxEventBytes: z.number().int().min(256).default(ingestDefaults.maxEventBytes),
        maxConcurrentBatches: z.number().int().min(1).max(1024).default(ingestDefaults.maxConcurrentBatches),
        maxInFlightBytes: z.number().int().min(1024 * 1024).default(ingestDefaults.maxInFlightBytes),
        retryAfterSeconds: z.number().int().min(1).max(600).default(ingestDefaults.retryAfterSeconds),
      })
      .strict()
      .default(ingestDefaults),
    offlineAfterHeartbeats: z.number().int().min(2).max(100).default(defaults.offlineAfterHeartbeats),
    commandPollSeconds: z.number().int().min(1).max(120).default(defaults.commandPollSeconds),
    yaraRulesDir: z.string().min(1).default(defaults.yaraRulesDir),
    serverNames: z.array(z.string().min(1)).default(defaults.serverNames),
    defaultConfig: agentConfigSchema.default(DEFAULT_AGENT_CONFIG),
  })
  .strict();

export type AgentsConfig = z.infer<typeof agentsConfigSchema>;
export const DEFAULT_AGENTS_CONFIG: AgentsConfig = agentsConfigSchema.parse({});
