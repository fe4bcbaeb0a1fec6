/**
 * The compiled form of a detection before it is bound to an event field table: a boolean tree
 * whose leaves test one field (or the keyword fields) against values. Kept as data so later
 * stages can share literal prefilters across rules and describe rules for tooling.
 */
import type { PatternPart } from './sigma-string';
import type { SigmaRegex } from './regex';
import type { ParsedCidr } from '../../core/net/ip';

export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
export type CompareOp = 'eq' | 'lt' | 'lte' | 'gt' | 'gte';
export type FieldRefMode = 'eq' | 'contains' | 'startswith' | 'endswith';

export type ValueTest =
  /** Wildcard pattern over the field's string form; literals lower-cased unless `cased`. */
  | { kind: 'pattern'; parts: PatternPart[]; cased: boolean }
  /** Numeric comparison; plain numbers in rules are `eq`. A time part is extracted first. */
  | { kind: 'compare'; op: CompareOp; value: number; timePart?: TimePart }
  | { kind: 'boolean'; value: boolean }
  /** Field absent or null. */
  | { kind: 'null' }
  | { kind: 'exists'; value: boolean }
  | { kind: 'regex'; regex: SigmaRegex }
  | { kind: 'cidr'; cidr: ParsedCidr; text: string }
  | { kind: 'fieldref'; field: string; paths: string[]; mode: FieldRefMode; cased: boolean }
  /** A placeholder that expanded to no value: matches nothing. */
  | { kind: 'never' };

export interface FieldItem {
  kind: 'item';
  /** Sigma field name, or null for a keyword (field-less) search. */
  field: string | null;
  /** Candidate paths, the first present in the event is read (keywords: the message fields). */
  paths: string[];
  /** Values as listed in the rule (linked by `link`); each expands to OR-ed alternatives. */
  values: ValueTest[][];
  link: 'and' | 'or';
  /** `neq`: the item matches when the values do not. */
  negate: boolean;
}

export type MatchNode =
  | { kind: 'and'; children: MatchNode[] }
  | { kind: 'or'; children: MatchNode[] }
  | { kind: 'not'; child: MatchNode }
  | { kind: 'const'; value: boolean }
  | FieldItem;
