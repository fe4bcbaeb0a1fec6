/**
 * Authentication (who is calling) and authorization (may they do this). A credential is an
 * `Authorization: Bearer` token or the session cookie; the bearer header wins when both are sent.
 */
import type { Request, RequestHandler } from 'express';
import { principalFor, type Principal } from '../auth/principal';
import { hasPermission, isKnownPermission, type Permission } from '../auth/roles';
import type { TokenStore } from '../auth/tokens';
import { readCookie, SESSION_COOKIE } from './cookies';
import { HttpError, unauthorized } from './errors';

export interface Credential {
  token: string;
  via: 'cookie' | 'bearer';
}

/** The credential a request presents, or undefined. A malformed Authorization header is an error. */
export function credentialOf(req: Request): Credential | undefined {
  const header = req.get('authorization');
  if (header !== undefined) {
    const space = header.indexOf(' ');
    const scheme = space > 0 ? header.slice(0, space) : header;
    const token = space > 0 ? header.slice(space + 1).trim() : '';
    if (scheme.toLowerCase() !== 'bearer' || token === '') {
      throw new HttpError(401, 'unauthorized', 'Authorization header must be "Bearer <token>"');
    }
    return { token, via: 'bearer' };
  }
  const cookie = readCookie(req.get('cookie'), SESSION_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : undefined;
}

/** Resolves the request's credential to a principal; undefined when none is presented or it is not valid. */
export function principalOf(req: Request, tokens: TokenStore): { principal: Principal; via: Credential['via'] } | undefined {
  const credential = credentialOf(req);
  if (!credential) return undefined;
  const resolved = tokens.resolve(credential.token);
  return resolved ? { principal: principalFor(resolved), via: credential.via } : undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A browser sends the cookie on same-site requests from any origin of the site (SameSite=Lax is
 * per site, not per origin); refusing state changes whose Origin is another host closes that gap.
 */
function crossOriginWrite(req: Request): boolean {
  if (SAFE_METHODS.has(req.method)) return false;
  const origin = req.get('origin');
  if (origin === undefined || origin === 'null') return origin === 'null';
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return true;
  }
  const hosts = [req.get('host'), req.get('x-forwarded-host')];
  return !hosts.some((h) => h !== undefined && h.split(',')[0].trim().toLowerCase() === originHost);
}

/** Rejects with 401 unless the request carries a live session cookie or bearer token; sets req.principal. */
export function authenticate(tokens: TokenStore): RequestHandler {
  return (req, res, next) => {
    const credential = credentialOf(req);
    if (!credential) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="socnoc"');
      throw unauthorized();
    }
    const resolved = tokens.resolve(credential.token);
    if (!resolved) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="socnoc", error="invalid_token"');
      throw unauthorized(credential.via === 'cookie' ? 'session expired or invalid: log in again' : 'bearer token invalid, expired or revoked');
    }
    if (credential.via === 'cookie' && crossOriginWrite(req)) {
      throw new HttpError(403, 'forbidden', 'cross-origin request refused for cookie authentication');
    }
    req.principal = principalFor(resolved);
    req.authVia = credential.via;
    next();
  };
}

/** The authenticated principal of a request behind `authenticate`. */
export function principal(req: Request): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}

/** 403 unless the principal's role holds the permission. Unknown permissions fail at startup, not per request. */
export function requirePermission(permission: Permission): RequestHandler {
  if (!isKnownPermission(permission)) throw new Error(`requirePermission: unknown permission "${permission}" (define it with grantPermission)`);
  return (req, _res, next) => {
    const p = principal(req);
    if (!hasPermission(p.user.role, permission)) {
      throw new HttpError(403, 'forbidden', `role ${p.user.role} lacks permission ${permission}`, { permission });
    }
    next();
  };
}
