/** Login (public), logout, who-am-I and password change. */
import type { Router } from 'express';
import { z } from 'zod';
import { organizationsOf } from '../../auth/principal';
import { permissionsOf } from '../../auth/roles';
import { LOCALES, UserStoreError } from '../../auth/users';
import { clearedSessionCookie, sessionCookie } from '../cookies';
import type { HttpAppDeps } from '../deps';
import { HttpError } from '../errors';
import type { LoginThrottle } from '../login-throttle';
import type { OpenApiRegistry } from '../openapi';
import { defineRoute } from '../route';
import { userJson, userJsonSchema } from './user-json';

const TAGS = ['auth'];

const loginBody = z.object({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(4096),
});

const loginAnswer = z.object({
  token: z.string().describe('bearer token for this session (same secret as the cookie)'),
  user: userJsonSchema,
  expiresAt: z.string().nullable(),
});

const meAnswer = z.object({
  user: userJsonSchema,
  agencies: z.union([z.literal('all'), z.array(z.string())]),
  permissions: z.array(z.string()),
  credential: z.object({ kind: z.enum(['session', 'api']), via: z.enum(['cookie', 'bearer']), expiresAt: z.string().nullable() }),
});

export function registerLoginRoute(router: Router, api: OpenApiRegistry, deps: HttpAppDeps, throttle: LoginThrottle): void {
  const { users, tokens, config } = deps;
  const ttlSeconds = config.http.sessionTtlMinutes * 60;
  let loginsSincePurge = 0;
  defineRoute(router, api, {
    method: 'post',
    path: '/auth/login',
    summary: 'Log in with username and password',
    description: `Sets the HttpOnly session cookie and returns the same session as a bearer token. Sessions end ${config.http.sessionTtlMinutes} minutes after login.`,
    tags: TAGS,
    public: true,
    body: loginBody,
    responses: {
      200: { description: 'logged in', schema: loginAnswer },
      401: { description: 'wrong username or password, or the account is disabled' },
      429: { description: 'too many failed attempts from this address; see Retry-After' },
    },
    handler: async ({ body, req, res }) => {
      const address = req.socket.remoteAddress ?? 'unknown';
      const wait = throttle.retryAfter(address, body.username);
      if (wait > 0) throw new HttpError(429, 'too_many_requests', `too many failed logins; try again in ${wait} s`, { retryAfterSeconds: wait });
      const user = await users.verifyPassword(body.username, body.password);
      if (!user) {
        throttle.failed(address, body.username);
        // An unknown name is not logged: people type their password into the username field.
        const known = users.get(body.username)?.username;
        deps.logger.warn({ username: known ?? '(unknown user)', address, requestId: req.requestId }, 'login failed');
        throw new HttpError(401, 'invalid_credentials', 'invalid username or password');
      }
      throttle.succeeded(address, body.username);
      users.recordLogin(user.id);
      const { token, meta } = tokens.issueWithMeta(user.id, { kind: 'session', name: sessionName(req.get('user-agent')) });
      // Dead sessions accumulate one per login; sweeping every hundred logins keeps the table small.
      if (++loginsSincePurge >= 100) {
        loginsSincePurge = 0;
        tokens.purge();
      }
      // The cookie lives exactly as long as the session it carries.
      const maxAgeSeconds = meta.expiresAt === null ? ttlSeconds : (Date.parse(meta.expiresAt) - Date.parse(meta.createdAt)) / 1000;
      res.setHeader('Set-Cookie', sessionCookie(token, { secure: config.http.secureCookies, maxAgeSeconds }));
      deps.logger.info({ username: user.username, address, requestId: req.requestId }, 'login');
      return { token, user: userJson(user), expiresAt: meta.expiresAt };
    },
  });
}

/** Short label shown in the sessions list: the browser or client that logged in. */
function sessionName(userAgent: string | undefined): string {
  return (userAgent ?? 'unknown client').slice(0, 100);
}

export function registerSessionRoutes(router: Router, api: OpenApiRegistry, deps: HttpAppDeps, throttle: LoginThrottle): void {
  const { users, tokens, config } = deps;
  defineRoute(router, api, {
    method: 'post',
    path: '/auth/logout',
    summary: 'End the current session',
    description: 'Revokes the session used for this request (an API token is left alone) and clears the cookie.',
    tags: TAGS,
    responses: { 204: { description: 'logged out' } },
    handler: ({ principal, res }) => {
      if (principal.token.kind === 'session') tokens.revoke(principal.token.id);
      res.setHeader('Set-Cookie', clearedSessionCookie(config.http.secureCookies));
      return undefined;
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/auth/me',
    summary: 'The logged-in user, their agencies and permissions',
    tags: TAGS,
    responses: { 200: { description: 'the caller', schema: meAnswer } },
    handler: ({ principal, req }) => ({
      user: userJson(principal.user),
      agencies: organizationsOf(principal) ?? 'all',
      permissions: permissionsOf(principal.user.role),
      credential: { kind: principal.token.kind, via: req.authVia ?? 'bearer', expiresAt: principal.token.expiresAt },
    }),
  });

  defineRoute(router, api, {
    method: 'patch',
    path: '/auth/me',
    summary: 'Change one\'s own preferences (console language)',
    description: 'Only the caller\'s own account; `locale` null forgets the choice (the browser\'s language applies again).',
    tags: TAGS,
    body: z.object({ locale: z.enum(LOCALES).nullable() }).strict(),
    responses: { 200: { description: 'the caller after the change', schema: meAnswer } },
    handler: ({ principal, body, req }) => {
      const user = users.setLocale(principal.user.id, body.locale);
      return {
        user: userJson(user),
        agencies: organizationsOf(principal) ?? 'all',
        permissions: permissionsOf(user.role),
        credential: { kind: principal.token.kind, via: req.authVia ?? 'bearer', expiresAt: principal.token.expiresAt },
      };
    },
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/auth/password',
    summary: 'Change one\'s own password',
    description: 'Needs the current password. Ends every other session of the user; API tokens stay valid.',
    tags: TAGS,
    body: z.object({ currentPassword: z.string().min(1).max(4096), newPassword: z.string().min(1).max(4096) }),
    responses: { 204: { description: 'changed' }, 403: { description: 'current password wrong' }, 429: { description: 'too many wrong passwords' } },
    handler: async ({ principal, body, req }) => {
      // A stolen session must not become a free password oracle: same throttle as login.
      const address = req.socket.remoteAddress ?? 'unknown';
      const wait = throttle.retryAfter(address, principal.user.username);
      if (wait > 0) throw new HttpError(429, 'too_many_requests', `too many wrong passwords; try again in ${wait} s`, { retryAfterSeconds: wait });
      const checked = await users.verifyPassword(principal.user.username, body.currentPassword);
      if (!checked) {
        throttle.failed(address, principal.user.username);
        throw new HttpError(403, 'forbidden', 'current password is wrong');
      }
      try {
        await users.setPassword(principal.user.username, body.newPassword);
      } catch (err) {
        if (err instanceof UserStoreError) throw new HttpError(400, 'invalid_body', `body.newPassword: ${err.message}`, { field: 'newPassword' });
        throw err;
      }
      tokens.revokeAllForUser(principal.user.id, 'session', principal.token.id);
      return undefined;
    },
  });
}
