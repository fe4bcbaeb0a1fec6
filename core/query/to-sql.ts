/**
 * Compiles a query tree into a parameterised SQLite WHERE expression over an events table that keeps
 * each event as JSON in one column, a few hot fields as real columns, and an FTS5 index of the message.
 * Values are always bound parameters; only field paths chosen by the parser's strict field-name
 * grammar reach the SQL text, and even those travel as parameters.
 *
 * Matching rules (the ones Kibana users expect, written down so the Elasticsearch compiler agrees):
 * - Terms on keyword fields match the whole value, case-insensitively for ASCII (what Elasticsearch
 *   does with `case_insensitive: true`): analysts type `admin` for `Admin`. A numeric value also
 *   matches the JSON number (`destination.port:22`), `true`/`false` match JSON booleans.
 * - Wildcards (`*`, `?`) become LIKE patterns (ASCII case-insensitive too), with `%`, `_` escaped.
 * - Arrays match when any element matches (`event.category:authentication` against
 *   `["authentication"]`, `observer.ip:10.0.0.1`), through json_each, which also yields a scalar as
 *   its single element, so one form serves both.
 * - An unquoted IPv4 CIDR block (`source.ip:10.0.0.0/8`) matches the addresses inside it, as
 *   Elasticsearch does on `ip` fields; quoted, it is plain text. (IPv6 blocks are not expanded yet.)
 * - `field:*` is true when the field holds something other than null or an empty array.
 * - Ranges compare numbers when the value is numeric, strings otherwise (ISO 8601 timestamps in the
 *   same zone sort as strings). `@timestamp` lives in an epoch-ms column: its values are parsed as
 *   dates (or taken as epoch ms when all digits).
 * - Speed: on JSON text, a term first checks with LIKE that the whole document text contains the
 *   value (a byte scan), so JSON is parsed only for candidate rows (~3x faster on selective terms).
 * - Split fields (layout.splitColumns: `message`, `event.original` in their own columns) are tested
 *   on the column when it is set and on the document when it is NULL, with the same rules.
 * - Free text (`text` nodes) and terms on `message` (an analysed text field in ECS, not a keyword)
 *   go to FTS5: words and phrases match tokens in order, `word*` is a prefix search; patterns FTS
 *   cannot express (leading or inner wildcards, `?`) fall back to LIKE over the message.
 */
import type { QueryNode } from './ast';
import { splitWildcardPattern, type WildcardPart } from './wildcard';

export type SqlParam = string | number;

export interface SqlFragment {
  sql: string;
  params: SqlParam[];
}

/** A field held in a real column instead of (or as well as) the JSON document. */
export interface HotColumn {
  column: string;
  /** `keyword`: text compared like a keyword. `epoch_ms`: a date held as epoch milliseconds. */
  type: 'keyword' | 'epoch_ms';
}

/** How the events table is laid out. */
export interface EventTableLayout {
  /** Table name, used to qualify columns (json_each has columns named id, key, value, type…). */
  table: string;
  /** Column holding the event as JSON (text or JSONB). */
  docColumn: string;
  /**
   * True when the column holds JSON text written by JSON.stringify: a term's value then appears
   * verbatim in it, so a cheap LIKE over the text can reject most rows before any JSON is parsed.
   */
  docIsJsonText: boolean;
  /** ECS field → real column. */
  hotColumns: Readonly<Record<string, HotColumn>>;
  /** FTS5 table whose rowid is the events rowid. */
  ftsTable: string;
  /** The text field the FTS index covers and free text searches. */
  textField: string;
  /**
   * ECS string fields kept in their own TEXT column instead of the document (`message` → `message`).
   * NULL in the column means the row keeps the field in the document (a row written before the
   * column existed, or a value that is not a string), so every test reads the column when it is set
   * and the document otherwise.
   */
  splitColumns?: Readonly<Record<string, string>>;
}

export class QueryCompileError extends Error {
  constructor(message: string) {
    super(`query: ${message}`);
    this.name = 'QueryCompileError';
  }
}

const NUMBER_RE = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** `$."source"."ip"`: quoted segments so `@timestamp` and other labels need no care. */
export function jsonPathOf(field: string): string {
  return '$."' + field.split('.').join('"."') + '"';
}

/** The SQL LIKE pattern (ESCAPE '\') for a wildcard pattern. */
export function likePatternOf(parts: readonly WildcardPart[]): string {
  let out = '';
  for (const part of parts) {
    if (part.kind === 'any') out += '%';
    else if (part.kind === 'one') out += '_';
    else out += escapeLike(part.text);
  }
  return out;
}

function escapeLike(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    out += c === '%' || c === '_' || c === '\\' ? '\\' + c : c;
  }
  return out;
}

/** True when JSON.stringify writes the text unchanged (no quote, backslash, control character or surrogate). */
function isVerbatimInJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 34 || code === 92 || (code >= 0xd800 && code <= 0xdfff)) return false;
  }
  return true;
}

function longestLiteral(parts: readonly WildcardPart[]): string {
  let best = '';
  for (const part of parts) if (part.kind === 'literal' && part.text.length > best.length) best = part.text;
  return best;
}

/** True when FTS5's unicode61 tokenizer would find at least one token in the text. */
function hasTokenChars(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** An FTS5 string: the text in double quotes, inner quotes doubled; the tokenizer splits it. */
function ftsString(text: string): string {
  return '"' + text.split('"').join('""') + '"';
}

const IPV4_CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * LIKE patterns matching the dotted IPv4 addresses of a CIDR block (`10.1.16.0/20` → `10.1.16.%` …
 * `10.1.31.%`), or undefined when the value is not one. Octet-aligned prefixes need one pattern, others
 * at most 128, so the filter stays plain SQL that any connection (and any index on text) can run.
 */
export function ipv4CidrPatterns(value: string): string[] | undefined {
  const m = IPV4_CIDR_RE.exec(value);
  if (m === null) return undefined;
  const octets = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  const bits = Number(m[5]);
  if (bits > 32 || octets.some((o) => o > 255)) return undefined;
  // The first `fixed` octets are given; the next one ranges over `size` values unless the prefix is octet-aligned.
  const fixed = Math.floor(bits / 8);
  const head = octets.slice(0, fixed).join('.');
  const pattern = (prefix: string, given: number): string => (given === 4 ? prefix : given === 0 ? '%.%.%.%' : `${prefix}.%`);
  if (bits % 8 === 0) return [pattern(head, fixed)];
  const size = 1 << (8 - (bits % 8));
  const first = octets[fixed] & ~(size - 1);
  const patterns: string[] = [];
  for (let o = first; o < first + size; o++) patterns.push(pattern(fixed === 0 ? String(o) : `${head}.${o}`, fixed + 1));
  return patterns;
}

/** Parses a date for the epoch-ms column: all digits is epoch ms, otherwise anything Date.parse reads. */
export function parseEpochMs(value: string, field: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new QueryCompileError(`"${value}" is not a date for ${field}`);
  return ms;
}

class SqlCompiler {
  readonly params: SqlParam[] = [];
  private readonly doc: string;

  constructor(private readonly layout: EventTableLayout) {
    this.doc = `${layout.table}.${layout.docColumn}`;
  }

  compile(node: QueryNode): string {
    switch (node.kind) {
      case 'and':
      case 'or':
        return this.compileBoolean(node.kind, node.children);
      case 'not':
        return `NOT (${this.compile(node.child)})`;
      case 'term':
        if (node.field === this.layout.textField) return this.compileText(node.value, node.phrase || !node.wildcard);
        return this.compileTerm(node.field, node.value, node.wildcard, node.phrase);
      case 'exists':
        return this.anyElement(node.field, `j.type <> 'null'`);
      case 'range':
        return this.compileRange(node.field, node.op, node.value);
      case 'text':
        return this.compileText(node.value, node.phrase);
    }
  }

  /** Free-text children of one and/or node share a single FTS MATCH ("a" AND "b"). */
  private compileBoolean(kind: 'and' | 'or', children: QueryNode[]): string {
    const parts: string[] = [];
    const fts: string[] = [];
    for (const child of children) {
      const expr = this.ftsExpressionOf(child);
      if (expr !== undefined) fts.push(expr);
      else parts.push(this.compile(child));
    }
    // Last, because its parameter is pushed after those of the other children.
    if (fts.length > 0) parts.push(this.ftsMatch(fts.join(kind === 'and' ? ' AND ' : ' OR ')));
    return parts.length === 1 ? parts[0] : `(${parts.join(kind === 'and' ? ' AND ' : ' OR ')})`;
  }

  /** The FTS5 expression for a node FTS can answer alone, or undefined. */
  private ftsExpressionOf(node: QueryNode): string | undefined {
    if (node.kind === 'text') return this.ftsExpressionOfText(node.value, node.phrase);
    if (node.kind === 'term' && node.field === this.layout.textField) return this.ftsExpressionOfText(node.value, node.phrase || !node.wildcard);
    return undefined;
  }

  /** `literal` true: the value is plain text. False: a wildcard pattern (see ./wildcard.ts). */
  private ftsExpressionOfText(value: string, literal: boolean): string | undefined {
    if (literal) return hasTokenChars(value) ? ftsString(value) : undefined;
    const parts = splitWildcardPattern(value);
    if (parts.length === 1 && parts[0].kind === 'literal') return hasTokenChars(parts[0].text) ? ftsString(parts[0].text) : undefined;
    if (parts.length === 2 && parts[0].kind === 'literal' && parts[1].kind === 'any' && hasTokenChars(parts[0].text)) {
      return ftsString(parts[0].text) + '*';
    }
    return undefined;
  }

  private compileText(value: string, literal: boolean): string {
    const expr = this.ftsExpressionOfText(value, literal);
    if (expr !== undefined) return this.ftsMatch(expr);
    // No tokens for FTS (punctuation only) or a pattern FTS cannot express: scan the message.
    const parts: WildcardPart[] = literal ? [{ kind: 'literal', text: value }] : splitWildcardPattern(value);
    const pattern = '%' + likePatternOf(parts) + '%';
    return this.anyElement(this.layout.textField, `j.value LIKE ? ESCAPE '\\'`, [pattern]);
  }

  private ftsMatch(expression: string): string {
    const fts = this.layout.ftsTable;
    this.params.push(expression);
    return `${this.layout.table}.rowid IN (SELECT rowid FROM ${fts} WHERE ${fts} MATCH ?)`;
  }

  /** `literal`: the value was quoted, so `10.0.0.0/8` means that text and not a network. */
  private compileTerm(field: string, value: string, wildcard: boolean, literal: boolean): string {
    const hot = this.layout.hotColumns[field];
    if (wildcard) {
      const pattern = likePatternOf(splitWildcardPattern(value));
      if (hot !== undefined && hot.type === 'keyword') {
        this.params.push(pattern);
        return `${this.column(hot)} LIKE ? ESCAPE '\\'`;
      }
      const prefilter = this.docContains(field, longestLiteral(splitWildcardPattern(value)));
      return prefilter + this.anyElement(field, `j.value LIKE ? ESCAPE '\\'`, [pattern]) + (prefilter ? ')' : '');
    }
    if (hot !== undefined) {
      if (hot.type === 'epoch_ms') {
        this.params.push(parseEpochMs(value, field));
        return `${this.column(hot)} = ?`;
      }
      this.params.push(value);
      return `${this.column(hot)} = ? COLLATE NOCASE`;
    }
    const cidr = literal ? undefined : ipv4CidrPatterns(value);
    if (cidr !== undefined) {
      return this.anyElement(field, `j.type = 'text' AND (${cidr.map(() => 'j.value LIKE ?').join(' OR ')})`, cidr);
    }
    if (NUMBER_RE.test(value)) {
      // Only the canonical form of a number is sure to be in the text ("1e3" is stored as 1000).
      const prefilter = String(Number(value)) === value ? this.docContains(field, value) : '';
      return prefilter + this.anyElement(field, `(j.value = ? OR j.value = ? COLLATE NOCASE)`, [Number(value), value]) + (prefilter ? ')' : '');
    }
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'false') return this.anyElement(field, `(j.type = '${lower}' OR j.value = ? COLLATE NOCASE)`, [value]);
    const prefilter = this.docContains(field, value);
    return prefilter + this.anyElement(field, `j.value = ? COLLATE NOCASE`, [value]) + (prefilter ? ')' : '');
  }

  /**
   * `(doc LIKE '%text%' AND ` — to be closed by the caller — when the JSON text must contain `text`
   * for the exact test on `field` to pass and the text is long enough to be worth it; '' otherwise.
   * LIKE folds ASCII case as the exact test (NOCASE) does; text JSON.stringify would escape is not
   * used. A split field is looked for in its column, or in the document where the column is NULL.
   */
  private docContains(field: string, text: string): string {
    if (!this.layout.docIsJsonText || text.length < 3 || !isVerbatimInJson(text)) return '';
    this.params.push('%' + likePatternOf([{ kind: 'literal', text }]) + '%');
    const split = this.layout.splitColumns?.[field];
    const haystack = split === undefined ? this.doc : `coalesce(${this.layout.table}.${split}, ${this.doc})`;
    return `(${haystack} LIKE ? ESCAPE '\\' AND `;
  }

  private compileRange(field: string, op: '>' | '>=' | '<' | '<=', value: string): string {
    const hot = this.layout.hotColumns[field];
    if (hot !== undefined && hot.type === 'epoch_ms') {
      this.params.push(parseEpochMs(value, field));
      return `${this.column(hot)} ${op} ?`;
    }
    if (NUMBER_RE.test(value)) return this.anyElement(field, `j.type IN ('integer', 'real') AND j.value ${op} ?`, [Number(value)]);
    if (hot !== undefined) {
      this.params.push(value);
      return `${this.column(hot)} ${op} ?`;
    }
    return this.anyElement(field, `j.type = 'text' AND j.value ${op} ?`, [value]);
  }

  /** True when any element of the field (a scalar is its own single element) meets the condition on `j`. */
  private anyElement(field: string, condition: string, params: SqlParam[] = []): string {
    const source = jsonEachOf(this.layout, field);
    this.params.push(...source.params, ...params);
    return `EXISTS (SELECT 1 FROM ${source.sql} AS j WHERE ${condition})`;
  }

  private column(hot: HotColumn): string {
    return `${this.layout.table}.${hot.column}`;
  }
}

/**
 * `json_each(…)` over the values of `field` in a row (a scalar is its own single element), with its
 * parameters. For a split field: the column's text when it is set, else the field in the document.
 */
export function jsonEachOf(layout: EventTableLayout, field: string): SqlFragment {
  const doc = `${layout.table}.${layout.docColumn}`;
  const split = layout.splitColumns?.[field];
  if (split === undefined) return { sql: `json_each(${doc}, ?)`, params: [jsonPathOf(field)] };
  const column = `${layout.table}.${split}`;
  return {
    sql: `json_each(CASE WHEN ${column} IS NULL THEN ${doc} ELSE json_quote(${column}) END, CASE WHEN ${column} IS NULL THEN ? ELSE '$' END)`,
    params: [jsonPathOf(field)],
  };
}

/** Compiles a query into a WHERE expression and its parameters, in order. */
export function compileQueryToSql(node: QueryNode, layout: EventTableLayout): SqlFragment {
  const compiler = new SqlCompiler(layout);
  const sql = compiler.compile(node);
  return { sql, params: compiler.params };
}
