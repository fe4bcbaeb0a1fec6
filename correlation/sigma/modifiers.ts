/**
 * Value modifiers (Sigma 2.1 modifiers appendix), applied to each value left to right. A value
 * starts as a parsed Sigma string (or number, boolean, null) and each modifier either transforms
 * it (encodings, windash, expand: possibly into several OR-ed alternatives), changes how it is
 * matched (contains/startswith/endswith, re, cidr, comparisons, time parts, fieldref, exists,
 * cased), or changes the item (`all` links the listed values with AND, `neq` negates the item).
 */
import { parseCidr } from '../../core/net/ip';
import { base64, base64offset, utf16, windash, type ValuePattern } from './encode';
import type { CompareOp, FieldRefMode, TimePart, ValueTest } from './ir';
import { compileSigmaRegex, type RegexFlags } from './regex';
import { ANY, ONE, normalizePattern, parseSigmaString, type PatternPart, type PlaceholderPart, type RawPart } from './sigma-string';
import { SigmaError, type DetectionValue } from './types';

const TIME_PARTS: readonly TimePart[] = ['minute', 'hour', 'day', 'week', 'month', 'year'];
const COMPARE_OPS: readonly string[] = ['lt', 'lte', 'gt', 'gte'];

/** Every modifier name the spec defines, plus pySigma's long aliases of the regex flags. */
const KNOWN = new Set([
  'contains', 'startswith', 'endswith', 'all', 'base64', 'base64offset', 'utf16le', 'wide', 'utf16be', 'utf16',
  'windash', 're', 'i', 'm', 's', 'ignorecase', 'multiline', 'dotall', 'cidr', 'exists', 'cased', 'neq',
  'lt', 'lte', 'gt', 'gte', 'expand', 'fieldref', ...TIME_PARTS,
]);

/** Modifiers that decide how a value is matched; a keyword without one of them is a substring search. */
const MATCH_TYPE = new Set(['contains', 'startswith', 'endswith', 're', 'cidr', 'exists', 'fieldref', 'lt', 'lte', 'gt', 'gte', ...TIME_PARTS]);

/** Only these may precede `re`, `cidr` and `exists`, which take the value exactly as written. */
const ITEM_LEVEL = new Set(['all', 'neq', 'cased']);

export interface ModifierChain {
  modifiers: string[];
  link: 'and' | 'or';
  negate: boolean;
  keyword: boolean;
}

export interface ValueContext {
  placeholders: Readonly<Record<string, readonly string[]>>;
  /** What an unconfigured placeholder means: an empty list (warn), or reject the rule. */
  unresolvedPlaceholders: 'empty' | 'reject';
  warn(message: string): void;
  /** Candidate paths of another field (for fieldref). */
  resolveField(field: string): string[];
}

export function parseModifierChain(names: string[], keyword: boolean): ModifierChain {
  const modifiers = names.map((n) => n.toLowerCase());
  let link: 'and' | 'or' = 'or';
  let negate = false;
  let regexSeen = false;
  modifiers.forEach((m, i) => {
    if (m === '') throw new SigmaError('modifier', 'empty modifier (two | in a row)');
    if (!KNOWN.has(m)) throw new SigmaError('modifier', `unknown modifier '${m}'`);
    if ((m === 're' || m === 'cidr' || m === 'exists') && modifiers.slice(0, i).some((p) => !ITEM_LEVEL.has(p))) {
      throw new SigmaError('modifier', `'${m}' must come before value modifiers (it takes the value as written)`);
    }
    if (m === 're') regexSeen = true;
    if ((m === 'i' || m === 'm' || m === 's' || m === 'ignorecase' || m === 'multiline' || m === 'dotall') && !regexSeen) {
      throw new SigmaError('modifier', `regex flag '${m}' needs a preceding 're'`);
    }
    if (m === 'all') link = 'and';
    if (m === 'neq') negate = true;
  });
  if (keyword && modifiers.some((m) => m === 'exists' || m === 'fieldref' || m === 'cidr' || COMPARE_OPS.includes(m) || TIME_PARTS.includes(m as TimePart))) {
    throw new SigmaError('modifier', `keyword searches (no field name) cannot use |${modifiers.join('|')}`);
  }
  // Appended last so encodings (base64offset, wide) see the bare value first.
  if (keyword && !modifiers.some((m) => MATCH_TYPE.has(m))) modifiers.push('contains');
  return { modifiers, link, negate, keyword };
}

export function hasExplicitMatchType(chain: ModifierChain): boolean {
  return chain.modifiers.some((m) => MATCH_TYPE.has(m));
}

type State =
  | { t: 'str'; parts: RawPart[]; binary: boolean }
  | { t: 'num'; value: number; timePart?: TimePart }
  | { t: 'bool'; value: boolean }
  | { t: 'null' }
  | { t: 're'; source: string; flags: RegexFlags }
  | { t: 'cidr'; text: string }
  | { t: 'exists'; value: boolean }
  | { t: 'cmp'; op: CompareOp; value: number; timePart?: TimePart }
  | { t: 'fieldref'; field: string; mode: FieldRefMode };

function initialState(value: DetectionValue, chain: ModifierChain): State {
  if (value === null) return { t: 'null' };
  if (typeof value === 'object') throw new SigmaError('detection', 'a field value must be a string, number, boolean or null, not a nested list or map');
  const first = chain.modifiers.find((m) => !ITEM_LEVEL.has(m));
  if (first === 're') return { t: 're', source: String(value), flags: { ignoreCase: false, multiline: false, dotAll: false } };
  if (first === 'cidr') return { t: 'cidr', text: String(value) };
  if (first === 'exists') {
    if (typeof value === 'boolean') return { t: 'exists', value };
    if (value === 'true' || value === 'false') return { t: 'exists', value: value === 'true' };
    throw new SigmaError('value', `exists takes true or false, not '${String(value)}'`);
  }
  if (typeof value === 'number') return { t: 'num', value };
  if (typeof value === 'boolean') return { t: 'bool', value };
  return { t: 'str', parts: parseSigmaString(value, chain.modifiers.includes('expand')), binary: false };
}

/** Strings for modifiers that need text: numbers and booleans are written as YAML shows them. */
function asString(s: State, modifier: string): { t: 'str'; parts: RawPart[]; binary: boolean } {
  if (s.t === 'str') return s;
  if (s.t === 'num' && s.timePart === undefined) return { t: 'str', parts: [String(s.value)], binary: false };
  if (s.t === 'bool') return { t: 'str', parts: [String(s.value)], binary: false };
  throw new SigmaError('modifier', `'${modifier}' cannot apply to ${describe(s)}`);
}

function describe(s: State): string {
  switch (s.t) {
    case 'null':
      return 'null';
    case 're':
      return 'a regular expression';
    case 'cidr':
      return 'a CIDR value';
    case 'exists':
      return 'an exists check';
    case 'cmp':
      return 'a numeric comparison';
    case 'fieldref':
      return 'a field reference';
    case 'num':
      return s.timePart ? `a ${s.timePart} value` : 'a number';
    default:
      return 'this value';
  }
}

function asNumber(s: State, modifier: string): number {
  if (s.t === 'num' && s.timePart === undefined) return s.value;
  if (s.t === 'str' && s.parts.length === 1 && typeof s.parts[0] === 'string') {
    const text = s.parts[0].trim();
    const n = Number(text);
    if (text !== '' && Number.isFinite(n)) return n;
  }
  throw new SigmaError('value', `'${modifier}' needs a number, not ${s.t === 'str' ? `'${rawText(s.parts)}'` : describe(s)}`);
}

function rawText(parts: readonly RawPart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p === ANY ? '*' : p === ONE ? '?' : `%${(p as PlaceholderPart).placeholder}%`)).join('');
}

function toPattern(s: { parts: RawPart[]; binary: boolean }, modifier: string): ValuePattern {
  for (const p of s.parts) {
    if (typeof p === 'object') throw new SigmaError('modifier', `'${modifier}' cannot apply before 'expand' resolves placeholder %${p.placeholder}%`);
  }
  return { parts: s.parts as PatternPart[], binary: s.binary };
}

function addWildcards(parts: RawPart[], start: boolean, end: boolean): RawPart[] {
  const out = [...parts];
  if (start && out[0] !== ANY) out.unshift(ANY);
  if (end && out[out.length - 1] !== ANY) out.push(ANY);
  return out;
}

function regexAnchor(source: string, start: boolean, end: boolean): string {
  let out = source;
  if (start && !out.startsWith('^')) out = `^(?:${out})`;
  if (end && !/(^|[^\\])\$$/.test(out)) out = `(?:${out})$`;
  return out;
}

function expandPlaceholders(s: { parts: RawPart[]; binary: boolean }, ctx: ValueContext): State[] {
  let results: RawPart[][] = [[]];
  for (const p of s.parts) {
    if (typeof p !== 'object') {
      for (const r of results) r.push(p);
      continue;
    }
    const values = ctx.placeholders[p.placeholder];
    if (values === undefined) {
      if (ctx.unresolvedPlaceholders === 'reject') {
        throw new SigmaError('value', `placeholder %${p.placeholder}% has no configured values`);
      }
      ctx.warn(`placeholder %${p.placeholder}% has no configured values: it matches nothing`);
      return [];
    }
    const next: RawPart[][] = [];
    for (const r of results) for (const v of values) next.push([...r, ...parseSigmaString(v)]);
    if (next.length > 10_000) throw new SigmaError('value', 'placeholders expand into more than 10000 values');
    results = next;
  }
  return results.map((parts) => ({ t: 'str', parts, binary: s.binary }));
}

/** Placeholder values inside a regex: each becomes an alternation of its (wildcard) values. */
function expandRegexPlaceholders(s: { source: string; flags: RegexFlags }, ctx: ValueContext): State[] {
  let missing = false;
  const source = s.source.replace(/(?<!\\)%([A-Za-z0-9_.-]+)%/g, (_m, name: string) => {
    const values = ctx.placeholders[name];
    if (values === undefined) {
      if (ctx.unresolvedPlaceholders === 'reject') throw new SigmaError('value', `placeholder %${name}% has no configured values`);
      ctx.warn(`placeholder %${name}% has no configured values: it matches nothing`);
      missing = true;
      return '';
    }
    return `(?:${values.map((v) => patternToRegex(parseSigmaString(v) as PatternPart[])).join('|')})`;
  });
  return missing ? [] : [{ t: 're', source, flags: s.flags }];
}

function patternToRegex(parts: readonly PatternPart[]): string {
  return parts.map((p) => (p === ANY ? '.*' : p === ONE ? '.' : p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
}

function applyModifier(s: State, m: string, ctx: ValueContext): State[] {
  switch (m) {
    case 'all':
    case 'neq':
      return [s];
    case 'contains':
    case 'startswith':
    case 'endswith': {
      const start = m !== 'startswith';
      const end = m !== 'endswith';
      if (s.t === 're') return [{ ...s, source: regexAnchor(s.source, m === 'startswith', m === 'endswith') }];
      if (s.t === 'fieldref') {
        if (s.mode !== 'eq' && s.mode !== m) return [{ ...s, mode: 'contains' }];
        return [{ ...s, mode: m }];
      }
      const str = asString(s, m);
      return [{ ...str, parts: addWildcards(str.parts, start, end) }];
    }
    case 'cased':
      if (s.t === 'str' || s.t === 'fieldref' || s.t === 'num' || s.t === 'bool') return [s];
      throw new SigmaError('modifier', `'cased' cannot apply to ${describe(s)}`);
    case 'base64':
      return base64(toPattern(asString(s, m), m)).map((v) => ({ t: 'str', parts: v.parts, binary: v.binary }));
    case 'base64offset':
      return base64offset(toPattern(asString(s, m), m)).map((v) => ({ t: 'str', parts: v.parts, binary: v.binary }));
    case 'utf16le':
    case 'wide':
    case 'utf16be':
    case 'utf16': {
      const variant = m === 'wide' ? 'utf16le' : m;
      return utf16(toPattern(asString(s, m), m), variant).map((v) => ({ t: 'str', parts: v.parts, binary: v.binary }));
    }
    case 'windash':
      return windash(toPattern(asString(s, m), m)).map((v) => ({ t: 'str', parts: v.parts, binary: v.binary }));
    case 're':
    case 'cidr':
    case 'exists':
      // Already taken as the value's type by initialState.
      if ((m === 're' && s.t === 're') || (m === 'cidr' && s.t === 'cidr') || (m === 'exists' && s.t === 'exists')) return [s];
      throw new SigmaError('modifier', `'${m}' cannot apply to ${describe(s)}`);
    case 'i':
    case 'ignorecase':
    case 'm':
    case 'multiline':
    case 's':
    case 'dotall': {
      if (s.t !== 're') throw new SigmaError('modifier', `regex flag '${m}' needs a regular expression`);
      const flags = { ...s.flags };
      if (m === 'i' || m === 'ignorecase') flags.ignoreCase = true;
      else if (m === 'm' || m === 'multiline') flags.multiline = true;
      else flags.dotAll = true;
      return [{ ...s, flags }];
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      if (s.t === 'num' && s.timePart !== undefined) return [{ t: 'cmp', op: m, value: s.value, timePart: s.timePart }];
      return [{ t: 'cmp', op: m, value: asNumber(s, m) }];
    case 'minute':
    case 'hour':
    case 'day':
    case 'week':
    case 'month':
    case 'year':
      if (s.t === 'cmp' && s.timePart === undefined) return [{ ...s, timePart: m }];
      return [{ t: 'num', value: asNumber(s, m), timePart: m }];
    case 'expand':
      if (s.t === 'str') return expandPlaceholders(s, ctx);
      if (s.t === 're') return expandRegexPlaceholders(s, ctx);
      throw new SigmaError('modifier', `'expand' cannot apply to ${describe(s)}`);
    case 'fieldref': {
      const str = asString(s, m);
      if (str.parts.length !== 1 || typeof str.parts[0] !== 'string') {
        throw new SigmaError('value', 'fieldref takes a plain field name (no wildcards or placeholders)');
      }
      return [{ t: 'fieldref', field: str.parts[0], mode: 'eq' }];
    }
    default:
      throw new SigmaError('modifier', `unknown modifier '${m}'`);
  }
}

function toTest(s: State, cased: boolean, ctx: ValueContext): ValueTest {
  switch (s.t) {
    case 'str': {
      const parts = toPattern(s, 'match').parts;
      const normalized = normalizePattern(cased ? parts : parts.map((p) => (typeof p === 'string' ? p.toLowerCase() : p)));
      return { kind: 'pattern', parts: normalized, cased };
    }
    case 'num':
      return { kind: 'compare', op: 'eq', value: s.value, timePart: s.timePart };
    case 'cmp':
      return { kind: 'compare', op: s.op, value: s.value, timePart: s.timePart };
    case 'bool':
      return { kind: 'boolean', value: s.value };
    case 'null':
      return { kind: 'null' };
    case 'exists':
      return { kind: 'exists', value: s.value };
    case 're':
      return { kind: 'regex', regex: compileSigmaRegex(s.source, s.flags) };
    case 'cidr':
      try {
        return { kind: 'cidr', cidr: parseCidr(s.text.trim()), text: s.text };
      } catch (err) {
        throw new SigmaError('value', (err as Error).message);
      }
    case 'fieldref':
      return { kind: 'fieldref', field: s.field, paths: ctx.resolveField(s.field), mode: s.mode, cased };
  }
}

/** One listed value through the chain → its OR-ed alternatives (empty when a placeholder had no values). */
export function compileValue(value: DetectionValue, chain: ModifierChain, ctx: ValueContext): ValueTest[] {
  let states: State[] = [initialState(value, chain)];
  if (states[0].t === 'null' && chain.modifiers.some((m) => m !== 'neq' && m !== 'all')) {
    throw new SigmaError('value', `null cannot be used with |${chain.modifiers.join('|')} (only neq)`);
  }
  for (const m of chain.modifiers) {
    const next: State[] = [];
    for (const s of states) next.push(...applyModifier(s, m, ctx));
    states = next;
  }
  const cased = chain.modifiers.includes('cased');
  return states.map((s) => toTest(s, cased, ctx));
}
