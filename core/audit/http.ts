/**
 * The audit log's routes: GET /api/v1/audit (newest first; admin sees every record, others those
 * of their agencies) and GET /api/v1/audit/verify (walks the whole chain).
 */
import type { Router } from 'express';
import { z } from 'zod';
import { organizationsOf } from '../auth/principal';
import type { HttpModule } from '../http/deps';
import { invalidParameter } from '../http/errors';
import type { OpenApiRegistry } from '../http/openapi';
import { defineRoute } from '../http/route';
import { timeQueryParam } from '../http/time-query-param';
import { MAX_AUDIT_LIMIT, type AuditLog } from './log';
import { AUDIT_ACTOR_TYPES, AUDIT_RESULTS } from './types';

export interface AuditHttpDeps {
  audit: AuditLog;
  now?: () => number;
}

const recordSchema = z.object({
  seq: z.number().int(),
  time: z.string(),
  actor: z.object({ type: z.enum(AUDIT_ACTOR_TYPES), id: z.string().describe('username; for anonymous requests the client address') }),
  action: z.string().describe('e.g. alert.update, user.create, user.login, playbook.step'),
  object: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  organization: z.string().nullable().describe('agency of the object; null for system-wide objects (users, tokens)'),
  result: z.enum(AUDIT_RESULTS),
  details: z.record(z.string(), z.unknown()).describe('context; secrets redacted'),
  prev_hash: z.string(),
  hash: z.string().describe('SHA-256 over the record and prev_hash'),
});

export function auditHttpModule(deps: AuditHttpDeps): HttpModule {
  const now = deps.now ?? Date.now;
  return {
    name: 'audit',
    register(router: Router, api: OpenApiRegistry): void {
      defineRoute(router, api, {
        method: 'get',
        path: '/audit',
        summary: 'Audit records, newest first',
        description:
          'Admin sees every record; other holders of audit:read see the records of their agencies (records without an agency — users, tokens, logins — are admin-only). Pass `next` back as `before` for the following page.',
        tags: ['audit'],
        permission: 'audit:read',
        query: z.object({
          actor: z.string().max(200).optional().describe('username'),
          action: z.string().max(200).optional().describe('exact action, or a prefix ending in "." (alert.)'),
          object_type: z.string().max(100).optional(),
          object_id: z.string().max(200).optional(),
          result: z.enum(AUDIT_RESULTS).optional(),
          from: timeQueryParam('records at or after', now),
          to: timeQueryParam('records before', now),
          before: z.coerce.number().int().min(1).optional().describe('the `next` value of the previous page'),
          limit: z.coerce.number().int().min(1).max(MAX_AUDIT_LIMIT).default(100),
        }),
        responses: {
          200: {
            description: 'a page of records',
            schema: z.object({ records: z.array(recordSchema), next: z.number().int().nullable().describe('pass as `before`; null on the last page') }),
          },
        },
        handler: ({ principal, query }) => {
          if (query.from !== undefined && query.to !== undefined && query.from >= query.to) throw invalidParameter('from', 'must be before "to"');
          return deps.audit.list({
            organizations: organizationsOf(principal),
            actor: query.actor,
            action: query.action,
            objectType: query.object_type,
            objectId: query.object_id,
            result: query.result,
            from: query.from,
            to: query.to,
            before: query.before,
            limit: query.limit,
          });
        },
      });

      defineRoute(router, api, {
        method: 'get',
        path: '/audit/verify',
        summary: 'Verify the audit hash chain',
        description: 'Walks every record in order, checking sequence, links and hashes (as `socnoc audit verify` does).',
        tags: ['audit'],
        permission: 'audit:read',
        responses: {
          200: {
            description: 'the verdict',
            schema: z.object({
              ok: z.boolean(),
              checked: z.number().int(),
              head: z.string().describe('hash of the last good record'),
              first_bad: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
            }),
          },
        },
        handler: () => {
          const r = deps.audit.verify();
          return { ok: r.ok, checked: r.checked, head: r.head, first_bad: r.firstBad ?? null };
        },
      });
    },
  };
}
