/**
 * Binds a MatchNode tree to a FieldTable, producing plain objects with a `test(view)` method.
 * Leaves read the field through the shared EventView (one read per field per event). The values
 * of one item are grouped into testers (value-testers.ts): literal patterns → the slot's shared
 * literal index, wildcard patterns → Glob, number lists → one Set, CIDR lists → one parse.
 */
import type { EventView, FieldTable } from './event-view';
import type { MatchNode, ValueTest } from './ir';
import type { ParsedCidr } from '../../core/net/ip';
import type { PatternPart } from './sigma-string';
import {
  BooleanTester,
  CidrSetTester,
  CidrTester,
  CompareTester,
  ExistsTester,
  FieldRefTester,
  NullTester,
  NumberSetTester,
  PatternTester,
  RegexTester,
  type Tester,
} from './value-testers';

export interface Matcher {
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

/** Groups the OR-ed alternatives of one value (or of all values of an OR item) into testers on one slot. */
function buildTesters(tests: ValueTest[], slot: number, table: FieldTable): Tester[] {
  const testers: Tester[] = [];
  const cased: PatternPart[][] = [];
  const folded: PatternPart[][] = [];
  const numbers = new Set<number>();
  const cidrs: ParsedCidr[] = [];
  for (const t of tests) {
    switch (t.kind) {
      case 'pattern':
        (t.cased ? cased : folded).push(t.parts);
        break;
      case 'compare':
        if (t.op === 'eq' && t.timePart === undefined) numbers.add(t.value);
        else testers.push(new CompareTester(slot, t.op, t.value, t.timePart));
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
        cidrs.push(t.cidr);
        break;
      case 'fieldref':
        testers.push(new FieldRefTester(slot, table.slot(t.paths), t.mode, t.cased));
        break;
      case 'never':
        break;
    }
  }
  if (numbers.size === 1) testers.push(new CompareTester(slot, 'eq', [...numbers][0], undefined));
  else if (numbers.size > 1) testers.push(new NumberSetTester(slot, numbers));
  if (cidrs.length === 1) testers.push(new CidrTester(slot, cidrs[0]));
  else if (cidrs.length > 1) testers.push(new CidrSetTester(slot, cidrs));
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
