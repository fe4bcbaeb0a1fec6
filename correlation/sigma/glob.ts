/**
 * Wildcard matching for patterns that are not a plain equals/contains/prefix/suffix: the
 * pattern is split at `*` into segments (which may hold `?`); the first and last segments are
 * anchored, the middle ones are found leftmost-first, which is exact for `*`-separated globs and
 * linear in practice (no backtracking).
 */
import { ANY, ONE, type PatternPart } from './sigma-string';

/** A run between two `*`: literal characters with `?` positions marked. */
class Segment {
  readonly length: number;
  /** Literal text with `?` positions as NUL (never compared). */
  private readonly text: string;
  private readonly anyAt: Uint8Array | null;
  /** The longest run without `?` and where it starts: find() looks for it with indexOf. */
  private readonly anchor: string;
  private readonly anchorAt: number;

  constructor(parts: readonly PatternPart[]) {
    let text = '';
    const wild: number[] = [];
    let anchor = '';
    let anchorAt = 0;
    for (const p of parts) {
      if (p === ONE) {
        wild.push(text.length);
        text += '\u0000';
      } else if (typeof p === 'string') {
        if (p.length > anchor.length) {
          anchor = p;
          anchorAt = text.length;
        }
        text += p;
      }
    }
    this.text = text;
    this.length = text.length;
    this.anchor = anchor;
    this.anchorAt = anchorAt;
    if (wild.length === 0) this.anyAt = null;
    else {
      this.anyAt = new Uint8Array(text.length);
      for (const w of wild) this.anyAt[w] = 1;
    }
  }

  matchesAt(s: string, at: number): boolean {
    if (at < 0 || at + this.length > s.length) return false;
    if (this.anyAt === null) return s.startsWith(this.text, at);
    for (let i = 0; i < this.length; i++) {
      if (this.anyAt[i] === 0 && s.charCodeAt(at + i) !== this.text.charCodeAt(i)) return false;
    }
    return true;
  }

  /**
   * Leftmost position ≥ from where the segment matches, or -1. With `?` in it, only the places
   * where its longest literal run occurs are tried (a native search instead of a comparison at
   * every position: `>?%APPDATA%\` over a 130-character command line cost ~0.7 µs).
   */
  find(s: string, from: number): number {
    if (this.anyAt === null) return s.indexOf(this.text, from);
    const anchor = this.anchor;
    if (anchor.length === 0) {
      for (let at = from; at + this.length <= s.length; at++) if (this.matchesAt(s, at)) return at;
      return -1;
    }
    const offset = this.anchorAt;
    for (let p = s.indexOf(anchor, from + offset); p >= 0; p = s.indexOf(anchor, p + 1)) {
      const at = p - offset;
      if (at + this.length > s.length) return -1;
      if (this.matchesAt(s, at)) return at;
    }
    return -1;
  }
}

export class Glob {
  private readonly segments: Segment[];
  private readonly anchoredStart: boolean;
  private readonly anchoredEnd: boolean;
  /** Minimum length of a matching string (sum of segment lengths). */
  private readonly minLength: number;

  constructor(parts: readonly PatternPart[]) {
    this.anchoredStart = parts[0] !== ANY;
    this.anchoredEnd = parts[parts.length - 1] !== ANY;
    const segments: Segment[] = [];
    let current: PatternPart[] = [];
    for (const p of parts) {
      if (p === ANY) {
        if (current.length > 0) segments.push(new Segment(current));
        current = [];
      } else current.push(p);
    }
    if (current.length > 0) segments.push(new Segment(current));
    this.segments = segments;
    this.minLength = segments.reduce((n, s) => n + s.length, 0);
  }

  test(s: string): boolean {
    if (s.length < this.minLength) return false;
    const segs = this.segments;
    const n = segs.length;
    if (n === 0) return !this.anchoredStart || s.length === 0;
    if (n === 1 && this.anchoredStart && this.anchoredEnd) return segs[0].length === s.length && segs[0].matchesAt(s, 0);
    let pos = 0;
    let first = 0;
    let last = n;
    if (this.anchoredStart) {
      if (!segs[0].matchesAt(s, 0)) return false;
      pos = segs[0].length;
      first = 1;
    }
    let end = s.length;
    if (this.anchoredEnd) {
      const tail = segs[n - 1];
      const at = s.length - tail.length;
      if (at < pos || !tail.matchesAt(s, at)) return false;
      end = at;
      last = n - 1;
    }
    for (let i = first; i < last; i++) {
      const at = segs[i].find(s, pos);
      if (at < 0 || at + segs[i].length > end) return false;
      pos = at + segs[i].length;
    }
    return true;
  }
}
