/** What createHttpApp needs, and the shape a capability implements to add its routes. */
import type { Express, Router } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { CoreConfig } from '../config';
import type { EventStore } from '../store/event-store';
import type { TokenStore } from '../auth/tokens';
import type { UserStore } from '../auth/users';
import type { AuditSink } from './audit-trail';
import type { OpenApiRegistry } from './openapi';

/**
 * A capability's HTTP surface (alerts, devices, flows...). `register` receives a router mounted at
 * /api/v1 behind authentication (every route needs a session or token; use requirePermission or
 * defineRoute's `permission` for more) and documents each route in `api` (defineRoute does both).
 *
 * - A `router.use(mw)` without a path runs for requests bound for other modules' routes too: give it a path.
 * - JSON bodies up to `bodyLimitBytes` are parsed before any route; a route that takes larger or
 *   streamed bodies uses another content type (e.g. application/x-ndjson) and reads `req` itself.
 */
export interface HttpModule {
  name: string;
  register(router: Router, api: OpenApiRegistry): void;
  /** Routes outside /api (e.g. the console's static files at /); unauthenticated unless the module checks. */
  mountRoot?(app: Express): void;
}

export interface HttpAppDeps {
  config: { http: CoreConfig['http']; agencies: CoreConfig['agencies'] };
  users: UserStore;
  tokens: TokenStore;
  events: EventStore;
  metrics: Registry;
  logger: Logger;
  modules?: HttpModule[];
  version: string;
  /** Where the audit trail records mutating requests (core/http/audit-trail.ts); none: not recorded. */
  audit?: { sink: AuditSink; skipPaths?: readonly string[] };
  /** Largest JSON request body; default 1 MiB. */
  bodyLimitBytes?: number;
  /** Clock for relative times and uptime; replaceable in tests. */
  now?: () => number;
}
