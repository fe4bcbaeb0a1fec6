/** enrich.geoip: country and autonomous system of an address (offline database). */
import { isIP } from 'node:net';
import { z } from 'zod';
import { defineAction, missingPort } from './types';

const params = z.object({ ip: z.string().refine((v) => isIP(v) !== 0, 'must be an IPv4 or IPv6 address') }).strict();
type Params = z.infer<typeof params>;

export const enrichGeoip = defineAction<Params>({
  name: 'enrich.geoip',
  description: 'Country and AS of an IP address',
  params,
  readOnly: true,
  async run(ctx, p) {
    const geoip = ctx.services.ports.geoip;
    if (!geoip) throw missingPort('enrich.geoip', 'GeoIP database');
    const found = await geoip.lookup(p.ip);
    return { output: { ip: p.ip, found: found !== undefined, country_iso_code: found?.country_iso_code ?? null, country_name: found?.country_name ?? null, asn: found?.asn ?? null, as_organization: found?.as_organization ?? null } };
  },
  simulate(_ctx, p) {
    return { lookup: p.ip };
  },
});
