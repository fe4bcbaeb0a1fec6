/**
 * RFC 5424 §6.3 STRUCTURED-DATA: `[SD-ID PARAM="VALUE" …][…]`, with `\"`, `\\` and `\]` escaped
 * in values (a backslash before any other character is kept, §6.3.3).
 */
import { setOwn } from './message';

export type StructuredData = Record<string, Record<string, string>>;

export class StructuredDataResult {
  data: StructuredData | undefined = undefined;
  /** Index just past the last `]`. */
  end = 0;
}

/** SD-NAME: printable US-ASCII except `=`, SP, `]`, `"` (§6.3.2); returns its end or -1 if empty. */
function nameEnd(s: string, i: number, end: number): number {
  const start = i;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c > 126 || c === 61 || c === 93 || c === 34) break;
    i++;
  }
  return i === start ? -1 : i;
}

function unescapeParamValue(s: string, start: number, end: number): string {
  let out = '';
  let from = start;
  for (let i = start; i < end; i++) {
    if (s.charCodeAt(i) !== 92) continue;
    const next = s.charCodeAt(i + 1);
    if (next === 34 || next === 92 || next === 93) {
      out += s.slice(from, i);
      from = i + 1;
      i++;
    }
  }
  return out + s.slice(from, end);
}

/** Index of the `"` closing a value that starts at `i`, skipping escaped characters; -1 if none. */
function valueEnd(s: string, i: number, end: number): number {
  const quote = s.indexOf('"', i);
  if (quote < 0 || quote >= end) return -1;
  const backslash = s.indexOf('\\', i);
  if (backslash < 0 || backslash > quote) return quote;
  for (let j = backslash; j < end; j++) {
    const c = s.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j;
  }
  return -1;
}

/**
 * Parses SD elements starting at `pos` (which holds `[`). Returns false on malformed input, so the
 * caller can keep the text as the message instead. A repeated SD-ID merges into the first; a
 * repeated PARAM-NAME keeps the last value.
 */
export function parseStructuredData(s: string, pos: number, end: number, out: StructuredDataResult): boolean {
  const data: StructuredData = {};
  let i = pos;
  while (i < end && s.charCodeAt(i) === 91 /* [ */) {
    const idEnd = nameEnd(s, i + 1, end);
    if (idEnd < 0) return false;
    const id = s.slice(i + 1, idEnd);
    let params = Object.prototype.hasOwnProperty.call(data, id) ? data[id] : undefined;
    if (params === undefined) {
      params = {};
      setOwn(data, id, params);
    }
    i = idEnd;
    for (;;) {
      if (i >= end) return false;
      let c = s.charCodeAt(i);
      if (c === 93 /* ] */) {
        i++;
        break;
      }
      if (c !== 32) return false;
      while (i < end && s.charCodeAt(i) === 32) i++;
      c = s.charCodeAt(i);
      if (c === 93) {
        i++;
        break;
      }
      const keyEnd = nameEnd(s, i, end);
      if (keyEnd < 0 || s.charCodeAt(keyEnd) !== 61 /* = */ || s.charCodeAt(keyEnd + 1) !== 34) return false;
      const close = valueEnd(s, keyEnd + 2, end);
      if (close < 0) return false;
      const backslash = s.indexOf('\\', keyEnd + 2);
      const value = backslash < 0 || backslash > close
        ? s.slice(keyEnd + 2, close)
        : unescapeParamValue(s, keyEnd + 2, close);
      setOwn(params, s.slice(i, keyEnd), value);
      i = close + 1;
    }
  }
  out.data = data;
  out.end = i;
  return true;
}
