/**
 * Rule prefilters: for each rule, a set of (field, literal) pairs such that the rule cannot match
 * unless at least one of the literals occurs in its field. The rule set scans each field once per
 * event with its LiteralIndex; a literal found marks the rules listed under it, and only marked
 * rules (plus those without a prefilter) are evaluated. This keeps the cost per event close to
 * "scan the fields + evaluate the few plausible rules", whatever the number of rules.
 *
 * Derivation from the MatchNode tree (null = no usable prefilter, the rule is always evaluated):
 *   item  (not negated, wildcard patterns and regexes): the literal of each pattern (a glob's
 *         longest literal run, a regex's required literal); OR-linked values union, AND-linked
 *         values the cheapest one;
 *   and   the cheapest child with a prefilter;  or: the union, null if any child has none;
 *   not, negated items, numeric/cidr/exists/null/fieldref tests, regexes without a
 *   required literal: null.
 */
import type { FieldTable } from './event-view';
import type { MatchNode, ValueTest } from './ir';
import type { LiteralIndex } from './literal-index';
import { regexRequiredLiteral } from './regex-literal';
import { ANY, ONE, type PatternPart } from './sigma-string';

export interface LiteralKey {
  index: LiteralIndex;
  id: number;
  length: number;
}

/** Short literals occur everywhere (".exe", "\\"), so they filter poorly: weigh them. */
function cost(keys: readonly LiteralKey[]): number {
  let c = 0;
  for (const k of keys) c += k.length >= 6 ? 1 : k.length >= 4 ? 3 : 10;
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

function valueKeys(alternatives: ValueTest[], slots: number[], table: FieldTable): LiteralKey[] | null {
  const keys: LiteralKey[] = [];
  for (const t of alternatives) {
    if (t.kind === 'never') continue;
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
      keys.push({ index, id: index.add(literal), length: literal.length });
    }
  }
  return keys;
}

export function prefilterOf(node: MatchNode, table: FieldTable): LiteralKey[] | null {
  switch (node.kind) {
    case 'const':
      return node.value ? null : [];
    case 'not':
      return null;
    case 'or': {
      const keys: LiteralKey[] = [];
      for (const c of node.children) {
        const k = prefilterOf(c, table);
        if (k === null) return null;
        keys.push(...k);
      }
      return keys;
    }
    case 'and': {
      let best: LiteralKey[] | null = null;
      for (const c of node.children) {
        const k = prefilterOf(c, table);
        if (k !== null && (best === null || cost(k) < cost(best))) best = k;
      }
      return best;
    }
    case 'item': {
      if (node.negate) return null;
      const slots = [table.slot(node.paths)];
      if (node.link === 'or') return valueKeys(node.values.flat(), slots, table);
      let best: LiteralKey[] | null = null;
      for (const v of node.values) {
        const k = valueKeys(v, slots, table);
        if (k !== null && (best === null || cost(k) < cost(best))) best = k;
      }
      return best;
    }
  }
}
