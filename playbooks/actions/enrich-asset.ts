/** enrich.asset: the asset record (owner, criticality…) for a host name or address. */
import { z } from 'zod';
import { defineAction, missingPort } from './types';

const params = z.object({ target: z.string().min(1).max(255) }).strict();
type Params = z.infer<typeof params>;

export const enrichAsset = defineAction<Params>({
  name: 'enrich.asset',
  description: 'Look up the asset behind a host name or IP address',
  params,
  readOnly: true,
  async run(ctx, p) {
    const assets = ctx.services.ports.assets;
    if (!assets) throw missingPort('enrich.asset', 'asset inventory');
    const asset = await assets.lookup(p.target, ctx.organization);
    return { output: { found: asset !== undefined, target: p.target, asset: asset ?? null } };
  },
  simulate(_ctx, p) {
    return { lookup: p.target };
  },
});
