/**
 * A necessary condition for regexes without a required literal: the longest run of characters
 * from one class that every match must contain. `\s[a-fA-F0-9]{64}\s[a-fA-F0-9]{16}` (SigmaHQ's
 * SNAKE installer rule) needs 64 hex characters in a row, which almost no command line has, so a
 * plain loop over the string spares the RE2 call and the UTF-8 conversion of the value.
 *
 * Only top-level atoms of one character each count (a class, an escape such as \d, a plain
 * character), taken in sequence while each must occur at least once; groups, alternation, `.`,
 * anchors and optional atoms end a run. Classes may be over-approximated (more characters count
 * than the regex accepts), never under-approximated: anything the walk does not understand ends
 * the run, and a pattern it cannot read gives no condition at all.
 */

/** Every code unit from U+0080 up counts as a member: over-approximates non-ASCII classes. */
interface CharClass {
  ascii: Uint8Array;
  nonAscii: boolean;
}

interface RunAtom {
  cls: CharClass;
  min: number;
}

/** Runs shorter or commoner than this are satisfied by nearly any value: not worth a loop. */
const MIN_SCORE = 3;

export class ClassRun {
  constructor(
    /** 1 for ASCII code units that may be part of the run. */
    readonly ascii: Uint8Array,
    readonly nonAscii: boolean,
    /** Consecutive member code units every match contains. */
    readonly length: number,
  ) {}

  /**
   * False only when the value has no run of `length` members: the regex cannot match it. Looks at
   * the last character of each candidate window first and scans back from it (Boyer-Moore style),
   * so a non-member skips a whole window: about n / length reads when members are rare, and no
   * character is read more than twice.
   */
  mayMatch(value: string): boolean {
    const need = this.length;
    const ascii = this.ascii;
    const nonAscii = this.nonAscii;
    const n = value.length;
    let start = 0;
    while (start + need <= n) {
      let q = start + need - 1;
      for (; q >= start; q--) {
        const c = value.charCodeAt(q);
        if (c < 128 ? ascii[c] !== 1 : !nonAscii) break;
      }
      if (q < start) return true;
      start = q + 1;
    }
    return false;
  }
}

function emptyClass(): CharClass {
  return { ascii: new Uint8Array(128), nonAscii: false };
}

function addRange(cls: CharClass, from: number, to: number): void {
  if (to > 127) cls.nonAscii = true;
  for (let c = from; c <= Math.min(to, 127); c++) cls.ascii[c] = 1;
}

/** RE2's Perl classes are ASCII-only; \s is widened with \v (harmless over-approximation). */
function perlClass(letter: string): CharClass | null {
  const cls = emptyClass();
  const lower = letter.toLowerCase();
  if (lower === 'd') addRange(cls, 48, 57);
  else if (lower === 'w') {
    addRange(cls, 48, 57);
    addRange(cls, 65, 90);
    addRange(cls, 97, 122);
    cls.ascii[95] = 1;
  } else if (lower === 's') {
    addRange(cls, 9, 13);
    cls.ascii[32] = 1;
  } else return null;
  return letter === lower ? cls : negate(cls);
}

function negate(cls: CharClass): CharClass {
  const out = emptyClass();
  for (let c = 0; c < 128; c++) out.ascii[c] = cls.ascii[c] === 1 ? 0 : 1;
  out.nonAscii = true;
  return out;
}

function union(into: CharClass, from: CharClass): void {
  for (let c = 0; c < 128; c++) if (from.ascii[c] === 1) into.ascii[c] = 1;
  if (from.nonAscii) into.nonAscii = true;
}

const SIMPLE_ESCAPES: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };

/** One character named by an escape (`\.`, `\t`, `\x41`), or -1 when the escape is something else. */
function escapedChar(source: string, pos: number): { code: number; next: number } | null {
  const c = source[pos + 1];
  if (c === undefined) return null;
  if (SIMPLE_ESCAPES[c] !== undefined) return { code: SIMPLE_ESCAPES[c], next: pos + 2 };
  if (c === 'x') {
    const m = /^[0-9a-fA-F]{2}/.exec(source.slice(pos + 2, pos + 4));
    return m ? { code: parseInt(m[0], 16), next: pos + 4 } : null;
  }
  if (/[A-Za-z0-9]/.test(c)) return null;
  return { code: c.charCodeAt(0), next: pos + 2 };
}

/** Parses `[…]` at pos; null when the class uses syntax we do not size (POSIX, \p, \x{…}). */
function parseClass(source: string, pos: number): { cls: CharClass; next: number } | null {
  let i = pos + 1;
  let negated = false;
  if (source[i] === '^') {
    negated = true;
    i++;
  }
  const cls = emptyClass();
  let first = true;
  while (i < source.length && (source[i] !== ']' || first)) {
    first = false;
    let from: number;
    if (source[i] === '[') return null; // [:alpha:] and friends
    if (source[i] === '\\') {
      const perl = /[dDwWsS]/.test(source[i + 1] ?? '') ? perlClass(source[i + 1]) : null;
      if (perl) {
        union(cls, perl);
        i += 2;
        continue;
      }
      const e = escapedChar(source, i);
      if (!e) return null;
      from = e.code;
      i = e.next;
    } else {
      from = source.charCodeAt(i);
      // A surrogate pair is one character: counting it as non-ASCII is enough.
      i += from >= 0xd800 && from <= 0xdbff ? 2 : 1;
    }
    if (source[i] === '-' && source[i + 1] !== undefined && source[i + 1] !== ']') {
      let to: number;
      if (source[i + 1] === '\\') {
        const e = escapedChar(source, i + 1);
        if (!e) return null;
        to = e.code;
        i = e.next;
      } else {
        to = source.charCodeAt(i + 1);
        i += 2;
      }
      if (to < from) return null;
      addRange(cls, from, to);
    } else addRange(cls, from, from);
  }
  if (source[i] !== ']') return null;
  return { cls: negated ? negate(cls) : cls, next: i + 1 };
}

/** The least repetition count of a quantifier at pos, and where it ends; count 1 when there is none. */
function quantifierAt(source: string, pos: number): { min: number; next: number } {
  const c = source[pos];
  let min: number;
  let next: number;
  if (c === '*' || c === '?') {
    min = 0;
    next = pos + 1;
  } else if (c === '+') {
    min = 1;
    next = pos + 1;
  } else if (c === '{') {
    const m = /^\{(\d+)(?:,\d*)?\}/.exec(source.slice(pos, pos + 24));
    if (!m) return { min: 1, next: pos }; // a literal brace: the next atom
    min = Number(m[1]);
    next = pos + m[0].length;
  } else return { min: 1, next: pos };
  if (source[next] === '?' || source[next] === '+') next++;
  return { min, next };
}

/** Index just past the group that opens at pos (classes and escapes inside skipped). */
function skipGroup(source: string, pos: number): number {
  let depth = 0;
  for (let i = pos; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      const cls = parseClass(source, i);
      if (!cls) return -1;
      i = cls.next - 1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/** Case-insensitive matching: both cases of ASCII letters, and any non-ASCII character (K→k, ſ→s…). */
function foldClass(cls: CharClass): void {
  let letters = false;
  for (let c = 65; c <= 90; c++) {
    if (cls.ascii[c] === 1 || cls.ascii[c + 32] === 1) {
      cls.ascii[c] = 1;
      cls.ascii[c + 32] = 1;
      letters = true;
    }
  }
  if (letters) cls.nonAscii = true;
  // A non-ASCII member may fold to an ASCII letter (K, the Kelvin sign, matches k).
  else if (cls.nonAscii) for (let c = 65; c <= 90; c++) cls.ascii[c] = cls.ascii[c + 32] = 1;
}

/** True when `|` occurs outside groups and classes, or the pattern cannot be read. */
function alternatesAtTopLevel(source: string, from: number): boolean {
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      const parsed = parseClass(source, i);
      if (!parsed) return true;
      i = parsed.next - 1;
    } else if (c === '(') {
      const end = skipGroup(source, i);
      if (end < 0) return true;
      i = end - 1;
    } else if (c === '|' || c === ')') return true;
  }
  return false;
}

function classSize(cls: CharClass): number {
  let size = 0;
  for (let c = 32; c < 127; c++) size += cls.ascii[c];
  return cls.nonAscii ? size + 8 : size;
}

/** Picks the most selective contiguous stretch of atoms: length × −log(share of printable ASCII). */
function bestRun(segments: RunAtom[][]): ClassRun | null {
  let best: ClassRun | null = null;
  let bestScore = MIN_SCORE;
  for (const atoms of segments) {
    for (let from = 0; from < atoms.length; from++) {
      const u = emptyClass();
      let length = 0;
      for (let to = from; to < atoms.length; to++) {
        union(u, atoms[to].cls);
        length += atoms[to].min;
        const share = classSize(u) / 95;
        if (share >= 1) break;
        const score = share === 0 ? length * 10 : -length * Math.log(share);
        if (score > bestScore) {
          bestScore = score;
          best = new ClassRun(Uint8Array.from(u.ascii), u.nonAscii, length);
        }
      }
    }
  }
  return best;
}

/** The class run every match of `source` contains, or null when none is known or worth testing. */
export function regexClassRun(source: string, ignoreCase: boolean): ClassRun | null {
  if (source.includes('\\Q')) return null; // quoted text hides the structure from this walk
  let pos = 0;
  const n = source.length;
  let folded = ignoreCase;
  for (;;) {
    const m = /^\(\?([a-zA-Z]+)\)/.exec(source.slice(pos));
    if (!m) break;
    if (m[1].includes('x')) return null;
    if (m[1].includes('i')) folded = true;
    pos += m[0].length;
  }
  if (alternatesAtTopLevel(source, pos)) return null;
  const segments: RunAtom[][] = [];
  let current: RunAtom[] = [];
  const endRun = (): void => {
    if (current.length > 0) segments.push(current);
    current = [];
  };
  while (pos < n) {
    const c = source[pos];
    let cls: CharClass | null = null;
    let next: number;
    if (c === '|') return null; // top-level alternation: nothing is required
    if (c === ')') return null;
    if (c === '(') {
      // Inline flags mid-pattern change what follows: stop reading there.
      if (/^\(\?[a-zA-Z-]+\)/.test(source.slice(pos, pos + 12))) break;
      next = skipGroup(source, pos);
      if (next < 0) return null;
    } else if (c === '[') {
      const parsed = parseClass(source, pos);
      if (!parsed) return null;
      cls = parsed.cls;
      next = parsed.next;
    } else if (c === '\\') {
      const perl = /[dDwWsS]/.test(source[pos + 1] ?? '') ? perlClass(source[pos + 1]) : null;
      if (perl) {
        cls = perl;
        next = pos + 2;
      } else {
        const e = escapedChar(source, pos);
        if (e) {
          cls = emptyClass();
          addRange(cls, e.code, e.code);
          next = e.next;
        } else {
          // \b, \p{…}, \Q…\E, backreferences: not sized; end the run and stop reading.
          break;
        }
      }
    } else {
      next = pos + 1;
      if (c !== '.' && c !== '^' && c !== '$') {
        const code = source.charCodeAt(pos);
        if (code >= 0xd800 && code <= 0xdbff) next = pos + 2;
        cls = emptyClass();
        addRange(cls, code, code);
      }
    }
    const q = quantifierAt(source, next);
    if (source[q.next] === '*' || source[q.next] === '+' || source[q.next] === '?') return null;
    pos = q.next;
    if (cls === null || q.min === 0) {
      endRun();
      continue;
    }
    if (folded) foldClass(cls);
    current.push({ cls, min: q.min });
    // A bounded or open repetition may match more characters of the class: still contiguous.
  }
  endRun();
  return bestRun(segments);
}
