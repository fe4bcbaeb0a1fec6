/**
 * The part of the STIX 2.1 patterning language (STIX 2.1 part 9) that names single observable
 * values: observation expressions and comparisons joined by OR, with `=` (and ISSUBSET for address
 * ranges). Anything that needs several observations together (AND, FOLLOWEDBY, qualifiers such as
 * WITHIN or REPEATS), negation or other operators is reported as unsupported, not approximated:
 * matching one half of an AND would raise alerts the indicator does not claim.
 */
import type { IndicatorType } from '../types';

export interface PatternValue {
  /** undefined: the observable leaves it open (network-traffic refs): inferred from the value. */
  type: IndicatorType | undefined;
  value: string;
  /** The object path as written, for messages. */
  path: string;
}

export type PatternResult = { ok: true; values: PatternValue[]; skipped: string[] } | { ok: false; unsupported: boolean; reason: string };

class PatternError extends Error {
  constructor(
    readonly unsupported: boolean,
    message: string,
  ) {
    super(message);
  }
}

type Token = { kind: 'punct' | 'op' | 'string' | 'word'; text: string; at: number };

const KEYWORD_OPS = new Set(['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET', 'IN', 'EXISTS']);
const QUALIFIERS = new Set(['WITHIN', 'REPEATS', 'START', 'STOP']);

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '[' || c === ']' || c === '(' || c === ')') {
      tokens.push({ kind: 'punct', text: c, at: i });
      i++;
      continue;
    }
    if (c === '=' || c === '!' || c === '<' || c === '>') {
      const two = pattern.slice(i, i + 2);
      const text = two === '!=' || two === '<=' || two === '>=' ? two : c;
      if (text === '!') throw new PatternError(false, `unexpected "!" at ${i}`);
      tokens.push({ kind: 'op', text, at: i });
      i += text.length;
      continue;
    }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < pattern.length; j++) {
        const d = pattern[j];
        if (d === '\\' && j + 1 < pattern.length) {
          value += pattern[++j];
        } else if (d === "'") {
          break;
        } else {
          value += d;
        }
      }
      if (j >= pattern.length) throw new PatternError(false, `unterminated string at ${i}`);
      tokens.push({ kind: 'string', text: value, at: i });
      i = j + 1;
      continue;
    }
    // A word: keyword, number, typed literal prefix (h'..', t'..') or object path, whose property
    // names may be quoted after a dot (file:hashes.'SHA-256').
    let j = i;
    let text = '';
    while (j < pattern.length) {
      const d = pattern[j];
      if (d === "'" && text.endsWith('.')) {
        const close = pattern.indexOf("'", j + 1);
        if (close < 0) throw new PatternError(false, `unterminated quoted property at ${j}`);
        text += pattern.slice(j, close + 1);
        j = close + 1;
        continue;
      }
      if (' \t\r\n[]()=!<>\''.includes(d)) break;
      text += d;
      j++;
    }
    if (j < pattern.length && pattern[j] === "'" && /^[hbt]$/.test(text)) {
      throw new PatternError(true, `${text}'…' literals are not supported`);
    }
    tokens.push({ kind: 'word', text, at: i });
    i = j;
  }
  return tokens;
}

/** `file:hashes.'SHA-256'` → sha256; undefined for paths socnoc does not match. */
function typeOfPath(path: string): IndicatorType | undefined | null {
  const colon = path.indexOf(':');
  const object = path.slice(0, colon).toLowerCase();
  const property = path
    .slice(colon + 1)
    .replace(/'/g, '')
    .toLowerCase();
  switch (object) {
    case 'ipv4-addr':
      return property === 'value' ? 'ipv4' : null;
    case 'ipv6-addr':
      return property === 'value' ? 'ipv6' : null;
    case 'domain-name':
      return property === 'value' ? 'domain' : null;
    case 'url':
      return property === 'value' ? 'url' : null;
    case 'file': {
      const algo = property.startsWith('hashes.') ? property.slice(7).replace(/-/g, '') : '';
      return algo === 'sha256' ? 'sha256' : algo === 'sha1' ? 'sha1' : algo === 'md5' ? 'md5' : null;
    }
    case 'network-traffic':
      return property === 'dst_ref.value' || property === 'src_ref.value' ? undefined : null;
    default:
      return null;
  }
}

class Parser {
  private pos = 0;
  readonly values: PatternValue[] = [];
  readonly skipped: string[] = [];

  constructor(private readonly tokens: Token[]) {}

  parse(): void {
    this.observationOr();
    const t = this.peek();
    if (t !== undefined) this.unexpected(t);
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(what: string): Token {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw new PatternError(false, `pattern ends where ${what} was expected`);
    return t;
  }

  private expect(text: string): void {
    const t = this.next(`"${text}"`);
    if (t.text !== text) throw new PatternError(false, `expected "${text}" at ${t.at}, found "${t.text}"`);
  }

  private unexpected(t: Token): never {
    const word = t.text.toUpperCase();
    if (word === 'AND' || word === 'FOLLOWEDBY') throw new PatternError(true, `${word} joins observations that must all be seen; only OR-ed values can be matched one by one`);
    if (QUALIFIERS.has(word)) throw new PatternError(true, `the ${word} qualifier is not supported`);
    throw new PatternError(false, `unexpected "${t.text}" at ${t.at}`);
  }

  private isWord(t: Token | undefined, word: string): boolean {
    return t !== undefined && t.kind === 'word' && t.text.toUpperCase() === word;
  }

  private observationOr(): void {
    this.observation();
    while (this.isWord(this.peek(), 'OR')) {
      this.pos++;
      this.observation();
    }
  }

  private observation(): void {
    const t = this.next('an observation');
    if (t.text === '(') {
      this.observationOr();
      this.expect(')');
    } else if (t.text === '[') {
      this.comparisonOr();
      this.expect(']');
    } else {
      throw new PatternError(false, `expected "[" at ${t.at}, found "${t.text}"`);
    }
    const after = this.peek();
    if (after !== undefined && after.kind === 'word' && QUALIFIERS.has(after.text.toUpperCase())) this.unexpected(after);
  }

  private comparisonOr(): void {
    this.comparison();
    for (;;) {
      const t = this.peek();
      if (this.isWord(t, 'OR')) {
        this.pos++;
        this.comparison();
      } else if (t !== undefined && (t.text === ']' || t.text === ')')) {
        return;
      } else if (t !== undefined) {
        this.unexpected(t);
      } else {
        return;
      }
    }
  }

  private comparison(): void {
    const first = this.next('a comparison');
    if (first.text === '(') {
      this.comparisonOr();
      this.expect(')');
      return;
    }
    if (first.kind !== 'word' || first.text.indexOf(':') <= 0) throw new PatternError(false, `expected an object path at ${first.at}, found "${first.text}"`);
    let op = this.next('an operator');
    if (this.isWord(op, 'NOT')) throw new PatternError(true, 'NOT comparisons are not supported');
    if (op.kind === 'word' && KEYWORD_OPS.has(op.text.toUpperCase())) {
      const keyword = op.text.toUpperCase();
      if (keyword !== 'ISSUBSET') throw new PatternError(true, `the ${keyword} operator is not supported`);
      op = { kind: 'op', text: '=', at: op.at };
    }
    if (op.kind !== 'op') throw new PatternError(false, `expected an operator after ${first.text} at ${op.at}, found "${op.text}"`);
    if (op.text !== '=') throw new PatternError(true, `the ${op.text} operator is not supported`);
    const value = this.next('a value');
    if (value.kind !== 'string') {
      if (value.kind === 'word' && /^[hbt]$/.test(value.text)) throw new PatternError(true, `${value.text}'…' literals are not supported`);
      throw new PatternError(true, `non-string value "${value.text}" for ${first.text}`);
    }
    const type = typeOfPath(first.text);
    if (type === null) {
      this.skipped.push(first.text);
      return;
    }
    this.values.push({ type, value: value.text, path: first.text });
  }
}

/** The values a pattern names, or why it cannot be matched value by value. */
export function parseStixPattern(pattern: string): PatternResult {
  try {
    const parser = new Parser(tokenize(pattern));
    parser.parse();
    if (parser.values.length === 0) {
      return { ok: false, unsupported: true, reason: `no supported observable (${[...new Set(parser.skipped)].join(', ')}); socnoc matches ipv4-addr, ipv6-addr, domain-name, url and file hashes` };
    }
    return { ok: true, values: parser.values, skipped: parser.skipped };
  } catch (err) {
    if (err instanceof PatternError) return { ok: false, unsupported: err.unsupported, reason: err.message };
    throw err;
  }
}
