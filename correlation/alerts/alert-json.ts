/** The alert API's response schemas (the OpenAPI document shows these), shared by the alert routes. */
import { z } from 'zod';
import { ALERT_SEVERITIES, ALERT_STATUSES } from './types';

const eventSchema = z
  .looseObject({ '@timestamp': z.string(), event: z.looseObject({ id: z.string() }) })
  .describe('an ECS event as stored');

export const alertSchema = z.object({
  id: z.string(),
  status: z.enum(ALERT_STATUSES),
  severity: z.enum(ALERT_SEVERITIES).describe("the rule's Sigma level, unless an analyst changed it"),
  rule: z.object({
    id: z.string(),
    name: z.string().describe("the rule's title"),
    tags: z.array(z.string()),
    level: z.enum(ALERT_SEVERITIES),
    ruleset: z.string().describe('socnoc for the built-in pack, else the configured rule folder'),
  }),
  mappings: z.object({
    attack: z.object({ techniques: z.array(z.string()).describe('e.g. T1110.001'), tactics: z.array(z.string()).describe('e.g. credential-access') }),
    compliance: z.record(z.string(), z.array(z.string())).describe('framework → requirement ids: nist_csf, iso27001, decree85, and any other the rule maps'),
  }),
  organization: z.object({ id: z.string(), name: z.string().optional() }),
  first_seen: z.string().describe('event time of the first folded match, ISO 8601'),
  last_seen: z.string().describe('event time of the latest folded match, ISO 8601'),
  count: z.number().int().describe('matches folded into this alert'),
  group_key: z.string().describe('`field="value"` pairs identifying what the alert is about (correlation group-by, or the key entity)'),
  group: z.record(z.string(), z.string()),
  event_ids: z.array(z.string()).describe('ids of the first matching events (bounded)'),
  events: z.array(eventSchema).describe('the first matching events (bounded)'),
  assignee: z.string().nullable().describe('username; null when unassigned'),
  updated_by: z.string().nullable().describe('who made the last lifecycle change; null until someone does'),
  created_at: z.string(),
  updated_at: z.string(),
});

export const historyEntrySchema = z.object({
  id: z.number().int(),
  time: z.string(),
  actor: z.string(),
  kind: z.enum(['status', 'assignee', 'severity', 'comment']),
  from: z.string().nullable(),
  to: z.string().nullable(),
  text: z.string().nullable().describe('the comment; null for other kinds'),
});

export const alertDetailSchema = alertSchema.extend({
  history: z.array(historyEntrySchema).describe('status changes, assignments, severity changes and comments, oldest first'),
  comments: z.array(historyEntrySchema).describe('the comments alone, oldest first'),
});

export const suppressionSchema = z.object({
  id: z.string(),
  rule_id: z.string().describe('a rule id, or * for every rule'),
  organization: z.string().nullable().describe('the agency it applies to; null: every agency'),
  match: z.record(z.string(), z.union([z.string(), z.array(z.string())])).describe('ECS field → value (or any of several); all must match the alert group or its first event'),
  reason: z.string(),
  owner: z.string(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  expired: z.boolean(),
  hits: z.number().int().describe('matches muted so far'),
  last_hit: z.string().nullable(),
});
