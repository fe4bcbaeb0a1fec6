/** incident.update: changes an incident's status, severity or assignee and notes it on the timeline. */
import { z } from 'zod';
import { defineAction, missingPort } from './types';

const params = z
  .object({
    id: z.string().min(1),
    status: z.string().min(1).optional(),
    severity: z.string().min(1).optional(),
    assignee: z.string().min(1).optional(),
    note: z.string().max(100_000).optional(),
  })
  .strict();
type Params = z.infer<typeof params>;

export const incidentUpdate = defineAction<Params>({
  name: 'incident.update',
  description: 'Update an incident and add a timeline note',
  params,
  async run(ctx, p) {
    const incidents = ctx.services.ports.incidents;
    if (!incidents) throw missingPort('incident.update', 'incident service');
    const change = { status: p.status, severity: p.severity, assignee: p.assignee };
    if (p.status !== undefined || p.severity !== undefined || p.assignee !== undefined) await incidents.update(p.id, change);
    if (p.note !== undefined) await incidents.addTimeline(p.id, { kind: 'playbook', text: p.note, actor: `playbook:${ctx.playbookId}`, details: { run_id: ctx.runId } });
    return { output: { id: p.id, ...change, noted: p.note !== undefined } };
  },
  simulate(_ctx, p) {
    return { ...p };
  },
});
