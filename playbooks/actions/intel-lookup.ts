/** intel.lookup: which of some values (addresses, domains, hashes, URLs) threat intelligence knows. */
import { z } from 'zod';
import { defineAction, missingPort } from './types';

const params = z
  .object({
    values: z
      .union([z.string(), z.array(z.unknown())])
      .transform((v) => (Array.isArray(v) ? v : [v]).filter((x): x is string | number => typeof x === 'string' || typeof x === 'number').map(String).filter((s) => s !== ''))
      .refine((v) => v.length <= 1000, 'at most 1000 values'),
  })
  .strict();
type Params = z.infer<typeof params>;

export const intelLookup = defineAction<Params>({
  name: 'intel.lookup',
  description: 'Match values against threat-intelligence indicators',
  params,
  readOnly: true,
  async run(ctx, p) {
    const intel = ctx.services.ports.intel;
    if (!intel) throw missingPort('intel.lookup', 'threat-intelligence store');
    const matches = p.values.length === 0 ? [] : await intel.lookup(p.values);
    return { output: { checked: p.values.length, hit: matches.length > 0, matches } };
  },
  simulate(_ctx, p) {
    return { lookup: p.values };
  },
});
