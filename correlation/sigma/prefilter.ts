/**
 * Rule prefilters: for each rule, a set of (field, literal) pairs such that the rule cannot match
 * unless at least one of the literals occurs in its field. The rule set scans each field once per
 * event with its LiteralIndex; a literal found marks the rules listed under it, and only marked
 * rules (plus those without a prefilter) are evaluated. This keeps the cost per event close to
 * "scan the fields + evaluate the few plausible rules", whatever the number of rules.
 *
 * A rule keeps up to MAX_GROUPS groups of keys that must all be found (AND of ORs), so a rule
 * testing `Initiated: 'true'` and a rare host name runs only when both occur.
 *
 * Derivation from the MatchNode tree (null = no usable prefilter, the rule is always evaluated):
 *   item  (not negated, wildcard patterns and regexes): the literal of each pattern (a glob's
 *         longest literal run, a regex's required literal); OR-linked values form one group,
 *         AND-linked values one group each;
 *   and   the groups of its children;  or: the groups every child has (same keys), else one
 *         group, the union of each child's cheapest group; null if any child has none;
 *   numeric equality (no time part): the number, looked up in the slot's NumberIndex;
 *   not, negated items, other numeric/cidr/exists/null/fieldref tests, regexes without a
 *   required literal: null.
 */
import type { FieldTable } from './event-view';
import type { MatchNode, ValueTest } from './ir';
import type { LiteralIndex } from './literal-index';
import type { NumberIndex } from './number-index';
import { regexRequiredLiteral } from './regex-literal';
import { ANY, ONE, type PatternPart } from './sigma-string';

export interface LiteralKey {
  kind: 'literal';
  index: LiteralIndex;
  id: number;
  length: number;
}

/** Numeric equality (event ids, ports). */
export interface NumberKey {
  kind: 'number';
  index: NumberIndex;
  value: number;
}

export type PrefilterKey = LiteralKey | NumberKey;

/**
 * Roughly how often the keys let a rule through: the chance that a literal occurs in a value falls
 * with its length (short ones such as ".exe", "\\" or "true" occur everywhere), taken as
 * 2^(-length/1.5); an OR of keys adds up. A number (an event id, a port) counts like a literal of
 * six characters.
 */
function cost(keys: readonly PrefilterKey[]): number {
  let c = 0;
  for (const k of keys) c += Math.pow(2, -(k.kind === 'number' ? 6 : k.length) / 1.5);
  return c;
}

/** The literal every match of the pattern contains (case-folded unless cased), or null. */
export function requiredLiteral(parts: readonly PatternPart[]): string | null {
  let best: string | null = null;
  for (const p of parts) {
    if (p === ANY || p === ONE) continue;
    if (best === null || p.length > best.length) best = p;
  }
  return best;
}

function valueKeys(alternatives: ValueTest[], slots: number[], table: FieldTable): PrefilterKey[] | null {
  const keys: PrefilterKey[] = [];
  for (const t of alternatives) {
    if (t.kind === 'never') continue;
    if (t.kind === 'compare' && t.op === 'eq' && t.timePart === undefined) {
      for (const slot of slots) keys.push({ kind: 'number', index: table.numberIndex(slot), value: t.value });
      continue;
    }
    let literal: string | null = null;
    let cased = false;
    if (t.kind === 'pattern') {
      literal = requiredLiteral(t.parts);
      cased = t.cased;
    } else if (t.kind === 'regex') {
      const found = regexRequiredLiteral(t.regex.source, t.regex.flags.ignoreCase);
      if (found) {
        literal = found.literal;
        cased = !found.folded;
      }
    }
    if (literal === null) return null;
    for (const slot of slots) {
      const index = table.literalIndex(slot, cased);
      keys.push({ kind: 'literal', index, id: index.add(literal), length: literal.length });
    }
  }
  return keys;
}

/** Groups a rule keeps at most (the cheapest): each costs postings, and may add a field to scan. */
export const MAX_GROUPS = 3;

/**
 * Necessary conditions of a node as groups to satisfy together, each an OR of keys (null: none;
 * a group without keys: the node can never match).
 */
function groupsOf(node: MatchNode, table: FieldTable): PrefilterKey[][] | null {
  switch (node.kind) {
    case 'const':
      return node.value ? null : [[]];
    case 'not':
      return null;
    case 'or': {
      const all: PrefilterKey[][][] = [];
      for (const c of node.children) {
        const groups = groupsOf(c, table);
        if (groups === null) return null;
        all.push(groups);
      }
      // A group every child requires is required by the OR (`all of selection_* or (selection_img
      // and not filter)` needs selection_img either way), and is far more selective than the union.
      const common = all[0].filter((g) => all.every((groups) => groups.some((h) => sameKeys(g, h))));
      if (common.length > 0) return common;
      // Else one group: the union of each child's cheapest group.
      const keys: PrefilterKey[] = [];
      for (const groups of all) keys.push(...cheapest(groups));
      return [keys];
    }
    case 'and': {
      const groups: PrefilterKey[][] = [];
      for (const c of node.children) groups.push(...(groupsOf(c, table) ?? []));
      return groups.length > 0 ? groups : null;
    }
    case 'item': {
      if (node.negate) return null;
      const slots = [table.slot(node.paths)];
      if (node.link === 'or') {
        const keys = valueKeys(node.values.flat(), slots, table);
        return keys === null ? null : [keys];
      }
      const groups: PrefilterKey[][] = [];
      for (const v of node.values) {
        const keys = valueKeys(v, slots, table);
        if (keys !== null) groups.push(keys);
      }
      return groups.length > 0 ? groups : null;
    }
  }
}

function sameKey(a: PrefilterKey, b: PrefilterKey): boolean {
  if (a.kind === 'literal') return b.kind === 'literal' && a.index === b.index && a.id === b.id;
  return b.kind === 'number' && a.index === b.index && a.value === b.value;
}

/** Whether two groups hold the same keys (in any order). */
function sameKeys(a: readonly PrefilterKey[], b: readonly PrefilterKey[]): boolean {
  return a.length === b.length && a.every((k) => b.some((l) => sameKey(k, l)));
}

function cheapest(groups: PrefilterKey[][]): PrefilterKey[] {
  let best = groups[0];
  for (const g of groups) if (cost(g) < cost(best)) best = g;
  return best;
}

/**
 * A rule's prefilter: up to MAX_GROUPS groups of keys, cheapest first; the rule can match only
 * when every group has a key found. null: no usable prefilter (always evaluated); [[]]: the rule
 * can never match.
 */
export function rulePrefilter(node: MatchNode, table: FieldTable): PrefilterKey[][] | null {
  const groups = groupsOf(node, table);
  if (groups === null) return null;
  if (groups.some((g) => g.length === 0)) return [[]];
  return groups
    .map((g) => ({ g, c: cost(g) }))
    .sort((x, y) => x.c - y.c)
    .slice(0, MAX_GROUPS)
    .map((x) => x.g);
}
