/**
 * Value testers: each tests one field slot of the current event (through the shared EventView)
 * against the values of one rule item. matchers.ts groups an item's values into these.
 */
import { ipv4ToInt, ipv6ToBigInt, maskIPv4, maskIPv6, unmapIPv4, type ParsedCidr } from '../../core/net/ip';
import type { EventView, FieldTable } from './event-view';
import { Glob } from './glob';
import { ANYWHERE, AT_END, AT_START, WHOLE, type LiteralIndex } from './literal-index';
import type { CompareOp, FieldRefMode, TimePart } from './ir';
import type { SigmaRegex } from './regex';
import { ANY, type PatternPart } from './sigma-string';

/** Tests one field slot of the current event against a set of values. */
export interface Tester {
  test(view: EventView): boolean;
}

/**
 * Wildcard patterns on one field. Literal patterns (equals, contains, startswith, endswith) are
 * looked up in the slot's shared LiteralIndex; only patterns with inner wildcards run a Glob.
 */
export class PatternTester implements Tester {
  private readonly index: LiteralIndex;
  /** Literal ids (sorted) and, for each, the positions (ANYWHERE… bits) any of its patterns accepts. */
  private readonly ids: Int32Array;
  private readonly needs: Uint8Array;
  private readonly globs: Glob[];
  /** A bare `*`: any string value matches. */
  private readonly anyString: boolean;
  /** `''`: an empty value matches. */
  private readonly empty: boolean;

  constructor(
    private readonly slot: number,
    patterns: PatternPart[][],
    private readonly cased: boolean,
    table: FieldTable,
  ) {
    this.index = table.literalIndex(slot, cased);
    const needs = new Map<number, number>();
    const need = (literal: string, position: number): void => {
      const id = this.index.add(literal);
      needs.set(id, (needs.get(id) ?? 0) | position);
    };
    this.globs = [];
    let anyString = false;
    let empty = false;
    for (const p of patterns) {
      const n = p.length;
      if (n === 0) empty = true;
      else if (n === 1 && typeof p[0] === 'string') need(p[0], WHOLE);
      else if (n === 1 && p[0] === ANY) anyString = true;
      else if (n === 3 && p[0] === ANY && typeof p[1] === 'string' && p[2] === ANY) need(p[1], ANYWHERE);
      else if (n === 2 && typeof p[0] === 'string' && p[1] === ANY) need(p[0], AT_START);
      else if (n === 2 && p[0] === ANY && typeof p[1] === 'string') need(p[1], AT_END);
      else this.globs.push(new Glob(p));
    }
    const sorted = [...needs.entries()].sort((a, b) => a[0] - b[0]);
    this.ids = Int32Array.from(sorted, (e) => e[0]);
    this.needs = Uint8Array.from(sorted, (e) => e[1]);
    this.anyString = anyString;
    this.empty = empty;
  }

  test(view: EventView): boolean {
    // The index folds case itself: only globs need the lower-cased strings.
    const values = view.strings(this.slot);
    if (values.length === 0) return false;
    if (this.anyString) return true;
    if (this.empty) for (let i = 0; i < values.length; i++) if (values[i].length === 0) return true;
    if (this.ids.length > 0) {
      const idx = this.index;
      idx.scan(values, view, view.generation);
      if (idx.foundCount > 0 && this.anyFound(idx)) return true;
    }
    const globs = this.globs;
    if (globs.length === 0) return false;
    const texts = this.cased ? values : view.lower(this.slot);
    for (let k = 0; k < globs.length; k++) {
      for (let i = 0; i < texts.length; i++) if (globs[k].test(texts[i])) return true;
    }
    return false;
  }

  /**
   * Whether a literal of the last scan is one of ours, found where we need it: probes our ids'
   * stamps when we have fewer ids than the scan found literals, else looks each found literal up
   * in our sorted ids.
   */
  private anyFound(idx: LiteralIndex): boolean {
    const ids = this.ids;
    const needs = this.needs;
    const where = idx.where;
    const count = idx.foundCount;
    if (ids.length <= count) {
      const stamp = idx.stamp;
      const g = idx.generation;
      for (let j = 0; j < ids.length; j++) {
        const id = ids[j];
        if (stamp[id] === g && (where[id] & needs[j]) !== 0) return true;
      }
      return false;
    }
    const found = idx.found;
    for (let f = 0; f < count; f++) {
      const id = found[f];
      let lo = 0;
      let hi = ids.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const v = ids[mid];
        if (v < id) lo = mid + 1;
        else if (v > id) hi = mid - 1;
        else {
          if ((where[id] & needs[mid]) !== 0) return true;
          break;
        }
      }
    }
    return false;
  }
}

/** Numbers, numeric strings, or a part of a timestamp compared with a number. */
export class CompareTester implements Tester {
  constructor(
    private readonly slot: number,
    private readonly op: CompareOp,
    private readonly value: number,
    private readonly timePart: TimePart | undefined,
  ) {}
  test(view: EventView): boolean {
    const raw = view.raw(this.slot);
    if (Array.isArray(raw)) {
      for (const v of raw) if (this.testOne(v)) return true;
      return false;
    }
    return this.testOne(raw);
  }
  private testOne(v: unknown): boolean {
    const n = this.timePart === undefined ? toNumber(v) : timePartOf(v, this.timePart);
    if (Number.isNaN(n)) return false;
    switch (this.op) {
      case 'eq':
        return n === this.value;
      case 'lt':
        return n < this.value;
      case 'lte':
        return n <= this.value;
      case 'gt':
        return n > this.value;
      case 'gte':
        return n >= this.value;
    }
  }
}

/** A field value as a number (numbers, numeric strings, bigints), NaN otherwise. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v.length === 0 || v.trim().length === 0) return NaN;
    return Number(v);
  }
  if (typeof v === 'bigint') return Number(v);
  return NaN;
}

function toDate(v: unknown): Date | undefined {
  let d: Date;
  if (typeof v === 'number') d = new Date(v);
  else if (typeof v === 'string') {
    // Sysmon's UtcTime "2019-03-02 08:51:00.008" has a space and no zone: it is UTC.
    const iso = /^\d{4}-\d\d-\d\d \d/.test(v) ? v.replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? '' : 'Z') : v;
    d = new Date(iso);
  } else return undefined;
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Spec: "not designed to handle timezone": parts are read in UTC. Weeks are ISO 8601 weeks. */
export function timePartOf(v: unknown, part: TimePart): number {
  const d = toDate(v);
  if (d === undefined) return NaN;
  switch (part) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
    case 'week': {
      const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      const dayNum = t.getUTCDay() || 7;
      t.setUTCDate(t.getUTCDate() + 4 - dayNum);
      const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
      return Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
    }
  }
}

export class BooleanTester implements Tester {
  private readonly text: string;
  constructor(
    private readonly slot: number,
    private readonly value: boolean,
  ) {
    this.text = String(value);
  }
  test(view: EventView): boolean {
    const raw = view.raw(this.slot);
    if (raw === this.value) return true;
    const values = view.lower(this.slot);
    for (let i = 0; i < values.length; i++) if (values[i] === this.text) return true;
    return false;
  }
}

export class NullTester implements Tester {
  constructor(private readonly slot: number) {}
  test(view: EventView): boolean {
    const raw = view.raw(this.slot);
    return raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0);
  }
}

export class ExistsTester implements Tester {
  constructor(
    private readonly slot: number,
    private readonly value: boolean,
  ) {}
  test(view: EventView): boolean {
    return (view.raw(this.slot) !== undefined) === this.value;
  }
}

export class RegexTester implements Tester {
  constructor(
    private readonly slot: number,
    private readonly regex: SigmaRegex,
  ) {}
  test(view: EventView): boolean {
    const values = view.strings(this.slot);
    const regex = this.regex;
    for (let i = 0; i < values.length; i++) {
      // The value's UTF-8 bytes (made once per field per event) only for values that may match.
      if (regex.mayMatch(values[i]) && regex.testEncoded(values[i], view.utf8(this.slot)[i])) return true;
    }
    return false;
  }
}

/** Numeric equality with any of several numbers (`DestinationPort: [888, 999, …]`): one parse, one Set lookup. */
export class NumberSetTester implements Tester {
  constructor(
    private readonly slot: number,
    private readonly values: ReadonlySet<number>,
  ) {}
  test(view: EventView): boolean {
    const raw = view.raw(this.slot);
    if (Array.isArray(raw)) {
      for (const v of raw) if (this.values.has(toNumber(v))) return true;
      return false;
    }
    return this.values.has(toNumber(raw));
  }
}

/** Several CIDR ranges on one field: each value is parsed once, then checked against every range. */
export class CidrSetTester implements Tester {
  private readonly v4: ParsedCidr[];
  private readonly v6: ParsedCidr[];
  constructor(
    private readonly slot: number,
    cidrs: readonly ParsedCidr[],
  ) {
    this.v4 = cidrs.filter((c) => c.family === 4);
    this.v6 = cidrs.filter((c) => c.family === 6);
  }
  test(view: EventView): boolean {
    const values = view.strings(this.slot);
    for (let i = 0; i < values.length; i++) if (this.testOne(values[i])) return true;
    return false;
  }
  private testOne(text: string): boolean {
    const address = unmapIPv4(text.trim());
    if (this.v4.length > 0) {
      const v = ipv4ToInt(address);
      if (v !== undefined) for (const c of this.v4) if (maskIPv4(v, c.prefix) === c.network) return true;
    }
    if (this.v6.length > 0) {
      const v = ipv6ToBigInt(address);
      if (v !== undefined) for (const c of this.v6) if (maskIPv6(v, c.prefix) === c.network) return true;
    }
    return false;
  }
}

export class CidrTester implements Tester {
  constructor(
    private readonly slot: number,
    private readonly cidr: ParsedCidr,
  ) {}
  test(view: EventView): boolean {
    const values = view.strings(this.slot);
    for (let i = 0; i < values.length; i++) if (this.testOne(values[i])) return true;
    return false;
  }
  private testOne(text: string): boolean {
    const c = this.cidr;
    const address = unmapIPv4(text.trim());
    if (c.family === 4) {
      const v = ipv4ToInt(address);
      return v !== undefined && maskIPv4(v, c.prefix) === c.network;
    }
    const v = ipv6ToBigInt(address);
    return v !== undefined && maskIPv6(v, c.prefix) === c.network;
  }
}

/** foldedCompare: the strings hold non-ASCII characters where it looked (compare lower-cased). */
const NOT_ASCII = 2;

/**
 * `a.toLowerCase()` equals / starts with / ends with `b.toLowerCase()` (1 or 0) without making
 * either, folding ASCII letters as they are read; NOT_ASCII when a non-ASCII character is met
 * before the answer is known (its lower-case form may differ in length). The answer is sound
 * once an ASCII mismatch follows an equal ASCII run: lower-casing keeps ASCII where it is.
 */
export function foldedCompare(a: string, b: string, mode: 'eq' | 'startswith' | 'endswith'): number {
  const n = a.length < b.length ? a.length : b.length;
  const fromEnd = mode === 'endswith';
  for (let j = 0; j < n; j++) {
    let x = fromEnd ? a.charCodeAt(a.length - 1 - j) : a.charCodeAt(j);
    let y = fromEnd ? b.charCodeAt(b.length - 1 - j) : b.charCodeAt(j);
    if (x >= 0x80 || y >= 0x80) return NOT_ASCII;
    if (x >= 0x41 && x <= 0x5a) x += 0x20;
    if (y >= 0x41 && y <= 0x5a) y += 0x20;
    if (x !== y) return 0;
  }
  // Equal over the shorter one. Same length, or `a` the longer for startswith/endswith: decided.
  if (a.length === b.length || (mode !== 'eq' && b.length < a.length)) return 1;
  // The longer one's rest: ASCII keeps the lengths apart when lower-cased; other text, look.
  const longer = a.length > b.length ? a : b;
  const from = fromEnd ? 0 : n;
  const to = fromEnd ? longer.length - n : longer.length;
  for (let i = from; i < to; i++) if (longer.charCodeAt(i) >= 0x80) return NOT_ASCII;
  return 0;
}

function compareLowered(a: string, b: string, mode: FieldRefMode): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return mode === 'eq' ? x === y : mode === 'contains' ? x.includes(y) : mode === 'startswith' ? x.startsWith(y) : x.endsWith(y);
}

export class FieldRefTester implements Tester {
  constructor(
    private readonly slot: number,
    private readonly otherSlot: number,
    private readonly mode: FieldRefMode,
    private readonly cased: boolean,
  ) {}
  test(view: EventView): boolean {
    const mode = this.mode;
    if (!this.cased && mode !== 'contains') {
      // Case-folded without lower-casing both fields (an Image = ParentImage rule meets every
      // process creation): fold ASCII while comparing, lower-case only a pair with other text.
      const mine = view.strings(this.slot);
      if (mine.length === 0) return false;
      const other = view.strings(this.otherSlot);
      for (let i = 0; i < mine.length; i++) {
        for (let j = 0; j < other.length; j++) {
          const r = foldedCompare(mine[i], other[j], mode);
          if (r === 1 || (r === NOT_ASCII && compareLowered(mine[i], other[j], mode))) return true;
        }
      }
      return false;
    }
    const mine = this.cased ? view.strings(this.slot) : view.lower(this.slot);
    if (mine.length === 0) return false;
    const other = this.cased ? view.strings(this.otherSlot) : view.lower(this.otherSlot);
    for (const a of mine) {
      for (const b of other) {
        if (mode === 'eq' ? a === b : mode === 'contains' ? a.includes(b) : mode === 'startswith' ? a.startsWith(b) : a.endsWith(b)) {
          return true;
        }
      }
    }
    return false;
  }
}
