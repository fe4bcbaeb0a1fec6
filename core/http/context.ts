/**
 * Per-request state every route may read: the request id (echoed as X-Request-Id and in error
 * bodies, so a user's report finds the log line) and, once authenticated, the principal.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Principal } from '../auth/principal';

declare module 'express-serve-static-core' {
  interface Request {
    requestId?: string;
    /** Set by the authentication middleware on every /api/v1 route except the public ones. */
    principal?: Principal;
    /** How the principal presented its credential. */
    authVia?: 'cookie' | 'bearer';
  }
}

/** A caller-supplied id is kept only if it looks like one (it is echoed into logs). */
const REQUEST_ID_FORMAT = /^[A-Za-z0-9._-]{1,64}$/;

export const requestContext: RequestHandler = (req, res, next) => {
  const given = req.get('x-request-id');
  req.requestId = given !== undefined && REQUEST_ID_FORMAT.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', req.requestId);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  next();
};

/** API answers are per-user: no shared or browser caching. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
