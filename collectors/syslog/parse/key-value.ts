/**
 * `key=value key2=value with spaces` lists as CEF extensions (and space-separated LEEF 1.0) use
 * them: a value runs until the space before the next `key=`. An `=` that does not follow a space
 * and a key-shaped word (`url=http://h/?a=b`) belongs to the value. One pass, linear in the input.
 */
import { setOwn } from './message';

const MAX_KEY_LENGTH = 64;

/** Key characters seen in CEF/LEEF dictionaries and vendor extensions: `cs1Label`, `ad.Name`, `act_1`, `a-b`, `x[0]`. */
function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)
    || c === 95 || c === 46 || c === 45 || c === 91 || c === 93;
}

function isKey(s: string, start: number, end: number): boolean {
  if (end <= start || end - start > MAX_KEY_LENGTH) return false;
  for (let i = start; i < end; i++) if (!isKeyChar(s.charCodeAt(i))) return false;
  return true;
}

function isTrailingSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

export type ValueDecoder = (s: string, start: number, end: number) => string;

export function rawValue(s: string, start: number, end: number): string {
  return s.slice(start, end);
}

/**
 * Reads pairs from `s[start, end)` into `out`. `decode` turns a raw value range into its value
 * (CEF unescaping); backslash-escaped characters never end a value or start a key.
 */
export function scanSpacedPairs(
  s: string, start: number, end: number, decode: ValueDecoder, out: Record<string, string>,
): void {
  let key: string | undefined;
  let valueStart = start;
  let lastSpace = -1;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 /* \ */) {
      i++;
    } else if (c === 32) {
      lastSpace = i;
    } else if (c === 61 /* = */) {
      const keyStart = key === undefined ? valueStart : lastSpace + 1;
      if (key !== undefined && lastSpace < valueStart) continue;
      if (!isKey(s, keyStart, i)) continue;
      if (key !== undefined) setOwn(out, key, decodeTrimmed(s, valueStart, lastSpace, decode));
      key = s.slice(keyStart, i);
      valueStart = i + 1;
    }
  }
  if (key !== undefined) setOwn(out, key, decodeTrimmed(s, valueStart, end, decode));
}

function decodeTrimmed(s: string, start: number, end: number, decode: ValueDecoder): string {
  while (end > start && isTrailingSpace(s.charCodeAt(end - 1))) end--;
  return decode(s, start, end);
}
