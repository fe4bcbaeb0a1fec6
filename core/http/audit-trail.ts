/**
 * The audit trail of user actions: every mutating API request (POST, PUT, PATCH, DELETE) is
 * recorded in the audit log once its response is sent — who (the principal; for a login, the
 * username tried), what (an action named from the method and route pattern, e.g. PATCH
 * /alerts/:id → `alert.update`), on which object (the route's last parameter), and the result
 * from the status (2xx ok, 401/403 denied, anything else error).
 *
 * Request bodies are never recorded: a route adds what matters through `auditContext` (the
 * agency, a before/after, a count), and even that passes the log's secret redaction.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { AuditActorType, AuditEntry, AuditResult } from '../audit/types';

/** What the middleware writes to: the AuditLog, or anything with its `append`. */
export interface AuditSink {
  append(entry: AuditEntry): number;
}

/** What a route may add to (or change in) its request's audit record. */
export interface AuditContext {
  action?: string;
  object?: { type: string; id?: string | null };
  organization?: string | null;
  details?: Record<string, unknown>;
  /** Do not record this request (high-volume machine input a route records otherwise). */
  skip?: boolean;
}

export interface AuditTrailOptions {
  /** Paths under the API base whose requests are not recorded (prefix match, e.g. `/ingest`). */
  skipPaths?: readonly string[];
  logger?: Logger;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const VERBS: Record<string, string> = { POST: 'create', PUT: 'replace', PATCH: 'update', DELETE: 'delete' };

/** Core routes whose generic names would mislead (they live in core/http/routes, outside any module). */
const NAMED_ACTIONS: Record<string, string> = {
  'POST /auth/login': 'user.login',
  'POST /auth/logout': 'user.logout',
  'POST /auth/password': 'user.password_change',
  'DELETE /tokens/:id': 'token.revoke',
};
/** The object a login concerns is the account tried. */
const LOGIN_ROUTE = '/auth/login';
/** Creations whose new object's id is a body field that is never secret. */
const OBJECT_ID_FROM_BODY: Record<string, string> = { 'POST /users': 'username', 'POST /tokens': 'name' };

const LOCALS_KEY = 'socnocAudit';

/** Adds to the current request's audit record; later calls merge into earlier ones. */
export function auditContext(res: Response, context: AuditContext): void {
  const locals = res.locals as Record<string, unknown>;
  const current = (locals[LOCALS_KEY] as AuditContext | undefined) ?? {};
  locals[LOCALS_KEY] = { ...current, ...context, details: { ...current.details, ...context.details } };
}

function singular(noun: string): string {
  if (noun.endsWith('ies')) return `${noun.slice(0, -3)}y`;
  if (noun.endsWith('sses') || noun.endsWith('ches') || noun.endsWith('shes') || noun.endsWith('xes')) return noun.slice(0, -2);
  if (noun.endsWith('s') && !noun.endsWith('ss')) return noun.slice(0, -1);
  return noun;
}

/** `PATCH /alerts/:id` → alert.update; `POST /alerts/:id/comments` → alert.comment.create; `DELETE /alerts/suppressions/:id` → alert.suppression.delete. */
export function auditActionOf(method: string, route: string): string {
  const named = NAMED_ACTIONS[`${method} ${route}`];
  if (named !== undefined) return named;
  const nouns = route
    .split('/')
    .filter((s) => s !== '' && !s.startsWith(':'))
    .map((s) => singular(s.replace(/[^A-Za-z0-9_-]/g, '')).replace(/-/g, '_'));
  return [...nouns, VERBS[method] ?? method.toLowerCase()].join('.');
}

/**
 * The object a route acts on: the nouns just before its last parameter (`/alerts/suppressions/:id`
 * → alert_suppression) and that parameter's value; else the first noun, without an id.
 */
export function auditObjectOf(route: string, params: Record<string, unknown>): { type: string; id: string | null } | null {
  const segments = route.split('/').filter((s) => s !== '');
  for (let i = segments.length - 1; i > 0; i--) {
    if (!segments[i].startsWith(':') || segments[i - 1].startsWith(':')) continue;
    let first = i - 1;
    while (first > 0 && !segments[first - 1].startsWith(':')) first--;
    const type = segments.slice(first, i).map(singular).join('_');
    const value = params[segments[i].slice(1)];
    return { type, id: typeof value === 'string' ? value : null };
  }
  const nouns = segments.filter((s) => !s.startsWith(':'));
  return nouns.length > 0 ? { type: singular(nouns[0]), id: null } : null;
}

/**
 * Route parameters read back from the path the request came with: express resets `req.params`
 * when an error leaves a router, and refused requests are the ones worth recording.
 */
export function routeParamsOf(route: string, path: string): Record<string, string> {
  const names = route.split('/');
  const values = path.split('/');
  const out: Record<string, string> = {};
  if (names.length !== values.length) return out;
  for (let i = 0; i < names.length; i++) {
    if (!names[i].startsWith(':')) continue;
    try {
      out[names[i].slice(1)] = decodeURIComponent(values[i]);
    } catch {
      out[names[i].slice(1)] = values[i];
    }
  }
  return out;
}

export function auditResultOf(status: number): AuditResult {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 401 || status === 403) return 'denied';
  return 'error';
}

function actorOf(req: Request, route: string | undefined): { type: AuditActorType; id: string; tokenId?: string } {
  const p = req.principal;
  if (p !== undefined) {
    return p.token.kind === 'api' ? { type: 'token', id: p.user.username, tokenId: p.token.id } : { type: 'user', id: p.user.username };
  }
  const body = req.body as Record<string, unknown> | undefined;
  if (route === LOGIN_ROUTE && typeof body?.username === 'string' && body.username !== '') return { type: 'user', id: body.username.slice(0, 64) };
  return { type: 'anonymous', id: req.socket.remoteAddress ?? 'unknown' };
}

/** Mount on the API router before the routes (and before login, so failed logins are recorded). */
export function auditTrail(audit: AuditSink, options: AuditTrailOptions = {}): RequestHandler {
  const skipPaths = options.skipPaths ?? [];
  return (req, res, next) => {
    if (!MUTATING.has(req.method)) {
      next();
      return;
    }
    // Taken now: routers rewrite req.url while they handle the request.
    const path = req.path;
    if (skipPaths.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`))) {
      next();
      return;
    }
    res.on('finish', () => {
      const context = (res.locals as Record<string, unknown>)[LOCALS_KEY] as AuditContext | undefined;
      if (context?.skip === true) return;
      const route = typeof req.route?.path === 'string' ? (req.route.path as string) : undefined;
      const status = res.statusCode;
      // An unknown route is noise unless access was refused before routing (no or a bad credential).
      if (route === undefined && status !== 401 && status !== 403) return;
      const actor = actorOf(req, route);
      const params = route !== undefined ? routeParamsOf(route, path) : {};
      let object = route !== undefined ? auditObjectOf(route, params) : null;
      if (route === LOGIN_ROUTE) object = { type: 'user', id: actor.type === 'user' ? actor.id : null };
      const idField = route !== undefined ? OBJECT_ID_FROM_BODY[`${req.method} ${route}`] : undefined;
      const bodyId = idField !== undefined ? (req.body as Record<string, unknown> | undefined)?.[idField] : undefined;
      if (object !== null && object.id === null && typeof bodyId === 'string') object = { type: object.type, id: bodyId.slice(0, 200) };
      const entry: AuditEntry = {
        actor: { type: actor.type, id: actor.id },
        action: context?.action ?? (route !== undefined ? auditActionOf(req.method, route) : 'request.denied'),
        object: context?.object ?? object,
        organization: context?.organization ?? null,
        result: auditResultOf(status),
        details: {
          method: req.method,
          route: route ?? null,
          path: route === undefined ? path.slice(0, 200) : undefined,
          http_status: status,
          request_id: req.requestId,
          address: req.socket.remoteAddress,
          token_id: actor.tokenId,
          ...context?.details,
        },
      };
      try {
        audit.append(entry);
      } catch (err) {
        options.logger?.error({ err, action: entry.action, requestId: req.requestId }, 'audit: recording a request failed');
      }
    });
    next();
  };
}
