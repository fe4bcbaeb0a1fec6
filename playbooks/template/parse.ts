/**
 * The playbook expression language: a small, safe subset of Jinja-like syntax used in `if`
 * conditions and `{{ }}` templates. Parsed once at load time into a tree; evaluated without `eval`.
 *
 *   alert.rule.name, steps.lookup.output["country"], alert.events[0].source.ip
 *   'x', "y", 42, 1.5, true, false, null, [a, b]
 *   == != < <= > >=   and or not   in   (a substring or list member)   + (concatenation / sum)
 *   value | filter | filter(arg, ...)
 */

export type ExprNode =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'path'; root: string; segments: Array<string | number | ExprNode> }
  | { kind: 'list'; items: ExprNode[] }
  | { kind: 'not'; operand: ExprNode }
  | { kind: 'binary'; op: BinaryOp; left: ExprNode; right: ExprNode }
  | { kind: 'filter'; name: string; input: ExprNode; args: ExprNode[] };

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or' | 'in' | 'not in' | '+';

export class ExpressionError extends Error {
  constructor(
    message: string,
    /** Character offset in the expression where the problem is. */
    readonly position: number,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/** Names that would reach an object's prototype chain; refused anywhere in a path. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

export const MAX_EXPRESSION_LENGTH = 2000;
const MAX_DEPTH = 32;

type Token =
  | { type: 'ident'; value: string; pos: number }
  | { type: 'string'; value: string; pos: number }
  | { type: 'number'; value: number; pos: number }
  | { type: 'op'; value: string; pos: number }
  | { type: 'end'; pos: number };

const TWO_CHAR_OPS = ['==', '!=', '<=', '>='];
const ONE_CHAR_OPS = '<>()[],.|+';

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9') || c === '-';
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          const next = text[i + 1];
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          i += 2;
        } else value += text[i++];
      }
      if (i >= text.length) throw new ExpressionError(`unterminated string starting at ${start}`, start);
      i++;
      tokens.push({ type: 'string', value, pos: start });
      continue;
    }
    if (isDigit(c) || (c === '-' && isDigit(text[i + 1] ?? '') && !endsOperand(tokens))) {
      i++;
      while (i < text.length && (isDigit(text[i]) || text[i] === '.')) i++;
      const raw = text.slice(start, i);
      const value = Number(raw);
      if (!Number.isFinite(value)) throw new ExpressionError(`bad number "${raw}"`, start);
      tokens.push({ type: 'number', value, pos: start });
      continue;
    }
    if (isIdentStart(c)) {
      i++;
      // A dash inside a name is allowed (step ids like `geo-lookup`) but not a trailing one.
      while (i < text.length && isIdentPart(text[i])) i++;
      while (text[i - 1] === '-') i--;
      tokens.push({ type: 'ident', value: text.slice(start, i), pos: start });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.includes(two)) {
      tokens.push({ type: 'op', value: two, pos: start });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.includes(c)) {
      tokens.push({ type: 'op', value: c, pos: start });
      i++;
      continue;
    }
    throw new ExpressionError(`unexpected character "${c}" at ${start}`, start);
  }
  tokens.push({ type: 'end', pos: text.length });
  return tokens;
}

/** A `-` after a value is subtraction (unsupported), not a negative number. */
function endsOperand(tokens: Token[]): boolean {
  const last = tokens[tokens.length - 1];
  if (!last) return false;
  return last.type === 'ident' || last.type === 'number' || last.type === 'string' || (last.type === 'op' && (last.value === ')' || last.value === ']'));
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): ExprNode {
    const node = this.orExpr();
    const t = this.peek();
    if (t.type !== 'end') throw new ExpressionError(`unexpected ${describe(t)} at ${t.pos}`, t.pos);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private isOp(value: string): boolean {
    const t = this.peek();
    return t.type === 'op' && t.value === value;
  }

  private isWord(value: string): boolean {
    const t = this.peek();
    return t.type === 'ident' && t.value === value;
  }

  private expectOp(value: string): void {
    const t = this.next();
    if (t.type !== 'op' || t.value !== value) throw new ExpressionError(`expected "${value}" but found ${describe(t)} at ${t.pos}`, t.pos);
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_DEPTH) throw new ExpressionError(`expression nested deeper than ${MAX_DEPTH}`, pos);
  }

  private orExpr(): ExprNode {
    let left = this.andExpr();
    while (this.isWord('or')) {
      this.next();
      left = { kind: 'binary', op: 'or', left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): ExprNode {
    let left = this.notExpr();
    while (this.isWord('and')) {
      this.next();
      left = { kind: 'binary', op: 'and', left, right: this.notExpr() };
    }
    return left;
  }

  private notExpr(): ExprNode {
    if (this.isWord('not')) {
      const t = this.next();
      this.enter(t.pos);
      const operand = this.notExpr();
      this.depth--;
      return { kind: 'not', operand };
    }
    return this.comparison();
  }

  private comparison(): ExprNode {
    const left = this.additive();
    const t = this.peek();
    if (t.type === 'op' && (t.value === '==' || t.value === '!=' || t.value === '<' || t.value === '<=' || t.value === '>' || t.value === '>=')) {
      this.next();
      return { kind: 'binary', op: t.value, left, right: this.additive() };
    }
    if (this.isWord('in')) {
      this.next();
      return { kind: 'binary', op: 'in', left, right: this.additive() };
    }
    if (this.isWord('not') && this.tokens[this.i + 1]?.type === 'ident' && (this.tokens[this.i + 1] as { value: string }).value === 'in') {
      this.i += 2;
      return { kind: 'binary', op: 'not in', left, right: this.additive() };
    }
    return left;
  }

  private additive(): ExprNode {
    let left = this.filtered();
    while (this.isOp('+')) {
      this.next();
      left = { kind: 'binary', op: '+', left, right: this.filtered() };
    }
    return left;
  }

  private filtered(): ExprNode {
    let input = this.primary();
    while (this.isOp('|')) {
      this.next();
      const t = this.next();
      if (t.type !== 'ident') throw new ExpressionError(`expected a filter name after "|" at ${t.pos}`, t.pos);
      const args: ExprNode[] = [];
      if (this.isOp('(')) {
        this.next();
        if (!this.isOp(')')) {
          args.push(this.orExpr());
          while (this.isOp(',')) {
            this.next();
            args.push(this.orExpr());
          }
        }
        this.expectOp(')');
      }
      input = { kind: 'filter', name: t.value, input, args };
    }
    return input;
  }

  private primary(): ExprNode {
    const t = this.next();
    if (t.type === 'string' || t.type === 'number') return { kind: 'literal', value: t.value };
    if (t.type === 'op' && t.value === '(') {
      this.enter(t.pos);
      const inner = this.orExpr();
      this.expectOp(')');
      this.depth--;
      return inner;
    }
    if (t.type === 'op' && t.value === '[') {
      this.enter(t.pos);
      const items: ExprNode[] = [];
      if (!this.isOp(']')) {
        items.push(this.orExpr());
        while (this.isOp(',')) {
          this.next();
          items.push(this.orExpr());
        }
      }
      this.expectOp(']');
      this.depth--;
      return { kind: 'list', items };
    }
    if (t.type === 'ident') {
      if (t.value === 'true' || t.value === 'false') return { kind: 'literal', value: t.value === 'true' };
      if (t.value === 'null' || t.value === 'none') return { kind: 'literal', value: null };
      if (t.value === 'and' || t.value === 'or' || t.value === 'not' || t.value === 'in') {
        throw new ExpressionError(`unexpected "${t.value}" at ${t.pos}`, t.pos);
      }
      return this.path(t.value, t.pos);
    }
    throw new ExpressionError(`unexpected ${describe(t)} at ${t.pos}`, t.pos);
  }

  private path(root: string, pos: number): ExprNode {
    checkName(root, pos);
    const segments: Array<string | number | ExprNode> = [];
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const t = this.next();
        if (t.type === 'ident') {
          checkName(t.value, t.pos);
          segments.push(t.value);
        } else if (t.type === 'number' && Number.isInteger(t.value)) segments.push(t.value);
        else throw new ExpressionError(`expected a field name after "." at ${t.pos}`, t.pos);
      } else if (this.isOp('[')) {
        const open = this.next();
        this.enter(open.pos);
        const index = this.orExpr();
        this.expectOp(']');
        this.depth--;
        if (index.kind === 'literal' && (typeof index.value === 'string' || typeof index.value === 'number')) {
          if (typeof index.value === 'string') checkName(index.value, open.pos);
          segments.push(index.value);
        } else segments.push(index);
      } else break;
    }
    return { kind: 'path', root, segments };
  }
}

function checkName(name: string, pos: number): void {
  if (FORBIDDEN_NAMES.has(name)) throw new ExpressionError(`field name "${name}" is not allowed`, pos);
}

function describe(t: Token): string {
  if (t.type === 'end') return 'end of expression';
  if (t.type === 'string') return `string "${t.value.slice(0, 20)}"`;
  return `"${String(t.value)}"`;
}

export function parseExpression(text: string): ExprNode {
  if (text.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError(`expression longer than ${MAX_EXPRESSION_LENGTH} characters`, 0);
  if (text.trim() === '') throw new ExpressionError('empty expression', 0);
  return new Parser(tokenize(text)).parse();
}
