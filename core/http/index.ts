export { createHttpApp, API_BASE, DEFAULT_BODY_LIMIT_BYTES } from './app';
export { startHttpServer, type RunningHttpServer } from './server';
export type { HttpAppDeps, HttpModule } from './deps';
export { OpenApiRegistry, errorSchema, type OperationDoc, type ResponseDoc, type HttpMethod } from './openapi';
export { defineRoute, type RouteSpec, type RouteContext } from './route';
export { authenticate, requirePermission, principal, principalOf } from './authenticate';
export { HttpError, badRequest, invalidParameter, notFound, forbidden, unauthorized, type ErrorCode } from './errors';
export { SESSION_COOKIE } from './cookies';
export { parseTimeParam, parseDuration } from './time-params';
