/**
 * `key=value key="value with spaces"` pairs (FortiGate, FortiAnalyzer forwarding, many appliances).
 * Quoted values may hold `\"`; unquoted values end at the next space.
 */

const MAX_PAIRS = 512;

function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
}

/** A quoted value holding backslashes (or no closing quote); `start` is after the opening quote. */
function readEscapedQuoted(text: string, start: number): { value: string; end: number } {
  const n = text.length;
  let i = start;
  let chunkStart = i;
  let value = '';
  while (i < n) {
    const c = text.charCodeAt(i);
    // Only \" and \\ are escapes; any other backslash is data (`user="HCM\jdoe"`, Windows paths).
    if (c === 92 /* \ */ && i + 1 < n && (text.charCodeAt(i + 1) === 34 || text.charCodeAt(i + 1) === 92)) {
      value += text.slice(chunkStart, i) + text[i + 1];
      i += 2;
      chunkStart = i;
      continue;
    }
    if (c === 34) break;
    i++;
  }
  return { value: value + text.slice(chunkStart, i), end: i + 1 };
}

/**
 * Returns the pairs found from `start`, or undefined when the text does not begin with a pair.
 * The result has no prototype, so a `__proto__=` key is just a key.
 */
export function parseKeyValues(text: string, start = 0): Record<string, string> | undefined {
  const out = Object.create(null) as Record<string, string>;
  const n = text.length;
  let i = start;
  let pairs = 0;
  // Next backslash at or after i (n when none): found once, advanced only when passed.
  let backslash = text.indexOf('\\', start);
  if (backslash < 0) backslash = n;
  while (i < n && pairs < MAX_PAIRS) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && isKeyChar(text.charCodeAt(i))) i++;
    if (i === keyStart || i >= n || text.charCodeAt(i) !== 61 /* = */) {
      if (pairs === 0) return undefined;
      // Skip a stray token and resynchronise on the next space.
      while (i < n && text.charCodeAt(i) !== 32) i++;
      continue;
    }
    const key = text.slice(keyStart, i);
    i++;
    let value: string;
    if (i < n && text.charCodeAt(i) === 34 /* " */) {
      const close = text.indexOf('"', i + 1);
      if (backslash <= i) {
        backslash = text.indexOf('\\', i + 1);
        if (backslash < 0) backslash = n;
      }
      if (close >= 0 && backslash > close) {
        value = text.slice(i + 1, close);
        i = close + 1;
      } else {
        const r = readEscapedQuoted(text, i + 1);
        value = r.value;
        i = r.end;
      }
    } else {
      let end = text.indexOf(' ', i);
      if (end < 0) end = n;
      value = text.slice(i, end);
      i = end;
    }
    out[key] = value;
    pairs++;
  }
  return pairs > 0 ? out : undefined;
}
