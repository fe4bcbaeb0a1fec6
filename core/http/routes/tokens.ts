/** API tokens (and the list of live sessions): one's own, or anyone's with tokens:manage. */
import type { Router } from 'express';
import { z } from 'zod';
import type { Principal } from '../../auth/principal';
import { hasPermission } from '../../auth/roles';
import type { User } from '../../auth/users';
import type { HttpAppDeps } from '../deps';
import { HttpError } from '../errors';
import type { OpenApiRegistry } from '../openapi';
import { defineRoute } from '../route';
import { tokenJson, tokenJsonSchema } from './user-json';

const TAGS = ['tokens'];
const MAX_TTL_DAYS = 3650;

export function registerTokenRoutes(router: Router, api: OpenApiRegistry, deps: HttpAppDeps): void {
  const { users, tokens } = deps;

  /** The user whose tokens are meant: the caller, or (with tokens:manage) the named user. */
  function subject(principal: Principal, username: string | undefined): User {
    if (username === undefined || username.toLowerCase() === principal.user.username.toLowerCase()) return principal.user;
    if (!hasPermission(principal.user.role, 'tokens:manage')) {
      throw new HttpError(403, 'forbidden', `role ${principal.user.role} lacks permission tokens:manage (other users' tokens)`, { permission: 'tokens:manage' });
    }
    const user = users.get(username);
    if (!user) throw new HttpError(404, 'not_found', `user "${username.slice(0, 80)}" does not exist`);
    return user;
  }

  defineRoute(router, api, {
    method: 'get',
    path: '/tokens',
    summary: 'List live API tokens and sessions',
    description: 'One\'s own by default; `username` lists another user\'s (needs tokens:manage). Secrets are never shown.',
    tags: TAGS,
    permission: 'tokens:own',
    query: z.object({ username: z.string().max(200).optional() }),
    responses: { 200: { description: 'token metadata, newest first', schema: z.object({ tokens: z.array(tokenJsonSchema) }) } },
    handler: ({ principal, query }) => {
      const user = subject(principal, query.username);
      return { tokens: tokens.list(user.id).map((t) => tokenJson(t, user.username)) };
    },
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/tokens',
    summary: 'Create an API token',
    description: 'The secret is in this answer only; store it now. `username` creates one for another user (needs tokens:manage).',
    tags: TAGS,
    permission: 'tokens:own',
    status: 201,
    body: z.object({
      name: z.string().trim().min(1).max(100).describe('what uses it, e.g. "prometheus" or "agent hn-fw01"'),
      ttlDays: z.number().int().min(1).max(MAX_TTL_DAYS).optional().describe('expiry; none when omitted'),
      username: z.string().max(200).optional(),
    }),
    responses: {
      201: { description: 'created', schema: tokenJsonSchema.extend({ token: z.string().describe('the secret, shown once') }) },
    },
    handler: ({ principal, body }) => {
      const user = subject(principal, body.username);
      const ttlMs = body.ttlDays === undefined ? undefined : body.ttlDays * 86_400_000;
      const { token, meta } = tokens.issueWithMeta(user.id, { kind: 'api', name: body.name, ttlMs });
      return { token, ...tokenJson(meta, user.username) };
    },
  });

  defineRoute(router, api, {
    method: 'delete',
    path: '/tokens/:id',
    summary: 'Revoke an API token or end a session',
    tags: TAGS,
    permission: 'tokens:own',
    params: z.object({ id: z.string().max(100) }),
    responses: { 204: { description: 'revoked' }, 404: { description: 'no such live token of yours' } },
    handler: ({ principal, params }) => {
      const meta = tokens.get(params.id);
      // Someone else's token looks exactly like a missing one unless the caller may manage it.
      if (!meta || (meta.userId !== principal.user.id && !hasPermission(principal.user.role, 'tokens:manage'))) {
        throw new HttpError(404, 'not_found', `token "${params.id.slice(0, 100)}" does not exist`);
      }
      tokens.revoke(meta.id);
      return undefined;
    },
  });
}
