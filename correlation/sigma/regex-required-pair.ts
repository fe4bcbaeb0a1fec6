/**
 * Two adjacent characters every match of a regex needs, as the few strings they can form: in
 * `\\[a-zA-Z0-9]{1,32}\.[a-zA-Z0-9]{1,6}\.[ "']{1}` (Raspberry Robin, run on every process
 * creation since its only required literal is `.`) a match holds `. `, `."` or `.'`, which few
 * command lines do. A value without any of them is rejected with indexOf (native) instead of its
 * UTF-8 bytes and an RE2 call (~2.5 µs on a 130-character command line).
 *
 * Read from the top-level atoms only: a plain character or a small class of plain characters,
 * each present exactly once (no quantifier, or {1}), next to each other. Anything else between
 * atoms (a group, `.`, an escape class, a quantified atom) breaks adjacency; a top-level `|` gives
 * up. Letters take part only in a case-sensitive pattern without any `(?` group (inline flags
 * could turn folding on midway); RE2 folds no other ASCII character.
 */
import { leadingFlags, skipBracketed } from './regex-literal';

/** Pairs kept at most (the class sizes multiplied). */
export const MAX_PAIRS = 8;

/** A plain character a top-level class or atom may hold (ASCII punctuation, digits, space, letters). */
function plainChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return c.length === 1 && code >= 0x20 && code < 0x7f;
}

/** The characters of a class `[…]` starting at `i` and the index past it, or null when not simple. */
function readClass(source: string, i: number): { chars: string[]; next: number } | null {
  let j = i + 1;
  if (source[j] === '^') return null;
  const chars: string[] = [];
  for (; j < source.length && source[j] !== ']'; j++) {
    let c = source[j];
    if (c === '\\') {
      c = source[++j] ?? '';
      if (/[A-Za-z0-9]/.test(c)) return null;
    } else if (c === '[' || (c === '-' && chars.length > 0 && source[j + 1] !== ']')) return null;
    if (!plainChar(c)) return null;
    if (!chars.includes(c)) chars.push(c);
  }
  if (source[j] !== ']' || chars.length === 0) return null;
  return { chars, next: j + 1 };
}

/** Whether `source[i…]` starts a quantifier other than {1} / {1,1} (which keep the atom single). */
function quantified(source: string, i: number): { length: number; single: boolean } {
  const c = source[i];
  if (c === '*' || c === '+' || c === '?') return { length: 1, single: false };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}[?+]?/.exec(source.slice(i));
    if (m) return { length: m[0].length, single: m[1] === '1' && (m[2] === undefined || m[3] === '1') };
  }
  return { length: 0, single: true };
}

/**
 * The strings of two characters one of which every match contains, or null when the pattern
 * has no such adjacent pair (or too many combinations).
 */
export function regexRequiredPairs(source: string, ignoreCase: boolean): string[] | null {
  const flags = leadingFlags(source, ignoreCase);
  let i = flags.start;
  const folded = flags.folded;
  const lettersAllowed = !folded && !source.includes('(?');
  let previous: string[] | null = null;
  let best: string[] | null = null;
  while (i < source.length) {
    const c = source[i];
    let atom: string[] | null = null;
    let next: number;
    if (c === '|') return null;
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      next = i + 2;
      // \d, \b, \x41, \Q…: not a plain character (the first two break adjacency, the others are rare).
      if (/[A-Za-z0-9]/.test(n)) {
        if (/[QxupPkc0-9]/.test(n)) return best;
      } else if (plainChar(n)) atom = [n];
    } else if (c === '[') {
      const cls = readClass(source, i);
      if (cls === null) next = skipBracketed(source, i);
      else {
        atom = cls.chars;
        next = cls.next;
      }
    } else if (c === '(') {
      next = skipBracketed(source, i);
    } else {
      next = i + 1;
      if (c !== '.' && c !== '^' && c !== '$' && c !== ')' && plainChar(c)) atom = [c];
    }
    const q = quantified(source, next);
    next += q.length;
    if (atom !== null && (!q.single || (!lettersAllowed && atom.some((a) => /[A-Za-z]/.test(a))))) atom = null;
    if (atom !== null && previous !== null && previous.length * atom.length <= MAX_PAIRS) {
      const pairs: string[] = [];
      for (const a of previous) for (const b of atom) pairs.push(a + b);
      if (best === null || pairs.length < best.length) best = pairs;
    }
    previous = atom;
    i = next;
  }
  return best;
}

/** Whether `value` contains one of `pairs`. */
export function containsAnyPair(value: string, pairs: readonly string[]): boolean {
  for (let k = 0; k < pairs.length; k++) if (value.indexOf(pairs[k]) >= 0) return true;
  return false;
}
