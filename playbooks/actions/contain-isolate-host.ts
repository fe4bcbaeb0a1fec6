/** contain.isolate_host: asks the endpoint agent to cut a host off the network (or release it). */
import { z } from 'zod';
import { defineAction, missingPort } from './types';

const params = z
  .object({
    /** Host name, host id or agent id. */
    target: z.string().min(1).max(255),
    reason: z.string().max(1000).default(''),
    operation: z.enum(['isolate', 'release']).default('isolate'),
  })
  .strict();
type Params = z.infer<typeof params>;

export const containIsolateHost = defineAction<Params>({
  name: 'contain.isolate_host',
  description: 'Isolate (or release) an endpoint through its agent',
  params,
  async run(ctx, p) {
    const agents = ctx.services.ports.agents;
    if (!agents) throw missingPort('contain.isolate_host', 'endpoint agent service');
    const reason = p.reason || `playbook ${ctx.playbookId}, alert ${ctx.alert.id}`;
    const result = p.operation === 'isolate' ? await agents.isolate(p.target, reason, ctx.organization) : await agents.release(p.target, reason, ctx.organization);
    return { output: { target: p.target, operation: p.operation, command_id: result.command_id, status: result.status } };
  },
  simulate(_ctx, p) {
    return { operation: p.operation, target: p.target, reason: p.reason };
  },
});
