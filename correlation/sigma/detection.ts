/**
 * A detection section (search identifiers + condition) → MatchNode tree. Search identifiers are
 * maps (fields AND-ed), lists of maps (OR-ed), or lists of keywords (OR-ed, or AND-ed with
 * `'|all'`). Conditions are resolved against the identifiers; `them` skips names starting with
 * an underscore, as the spec says.
 */
import { identifierPatternMatches, parseCondition, type ConditionNode } from './condition';
import type { FieldItem, MatchNode } from './ir';
import { compileValue, parseModifierChain, type ValueContext } from './modifiers';
import { SigmaError, type DetectionValue, type SigmaDetection } from './types';

export interface DetectionContext extends ValueContext {
  /** Paths searched by keyword (field-less) values. */
  keywordFields: string[];
}

type Path = (string | number)[];

function withPath<T>(path: Path, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SigmaError && err.path.length === 0) throw new SigmaError(err.kind, err.message, path);
    throw err;
  }
}

function isMap(v: DetectionValue): v is { [key: string]: DetectionValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function fieldItem(key: string, value: DetectionValue, ctx: DetectionContext): FieldItem {
  const [fieldName, ...modifierNames] = key.split('|');
  const keyword = fieldName === '';
  const chain = parseModifierChain(modifierNames, keyword);
  const listed = Array.isArray(value) ? value : [value];
  if (listed.length === 0) throw new SigmaError('detection', `'${key}' has an empty value list`);
  const values = listed.map((v) => compileValue(v, chain, ctx));
  return {
    kind: 'item',
    field: keyword ? null : fieldName,
    paths: keyword ? ctx.keywordFields : ctx.resolveField(fieldName),
    values,
    link: chain.link,
    negate: chain.negate,
  };
}

function mapNode(map: { [key: string]: DetectionValue }, ctx: DetectionContext, path: Path): MatchNode {
  const keys = Object.keys(map);
  if (keys.length === 0) throw new SigmaError('detection', 'empty map in a search identifier', path);
  const children = keys.map((k) => withPath([...path, k], () => fieldItem(k, map[k], ctx)));
  return children.length === 1 ? children[0] : { kind: 'and', children };
}

function identifierNode(name: string, def: DetectionValue, ctx: DetectionContext, path: Path): MatchNode {
  if (isMap(def)) return mapNode(def, ctx, path);
  if (Array.isArray(def)) {
    if (def.length === 0) throw new SigmaError('detection', `search identifier '${name}' is an empty list`, path);
    const children: MatchNode[] = [];
    const keywords: DetectionValue[] = [];
    def.forEach((item, i) => {
      if (isMap(item)) children.push(mapNode(item, ctx, [...path, i]));
      else if (Array.isArray(item)) throw new SigmaError('detection', `search identifier '${name}' has a nested list`, [...path, i]);
      else if (item === null) throw new SigmaError('detection', `search identifier '${name}' lists a null keyword`, [...path, i]);
      else keywords.push(item);
    });
    if (keywords.length > 0) children.unshift(withPath(path, () => fieldItem('', keywords, ctx)));
    return children.length === 1 ? children[0] : { kind: 'or', children };
  }
  if (typeof def === 'string' || typeof def === 'number') return withPath(path, () => fieldItem('', def, ctx));
  throw new SigmaError('detection', `search identifier '${name}' must be a map, a list of maps or a list of keywords`, path);
}

/** Compiles every identifier (so errors surface even in unused ones) and the condition(s). */
export function compileDetection(detection: SigmaDetection, ctx: DetectionContext, basePath: Path): MatchNode {
  const nodes = new Map<string, MatchNode>();
  for (const [name, def] of Object.entries(detection.identifiers)) {
    nodes.set(name, identifierNode(name, def, ctx, [...basePath, name]));
  }
  const conditions = detection.conditions.map((text, i) => {
    const condPath = detection.conditions.length > 1 ? [...basePath, 'condition', i] : [...basePath, 'condition'];
    return withPath(condPath, () => resolveCondition(parseCondition(text), nodes, text));
  });
  return conditions.length === 1 ? conditions[0] : { kind: 'or', children: conditions };
}

function resolveCondition(node: ConditionNode, nodes: Map<string, MatchNode>, text: string): MatchNode {
  switch (node.type) {
    case 'and':
    case 'or':
      return { kind: node.type, children: node.children.map((c) => resolveCondition(c, nodes, text)) };
    case 'not':
      return { kind: 'not', child: resolveCondition(node.child, nodes, text) };
    case 'ref': {
      const found = nodes.get(node.name);
      if (!found) throw new SigmaError('condition', `condition '${text}' refers to '${node.name}', which is not a search identifier of this detection`);
      return found;
    }
    case 'of': {
      const names = [...nodes.keys()].filter((n) => (node.pattern === null ? !n.startsWith('_') : identifierPatternMatches(node.pattern, n)));
      if (names.length === 0) {
        throw new SigmaError('condition', `condition '${text}': '${node.pattern ?? 'them'}' matches no search identifier`);
      }
      const children = names.map((n) => nodes.get(n) as MatchNode);
      if (children.length === 1) return children[0];
      return { kind: node.quantifier === 'all' ? 'and' : 'or', children };
    }
  }
}
