/**
 * The playbook YAML format, validated with zod. Templated values stay strings here; the loader
 * compiles them (see loader.ts) so a broken `{{ }}` is reported with its file and line.
 */
import { z } from 'zod';
import { ALERT_SEVERITIES } from '../correlation/alerts/types';
import { durationSchema } from './duration';
import type { CompiledValue } from './template/template';
import type { ExprNode } from './template/parse';

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const triggerSchema = z
  .object({
    /** Rule ids or titles; `*` matches any run of characters. Any one matching suffices. */
    rules: z.array(z.string().min(1)).default([]),
    /** Rule tags (`attack.t1110*`); any one matching suffices. */
    tags: z.array(z.string().min(1)).default([]),
    min_severity: z.enum(ALERT_SEVERITIES).optional(),
    /** Agencies (organization.id) the playbook serves; empty means all. */
    agencies: z.array(z.string().min(1)).default([]),
    /** `event.dataset` of the alert's events (`syslog.linux_sshd`, `snmp.*`). */
    datasets: z.array(z.string().min(1)).default([]),
    /** `event.type` or `event.category` values of the alert's events. */
    event_types: z.array(z.string().min(1)).default([]),
    /** Alert changes that start a run: creation, and optionally later updates (more matches folded in). */
    on: z.array(z.enum(['created', 'updated'])).min(1).default(['created']),
    /** Start only once the alert has folded at least this many matches. */
    min_count: z.number().int().min(1).default(1),
  })
  .strict();

const backoffDefaults = { initial: 1000, multiplier: 2, max: 60_000 };

export const retriesSchema = z
  .object({
    max: z.number().int().min(0).max(20).default(0),
    backoff: z
      .object({
        initial: durationSchema(3_600_000).default(backoffDefaults.initial),
        multiplier: z.number().min(1).max(10).default(backoffDefaults.multiplier),
        max: durationSchema(3_600_000).default(backoffDefaults.max),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export const stepSchema = z
  .object({
    id: z.string().regex(ID, 'step id may hold letters, digits, dot, dash and underscore').max(64),
    name: z.string().optional(),
    action: z.string().min(1),
    with: z.record(z.string(), z.unknown()).default({}),
    if: z.string().min(1).optional(),
    foreach: z.union([z.string().min(1), z.array(z.unknown())]).optional(),
    timeout: durationSchema(86_400_000).optional(),
    retries: retriesSchema.optional(),
    on_error: z.enum(['fail', 'continue']).default('fail'),
  })
  .strict();

export const playbookSchema = z
  .object({
    id: z.string().regex(ID, 'playbook id may hold letters, digits, dot, dash and underscore').max(100),
    name: z.string().min(1),
    description: z.string().default(''),
    enabled: z.boolean().default(true),
    trigger: triggerSchema.optional(),
    /** Values available as `vars.<name>` (templated with the alert in scope). */
    vars: z.record(z.string(), z.unknown()).default({}),
    steps: z.array(stepSchema).min(1),
  })
  .strict();

export type TriggerDefinition = z.infer<typeof triggerSchema>;
export type StepDefinition = z.infer<typeof stepSchema>;
export type PlaybookDefinition = z.infer<typeof playbookSchema>;
export type RetryPolicy = z.infer<typeof retriesSchema>;

export interface CompiledStep {
  def: StepDefinition;
  with: CompiledValue;
  condition?: ExprNode;
  foreach?: CompiledValue;
  line: number;
}

export interface CompiledPlaybook {
  def: PlaybookDefinition;
  vars: CompiledValue;
  steps: CompiledStep[];
  file: string;
  line: number;
  /** `builtin` for playbooks/library, else the configured folder. */
  source: string;
}

export interface PlaybookLoadError {
  file: string;
  /** 1-based; 0 when the whole file is concerned. */
  line: number;
  reason: string;
  playbook?: string;
}
