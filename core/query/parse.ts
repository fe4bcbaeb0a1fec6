/**
 * Parser for socnoc's KQL-like search language (Kibana Query Language as analysts know it):
 *
 *   source.ip:10.1.2.3 and event.outcome:failure
 *   user.name:adm* or not host.name:"web 01"
 *   destination.port >= 1024 and (sshd or "Failed password")
 *   event.action:(logon-failed or ssh_login)   user.name:*            @timestamp < "2026-11-27T00:00:00Z"
 *
 * - `and`, `or`, `not` are case-insensitive keywords; terms side by side without one mean `and`.
 *   Precedence: not > and > or.
 * - Field names hold letters, digits, `_`, `.`, `@` and start with a letter, `_` or `@`.
 *   Whitespace is allowed around `:` and range operators.
 * - Unquoted values end at whitespace, `(`, `)` or `"`; a backslash makes the next character literal
 *   (`\(`, `\ `, `\*`). `*` and `?` in an unquoted value are wildcards; `field:*` means the field exists.
 * - Quoted values and phrases know two escapes, `\"` and `\\`; any other backslash is literal, so a
 *   Windows path can be typed as `"C:\Windows\System32"`.
 * - Words and phrases without a field become `text` nodes (free text over `message`).
 *
 * Patterns in the tree (`term` with wildcard, non-phrase `text`) use the syntax of ./wildcard.ts:
 * `\*`, `\?` and `\\` stand for literal characters there. All other values are literal.
 * Anything that is not a query throws QuerySyntaxError, never another exception.
 */
import type { QueryNode } from './ast';
import { escapeWildcardLiteral, hasWildcard } from './wildcard';

export class QuerySyntaxError extends Error {
  /** 0-based character offset in the query text. */
  readonly position: number;

  constructor(reason: string, position: number) {
    super(`query: ${reason} at position ${position}`);
    this.name = 'QuerySyntaxError';
    this.position = position;
  }
}

/** Parentheses and `not` nest at most this deep, so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 64;

type RangeOp = '>' | '>=' | '<' | '<=';
type Keyword = 'and' | 'or' | 'not';

/** An unquoted value as read: its literal text, its wildcard pattern, and whether it has wildcards. */
interface UnquotedValue {
  literal: string;
  pattern: string;
  wildcard: boolean;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0xfeff || code === 0x3000;
}

function isFieldStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 64;
}

function isFieldChar(code: number): boolean {
  return isFieldStart(code) || (code >= 48 && code <= 57) || code === 46;
}

/** Characters that end an unquoted value or word. */
function isValueEnd(code: number): boolean {
  return isSpace(code) || code === 40 || code === 41 || code === 34;
}

function combine(kind: 'and' | 'or', children: QueryNode[]): QueryNode {
  if (children.length === 1) return children[0];
  const flat: QueryNode[] = [];
  for (const child of children) {
    if (child.kind === kind) flat.push(...child.children);
    else flat.push(child);
  }
  return { kind, children: flat };
}

class QueryParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): QueryNode | undefined {
    this.skipSpace();
    if (this.atEnd()) return undefined;
    const node = this.parseOr(0);
    this.skipSpace();
    if (!this.atEnd()) {
      if (this.peek() === 41) throw new QuerySyntaxError('unexpected ")" without a matching "("', this.pos);
      throw new QuerySyntaxError(`unexpected "${this.text[this.pos]}"`, this.pos);
    }
    return node;
  }

  // ---- boolean structure ----

  private parseOr(depth: number): QueryNode {
    const children = [this.parseAnd(depth)];
    for (;;) {
      this.skipSpace();
      if (!this.keywordAhead('or')) break;
      this.pos += 2;
      children.push(this.parseAnd(depth));
    }
    return combine('or', children);
  }

  private parseAnd(depth: number): QueryNode {
    const children = [this.parseNot(depth)];
    for (;;) {
      this.skipSpace();
      if (this.atEnd() || this.peek() === 41 || this.keywordAhead('or')) break;
      if (this.keywordAhead('and')) this.pos += 3;
      children.push(this.parseNot(depth));
    }
    return combine('and', children);
  }

  private parseNot(depth: number): QueryNode {
    this.skipSpace();
    if (this.keywordAhead('not')) {
      const at = this.pos;
      this.pos += 3;
      this.checkDepth(depth + 1, at);
      return { kind: 'not', child: this.parseNot(depth + 1) };
    }
    return this.parsePrimary(depth);
  }

  private parsePrimary(depth: number): QueryNode {
    this.skipSpace();
    if (this.atEnd()) throw new QuerySyntaxError('expected a search term', this.pos);
    const code = this.peek();
    const keyword = this.keywordAt();
    if (keyword !== undefined) throw new QuerySyntaxError(`expected a search term before "${this.text.substr(this.pos, keyword.length)}"`, this.pos);
    if (code === 40) {
      const open = this.pos;
      this.pos++;
      this.checkDepth(depth + 1, open);
      this.skipSpace();
      if (this.peek() === 41) throw new QuerySyntaxError('empty parentheses', open);
      const node = this.parseOr(depth + 1);
      this.expectClose(open);
      return node;
    }
    if (code === 41) throw new QuerySyntaxError('unexpected ")" without a matching "("', this.pos);
    if (code === 34) return { kind: 'text', value: this.readQuoted(), phrase: true };
    if (code === 58 || code === 60 || code === 62) throw new QuerySyntaxError(`expected a field name before "${this.text[this.pos]}"`, this.pos);

    const start = this.pos;
    if (isFieldStart(code)) {
      let end = start + 1;
      while (end < this.text.length && isFieldChar(this.text.charCodeAt(end))) end++;
      const field = this.text.slice(start, end);
      this.pos = end;
      this.skipSpace();
      const next = this.peek();
      if (next === 58) {
        this.pos++;
        return this.parseFieldValue(field, depth);
      }
      if (next === 60 || next === 62) return this.parseRange(field);
      this.pos = start;
    }
    const word = this.readUnquoted();
    return { kind: 'text', value: word.pattern, phrase: false };
  }

  // ---- field:value ----

  private parseFieldValue(field: string, depth: number): QueryNode {
    this.skipSpace();
    const code = this.peek();
    if (this.atEnd() || code === 41 || this.keywordAt() !== undefined) {
      throw new QuerySyntaxError(`expected value after "${field}:"`, this.pos);
    }
    if (code === 40) {
      const open = this.pos;
      this.pos++;
      this.checkDepth(depth + 1, open);
      this.skipSpace();
      if (this.atEnd() || this.peek() === 41) throw new QuerySyntaxError(`expected value after "${field}:("`, this.pos);
      const node = this.parseValueOr(field, depth + 1);
      this.expectClose(open);
      return node;
    }
    return this.parseSingleValue(field);
  }

  private parseSingleValue(field: string): QueryNode {
    if (this.peek() === 34) {
      return { kind: 'term', field, value: this.readQuoted(), wildcard: false, phrase: true };
    }
    const value = this.readUnquoted();
    if (value.wildcard && value.pattern === '*') return { kind: 'exists', field };
    if (value.wildcard) return { kind: 'term', field, value: value.pattern, wildcard: true, phrase: false };
    return { kind: 'term', field, value: value.literal, wildcard: false, phrase: false };
  }

  /** Inside `field:( … )`: values combined with and/or/not, each becoming a term on the field. */
  private parseValueOr(field: string, depth: number): QueryNode {
    const children = [this.parseValueAnd(field, depth)];
    for (;;) {
      this.skipSpace();
      if (!this.keywordAhead('or')) break;
      this.pos += 2;
      children.push(this.parseValueAnd(field, depth));
    }
    return combine('or', children);
  }

  private parseValueAnd(field: string, depth: number): QueryNode {
    const children = [this.parseValueNot(field, depth)];
    for (;;) {
      this.skipSpace();
      if (this.atEnd() || this.peek() === 41 || this.keywordAhead('or')) break;
      if (this.keywordAhead('and')) this.pos += 3;
      children.push(this.parseValueNot(field, depth));
    }
    return combine('and', children);
  }

  private parseValueNot(field: string, depth: number): QueryNode {
    this.skipSpace();
    if (this.keywordAhead('not')) {
      const at = this.pos;
      this.pos += 3;
      this.checkDepth(depth + 1, at);
      return { kind: 'not', child: this.parseValueNot(field, depth + 1) };
    }
    if (this.atEnd()) throw new QuerySyntaxError(`expected value for "${field}"`, this.pos);
    const code = this.peek();
    const keyword = this.keywordAt();
    if (keyword !== undefined) throw new QuerySyntaxError(`expected value for "${field}" before "${this.text.substr(this.pos, keyword.length)}"`, this.pos);
    if (code === 41) throw new QuerySyntaxError(`expected value for "${field}"`, this.pos);
    if (code === 40) {
      const open = this.pos;
      this.pos++;
      this.checkDepth(depth + 1, open);
      this.skipSpace();
      if (this.peek() === 41) throw new QuerySyntaxError('empty parentheses', open);
      const node = this.parseValueOr(field, depth + 1);
      this.expectClose(open);
      return node;
    }
    return this.parseSingleValue(field);
  }

  // ---- field >= value ----

  private parseRange(field: string): QueryNode {
    const opStart = this.pos;
    let op: RangeOp = this.peek() === 60 ? '<' : '>';
    this.pos++;
    if (this.peek() === 61) {
      op = op === '<' ? '<=' : '>=';
      this.pos++;
    }
    this.skipSpace();
    const code = this.peek();
    if (this.atEnd() || code === 40 || code === 41 || this.keywordAt() !== undefined) {
      throw new QuerySyntaxError(`expected value after "${field} ${op}"`, this.pos);
    }
    if (code === 60 || code === 62 || code === 61 || code === 58) {
      throw new QuerySyntaxError(`unexpected "${this.text[this.pos]}" after "${this.text.slice(opStart, this.pos).trim()}"`, this.pos);
    }
    const valueStart = this.pos;
    if (code === 34) return { kind: 'range', field, op, value: this.readQuoted() };
    const value = this.readUnquoted();
    if (value.wildcard) throw new QuerySyntaxError(`wildcards are not allowed in a range ("${field} ${op}")`, valueStart);
    return { kind: 'range', field, op, value: value.literal };
  }

  // ---- lexical pieces ----

  /** A quoted string starting at the current `"`; returns its content with `\"` and `\\` resolved. */
  private readQuoted(): string {
    const open = this.pos;
    this.pos++;
    let out = '';
    let runStart = this.pos;
    while (this.pos < this.text.length) {
      const code = this.text.charCodeAt(this.pos);
      if (code === 34) {
        out += this.text.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (code === 92) {
        const next = this.text.charCodeAt(this.pos + 1);
        if (next === 34 || next === 92) {
          out += this.text.slice(runStart, this.pos) + this.text[this.pos + 1];
          this.pos += 2;
          runStart = this.pos;
          continue;
        }
      }
      this.pos++;
    }
    throw new QuerySyntaxError('unterminated quoted string starting', open);
  }

  /** An unquoted value or word; throws when there is none at the current position. */
  private readUnquoted(): UnquotedValue {
    const start = this.pos;
    let literal = '';
    let pattern = '';
    let wildcard = false;
    while (this.pos < this.text.length) {
      const code = this.text.charCodeAt(this.pos);
      if (isValueEnd(code)) break;
      if (code === 92) {
        if (this.pos + 1 >= this.text.length) throw new QuerySyntaxError('dangling backslash', this.pos);
        const escaped = this.text[this.pos + 1];
        literal += escaped;
        pattern += escapeWildcardLiteral(escaped);
        this.pos += 2;
        continue;
      }
      const c = this.text[this.pos];
      if (code === 42 || code === 63) wildcard = true;
      literal += c;
      pattern += c;
      this.pos++;
    }
    if (this.pos === start) throw new QuerySyntaxError(`unexpected "${this.text[this.pos] ?? ''}"`, this.pos);
    return { literal, pattern, wildcard: wildcard && hasWildcard(pattern) };
  }

  private expectClose(open: number): void {
    this.skipSpace();
    if (this.peek() !== 41) {
      const found = this.atEnd() ? 'end of query' : `"${this.text[this.pos]}"`;
      throw new QuerySyntaxError(`expected ")" to close the "(" at offset ${open}, found ${found}`, this.pos);
    }
    this.pos++;
  }

  private checkDepth(depth: number, at: number): void {
    if (depth > MAX_DEPTH) throw new QuerySyntaxError(`nesting deeper than ${MAX_DEPTH} levels`, at);
  }

  /** The keyword at the current position, when it stands alone (followed by a boundary, not by `:`). */
  private keywordAt(): Keyword | undefined {
    if (this.keywordAhead('and')) return 'and';
    if (this.keywordAhead('or')) return 'or';
    if (this.keywordAhead('not')) return 'not';
    return undefined;
  }

  private keywordAhead(word: Keyword): boolean {
    const end = this.pos + word.length;
    if (end > this.text.length) return false;
    if (this.text.slice(this.pos, end).toLowerCase() !== word) return false;
    return end === this.text.length || isValueEnd(this.text.charCodeAt(end));
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && isSpace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }
}

/** Parses a query; undefined for empty or blank text (match everything). */
export function parseQuery(text: string): QueryNode | undefined {
  if (typeof text !== 'string') throw new QuerySyntaxError('query must be a string', 0);
  return new QueryParser(text).parse();
}
