/**
 * Regular expressions from rules are untrusted: they run in RE2 (linear time, no catastrophic
 * backtracking). Sigma regexes are PCRE-flavoured; RE2 understands the inline flags `(?i)`,
 * `(?m)`, `(?s)` and `(?P<name>…)` that JavaScript rejects. The few PCRE features RE2 lacks
 * (lookaround, backreferences) fall back to a JS RegExp only when the pattern has no nested
 * quantifier (the shape behind exponential backtracking) and then see at most
 * MAX_FALLBACK_INPUT characters of each value.
 */
import RE2 from 're2';
import { ClassRun, regexClassRun } from './regex-class-run';
import { regexMinLength } from './regex-min-length';
import { containsAnyPair, regexRequiredPairs } from './regex-required-pair';
import { SigmaError } from './types';

export interface RegexFlags {
  ignoreCase: boolean;
  multiline: boolean;
  dotAll: boolean;
}

export interface SigmaRegex {
  readonly engine: 're2' | 'js';
  readonly source: string;
  readonly flags: RegexFlags;
  /** Values shorter than this cannot match (regex-min-length.ts). */
  readonly minLength: number;
  /**
   * False when the value cannot match: shorter than minLength, without the run of one
   * character class every match needs (regex-class-run.ts) or any of the adjacent character
   * pairs it needs (regex-required-pair.ts). Cheap; no engine call.
   */
  mayMatch(value: string): boolean;
  test(value: string): boolean;
  /**
   * test(value) given the value's UTF-8 bytes too: RE2 reads them directly, where a string is
   * converted to UTF-8 on every call (~1.5 µs for a 130-character command line, several times
   * the match itself). One conversion per field per event then serves every regex on it.
   */
  testEncoded(value: string, utf8: Buffer): boolean;
}

export const MAX_FALLBACK_INPUT = 16 * 1024;

class Re2Regex implements SigmaRegex {
  readonly engine = 're2' as const;
  /** Shorter values cannot match (regex-min-length.ts): no engine call. */
  readonly minLength: number;
  constructor(
    readonly source: string,
    readonly flags: RegexFlags,
    private readonly re: RE2,
  ) {
    this.minLength = regexMinLength(source);
    this.classRun = regexClassRun(source, flags.ignoreCase);
    this.pairs = regexRequiredPairs(source, flags.ignoreCase);
  }
  private readonly classRun: ClassRun | null;
  /** Two adjacent characters every match holds, as the strings they can form (regex-required-pair.ts). */
  private readonly pairs: string[] | null;
  mayMatch(value: string): boolean {
    return (
      value.length >= this.minLength &&
      (this.pairs === null || containsAnyPair(value, this.pairs)) &&
      (this.classRun === null || this.classRun.mayMatch(value))
    );
  }
  test(value: string): boolean {
    return this.mayMatch(value) && this.re.test(value);
  }
  /** Callers check mayMatch first (before making the UTF-8 bytes), so it is not repeated. */
  testEncoded(_value: string, utf8: Buffer): boolean {
    return this.re.test(utf8);
  }
}

class BoundedJsRegex implements SigmaRegex {
  readonly engine = 'js' as const;
  readonly minLength: number;
  constructor(
    readonly source: string,
    readonly flags: RegexFlags,
    private readonly re: RegExp,
  ) {
    this.minLength = regexMinLength(source);
  }
  mayMatch(value: string): boolean {
    return value.length >= this.minLength;
  }
  test(value: string): boolean {
    if (value.length < this.minLength) return false;
    return this.re.test(value.length > MAX_FALLBACK_INPUT ? value.slice(0, MAX_FALLBACK_INPUT) : value);
  }
  testEncoded(value: string): boolean {
    return this.test(value);
  }
}

/** PCRE escapes RE2 spells differently: `\Z` (end, or before a final newline). */
function pcreToRe2(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\' && i + 1 < source.length) {
      const n = source[i + 1];
      if (n === 'Z') out += '(?:\\n?\\z)';
      else if (n === 'h') out += '[\\t ]';
      else out += c + n;
      i++;
    } else out += c;
  }
  return out;
}

export function compileSigmaRegex(source: string, flags: RegexFlags): SigmaRegex {
  let re2Flags = 'u';
  if (flags.ignoreCase) re2Flags += 'i';
  if (flags.multiline) re2Flags += 'm';
  if (flags.dotAll) re2Flags += 's';
  let re2Error: string;
  try {
    return new Re2Regex(source, flags, new RE2(pcreToRe2(source), re2Flags));
  } catch (err) {
    re2Error = (err as Error).message;
  }
  if (!/\(\?<?[=!]|\\[1-9]|\\k</.test(source)) {
    throw new SigmaError('value', `invalid regular expression /${source}/: ${re2Error}`);
  }
  return compileFallback(source, flags, re2Error);
}

function compileFallback(source: string, flags: RegexFlags, re2Error: string): SigmaRegex {
  const translated = translateInlineFlags(source);
  let jsFlags = translated.flags;
  if (flags.ignoreCase && !jsFlags.includes('i')) jsFlags += 'i';
  if (flags.multiline && !jsFlags.includes('m')) jsFlags += 'm';
  if (flags.dotAll && !jsFlags.includes('s')) jsFlags += 's';
  if (hasNestedQuantifier(translated.source)) {
    throw new SigmaError(
      'unsupported',
      `regular expression /${source}/ needs lookaround or backreferences (RE2: ${re2Error}) and has nested quantifiers that could backtrack exponentially`,
    );
  }
  try {
    return new BoundedJsRegex(source, flags, new RegExp(translated.source, jsFlags));
  } catch (err) {
    throw new SigmaError('value', `invalid regular expression /${source}/: ${(err as Error).message}`);
  }
}

/**
 * JavaScript (Node 20) rejects PCRE inline flags. A leading `(?i)`/`(?ims)` group becomes RegExp
 * flags; `(?P<name>` becomes `(?<name>`. Flags in the middle of a pattern or scoped `(?i:…)`
 * groups have no JS equivalent and are rejected.
 */
export function translateInlineFlags(source: string): { source: string; flags: string } {
  let rest = source;
  let flags = '';
  for (;;) {
    const m = /^\(\?([imsx]+)\)/.exec(rest);
    if (!m) break;
    for (const f of m[1]) {
      if (f === 'x') throw new SigmaError('unsupported', `regular expression /${source}/: extended mode (?x) is not supported`);
      if (!flags.includes(f)) flags += f;
    }
    rest = rest.slice(m[0].length);
  }
  if (/\(\?[imsx-]+[:)]/.test(rest)) {
    throw new SigmaError('unsupported', `regular expression /${source}/: inline flags inside the pattern need RE2, and the pattern uses features RE2 lacks`);
  }
  return { source: rest.replace(/\(\?P</g, '(?<'), flags };
}

/**
 * True when a quantified group contains another quantifier or an alternation, e.g. `(a+)+`,
 * `(a|aa)*`: the patterns that make backtracking engines exponential.
 */
export function hasNestedQuantifier(source: string): boolean {
  // Stack of flags per open group: does the group contain a quantifier/alternation?
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') {
      stack.push(false);
      continue;
    }
    if (c === ')') {
      const risky = stack.pop() ?? false;
      const next = source[i + 1];
      const quantified = next === '*' || next === '+' || next === '?' || next === '{';
      if (risky && quantified && next !== '?') return true;
      if (stack.length > 0 && (risky || quantified)) stack[stack.length - 1] = true;
      continue;
    }
    if ((c === '*' || c === '+' || c === '{' || c === '|') && stack.length > 0) stack[stack.length - 1] = true;
  }
  return false;
}
