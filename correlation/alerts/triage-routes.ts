/**
 * Triage routes: change an alert (status, assignee, severity, with a comment), comment on it, and
 * change many at once. Scoped to the caller's agencies: an alert of another agency answers 404,
 * as one that does not exist, so ids do not leak. Refused transitions answer 409.
 */
import type { Response, Router } from 'express';
import { z } from 'zod';
import { organizationsOf, type Principal } from '../../core/auth/principal';
import type { User } from '../../core/auth/users';
import { auditContext, type AuditSink } from '../../core/http/audit-trail';
import { HttpError } from '../../core/http/errors';
import type { OpenApiRegistry } from '../../core/http/openapi';
import { defineRoute } from '../../core/http/route';
import { alertDetailSchema, historyEntrySchema } from './alert-json';
import { AlertNotFoundError, AlertTransitionError, MAX_COMMENT_LENGTH, type AlertUpdate } from './lifecycle';
import type { AlertStore } from './store';
import { ALERT_SEVERITIES, ALERT_STATUSES, type Alert } from './types';

export const MAX_BULK_IDS = 1000;

export interface TriageDeps {
  alerts: AlertStore;
  /** To check that an assignee exists and may see the alert's agency; without it any username is taken. */
  users?: { get(username: string): User | undefined };
  /** Bulk changes record one `alert.update` per alert here (the request itself is recorded by the audit trail). */
  audit?: AuditSink;
}

const idParams = z.object({ id: z.string().min(1).max(100) });
const comment = z.string().trim().min(1).max(MAX_COMMENT_LENGTH);
const assignee = z.string().min(1).max(64).nullable().describe('username; null unassigns');

export function notFoundAlert(id: string): HttpError {
  return new HttpError(404, 'not_found', `alert "${id.slice(0, 100)}" does not exist`);
}

/** The alert with its history and comments, or 404. */
export function alertDetail(alerts: AlertStore, id: string, organizations: readonly string[] | undefined): z.infer<typeof alertDetailSchema> {
  const alert = alerts.get(id, organizations);
  const history = alert === undefined ? undefined : alerts.alertHistory(id, organizations);
  if (alert === undefined || history === undefined) throw notFoundAlert(id);
  return { ...alert, history, comments: history.filter((h) => h.kind === 'comment') };
}

function translate(err: unknown): never {
  if (err instanceof AlertNotFoundError) throw notFoundAlert(err.alertId);
  if (err instanceof AlertTransitionError) throw new HttpError(409, 'conflict', err.message, { from: err.from, to: err.to });
  throw err;
}

export function registerTriageRoutes(router: Router, api: OpenApiRegistry, deps: TriageDeps): void {
  const { alerts } = deps;

  /** 400 unless the assignee is a user who may see the alert's agency. */
  function checkAssignee(username: string | null | undefined, alert: Alert | undefined): void {
    if (username === undefined || username === null || deps.users === undefined) return;
    const user = deps.users.get(username);
    if (user === undefined || user.disabled) throw new HttpError(400, 'invalid_body', `body.assignee: no active user "${username.slice(0, 64)}"`, { field: 'assignee' });
    if (alert !== undefined && user.role !== 'admin' && !user.agencies.includes(alert.organization.id)) {
      throw new HttpError(400, 'invalid_body', `body.assignee: user "${username}" cannot see agency ${alert.organization.id}`, { field: 'assignee' });
    }
  }

  function update(res: Response, principal: Principal, id: string, change: AlertUpdate): z.infer<typeof alertDetailSchema> {
    const scope = organizationsOf(principal);
    const before = alerts.get(id, scope);
    if (before === undefined) throw notFoundAlert(id);
    auditContext(res, { action: 'alert.update', object: { type: 'alert', id }, organization: before.organization.id });
    checkAssignee(change.assignee, before);
    let changed: string[];
    try {
      changed = alerts.update(id, change, principal.user.username, scope).changed;
    } catch (err) {
      translate(err);
    }
    const after = alertDetail(alerts, id, scope);
    auditContext(res, { details: { changed, ...changeDetails(before, after, changed) } });
    return after;
  }

  defineRoute(router, api, {
    method: 'patch',
    path: '/alerts/:id',
    summary: 'Change an alert: status, assignee, severity, with an optional comment',
    description:
      'Status moves forward: new → acknowledged → in_progress → resolved | false_positive (steps may be skipped); a closed alert reopens only to in_progress. Anything else answers 409. Setting what is already set changes nothing.',
    tags: ['alerts'],
    permission: 'alerts:manage',
    params: idParams,
    body: z
      .object({ status: z.enum(ALERT_STATUSES).optional(), assignee: assignee.optional(), severity: z.enum(ALERT_SEVERITIES).optional(), comment: comment.optional() })
      .strict()
      .refine((b) => b.status !== undefined || b.assignee !== undefined || b.severity !== undefined || b.comment !== undefined, 'give status, assignee, severity or comment'),
    responses: {
      200: { description: 'the alert after the change, with its history', schema: alertDetailSchema },
      404: { description: 'no such alert in your agencies' },
      409: { description: 'a status change the lifecycle does not allow' },
    },
    handler: ({ principal, params, body, res }) => update(res, principal, params.id, body),
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/alerts/:id/comments',
    summary: 'Comment on an alert',
    tags: ['alerts'],
    permission: 'alerts:manage',
    status: 201,
    params: idParams,
    body: z.object({ text: comment }).strict(),
    responses: { 201: { description: 'the comment', schema: historyEntrySchema }, 404: { description: 'no such alert in your agencies' } },
    handler: ({ principal, params, body, res }) => {
      const detail = update(res, principal, params.id, { comment: body.text });
      auditContext(res, { action: 'alert.comment' });
      return detail.comments[detail.comments.length - 1];
    },
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/alerts/bulk',
    summary: 'Change many alerts at once',
    description: `Applies \`set\` (and \`comment\`) to each id alone, at most ${MAX_BULK_IDS}; the answer says per id what changed or why not (not_found for ids outside your agencies, conflict for refused transitions).`,
    tags: ['alerts'],
    permission: 'alerts:manage',
    body: z
      .object({
        ids: z.array(z.string().min(1).max(100)).min(1).max(MAX_BULK_IDS),
        set: z
          .object({ status: z.enum(ALERT_STATUSES).optional(), assignee: assignee.optional() })
          .strict()
          .refine((s) => s.status !== undefined || s.assignee !== undefined, 'give status or assignee'),
        comment: comment.optional(),
      })
      .strict(),
    responses: {
      200: {
        description: 'per-id results, in the order given',
        schema: z.object({
          updated: z.number().int().describe('alerts changed'),
          results: z.array(
            z.object({
              id: z.string(),
              ok: z.boolean(),
              changed: z.array(z.string()).optional(),
              error: z.object({ code: z.enum(['not_found', 'conflict']), message: z.string() }).optional(),
            }),
          ),
        }),
      },
    },
    handler: ({ principal, body, res }) => {
      checkAssignee(body.set.assignee, undefined);
      const scope = organizationsOf(principal);
      const ids = [...new Set(body.ids)];
      const actor = principal.user.username;
      const outcomes = alerts.updateMany(ids, { ...body.set, comment: body.comment }, actor, scope);
      let updated = 0;
      const results = outcomes.map((o, i) => {
        if (o instanceof AlertNotFoundError) return { id: ids[i], ok: false, error: { code: 'not_found' as const, message: o.message } };
        if (o instanceof AlertTransitionError) return { id: ids[i], ok: false, error: { code: 'conflict' as const, message: o.message } };
        if (o instanceof Error) throw o;
        if (o.changed.length > 0) {
          updated++;
          const org = alerts.get(o.id)?.organization.id ?? null;
          deps.audit?.append({ actor: { type: principal.token.kind === 'api' ? 'token' : 'user', id: actor }, action: 'alert.update', object: { type: 'alert', id: o.id }, organization: org, result: 'ok', details: { changed: o.changed, set: body.set, bulk: true } });
        }
        return { id: ids[i], ok: true, changed: o.changed };
      });
      auditContext(res, { action: 'alert.bulk_update', object: { type: 'alert', id: null }, details: { ids: ids.length, updated, failed: results.filter((r) => !r.ok).length, set: body.set } });
      return { updated, results };
    },
  });
}

/** From/to of what changed, for the audit record. */
function changeDetails(before: Alert, after: Alert, changed: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (changed.includes('status')) out.status = { from: before.status, to: after.status };
  if (changed.includes('assignee')) out.assignee = { from: before.assignee, to: after.assignee };
  if (changed.includes('severity')) out.severity = { from: before.severity, to: after.severity };
  return out;
}
