/**
 * The fewest characters any match of a rule regex can have, so that a value shorter than that is
 * rejected without calling the engine. SigmaHQ has regexes such as `.{1000,}` (abnormally long
 * PowerShell command lines) or `\s[a-fA-F0-9]{64}\s[a-fA-F0-9]{16}` (82 characters) that run on
 * every command line of their logsource, and an RE2 call costs far more than a length test.
 *
 * The bound is counted in code points, which a JavaScript string has at most `length` of, so
 * `value.length < min` proves there is no match. Anything the walk does not understand gives 0
 * (no shortcut): the bound must never be too high.
 */

class Unsupported extends Error {}

/** Escapes that match no character: assertions, and constructs we do not size (backreferences, \C). */
const ZERO_WIDTH_ESCAPES = 'bBAzZGKC';

export function regexMinLength(source: string): number {
  let pos = 0;
  const n = source.length;

  const alternation = (): number => {
    let best = sequence();
    while (pos < n && source[pos] === '|') {
      pos++;
      best = Math.min(best, sequence());
    }
    return best;
  };

  const sequence = (): number => {
    let total = 0;
    while (pos < n && source[pos] !== '|' && source[pos] !== ')') {
      const width = atom();
      total += width * quantifier();
    }
    return total;
  };

  const group = (): number => {
    pos++; // (
    let lookaround = false;
    if (source[pos] === '?') {
      pos++;
      const c = source[pos];
      if (c === '=' || c === '!') {
        lookaround = true;
        pos++;
      } else if (c === '<' && (source[pos + 1] === '=' || source[pos + 1] === '!')) {
        lookaround = true;
        pos += 2;
      } else if (c === '<' || (c === 'P' && source[pos + 1] === '<')) {
        const end = source.indexOf('>', pos);
        if (end < 0) throw new Unsupported();
        pos = end + 1;
      } else {
        // Inline flags: `(?i)` alone, or `(?i:…)` around a group. Extended mode (x) ignores
        // whitespace in the pattern: not sized.
        while (pos < n && /[a-zA-Z-]/.test(source[pos])) {
          if (source[pos] === 'x') throw new Unsupported();
          pos++;
        }
        if (source[pos] === ')') {
          pos++;
          return 0;
        }
        if (source[pos] !== ':') throw new Unsupported();
        pos++;
      }
    }
    const inner = alternation();
    if (source[pos] !== ')') throw new Unsupported();
    pos++;
    return lookaround ? 0 : inner;
  };

  const characterClass = (): number => {
    pos++; // [
    if (source[pos] === '^') pos++;
    if (source[pos] === ']') pos++;
    while (pos < n && source[pos] !== ']') {
      if (source[pos] === '\\') pos += 2;
      else if (source[pos] === '[' && source[pos + 1] === ':') {
        const end = source.indexOf(':]', pos + 2);
        if (end < 0) throw new Unsupported();
        pos = end + 2;
      } else pos++;
    }
    if (pos >= n) throw new Unsupported();
    pos++;
    return 1;
  };

  /** Skips the operand of \x, \u, \p… (hex digits, or a braced name), after the letter. */
  const skipBracedOr = (maxChars: number, accept: RegExp): void => {
    if (source[pos] === '{') {
      const end = source.indexOf('}', pos);
      if (end < 0) throw new Unsupported();
      pos = end + 1;
      return;
    }
    for (let k = 0; k < maxChars && pos < n && accept.test(source[pos]); k++) pos++;
  };

  const escape = (): number => {
    pos++; // backslash
    if (pos >= n) throw new Unsupported();
    const c = source[pos++];
    if (ZERO_WIDTH_ESCAPES.includes(c)) return 0;
    if (c >= '0' && c <= '9') {
      // Backreference or octal: size unknown, take 0.
      while (pos < n && source[pos] >= '0' && source[pos] <= '9') pos++;
      return 0;
    }
    if (c === 'k') {
      const end = source.indexOf('>', pos);
      if (end < 0) throw new Unsupported();
      pos = end + 1;
      return 0;
    }
    if (c === 'Q') {
      const end = source.indexOf('\\E', pos);
      pos = end < 0 ? n : end + 2;
      return 0;
    }
    if (c === 'x') skipBracedOr(2, /[0-9a-fA-F]/);
    else if (c === 'u') skipBracedOr(4, /[0-9a-fA-F]/);
    else if (c === 'p' || c === 'P') skipBracedOr(1, /[A-Za-z]/);
    else if (c === 'c') pos++;
    return 1;
  };

  const atom = (): number => {
    const c = source[pos];
    if (c === '(') return group();
    if (c === '[') return characterClass();
    if (c === '\\') return escape();
    pos++;
    return c === '^' || c === '$' ? 0 : 1;
  };

  /** The least repetition count of the quantifier at pos (1 when there is none). */
  const quantifier = (): number => {
    let min: number;
    const c = source[pos];
    if (c === '*' || c === '?') min = 0;
    else if (c === '+') min = 1;
    else if (c === '{') {
      const m = /^\{(\d+)(?:,\d*)?\}/.exec(source.slice(pos, pos + 24));
      if (!m) return 1; // a literal brace, read as the next atom
      pos += m[0].length - 1;
      min = Number(m[1]);
    } else return 1;
    pos++;
    if (source[pos] === '?' || source[pos] === '+') pos++; // lazy or possessive
    if (source[pos] === '*' || source[pos] === '+' || source[pos] === '?' || source[pos] === '{') throw new Unsupported();
    return min;
  };

  try {
    const min = alternation();
    return pos === n ? min : 0;
  } catch (err) {
    if (err instanceof Unsupported) return 0;
    throw err;
  }
}
