/**
 * Sigma string values: `*` (any run) and `?` (one character) wildcards, and the backslash escape
 * exactly as the spec's "Escape Character" section defines it:
 *   `\*` `\?` → literal wildcard character; `\\` → one backslash; `\\*` → backslash then wildcard;
 *   `\\\*` → backslash and literal `*`; a backslash before any other character stays literal
 *   (`C:\Windows` needs no doubling); a trailing lone backslash stays literal.
 * With the `expand` modifier, `%name%` is a placeholder and `\%` a literal percent sign.
 */

export const ANY: unique symbol = Symbol('*');
export const ONE: unique symbol = Symbol('?');

export interface PlaceholderPart {
  placeholder: string;
}

/** A literal run of characters, or a wildcard. Literals are never empty and never adjacent. */
export type PatternPart = string | typeof ANY | typeof ONE;
export type RawPart = PatternPart | PlaceholderPart;

const PLACEHOLDER_NAME = /^[A-Za-z0-9_.-]+$/;

export function parseSigmaString(text: string, withPlaceholders = false): RawPart[] {
  const parts: RawPart[] = [];
  let acc = '';
  const flush = (): void => {
    if (acc !== '') parts.push(acc);
    acc = '';
  };
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (escaped) {
      if (c === '*' || c === '?' || c === '\\' || (withPlaceholders && c === '%')) acc += c;
      else acc += '\\' + c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === '*') {
      flush();
      parts.push(ANY);
    } else if (c === '?') {
      flush();
      parts.push(ONE);
    } else if (withPlaceholders && c === '%') {
      const end = text.indexOf('%', i + 1);
      const name = end > i ? text.slice(i + 1, end) : '';
      if (name !== '' && PLACEHOLDER_NAME.test(name)) {
        flush();
        parts.push({ placeholder: name });
        i = end;
      } else acc += c;
    } else acc += c;
  }
  if (escaped) acc += '\\';
  flush();
  return parts;
}

/** Merges adjacent literals and collapses `**` into `*` so matchers can classify patterns. */
export function normalizePattern(parts: readonly PatternPart[]): PatternPart[] {
  const out: PatternPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string') {
      if (p === '') continue;
      if (typeof last === 'string') out[out.length - 1] = last + p;
      else out.push(p);
    } else if (p === ANY && last === ANY) {
      continue;
    } else out.push(p);
  }
  return out;
}

export function hasWildcards(parts: readonly RawPart[]): boolean {
  return parts.some((p) => p === ANY || p === ONE);
}

export function literalText(parts: readonly PatternPart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p === ANY ? '*' : '?')).join('');
}

/** Re-escapes a pattern into Sigma notation (for messages and rule listings). */
export function patternToSigma(parts: readonly PatternPart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p.replace(/[\\*?]/g, (m) => '\\' + m) : p === ANY ? '*' : '?')).join('');
}
