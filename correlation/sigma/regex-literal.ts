/**
 * The longest literal every match of a regex must contain, for the rule prefilter. Conservative:
 * only runs of plain characters at the top level of the pattern count; groups, classes, escapes
 * like \d, optional characters and top-level alternation end a run (or give up entirely).
 * Case-insensitive patterns yield a lower-cased ASCII literal; `s` and `k` end runs there because
 * RE2 folds U+017F and U+212A to them while String.toLowerCase does not.
 */

export interface RegexLiteral {
  literal: string;
  /** True when the literal is lower-cased and must be looked for in the lower-cased value. */
  folded: boolean;
}

/** Index just past the group or class that starts at `i` (`]` first, or after `^`, is a class member). */
export function skipBracketed(source: string, i: number): number {
  const open = source[i];
  if (open === '[') {
    let j = i + 1;
    if (source[j] === '^') j++;
    if (source[j] === ']') j++;
    for (; j < source.length; j++) {
      if (source[j] === '\\') j++;
      else if (source[j] === ']') return j + 1;
    }
    return source.length;
  }
  let depth = 0;
  for (let j = i; j < source.length; j++) {
    const c = source[j];
    if (c === '\\') j++;
    else if (c === '[') j = skipBracketed(source, j) - 1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return source.length;
}

function hasTopLevelAlternation(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[' || c === '(') i = skipBracketed(source, i) - 1;
    else if (c === '|') return true;
  }
  return false;
}

/**
 * Length of an escape starting at the backslash at `i` whose letter or digit is not a literal:
 * \xHH, \x{…}, \uHHHH, \p{…}, \cX, \k<name>, \Q…\E, octal or backreference digits, or a
 * one-letter class/anchor (\d, \b, \n…).
 */
function escapeLength(source: string, i: number): number {
  const n = source[i + 1];
  const rest = source.slice(i + 2);
  const closing = (close: string): number => {
    const at = source.indexOf(close, i + 2);
    return at < 0 ? source.length - i : at + close.length - i;
  };
  switch (n) {
    case 'x':
      return rest.startsWith('{') ? closing('}') : 2 + (/^[0-9A-Fa-f]{0,2}/.exec(rest)?.[0].length ?? 0);
    case 'u':
      return 2 + (/^[0-9A-Fa-f]{0,4}/.exec(rest)?.[0].length ?? 0);
    case 'p':
    case 'P':
      return rest.startsWith('{') ? closing('}') : 3;
    case 'c':
      return 3;
    case 'k':
      return rest.startsWith('<') ? closing('>') : 2;
    case 'Q':
      return closing('\\E');
    default:
      if (/[0-9]/.test(n)) return 2 + (/^[0-9]*/.exec(rest)?.[0].length ?? 0);
      return 2;
  }
}

/** Length of a quantifier starting at `i` (with its lazy `?`), and whether it allows zero. */
function quantifierAt(source: string, i: number): { length: number; optional: boolean } | null {
  const c = source[i];
  let length: number;
  let optional: boolean;
  if (c === '*' || c === '?') {
    length = 1;
    optional = true;
  } else if (c === '+') {
    length = 1;
    optional = false;
  } else if (c === '{') {
    const m = /^\{(\d*)(,\d*)?\}/.exec(source.slice(i));
    if (!m) return null;
    length = m[0].length;
    optional = m[1] === '' || Number(m[1]) === 0;
  } else return null;
  if (source[i + length] === '?' || source[i + length] === '+') length++;
  return { length, optional };
}

/**
 * Inline flag groups at the start of a pattern (`(?i)`, `(?s)`, translated from SigmaHQ's): where the
 * pattern proper starts, and whether matching is case-insensitive from there.
 */
export function leadingFlags(source: string, ignoreCase: boolean): { start: number; folded: boolean } {
  let start = 0;
  let folded = ignoreCase;
  for (;;) {
    const m = /^\(\?([a-zA-Z]+)\)/.exec(source.slice(start));
    if (!m) break;
    if (m[1].includes('i')) folded = true;
    start += m[0].length;
  }
  return { start, folded };
}

export function regexRequiredLiteral(source: string, ignoreCase: boolean): RegexLiteral | null {
  const flags = leadingFlags(source, ignoreCase);
  let i = flags.start;
  const folded = flags.folded;
  if (hasTopLevelAlternation(source.slice(i))) return null;
  let best = '';
  let run = '';
  const endRun = (): void => {
    if (run.length > best.length) best = run;
    run = '';
  };
  while (i < source.length) {
    const c = source[i];
    let atom: string | null = null;
    let next: number;
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      if (/[A-Za-z0-9]/.test(n)) {
        next = i + escapeLength(source, i);
        atom = null;
      } else {
        next = i + 2;
        atom = n;
      }
    } else if (c === '[' || c === '(') {
      next = skipBracketed(source, i);
    } else if (c === '.' || c === '^' || c === '$' || c === '|' || c === ')') {
      next = i + 1;
    } else {
      atom = c;
      next = i + 1;
    }
    const q = quantifierAt(source, next);
    if (q) next += q.length;
    if (atom !== null && folded) {
      if (atom.charCodeAt(0) > 127) atom = null;
      else {
        atom = atom.toLowerCase();
        if (atom === 's' || atom === 'k') atom = null;
      }
    }
    if (atom === null || (q && q.optional)) endRun();
    else {
      run += atom;
      // A repeated character ends the run: what follows need not be adjacent to one copy.
      if (q) endRun();
    }
    i = next;
  }
  endRun();
  return best.length > 0 ? { literal: best, folded } : null;
}
