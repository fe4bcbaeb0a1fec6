/**
 * Sigma condition expressions: `and`, `or`, `not`, parentheses, `1 of`/`any of`/`all of` a
 * search-identifier pattern or `them`. Precedence, least to most binding (spec "Condition"):
 * or, and, not, x of, ( ). The Sigma 1.x aggregation pipe (`| count() > 5`) and `near` were
 * removed in 2.0 and are rejected with a pointer to correlation rules.
 */
import { SigmaError } from './types';

export type ConditionNode =
  | { type: 'and'; children: ConditionNode[] }
  | { type: 'or'; children: ConditionNode[] }
  | { type: 'not'; child: ConditionNode }
  | { type: 'ref'; name: string }
  | { type: 'of'; quantifier: 'one' | 'all'; pattern: string | null /* null = them */ };

interface Token {
  kind: 'lparen' | 'rparen' | 'word';
  text: string;
  pos: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(') {
      tokens.push({ kind: 'lparen', text: c, pos: i++ });
    } else if (c === ')') {
      tokens.push({ kind: 'rparen', text: c, pos: i++ });
    } else if (c === '|') {
      throw new SigmaError('condition', `aggregation '${text.slice(i).trim()}' is Sigma 1.x syntax, removed in 2.0 (use a correlation rule)`);
    } else {
      const start = i;
      while (i < text.length && !' \t\n\r()|'.includes(text[i])) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), pos: start });
    }
  }
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them']);

export function parseCondition(text: string): ConditionNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peekWord = (): string | undefined => {
    const t = tokens[pos];
    return t && t.kind === 'word' ? t.text.toLowerCase() : undefined;
  };
  const where = (): string => (pos < tokens.length ? `at column ${tokens[pos].pos + 1} ('${tokens[pos].text}')` : 'at the end');
  const fail = (what: string): never => {
    throw new SigmaError('condition', `condition '${text}': ${what} ${where()}`);
  };

  const parseOr = (): ConditionNode => {
    const children = [parseAnd()];
    while (peekWord() === 'or') {
      pos++;
      children.push(parseAnd());
    }
    return children.length === 1 ? children[0] : { type: 'or', children };
  };
  const parseAnd = (): ConditionNode => {
    const children = [parseNot()];
    while (peekWord() === 'and') {
      pos++;
      children.push(parseNot());
    }
    return children.length === 1 ? children[0] : { type: 'and', children };
  };
  const parseNot = (): ConditionNode => {
    if (peekWord() === 'not') {
      pos++;
      return { type: 'not', child: parseNot() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): ConditionNode => {
    const t = tokens[pos];
    if (t === undefined) return fail('expected a search identifier, "not", "1 of", "all of" or "("');
    if (t.kind === 'lparen') {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.kind !== 'rparen') fail('expected ")"');
      pos++;
      return inner;
    }
    if (t.kind === 'rparen') return fail('unexpected ")"');
    const word = t.text.toLowerCase();
    const next = tokens[pos + 1];
    if ((word === '1' || word === 'any' || word === 'all') && next?.kind === 'word' && next.text.toLowerCase() === 'of') {
      pos += 2;
      const target = tokens[pos];
      if (target === undefined || target.kind !== 'word' || (KEYWORDS.has(target.text.toLowerCase()) && target.text.toLowerCase() !== 'them')) {
        return fail(`expected a search-identifier pattern or "them" after "${t.text} of"`);
      }
      pos++;
      return {
        type: 'of',
        quantifier: word === 'all' ? 'all' : 'one',
        pattern: target.text.toLowerCase() === 'them' ? null : target.text,
      };
    }
    if (/^\d+$/.test(word) && next?.kind === 'word' && next.text.toLowerCase() === 'of') {
      return fail(`only "1 of", "any of" and "all of" are defined, not "${t.text} of"`);
    }
    if (KEYWORDS.has(word)) return fail(`unexpected "${t.text}"`);
    if (word === 'near') return fail('"near" is Sigma 1.x syntax, removed in 2.0 (use a temporal correlation rule)');
    pos++;
    return { type: 'ref', name: t.text };
  };

  if (tokens.length === 0) throw new SigmaError('condition', 'condition is empty');
  const node = parseOr();
  if (pos < tokens.length) fail('unexpected token');
  return node;
}

/** Glob with `*` only (spec: "Matching is done with * wildcards at arbitrary positions"). */
export function identifierPatternMatches(pattern: string, name: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === name;
  if (!name.startsWith(parts[0])) return false;
  let at = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = name.indexOf(parts[i], at);
    if (found < 0) return false;
    at = found + parts[i].length;
  }
  const last = parts[parts.length - 1];
  return name.length - last.length >= at && name.endsWith(last);
}
