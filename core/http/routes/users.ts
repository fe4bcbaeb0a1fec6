/** User administration (admin only): list, create, change role / agencies / state / password, delete. */
import type { Router } from 'express';
import { z } from 'zod';
import { ROLES } from '../../auth/roles';
import { UserStoreError, type User } from '../../auth/users';
import { UNASSIGNED_AGENCY } from '../../event';
import type { HttpAppDeps } from '../deps';
import { HttpError } from '../errors';
import type { OpenApiRegistry } from '../openapi';
import { defineRoute } from '../route';
import { userJson, userJsonSchema } from './user-json';

const TAGS = ['users'];
const usernameParam = z.object({ username: z.string().min(1).max(200) });

const createBody = z.object({
  username: z.string().describe('1-64 letters, digits or . _ @ -, starting with a letter or digit'),
  password: z.string().describe('at least 8 characters'),
  role: z.enum(ROLES),
  agencies: z.array(z.string()).default([]).describe('required (one or more) for every role but admin'),
});

const updateBody = z
  .object({
    role: z.enum(ROLES).optional(),
    agencies: z.array(z.string()).optional(),
    disabled: z.boolean().optional().describe('a disabled user cannot log in; their sessions end and API tokens stop working'),
    password: z.string().optional().describe('sets a new password and ends the user\'s sessions'),
  })
  .strict();

function storeError(err: unknown): never {
  if (err instanceof UserStoreError) {
    const status = { invalid: 400, exists: 409, not_found: 404, last_admin: 409 }[err.code];
    const code = { invalid: 'invalid_body', exists: 'conflict', not_found: 'not_found', last_admin: 'conflict' }[err.code];
    throw new HttpError(status, code, err.message);
  }
  throw err;
}

export function registerUserRoutes(router: Router, api: OpenApiRegistry, deps: HttpAppDeps): void {
  const { users, tokens } = deps;
  const configured = new Set(deps.config.agencies.map((a) => a.id));

  /** When socnoc.yaml lists agencies, a user may only be given those (or `unassigned`): a typo would silently hide all data. */
  function checkAgencies(agencies: readonly string[] | undefined): void {
    if (!agencies || configured.size === 0) return;
    for (const a of agencies) {
      if (!configured.has(a) && a !== UNASSIGNED_AGENCY) {
        throw new HttpError(400, 'invalid_body', `body.agencies: unknown agency "${a.slice(0, 80)}" (not in socnoc.yaml agencies)`, { field: 'agencies' });
      }
    }
  }

  function mustGet(username: string): User {
    const user = users.get(username);
    if (!user) throw new HttpError(404, 'not_found', `user "${username}" does not exist`);
    return user;
  }

  defineRoute(router, api, {
    method: 'get',
    path: '/users',
    summary: 'List users',
    tags: TAGS,
    permission: 'users:manage',
    responses: { 200: { description: 'all users', schema: z.object({ users: z.array(userJsonSchema) }) } },
    handler: () => ({ users: users.list().map(userJson) }),
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/users',
    summary: 'Create a user',
    tags: TAGS,
    permission: 'users:manage',
    body: createBody,
    status: 201,
    responses: { 201: { description: 'created', schema: userJsonSchema }, 409: { description: 'the username is taken' } },
    handler: async ({ body }) => {
      checkAgencies(body.agencies);
      try {
        return userJson(await users.create(body.username, body.password, body.role, body.agencies));
      } catch (err) {
        return storeError(err);
      }
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/users/:username',
    summary: 'One user',
    tags: TAGS,
    permission: 'users:manage',
    params: usernameParam,
    responses: { 200: { description: 'the user', schema: userJsonSchema }, 404: { description: 'no such user' } },
    handler: ({ params }) => userJson(mustGet(params.username)),
  });

  defineRoute(router, api, {
    method: 'patch',
    path: '/users/:username',
    summary: 'Change a user\'s role, agencies, disabled state or password',
    tags: TAGS,
    permission: 'users:manage',
    params: usernameParam,
    body: updateBody,
    responses: {
      200: { description: 'the updated user', schema: userJsonSchema },
      404: { description: 'no such user' },
      409: { description: 'the change would leave no enabled admin' },
    },
    handler: async ({ params, body }) => {
      const user = mustGet(params.username);
      checkAgencies(body.agencies);
      try {
        let updated = user;
        if (body.role !== undefined || body.agencies !== undefined || body.disabled !== undefined) {
          updated = users.update(user.username, { role: body.role, agencies: body.agencies, disabled: body.disabled });
        }
        if (body.password !== undefined) await users.setPassword(user.username, body.password);
        if (body.password !== undefined || (body.disabled === true && !user.disabled)) tokens.revokeAllForUser(user.id, 'session');
        return userJson(updated);
      } catch (err) {
        return storeError(err);
      }
    },
  });

  defineRoute(router, api, {
    method: 'delete',
    path: '/users/:username',
    summary: 'Delete a user and their sessions and tokens',
    tags: TAGS,
    permission: 'users:manage',
    params: usernameParam,
    responses: { 204: { description: 'deleted' }, 404: { description: 'no such user' }, 409: { description: 'the last enabled admin' } },
    handler: ({ params }) => {
      try {
        users.delete(mustGet(params.username).username);
      } catch (err) {
        storeError(err);
      }
      return undefined;
    },
  });
}
