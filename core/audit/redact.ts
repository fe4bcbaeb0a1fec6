/**
 * Details never hold secrets: values under keys that name one are replaced, at any depth. The
 * details also stay small: long strings are cut and deep or wide structures truncated, so a
 * caller cannot bloat the append-only log.
 */

/** password, passwd, pass, token, secret, api_key, authorization, cookie, credential, private_key, otp… */
const SECRET_KEY = /pass(word|wd|phrase)?$|^pass|token|secret|api[_-]?key|authori[sz]ation|cookie|credential|private[_-]?key|^otp$|session/i;
export const REDACTED = '[redacted]';
const MAX_DEPTH = 6;
const MAX_KEYS = 100;
const MAX_ARRAY = 100;
const MAX_STRING = 2000;

/** `token_id`, `sessionId`: public identifiers of secrets, kept (they tell which credential acted). */
const IDENTIFIER_KEY = /(_id|Id)$/;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !IDENTIFIER_KEY.test(key);
}

function clean(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (Array.isArray(value)) {
    const out = value.slice(0, MAX_ARRAY).map((v) => clean(v, depth + 1) ?? null);
    if (value.length > MAX_ARRAY) out.push(`[${value.length - MAX_ARRAY} more]`);
    return out;
  }
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const key of Object.keys(value).sort()) {
    if (n++ >= MAX_KEYS) {
      out['…'] = '[truncated]';
      break;
    }
    const v = (value as Record<string, unknown>)[key];
    if (isSecretKey(key)) out[key] = v === null || v === undefined ? v : REDACTED;
    else {
      const c = clean(v, depth + 1);
      if (c !== undefined) out[key] = c;
    }
  }
  return out;
}

/** A copy with secrets redacted, keys sorted, sizes bounded; safe to store. */
export function redactDetails(details: Record<string, unknown> | undefined): Record<string, unknown> {
  if (details === undefined) return {};
  return clean(details, 0) as Record<string, unknown>;
}
