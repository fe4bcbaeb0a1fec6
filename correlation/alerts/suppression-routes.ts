/**
 * Suppression routes under /api/v1/alerts/suppressions. Agency users see their agencies' and the
 * global suppressions, and create or change only their agencies' ones; admin manages all (and
 * alone creates global ones). Another agency's suppression answers 404.
 */
import type { Response, Router } from 'express';
import { z } from 'zod';
import { organizationsOf, type Principal } from '../../core/auth/principal';
import { auditContext } from '../../core/http/audit-trail';
import { HttpError } from '../../core/http/errors';
import type { OpenApiRegistry } from '../../core/http/openapi';
import { defineRoute } from '../../core/http/route';
import { parseTimeParam, TIME_PARAM_HELP } from '../../core/http/time-params';
import { suppressionSchema } from './alert-json';
import type { AlertStore } from './store';
import { MAX_SUPPRESSION_MATCHERS, SuppressionInputError } from './suppression';
import type { AlertSuppression } from './types';

const idParams = z.object({ id: z.string().min(1).max(100) });
const matchSchema = z
  .record(z.string().min(1).max(200), z.union([z.string().min(1).max(1000), z.array(z.string().min(1).max(1000)).min(1).max(100)]))
  .describe(`ECS field → value or values, at most ${MAX_SUPPRESSION_MATCHERS} fields, e.g. {"source.ip": "10.0.0.5"}`);
const expiresSchema = z
  .string()
  .nullable()
  .describe(`when it stops applying: ${TIME_PARAM_HELP}, or now+7d; null: never`);

type SuppressionJson = z.infer<typeof suppressionSchema>;

function json(s: AlertSuppression, now: number): SuppressionJson {
  return { ...s, expired: s.expires_at !== null && Date.parse(s.expires_at) <= now };
}

function expiryOf(text: string | null | undefined, now: number): number | null | undefined {
  if (text === undefined || text === null) return text;
  const ms = parseTimeParam(text, now);
  if (ms === undefined) throw new HttpError(400, 'invalid_body', `body.expires_at: "${text.slice(0, 60)}" is not a time; expected ${TIME_PARAM_HELP}`, { field: 'expires_at' });
  return ms;
}

function inputError(err: unknown): never {
  if (err instanceof SuppressionInputError) throw new HttpError(400, 'invalid_body', `body.${err.message.slice('suppression '.length)}`, { field: err.field });
  throw err;
}

export function registerSuppressionRoutes(router: Router, api: OpenApiRegistry, alerts: AlertStore, now: () => number): void {
  const store = alerts.suppressions;

  /** The suppression if the caller may see it, else 404; `write` also refuses global ones to non-admins. */
  function visible(principal: Principal, id: string, write: boolean): AlertSuppression {
    const s = store.get(id);
    const scope = organizationsOf(principal);
    if (s === undefined || (scope !== undefined && s.organization !== null && !scope.includes(s.organization))) {
      throw new HttpError(404, 'not_found', `suppression "${id.slice(0, 100)}" does not exist`);
    }
    if (write && scope !== undefined && s.organization === null) throw new HttpError(403, 'forbidden', 'only admin changes a suppression that applies to every agency');
    return s;
  }

  function audited(res: Response, s: AlertSuppression, details: Record<string, unknown> = {}): void {
    auditContext(res, { object: { type: 'alert_suppression', id: s.id }, organization: s.organization, details: { rule_id: s.rule_id, ...details } });
  }

  defineRoute(router, api, {
    method: 'get',
    path: '/alerts/suppressions',
    summary: 'Suppression rules',
    tags: ['alerts'],
    permission: 'alerts:read',
    query: z.object({ expired: z.enum(['true', 'false']).default('true').describe('include expired ones') }),
    responses: { 200: { description: 'oldest first', schema: z.object({ suppressions: z.array(suppressionSchema) }) } },
    handler: ({ principal, query }) => {
      const t = now();
      return { suppressions: store.list(organizationsOf(principal), query.expired === 'true').map((s) => json(s, t)) };
    },
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/alerts/suppressions',
    summary: 'Create a suppression rule',
    description:
      'Matches of `rule_id` (or every rule with `*`) in `organization` (every agency when omitted, admin only) whose fields equal `match` are counted on the suppression instead of raising alerts, until `expires_at`.',
    tags: ['alerts'],
    permission: 'alerts:manage',
    status: 201,
    body: z
      .object({
        rule_id: z.string().min(1).max(200),
        organization: z.string().min(1).max(100).nullable().optional(),
        match: matchSchema.optional(),
        reason: z.string().trim().min(1).max(1000),
        expires_at: expiresSchema.optional(),
      })
      .strict(),
    responses: { 201: { description: 'created', schema: suppressionSchema } },
    handler: ({ principal, body, res }) => {
      const scope = organizationsOf(principal);
      let organization = body.organization ?? null;
      if (scope !== undefined) {
        if (organization === null && scope.length === 1) organization = scope[0];
        if (organization === null) throw new HttpError(400, 'invalid_body', 'body.organization: name one of your agencies', { field: 'organization' });
        if (!scope.includes(organization)) throw new HttpError(403, 'forbidden', `you cannot suppress alerts of agency ${organization.slice(0, 100)}`);
      }
      const t = now();
      let created: AlertSuppression;
      try {
        created = store.create({ ruleId: body.rule_id, organization, match: body.match, reason: body.reason, owner: principal.user.username, expiresAt: expiryOf(body.expires_at, t) });
      } catch (err) {
        inputError(err);
      }
      audited(res, created, { match: created.match, expires_at: created.expires_at, reason: created.reason });
      return json(created, t);
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/alerts/suppressions/:id',
    summary: 'One suppression rule',
    tags: ['alerts'],
    permission: 'alerts:read',
    params: idParams,
    responses: { 200: { description: 'the suppression', schema: suppressionSchema }, 404: { description: 'no such suppression in your agencies' } },
    handler: ({ principal, params }) => json(visible(principal, params.id, false), now()),
  });

  defineRoute(router, api, {
    method: 'patch',
    path: '/alerts/suppressions/:id',
    summary: 'Change a suppression rule: match, reason, expiry',
    tags: ['alerts'],
    permission: 'alerts:manage',
    params: idParams,
    body: z
      .object({ match: matchSchema.optional(), reason: z.string().trim().min(1).max(1000).optional(), expires_at: expiresSchema.optional() })
      .strict()
      .refine((b) => b.match !== undefined || b.reason !== undefined || b.expires_at !== undefined, 'give match, reason or expires_at'),
    responses: { 200: { description: 'the suppression after the change', schema: suppressionSchema }, 404: { description: 'no such suppression in your agencies' } },
    handler: ({ principal, params, body, res }) => {
      const before = visible(principal, params.id, true);
      const t = now();
      let after: AlertSuppression | undefined;
      try {
        after = store.update(params.id, { match: body.match, reason: body.reason, expiresAt: expiryOf(body.expires_at, t) });
      } catch (err) {
        inputError(err);
      }
      if (after === undefined) throw new HttpError(404, 'not_found', `suppression "${params.id.slice(0, 100)}" does not exist`);
      audited(res, after, { before: { match: before.match, reason: before.reason, expires_at: before.expires_at } });
      return json(after, t);
    },
  });

  defineRoute(router, api, {
    method: 'delete',
    path: '/alerts/suppressions/:id',
    summary: 'Delete a suppression rule',
    tags: ['alerts'],
    permission: 'alerts:manage',
    params: idParams,
    responses: { 204: { description: 'deleted' }, 404: { description: 'no such suppression in your agencies' } },
    handler: ({ principal, params, res }) => {
      const s = visible(principal, params.id, true);
      store.delete(s.id);
      audited(res, s, { hits: s.hits, reason: s.reason });
      return undefined;
    },
  });
}
