/** incident.create: opens an incident for the alert; the step's idempotency key lets the incident service spot a repeat. */
import { z } from 'zod';
import { ALERT_SEVERITIES } from '../../correlation/alerts/types';
import { defineAction, missingPort } from './types';

const params = z
  .object({
    title: z.string().min(1).max(500),
    severity: z.enum(ALERT_SEVERITIES).optional(),
    description: z.string().max(100_000).default(''),
    alert_ids: z.array(z.string()).optional(),
  })
  .strict();
type Params = z.infer<typeof params>;

export const incidentCreate = defineAction<Params>({
  name: 'incident.create',
  description: 'Open an incident for the alert',
  params,
  async run(ctx, p) {
    const incidents = ctx.services.ports.incidents;
    if (!incidents) throw missingPort('incident.create', 'incident service');
    const created = await incidents.create({
      title: p.title,
      severity: p.severity ?? ctx.alert.severity,
      organization: ctx.organization,
      alert_ids: p.alert_ids ?? [ctx.alert.id],
      description: p.description,
      idempotency_key: ctx.idempotencyKey,
    });
    await incidents.addTimeline(created.id, { kind: 'playbook', text: `opened by playbook ${ctx.playbookId}`, actor: `playbook:${ctx.playbookId}`, details: { run_id: ctx.runId } });
    return { output: { id: created.id } };
  },
  simulate(ctx, p) {
    return { title: p.title, severity: p.severity ?? ctx.alert.severity, organization: ctx.organization, alert_ids: p.alert_ids ?? [ctx.alert.id] };
  },
});
