/** The incidents API's JSON shapes (zod): what the routes validate and the OpenAPI document shows. */
import { z } from 'zod';
import { ALERT_SEVERITIES } from '../alerts/types';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES, TASK_STATUSES, TIMELINE_KINDS } from './types';

export const entitySchema = z.object({ kind: z.string().describe('ECS field, e.g. source.ip'), value: z.string() });
export const detailsSchema = z.object({
  description: z.string(),
  affected_systems: z.array(z.string()),
  actions_taken: z.string(),
  cause: z.string(),
  impact: z.string(),
  system_level: z.number().int().nullable(),
});
export const dueSchema = z.object({
  key: z.string().describe('sla.acknowledge, sla.resolve, report.form03, report.form04, report.nd331-notice, report.nd331-report'),
  kind: z.enum(['sla', 'report']),
  title: z.string(),
  due_at: z.string().nullable().describe('null while the clock has not started (Form 04 before the response ends)'),
  status: z.enum(['pending', 'met', 'met_late', 'overdue', 'submitted', 'submitted_late', 'not_applicable']),
  done_at: z.string().nullable(),
  regime: z.string().nullable(),
  recipient: z.string().nullable(),
  recipient_key: z.string().nullable().describe("the regime (decree85, decree331) when the recipient is socnoc's default, so clients can show its name in their language; null when configured"),
  submitted_by: z.string().nullable(),
  reference: z.string().nullable(),
  basis: z.string().nullable().describe('legal basis; [uncertain] marks what the compliance catalogue has not verified'),
});
export const incidentSchema = z.object({
  id: z.string().describe('INC-<year>-<number>'),
  title: z.string(),
  status: z.enum(INCIDENT_STATUSES),
  severity: z.enum(ALERT_SEVERITIES),
  severity_override: z.enum(ALERT_SEVERITIES).nullable(),
  organization: z.object({ id: z.string(), name: z.string().optional() }),
  assignee: z.string().nullable(),
  category: z.enum(INCIDENT_CATEGORIES),
  serious: z.boolean(),
  alert_ids: z.array(z.string()),
  entities: z.array(entitySchema),
  details: detailsSchema,
  created_at: z.string(),
  updated_at: z.string(),
  opened_at: z.string(),
  detected_at: z.string(),
  acknowledged_at: z.string().nullable(),
  resolved_at: z.string().nullable(),
  closed_at: z.string().nullable(),
  due: z.array(dueSchema),
});
export const timelineSchema = z.object({ id: z.number().int(), time: z.string(), actor: z.string(), kind: z.enum(TIMELINE_KINDS), message: z.string(), data: z.record(z.string(), z.unknown()) });
export const taskSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  assignee: z.string().nullable(),
  status: z.enum(TASK_STATUSES),
  due: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export const detailSchema = incidentSchema.extend({ timeline: z.array(timelineSchema), tasks: z.array(taskSchema) });

export const detailsInput = z
  .object({
    description: z.string().max(20_000),
    affected_systems: z.array(z.string().min(1).max(300)).max(500),
    actions_taken: z.string().max(20_000),
    cause: z.string().max(20_000),
    impact: z.string().max(20_000),
    system_level: z.number().int().min(1).max(5).nullable(),
  })
  .partial()
  .strict();
