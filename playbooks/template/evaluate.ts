/**
 * Evaluates a parsed expression against a context of plain data (the alert, step outputs, vars).
 * Only own properties of plain objects and array indexes are reachable, so no expression can reach
 * a prototype, a function or the process; filters are a fixed table.
 */
import { ExpressionError, FORBIDDEN_NAMES, type ExprNode } from './parse';

export type Scope = Readonly<Record<string, unknown>>;

/** Longest string a filter may build (join, replace…), so a template cannot blow up memory. */
export const MAX_STRING_LENGTH = 1_000_000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function member(container: unknown, key: string | number): unknown {
  if (Array.isArray(container)) {
    if (typeof key === 'number') return container[key < 0 ? container.length + key : key];
    return undefined;
  }
  if (isPlainObject(container)) {
    const name = String(key);
    if (FORBIDDEN_NAMES.has(name) || !Object.hasOwn(container, name)) return undefined;
    return container[name];
  }
  return undefined;
}

export function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** Text form of a value inside a template: lists joined by ", ", objects as JSON, nothing as ''. */
export function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(toText).join(', ');
  return JSON.stringify(value);
}

function bounded(text: string, filter: string): string {
  if (text.length > MAX_STRING_LENGTH) throw new ExpressionError(`filter ${filter}: result longer than ${MAX_STRING_LENGTH} characters`, 0);
  return text;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  }
  return false;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  return false;
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === 'string') return typeof needle === 'string' || typeof needle === 'number' ? haystack.includes(String(needle)) : false;
  if (Array.isArray(haystack)) return haystack.some((x) => equal(x, needle));
  if (isPlainObject(haystack) && typeof needle === 'string') return !FORBIDDEN_NAMES.has(needle) && Object.hasOwn(haystack, needle);
  return false;
}

const SEVERITY_RANK: Readonly<Record<string, number>> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };

type Filter = (input: unknown, args: unknown[]) => unknown;

function asList(input: unknown): unknown[] {
  if (Array.isArray(input)) return input;
  if (input === undefined || input === null) return [];
  return [input];
}

function numberArg(args: unknown[], i: number, filter: string, fallback?: number): number {
  const v = args[i] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ExpressionError(`filter ${filter}: argument ${i + 1} must be a number`, 0);
  return v;
}

const FILTERS: ReadonlyMap<string, Filter> = new Map<string, Filter>([
  ['default', (input, args) => (input === undefined || input === null || input === '' ? args[0] : input)],
  ['upper', (input) => toText(input).toUpperCase()],
  ['lower', (input) => toText(input).toLowerCase()],
  ['trim', (input) => toText(input).trim()],
  ['string', (input) => toText(input)],
  ['json', (input) => bounded(JSON.stringify(input ?? null), 'json')],
  ['length', (input) => (typeof input === 'string' || Array.isArray(input) ? input.length : isPlainObject(input) ? Object.keys(input).length : 0)],
  ['first', (input) => (Array.isArray(input) ? input[0] : input)],
  ['last', (input) => (Array.isArray(input) ? input[input.length - 1] : input)],
  ['unique', (input) => [...new Set(asList(input).map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : x)))]],
  ['compact', (input) => asList(input).filter((x) => x !== undefined && x !== null && x !== '')],
  ['keys', (input) => (isPlainObject(input) ? Object.keys(input) : [])],
  ['values', (input) => (isPlainObject(input) ? Object.values(input) : [])],
  [
    'join',
    (input, args) => {
      const sep = args[0] === undefined ? ', ' : toText(args[0]);
      return bounded(asList(input).map(toText).join(sep), 'join');
    },
  ],
  ['split', (input, args) => toText(input).split(args[0] === undefined ? ',' : toText(args[0])).map((s) => s.trim())],
  [
    'truncate',
    (input, args) => {
      const n = numberArg(args, 0, 'truncate');
      const text = toText(input);
      return text.length <= n ? text : `${text.slice(0, Math.max(0, n - 1))}…`;
    },
  ],
  [
    'replace',
    (input, args) => {
      const from = toText(args[0]);
      if (from === '') return toText(input);
      return bounded(toText(input).split(from).join(toText(args[1])), 'replace');
    },
  ],
  ['int', (input) => { const n = Number.parseInt(toText(input), 10); return Number.isNaN(n) ? 0 : n; }],
  ['severity_rank', (input) => SEVERITY_RANK[toText(input)] ?? -1],
  [
    'pluck',
    (input, args) => {
      const key = toText(args[0]);
      return asList(input).map((x) => member(x, key));
    },
  ],
]);

export const FILTER_NAMES: readonly string[] = [...FILTERS.keys()];

export function isKnownFilter(name: string): boolean {
  return FILTERS.has(name);
}

export function evaluate(node: ExprNode, scope: Scope): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'list':
      return node.items.map((item) => evaluate(item, scope));
    case 'not':
      return !truthy(evaluate(node.operand, scope));
    case 'path': {
      let value: unknown = FORBIDDEN_NAMES.has(node.root) || !Object.hasOwn(scope, node.root) ? undefined : scope[node.root];
      for (const segment of node.segments) {
        if (value === undefined || value === null) return undefined;
        let key: unknown = segment;
        if (typeof segment === 'object') {
          key = evaluate(segment, scope);
          if (typeof key !== 'string' && typeof key !== 'number') return undefined;
        }
        value = member(value, key as string | number);
      }
      return value;
    }
    case 'binary': {
      if (node.op === 'and') return truthy(evaluate(node.left, scope)) && truthy(evaluate(node.right, scope));
      if (node.op === 'or') return truthy(evaluate(node.left, scope)) || truthy(evaluate(node.right, scope));
      const a = evaluate(node.left, scope);
      const b = evaluate(node.right, scope);
      switch (node.op) {
        case '==':
          return equal(a, b);
        case '!=':
          return !equal(a, b);
        case 'in':
          return contains(b, a);
        case 'not in':
          return !contains(b, a);
        case '+':
          if (typeof a === 'number' && typeof b === 'number') return a + b;
          if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
          return bounded(toText(a) + toText(b), '+');
        default:
          return compare(node.op, a, b);
      }
    }
    case 'filter': {
      const filter = FILTERS.get(node.name);
      if (!filter) throw new ExpressionError(`unknown filter "${node.name}"`, 0);
      return filter(
        evaluate(node.input, scope),
        node.args.map((a) => evaluate(a, scope)),
      );
    }
  }
}

/** Unknown filters are caught at load time rather than when an alert fires. */
export function checkFilters(node: ExprNode): string | undefined {
  switch (node.kind) {
    case 'filter':
      if (!FILTERS.has(node.name)) return `unknown filter "${node.name}" (known: ${FILTER_NAMES.join(', ')})`;
      return checkFilters(node.input) ?? node.args.map(checkFilters).find((x) => x !== undefined);
    case 'list':
      return node.items.map(checkFilters).find((x) => x !== undefined);
    case 'not':
      return checkFilters(node.operand);
    case 'binary':
      return checkFilters(node.left) ?? checkFilters(node.right);
    case 'path':
      return node.segments.map((s) => (typeof s === 'object' ? checkFilters(s) : undefined)).find((x) => x !== undefined);
    default:
      return undefined;
  }
}
