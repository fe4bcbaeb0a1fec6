/**
 * A skip filter in front of a literal index whose literals are all long (`Hashes|contains:
 * 'MD5=…'` holds 5,700 literals of 36+ characters, GUID and distinguished-name fields too). The
 * automaton reads every character, and hex text walks its deep sparse states (~18 ns a character
 * for Hashes, where it finds nothing in almost every event). This filter reads one gram of g
 * characters every `m - g + 1` characters (m: the shortest literal) and looks it up among the
 * grams of the literals: any occurrence of a literal of length >= m covers one of those sample
 * points with one of the grams at offsets 0..m-g of the literal. No gram found: no literal occurs
 * (exact); otherwise the caller scans the value with the automaton as before. Grams are as long
 * as m allows (up to LONG_GRAM): a gram shorter than a common fixed prefix of the literals
 * (`imphash=`, `sha256=`) matches every value carrying that prefix (8-character grams let a third
 * of Hashes values through, 16-character ones almost none).
 */

/** Indexes whose shortest literal has at least this many characters get a filter. */
export const FILTER_MIN_LITERAL = 16;
/** Characters per sampled gram: LONG_GRAM when the shortest literal has twice as many, else GRAM. */
export const GRAM = 8;
export const LONG_GRAM = 16;
/** Grams held per filter at most (memory: 2-4 table slots of 4 bytes per gram, and the bit array). */
export const MAX_GRAMS = 1 << 18;

/**
 * Hash of the characters at even offsets of `s[from..from+gram)` (half the reads; a 16-character
 * window of hex still hashes 32 bits of it), folded as String.toLowerCase folds them when `fold`:
 * ASCII letters, and the only two other UTF-16 code units whose lower case holds an ASCII
 * character, U+212A KELVIN SIGN (k) and U+0130 (i + U+0307, one character longer: a literal
 * occurrence still spans as many original characters, the extra one never being in an ASCII
 * literal). Any other character stays itself and so never equals an ASCII literal's. 0 is kept
 * for empty slots.
 */
function gramHash(s: string, from: number, gram: number, fold: boolean): number {
  let h = 0x811c9dc5;
  for (let i = from; i < from + gram; i += 2) {
    let c = s.charCodeAt(i);
    if (fold) {
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
      else if (c === 0x212a) c = 0x6b;
      else if (c === 0x130) c = 0x69;
    }
    h = Math.imul(h ^ c, 0x01000193);
  }
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}

function gramLength(minLength: number): number {
  return minLength >= 2 * LONG_GRAM ? LONG_GRAM : GRAM;
}

export class LongLiteralFilter {
  /** Open addressing (linear probing) of gram hashes; 0 is empty. */
  private readonly table: Int32Array;
  private readonly mask: number;
  /**
   * One bit per 4 table slots (>= 8 per gram), set for each gram's hash: looked at first, so
   * most sample points cost a read in this small array (128 KB for Hashes, mostly in cache)
   * instead of a probe of the table (1 MB, a cache miss each).
   */
  private readonly bits: Int32Array;
  private readonly bitMask: number;
  /** Characters per gram, and the distance between sample points: m - gram + 1. */
  private readonly gram: number;
  private readonly step: number;

  private constructor(
    grams: Set<number>,
    /** The shortest literal's length. */
    readonly minLength: number,
    /** A case-folded index: literals lower-cased, text folded while hashing. */
    private readonly fold: boolean,
  ) {
    let size = 16;
    while (size < 2 * grams.size) size *= 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    this.bits = new Int32Array(size / 8);
    this.bitMask = 4 * size - 1;
    for (const h of grams) {
      const b = (h >>> 7) & this.bitMask;
      this.bits[b >>> 5] |= 1 << (b & 31);
      let at = h & this.mask;
      while (this.table[at] !== 0) at = (at + 1) & this.mask;
      this.table[at] = h;
    }
    this.gram = gramLength(minLength);
    this.step = minLength - this.gram + 1;
  }

  /**
   * A filter for these literals (already lower-cased when `fold`), or null when one is shorter
   * than FILTER_MIN_LITERAL, a folded one is not ASCII (see gramHash), or there would be more
   * than MAX_GRAMS grams.
   */
  static build(literals: readonly string[], fold: boolean): LongLiteralFilter | null {
    if (literals.length === 0) return null;
    let m = Infinity;
    for (const l of literals) m = Math.min(m, l.length);
    if (m < FILTER_MIN_LITERAL) return null;
    const g = gramLength(m);
    if (literals.length * (m - g + 1) > MAX_GRAMS) return null;
    const grams = new Set<number>();
    for (const l of literals) {
      if (fold) for (let i = 0; i < l.length; i++) if (l.charCodeAt(i) >= 0x80) return null;
      for (let at = 0; at + g <= m; at++) grams.add(gramHash(l, at, g, fold));
    }
    return new LongLiteralFilter(grams, m, fold);
  }

  /** false: no literal occurs in `s` (as the index would find it); true: scan it. */
  mayContain(s: string): boolean {
    const n = s.length;
    if (n < this.minLength) return false;
    const table = this.table;
    const mask = this.mask;
    const bits = this.bits;
    const bitMask = this.bitMask;
    const gram = this.gram;
    for (let p = 0; p + gram <= n; p += this.step) {
      const h = gramHash(s, p, gram, this.fold);
      const b = (h >>> 7) & bitMask;
      if ((bits[b >>> 5] & (1 << (b & 31))) === 0) continue;
      for (let at = h & mask; table[at] !== 0; at = (at + 1) & mask) if (table[at] === h) return true;
    }
    return false;
  }
}
