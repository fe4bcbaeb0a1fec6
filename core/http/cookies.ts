/**
 * The session cookie, parsed and written by hand (one cookie; no need for a parser dependency).
 * HttpOnly keeps it from scripts, SameSite=Lax from cross-site POSTs, Secure when TLS is in front.
 */
export const SESSION_COOKIE = 'socnoc_session';

/** Value of one cookie from a Cookie header (RFC 6265 §5.4: `name=value` pairs separated by `; `). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    const eq = header.indexOf('=', start);
    if (eq > start && eq < end && header.slice(start, eq).trim() === name) {
      let value = header.slice(eq + 1, end).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      return value;
    }
    start = end + 1;
  }
  return undefined;
}

export interface SessionCookieOptions {
  secure: boolean;
  maxAgeSeconds: number;
}

export function sessionCookie(token: string, options: SessionCookieOptions): string {
  const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/', `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`, 'HttpOnly', 'SameSite=Lax'];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', { secure, maxAgeSeconds: 0 });
}
