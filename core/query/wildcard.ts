/**
 * Wildcard patterns as the query AST carries them (term nodes with `wildcard: true`, text nodes with
 * `phrase: false`): `*` is any run of characters, `?` one character, and a backslash makes the next
 * character literal (`\*`, `\?`, `\\`). This is Elasticsearch's wildcard syntax, so the Elasticsearch
 * compiler can pass patterns through; the SQL compiler turns them into LIKE patterns.
 */

export type WildcardPart = { kind: 'literal'; text: string } | { kind: 'any' } | { kind: 'one' };

/** Splits a pattern into literal runs and wildcards. A trailing lone backslash is kept literally. */
export function splitWildcardPattern(pattern: string): WildcardPart[] {
  const parts: WildcardPart[] = [];
  let literal = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      literal += pattern[++i];
    } else if (c === '*' || c === '?') {
      if (literal.length > 0) parts.push({ kind: 'literal', text: literal });
      literal = '';
      parts.push(c === '*' ? { kind: 'any' } : { kind: 'one' });
    } else {
      literal += c;
    }
  }
  if (literal.length > 0) parts.push({ kind: 'literal', text: literal });
  return parts;
}

/** True when the pattern holds at least one unescaped `*` or `?`. */
export function hasWildcard(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?') return true;
  }
  return false;
}

/** The literal text of a pattern without wildcards (escapes resolved). */
export function unescapeWildcardPattern(pattern: string): string {
  if (pattern.indexOf('\\') < 0) return pattern;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    out += c === '\\' && i + 1 < pattern.length ? pattern[++i] : c;
  }
  return out;
}

/** Escapes the characters that are special in a pattern, so the text matches itself. */
export function escapeWildcardLiteral(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    out += c === '*' || c === '?' || c === '\\' ? '\\' + c : c;
  }
  return out;
}
