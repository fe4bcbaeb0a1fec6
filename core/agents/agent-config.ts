/**
 * What an agent collects and how often: the configuration the server distributes per agency and
 * agent group. Overrides replace whole top-level sections (default ← agency ← group), so a reader
 * sees at a glance where a section came from. The agent package validates the same shape by hand
 * (it depends on nothing but Node).
 */
import { z } from 'zod';

const fileSchema = z
  .object({
    path: z.string().min(1).max(4096),
    /** `event.dataset` of its lines, e.g. `linux.auth`. */
    dataset: z.string().regex(/^[a-z0-9_.]+$/).max(100).default('agent.file'),
    /** `json` parses each line into `json.*` and keeps the line as `event.original`. */
    format: z.enum(['text', 'json']).default('text'),
  })
  .strict();

const sections = {
  heartbeatSeconds: z.number().int().min(1).max(3600),
  tailPollMs: z.number().int().min(50).max(60_000),
  files: z.array(fileSchema).max(1000),
  journald: z.object({ enabled: z.boolean().default(false), matches: z.array(z.string().max(200)).max(50).default([]) }).strict(),
  fim: z
    .object({
      paths: z.array(z.string().min(1).max(4096)).max(1000).default([]),
      scanIntervalSeconds: z.number().int().min(0).max(7 * 86_400).default(3600),
      watch: z.boolean().default(true),
      maxFileBytes: z.number().int().min(1).default(64 * 1024 * 1024),
    })
    .strict(),
  yara: z
    .object({
      enabled: z.boolean().default(true),
      scanPaths: z.array(z.string().min(1).max(4096)).max(1000).default([]),
      /** 0 turns the scheduled scan off. */
      scheduleSeconds: z.number().int().min(0).max(30 * 86_400).default(86_400),
      onFimChange: z.boolean().default(true),
      maxFileBytes: z.number().int().min(1).default(64 * 1024 * 1024),
    })
    .strict(),
  inventory: z.object({ intervalSeconds: z.number().int().min(0).max(7 * 86_400).default(3600) }).strict(),
  queue: z
    .object({
      maxBytes: z.number().int().min(1024 * 1024).default(512 * 1024 * 1024),
      segmentBytes: z.number().int().min(64 * 1024).default(8 * 1024 * 1024),
    })
    .strict(),
  batch: z
    .object({
      maxEvents: z.number().int().min(1).max(10_000).default(2000),
      maxBytes: z.number().int().min(1024).max(8 * 1024 * 1024).default(1024 * 1024),
      /** A batch that is not full waits this long for more events (fewer requests from quiet agents). */
      lingerMs: z.number().int().min(0).max(30_000).default(200),
    })
    .strict(),
};

export const DEFAULT_AGENT_CONFIG = {
  heartbeatSeconds: 30,
  tailPollMs: 500,
  files: [] as Array<{ path: string; dataset: string; format: 'text' | 'json' }>,
  journald: { enabled: false, matches: [] as string[] },
  fim: { paths: [] as string[], scanIntervalSeconds: 3600, watch: true, maxFileBytes: 64 * 1024 * 1024 },
  yara: { enabled: true, scanPaths: [] as string[], scheduleSeconds: 86_400, onFimChange: true, maxFileBytes: 64 * 1024 * 1024 },
  inventory: { intervalSeconds: 3600 },
  queue: { maxBytes: 512 * 1024 * 1024, segmentBytes: 8 * 1024 * 1024 },
  batch: { maxEvents: 2000, maxBytes: 1024 * 1024, lingerMs: 200 },
};

export const agentConfigSchema = z
  .object({
    heartbeatSeconds: sections.heartbeatSeconds.default(DEFAULT_AGENT_CONFIG.heartbeatSeconds),
    tailPollMs: sections.tailPollMs.default(DEFAULT_AGENT_CONFIG.tailPollMs),
    files: sections.files.default(DEFAULT_AGENT_CONFIG.files),
    journald: sections.journald.default(DEFAULT_AGENT_CONFIG.journald),
    fim: sections.fim.default(DEFAULT_AGENT_CONFIG.fim),
    yara: sections.yara.default(DEFAULT_AGENT_CONFIG.yara),
    inventory: sections.inventory.default(DEFAULT_AGENT_CONFIG.inventory),
    queue: sections.queue.default(DEFAULT_AGENT_CONFIG.queue),
    batch: sections.batch.default(DEFAULT_AGENT_CONFIG.batch),
  })
  .strict();
export type AgentConfig = z.infer<typeof agentConfigSchema>;

/** An agency's or group's override: any top-level section, each replacing the inherited one. */
export const agentConfigOverrideSchema = z
  .object({
    heartbeatSeconds: sections.heartbeatSeconds.optional(),
    tailPollMs: sections.tailPollMs.optional(),
    files: sections.files.optional(),
    journald: sections.journald.optional(),
    fim: sections.fim.optional(),
    yara: sections.yara.optional(),
    inventory: sections.inventory.optional(),
    queue: sections.queue.optional(),
    batch: sections.batch.optional(),
  })
  .strict();
export type AgentConfigOverride = z.infer<typeof agentConfigOverrideSchema>;

export function mergeAgentConfig(base: AgentConfig, ...overrides: Array<AgentConfigOverride | undefined>): AgentConfig {
  const out: Record<string, unknown> = { ...base };
  for (const o of overrides) {
    if (o === undefined) continue;
    for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  }
  return out as AgentConfig;
}
