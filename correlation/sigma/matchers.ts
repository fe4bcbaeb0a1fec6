/**
 * Binds a MatchNode tree to a FieldTable, producing plain objects with a `test(view)` method.
 * Leaves read the field through the shared EventView (one read and one lower-casing per field
 * per event). Pattern alternatives of one item are grouped: equals → Set lookup, contains /
 * startswith / endswith → indexOf/startsWith/endsWith loops, the rest → Glob.
 */
import { ipv4ToInt, ipv6ToBigInt, maskIPv4, maskIPv6, unmapIPv4 } from '../../core/net/ip';
import type { EventView, FieldTable } from './event-view';
import type { LiteralIndex } from './literal-index';
import { Glob } from './glob';
import type { CompareOp, FieldRefMode, MatchNode, TimePart, ValueTest } from './ir';
import type { SigmaRegex } from './regex';
import { ANY, type PatternPart } from './sigma-string';
import type { ParsedCidr } from '../../core/net/ip';

export interface Matcher {
  test(view: EventView): boolean;
}

/** Tests one field slot of the current event against a set of values. */
interface Tester {
  test(view: EventView): boolean;
}

class AndMatcher implements Matcher {
  constructor(private readonly children: Matcher[]) {}
  test(view: EventView): boolean {
    const c = this.children;
    for (let i = 0; i < c.length; i++) if (!c[i].test(view)) return false;
    return true;
  }
}

class OrMatcher implements Matcher {
  constructor(private readonly children: Matcher[]) {}
  test(view: EventView): boolean {
    const c = this.children;
    for (let i = 0; i < c.length; i++) if (c[i].test(view)) return true;
    return false;
  }
}

class NotMatcher implements Matcher {
  constructor(private readonly child: Matcher) {}
  test(view: EventView): boolean {
    return !this.child.test(view);
  }
}

class ConstMatcher implements Matcher {
  constructor(private readonly value: boolean) {}
  test(): boolean {
    return this.value;
  }
}

/** One field (or keyword fields), values linked by AND/OR, each value an OR of testers. */
class ItemMatcher implements Matcher {
  constructor(
    private readonly groups: Tester[][],
    private readonly negate: boolean,
  ) {}
  test(view: EventView): boolean {
    const groups = this.groups;
    let result = true;
    for (let g = 0; g < groups.length; g++) {
      if (!anyTester(groups[g], view)) {
        result = false;
        break;
      }
    }
    return this.negate ? !result : result;
  }
}

/** The common shape: one field, one grouped tester. */
class SingleItemMatcher implements Matcher {
  constructor(
    private readonly tester: Tester,
    private readonly negate: boolean,
  ) {}
  test(view: EventView): boolean {
    const r = this.tester.test(view);
    return this.negate ? !r : r;
  }
}

function anyTester(testers: Tester[], view: EventView): boolean {
  for (let t = 0; t < testers.length; t++) if (testers[t].test(view)) return true;
  return false;
}

/**
 * Wildcard patterns on one field. Literal patterns (equals, contains, startswith, endswith) are
 * looked up in the slot's shared LiteralIndex; only patterns with inner wildcards run a Glob.
 */
class PatternTester implements Tester {
  private readonly index: LiteralIndex;
  private readonly whole: Int32Array;
  private readonly anywhere: Int32Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly hasLiterals: boolean;
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
    const whole: number[] = [];
    const anywhere: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    this.globs = [];
    let anyString = false;
    let empty = false;
    for (const p of patterns) {
      const n = p.length;
      if (n === 0) empty = true;
      else if (n === 1 && typeof p[0] === 'string') whole.push(this.index.add(p[0]));
      else if (n === 1 && p[0] === ANY) anyString = true;
      else if (n === 3 && p[0] === ANY && typeof p[1] === 'string' && p[2] === ANY) anywhere.push(this.index.add(p[1]));
      else if (n === 2 && typeof p[0] === 'string' && p[1] === ANY) starts.push(this.index.add(p[0]));
      else if (n === 2 && p[0] === ANY && typeof p[1] === 'string') ends.push(this.index.add(p[1]));
      else this.globs.push(new Glob(p));
    }
    this.whole = Int32Array.from(new Set(whole));
    this.anywhere = Int32Array.from(new Set(anywhere));
    this.starts = Int32Array.from(new Set(starts));
    this.ends = Int32Array.from(new Set(ends));
    this.hasLiterals = whole.length + anywhere.length + starts.length + ends.length > 0;
    this.anyString = anyString;
    this.empty = empty;
  }

  test(view: EventView): boolean {
    const values = this.cased ? view.strings(this.slot) : view.lower(this.slot);
    if (values.length === 0) return false;
    if (this.anyString) return true;
    if (this.empty) for (let i = 0; i < values.length; i++) if (values[i].length === 0) return true;
    if (this.hasLiterals) {
      const idx = this.index;
      idx.scan(values, view, view.generation);
      const g = idx.generation;
      if (hit(idx.anywhere, this.anywhere, g) || hit(idx.whole, this.whole, g) || hit(idx.atStart, this.starts, g) || hit(idx.atEnd, this.ends, g)) return true;
    }
    const globs = this.globs;
    for (let k = 0; k < globs.length; k++) {
      for (let i = 0; i < values.length; i++) if (globs[k].test(values[i])) return true;
    }
    return false;
  }
}

function hit(stamps: Uint32Array, ids: Int32Array, generation: number): boolean {
  for (let i = 0; i < ids.length; i++) if (stamps[ids[i]] === generation) return true;
  return false;
}

/** Numbers, numeric strings, or a part of a timestamp compared with a number. */
class CompareTester implements Tester {
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

function toNumber(v: unknown): number {
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

class BooleanTester implements Tester {
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

class NullTester implements Tester {
  constructor(private readonly slot: number) {}
  test(view: EventView): boolean {
    const raw = view.raw(this.slot);
    return raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0);
  }
}

class ExistsTester implements Tester {
  constructor(
    private readonly slot: number,
    private readonly value: boolean,
  ) {}
  test(view: EventView): boolean {
    return (view.raw(this.slot) !== undefined) === this.value;
  }
}

class RegexTester implements Tester {
  constructor(
    private readonly slot: number,
    private readonly regex: SigmaRegex,
  ) {}
  test(view: EventView): boolean {
    const values = view.strings(this.slot);
    for (let i = 0; i < values.length; i++) if (this.regex.test(values[i])) return true;
    return false;
  }
}

class CidrTester implements Tester {
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

class FieldRefTester implements Tester {
  constructor(
    private readonly slot: number,
    private readonly otherSlot: number,
    private readonly mode: FieldRefMode,
    private readonly cased: boolean,
  ) {}
  test(view: EventView): boolean {
    const mine = this.cased ? view.strings(this.slot) : view.lower(this.slot);
    if (mine.length === 0) return false;
    const other = this.cased ? view.strings(this.otherSlot) : view.lower(this.otherSlot);
    for (const a of mine) {
      for (const b of other) {
        if (this.mode === 'eq' ? a === b : this.mode === 'contains' ? a.includes(b) : this.mode === 'startswith' ? a.startsWith(b) : a.endsWith(b)) {
          return true;
        }
      }
    }
    return false;
  }
}

/** Groups the OR-ed alternatives of one value (or of all values of an OR item) into testers on one slot. */
function buildTesters(tests: ValueTest[], slot: number, table: FieldTable): Tester[] {
  const testers: Tester[] = [];
  const cased: PatternPart[][] = [];
  const folded: PatternPart[][] = [];
  for (const t of tests) {
    switch (t.kind) {
      case 'pattern':
        (t.cased ? cased : folded).push(t.parts);
        break;
      case 'compare':
        testers.push(new CompareTester(slot, t.op, t.value, t.timePart));
        break;
      case 'boolean':
        testers.push(new BooleanTester(slot, t.value));
        break;
      case 'null':
        testers.push(new NullTester(slot));
        break;
      case 'exists':
        testers.push(new ExistsTester(slot, t.value));
        break;
      case 'regex':
        testers.push(new RegexTester(slot, t.regex));
        break;
      case 'cidr':
        testers.push(new CidrTester(slot, t.cidr));
        break;
      case 'fieldref':
        testers.push(new FieldRefTester(slot, table.slot(t.paths), t.mode, t.cased));
        break;
      case 'never':
        break;
    }
  }
  if (folded.length > 0) testers.unshift(new PatternTester(slot, folded, false, table));
  if (cased.length > 0) testers.unshift(new PatternTester(slot, cased, true, table));
  return testers;
}

/** Testers of one value group over every slot of the item (keywords search several fields). */
function groupTesters(tests: ValueTest[], slots: number[], table: FieldTable): Tester[] {
  return slots.flatMap((slot) => buildTesters(tests, slot, table));
}

/** Builds the matcher tree. Call `table.seal()` once every rule sharing the table is bound. */
export function buildMatcher(node: MatchNode, table: FieldTable): Matcher {
  switch (node.kind) {
    case 'and':
      return new AndMatcher(node.children.map((c) => buildMatcher(c, table)));
    case 'or':
      return new OrMatcher(node.children.map((c) => buildMatcher(c, table)));
    case 'not':
      return new NotMatcher(buildMatcher(node.child, table));
    case 'const':
      return new ConstMatcher(node.value);
    case 'item': {
      // Field and keyword items alike read the first present of their paths.
      const slots = [table.slot(node.paths)];
      const groups = node.link === 'or' ? [groupTesters(node.values.flat(), slots, table)] : node.values.map((v) => groupTesters(v, slots, table));
      if (groups.length === 1 && groups[0].length === 1) return new SingleItemMatcher(groups[0][0], node.negate);
      return new ItemMatcher(groups, node.negate);
    }
  }
}
