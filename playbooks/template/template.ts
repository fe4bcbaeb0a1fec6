/**
 * `{{ expression }}` templates inside playbook strings, compiled once when the playbook loads.
 * A string that is exactly one `{{ … }}` yields the raw value (a list stays a list, so `foreach`
 * and list parameters work); anything else is rendered as text.
 */
import { checkFilters, evaluate, MAX_STRING_LENGTH, toText, truthy, type Scope } from './evaluate';
import { ExpressionError, parseExpression, type ExprNode } from './parse';

export type TemplatePart = string | ExprNode;

/** A class (not a plain object) so user data shaped like one is never mistaken for it. */
export class CompiledTemplate {
  /** Set when the whole string is a single expression. */
  readonly single: ExprNode | undefined;

  constructor(readonly parts: TemplatePart[]) {
    this.single = parts.length === 1 && typeof parts[0] !== 'string' ? parts[0] : undefined;
  }
}

/** A `with:` tree with every string compiled. */
export type CompiledValue = CompiledTemplate | number | boolean | null | CompiledValue[] | { [key: string]: CompiledValue };

function compileExpression(text: string, offset: number): ExprNode {
  let node: ExprNode;
  try {
    node = parseExpression(text);
  } catch (err) {
    if (err instanceof ExpressionError) throw new ExpressionError(`"${text.trim().slice(0, 60)}": ${err.message}`, offset + err.position);
    throw err;
  }
  const problem = checkFilters(node);
  if (problem !== undefined) throw new ExpressionError(`"${text.trim().slice(0, 60)}": ${problem}`, offset);
  return node;
}

export function compileTemplate(text: string): CompiledTemplate {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      parts.push(text.slice(i));
      break;
    }
    if (open > i) parts.push(text.slice(i, open));
    const close = text.indexOf('}}', open + 2);
    if (close < 0) throw new ExpressionError(`"{{" at ${open} has no closing "}}"`, open);
    parts.push(compileExpression(text.slice(open + 2, close), open + 2));
    i = close + 2;
  }
  return new CompiledTemplate(parts);
}

/** An `if:` condition: a bare expression, or one wrapped in `{{ }}`. */
export function compileCondition(text: string): ExprNode {
  const trimmed = text.trim();
  if (trimmed.startsWith('{{') && trimmed.endsWith('}}') && trimmed.indexOf('{{', 2) < 0) return compileExpression(trimmed.slice(2, -2), 2);
  return compileExpression(trimmed, 0);
}

export function renderTemplate(template: CompiledTemplate, scope: Scope): unknown {
  if (template.single) return evaluate(template.single, scope);
  let out = '';
  for (const part of template.parts) {
    out += typeof part === 'string' ? part : toText(evaluate(part, scope));
    if (out.length > MAX_STRING_LENGTH) throw new ExpressionError(`rendered text longer than ${MAX_STRING_LENGTH} characters`, 0);
  }
  return out;
}

export function renderText(template: CompiledTemplate, scope: Scope): string {
  return toText(renderTemplate(template, scope));
}

export function testCondition(condition: ExprNode, scope: Scope): boolean {
  return truthy(evaluate(condition, scope));
}

/**
 * Compiles every string in a parsed YAML value. `at` names where a failure is (the caller maps it
 * to a line). Keys are kept as written.
 */
export function compileValue(value: unknown, onError: (path: string[], err: ExpressionError) => void, path: string[] = []): CompiledValue {
  if (typeof value === 'string') {
    try {
      return compileTemplate(value);
    } catch (err) {
      if (err instanceof ExpressionError) {
        onError(path, err);
        return new CompiledTemplate([value]);
      }
      throw err;
    }
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) return value.map((v, i) => compileValue(v, onError, [...path, String(i)]));
  const out: { [key: string]: CompiledValue } = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = compileValue(v, onError, [...path, k]);
  return out;
}

export function renderValue(value: CompiledValue, scope: Scope): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => renderValue(v, scope));
  if (value instanceof CompiledTemplate) return renderTemplate(value, scope);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = renderValue(v, scope);
  return out;
}
