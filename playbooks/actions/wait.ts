/** wait: pauses the run; the wake-up time is stored, so a restart keeps it. */
import { z } from 'zod';
import { durationSchema } from '../duration';
import { defineAction } from './types';

const params = z.object({ duration: durationSchema() }).strict();
type Params = z.infer<typeof params>;

export const waitAction = defineAction<Params>({
  name: 'wait',
  description: 'Pause the run for a duration',
  params,
  async run(ctx, p) {
    const start = ctx.services.now();
    return { suspend: { kind: 'wait', until: start + p.duration, state: { started: start } } };
  },
  async resume(ctx, _p, state) {
    const started = (state as { started?: number } | null)?.started ?? ctx.services.now();
    return { output: { waited_ms: ctx.services.now() - started } };
  },
  simulate(_ctx, p) {
    return { wait_ms: p.duration };
  },
});
