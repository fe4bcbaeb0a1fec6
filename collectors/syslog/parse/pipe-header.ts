/**
 * The pipe-delimited headers shared by CEF and LEEF: `MARKER:f0|f1|…|fN|rest`, where `\|` and
 * `\\` escape a pipe and a backslash inside a field.
 */

export function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Start of `marker` (`CEF:`, `LEEF:`) at the start of `text` after whitespace, or after a space when
 * a syslog prefix the header parser did not strip precedes it; -1 when absent.
 */
export function findFormatStart(text: string, marker: string): number {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (!isBlank(c) && c !== 0xfeff) break;
    i++;
  }
  let at = text.indexOf(marker, i);
  while (at > i && text.charCodeAt(at - 1) !== 32) at = text.indexOf(marker, at + 1);
  return at;
}

/** Index of the next unescaped `|` at or after `i`, or -1. */
export function pipeEnd(s: string, i: number): number {
  const end = s.length;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 124) return i;
  }
  return -1;
}

/** Header field `s[start, end)` with `\|` and `\\` unescaped and surrounding spaces trimmed. */
export function headerField(s: string, start: number, end: number): string {
  while (start < end && isBlank(s.charCodeAt(start))) start++;
  while (end > start && isBlank(s.charCodeAt(end - 1))) end--;
  const backslash = s.indexOf('\\', start);
  if (backslash < 0 || backslash >= end) return s.slice(start, end);
  let out = '';
  let from = start;
  for (let i = backslash; i < end; i++) {
    if (s.charCodeAt(i) !== 92) continue;
    const next = s.charCodeAt(i + 1);
    if (next === 124 || next === 92) {
      out += s.slice(from, i);
      from = i + 1;
      i++;
    }
  }
  return out + s.slice(from, end);
}

/** Header field `n`, given the start index of every field (each field ends one before the next starts). */
export function fieldAt(text: string, bounds: readonly number[], n: number): string {
  return headerField(text, bounds[n], n + 1 < bounds.length ? bounds[n + 1] - 1 : text.length);
}

/**
 * Start index of each of at most `maxFields` pipe-separated fields from `start`; the last one runs
 * to the end of the text (the extension / attributes).
 */
export function splitPipeHeader(text: string, start: number, maxFields: number): number[] {
  const bounds: number[] = [start];
  let i = start;
  while (bounds.length < maxFields) {
    const p = pipeEnd(text, i);
    if (p < 0) break;
    bounds.push(p + 1);
    i = p + 1;
  }
  return bounds;
}
