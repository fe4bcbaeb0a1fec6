/** notify.email: a text email through the configured SMTP relay; recipients default to `soc_email`. */
import { z } from 'zod';
import { defineAction } from './types';

const addressList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== ''));

const params = z
  .object({
    to: addressList.optional(),
    cc: addressList.optional(),
    subject: z.string().min(1).max(998),
    body: z.string().max(1_000_000),
    html: z.string().max(1_000_000).optional(),
  })
  .strict();

type Params = z.infer<typeof params>;

function recipients(p: Params, socEmail: readonly string[]): string[] {
  const to = p.to && p.to.length > 0 ? p.to : [...socEmail];
  if (to.length === 0) throw new Error('no recipients: the step names none and soc_email is empty');
  for (const a of [...to, ...(p.cc ?? [])]) {
    if (!z.string().email().safeParse(a).success) throw new Error(`recipient "${a.slice(0, 100)}" is not an email address`);
  }
  return to;
}

export const notifyEmail = defineAction<Params>({
  name: 'notify.email',
  description: 'Send an email (to defaults to soc_email)',
  params,
  async run(ctx, p) {
    const to = recipients(p, ctx.services.socEmail);
    const sent = await ctx.services.email.send({ to, cc: p.cc, subject: p.subject, text: p.body, html: p.html, idempotencyKey: ctx.idempotencyKey });
    if (sent.accepted.length === 0) throw new Error(`the SMTP server accepted none of ${to.join(', ')}`);
    return { output: { message_id: sent.messageId, accepted: sent.accepted, rejected: sent.rejected } };
  },
  simulate(ctx, p) {
    return { to: recipients(p, ctx.services.socEmail), cc: p.cc ?? [], subject: p.subject, body: p.body, smtp: ctx.services.smtp.host || '(not configured)' };
  },
});
