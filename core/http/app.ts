/**
 * The express application: public routes (health, OpenAPI, login), then authentication, then the
 * core routes (session, users, tokens, events) and each capability's routes, then JSON 404/500.
 */
import express, { type Express } from 'express';
import { auditTrail } from './audit-trail';
import { authenticate } from './authenticate';
import { noStore, requestContext } from './context';
import type { HttpAppDeps } from './deps';
import { errorHandler, notFoundHandler } from './errors';
import { LoginThrottle } from './login-throttle';
import { OpenApiRegistry } from './openapi';
import { requestLog } from './request-log';
import { registerLoginRoute, registerSessionRoutes } from './routes/auth';
import { registerEventRoutes } from './routes/events';
import { registerMetricsRoute, registerPublicSystemRoutes } from './routes/system';
import { registerTokenRoutes } from './routes/tokens';
import { registerUserRoutes } from './routes/users';

export const API_BASE = '/api/v1';
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

export function createHttpApp(deps: HttpAppDeps): Express {
  const api = new OpenApiRegistry({
    title: 'socnoc API',
    version: deps.version,
    description: 'Security and network operations: events, alerts, incidents, devices and flows. Authenticate with the session cookie from POST /api/v1/auth/login or an `Authorization: Bearer` token.',
  });
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // Strings (or arrays of strings) only: nested `a[b]=c` objects are not part of this API.
  app.set('query parser', 'simple');
  app.use(requestContext);
  app.use(requestLog(deps.logger));

  registerMetricsRoute(app, api, deps);

  const router = express.Router();
  router.use(noStore);
  router.use(express.json({ limit: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES, strict: true }));
  // Before login and authentication, so refused logins and requests are on record too.
  if (deps.audit) router.use(auditTrail(deps.audit.sink, { skipPaths: deps.audit.skipPaths, logger: deps.logger }));
  registerPublicSystemRoutes(router, api, deps);
  const throttle = new LoginThrottle();
  registerLoginRoute(router, api, deps, throttle);
  // Everything registered below needs a live session cookie or bearer token.
  router.use(authenticate(deps.tokens));
  registerSessionRoutes(router, api, deps, throttle);
  registerEventRoutes(router, api, deps);
  registerUserRoutes(router, api, deps);
  registerTokenRoutes(router, api, deps);
  for (const module of deps.modules ?? []) {
    const moduleRouter = express.Router();
    module.register(moduleRouter, api);
    router.use(moduleRouter);
  }
  router.use(notFoundHandler);
  app.use(API_BASE, router);
  app.use('/api', notFoundHandler);
  for (const module of deps.modules ?? []) module.mountRoot?.(app);
  app.use(errorHandler(deps.logger));
  return app;
}
