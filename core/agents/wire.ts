/**
 * Request bodies on the agent channel, validated where they enter. Events are validated one NDJSON
 * line at a time (a bad line names its number); the server, not the agent, decides organization.id
 * and agent.*.
 */
import { z } from 'zod';

const text = (max: number): z.ZodString => z.string().max(max);

export const enrollBodySchema = z
  .object({
    token: text(400).min(1),
    hostname: text(255).min(1),
    version: text(40).min(1),
    os: z.record(z.string(), z.union([z.string().max(400), z.number(), z.boolean()])).default({}),
  })
  .strict();

export const heartbeatBodySchema = z
  .object({
    hostname: text(255).min(1),
    version: text(40).min(1),
    config_version: text(64).optional(),
    rules_version: text(64).optional(),
    stats: z.record(z.string(), z.union([z.number(), z.string().max(200), z.boolean()])).default({}),
  })
  .strict();

export const commandResultSchema = z
  .object({
    ok: z.boolean(),
    result: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const inventorySchema = z.looseObject({
  os: z.record(z.string(), z.unknown()).optional(),
  hostname: text(255).optional(),
});

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

export const agentEventSchema = z.looseObject({
  '@timestamp': z.string().regex(ISO_TIME, 'must be an ISO 8601 time with a zone'),
  message: z.string().optional(),
  event: z.looseObject({
    id: z.string().min(1).max(100),
    kind: z.enum(['event', 'alert', 'metric', 'state', 'pipeline_error', 'signal']).optional(),
    dataset: z.string().max(100).optional(),
  }),
});
export type AgentEventInput = z.infer<typeof agentEventSchema>;
