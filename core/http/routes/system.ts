/** Health (public), the OpenAPI document (public) and Prometheus metrics. */
import type { Express, Router } from 'express';
import { z } from 'zod';
import { hasPermission } from '../../auth/roles';
import { principalOf } from '../authenticate';
import type { HttpAppDeps } from '../deps';
import { HttpError, unauthorized } from '../errors';
import type { OpenApiRegistry } from '../openapi';
import { defineRoute } from '../route';

export function registerPublicSystemRoutes(router: Router, api: OpenApiRegistry, deps: HttpAppDeps): void {
  const now = deps.now ?? Date.now;
  const startedAt = now();
  defineRoute(router, api, {
    method: 'get',
    path: '/health',
    summary: 'Liveness: status, version and uptime',
    tags: ['system'],
    public: true,
    responses: {
      200: {
        description: 'the server is up',
        schema: z.object({ status: z.literal('ok'), version: z.string(), uptime: z.number().describe('seconds since start') }),
      },
    },
    handler: () => ({ status: 'ok', version: deps.version, uptime: Math.floor((now() - startedAt) / 1000) }),
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/openapi.json',
    summary: 'This API, as an OpenAPI 3.1 document',
    tags: ['system'],
    public: true,
    responses: { 200: { description: 'OpenAPI 3.1 document', schema: z.looseObject({ openapi: z.string() }) } },
    handler: () => api.document(),
  });
}

/**
 * GET /metrics. Prometheus scrapes with `authorization: { credentials: <API token> }` of a user
 * holding metrics:read (admin, noc_operator); `http.metricsPublic: true` drops the check for a
 * port only the Prometheus server can reach.
 */
export function registerMetricsRoute(app: Express, api: OpenApiRegistry, deps: HttpAppDeps): void {
  const open = deps.config.http.metricsPublic === true;
  api.add(
    {
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics (text exposition format)',
      description: open
        ? 'Open: http.metricsPublic is true.'
        : 'Needs a bearer token (or session) of a user with permission `metrics:read` (admin, noc_operator), unless http.metricsPublic is true.',
      tags: ['system'],
      public: open,
      permission: open ? undefined : 'metrics:read',
      responses: { 200: { description: 'metrics', contentType: 'text/plain; version=0.0.4' } },
    },
    { basePath: '' },
  );
  app.get('/metrics', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (!open) {
      const found = principalOf(req, deps.tokens);
      if (!found) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="socnoc"');
        throw unauthorized('metrics need a bearer token of a user with permission metrics:read');
      }
      if (!hasPermission(found.principal.user.role, 'metrics:read')) {
        throw new HttpError(403, 'forbidden', `role ${found.principal.user.role} lacks permission metrics:read`, { permission: 'metrics:read' });
      }
    }
    const text = await deps.metrics.metrics();
    res.setHeader('Content-Type', deps.metrics.contentType);
    res.send(text);
  });
}
