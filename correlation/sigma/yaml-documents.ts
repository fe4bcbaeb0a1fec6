/**
 * Splits a rule file into its YAML documents and keeps, for each, a locator from a value's path to
 * its line, so that every later error (schema, modifier, condition) can name file:line.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import type { LineLocator } from './types';

export interface YamlDocument {
  /** The document as plain JS (null for an empty document). */
  data: unknown;
  /** 1-based line where the document starts. */
  line: number;
  locate: LineLocator;
}

export interface YamlProblem {
  line: number;
  reason: string;
}

export interface YamlFile {
  documents: YamlDocument[];
  problems: YamlProblem[];
}

/** Limits alias expansion so a "billion laughs" file cannot exhaust memory. */
const MAX_ALIAS_COUNT = 100;

export function readYamlDocuments(text: string): YamlFile {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const documents: YamlDocument[] = [];
  const problems: YamlProblem[] = [];
  // An empty stream parses to an EmptyStream (an empty array with stream-level errors).
  for (const doc of parsed) {
    const start = doc.range[0];
    const lineOf = (offset: number): number => lineCounter.linePos(offset).line;
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const line = err.linePos?.[0]?.line ?? lineOf(err.pos[0]);
        problems.push({ line, reason: `invalid YAML: ${firstLine(err.message)}` });
      }
      continue;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      problems.push({ line: lineOf(start), reason: `invalid YAML: ${(err as Error).message}` });
      continue;
    }
    const root = doc.contents;
    // Blank documents (a trailing `---`) carry nothing; skip them silently as YAML readers do.
    if (data === null || data === undefined) continue;
    const firstContentLine = root && root.range ? lineOf(root.range[0]) : lineOf(start);
    documents.push({
      data,
      line: firstContentLine,
      locate: (path) => locateNode(root as Node | null, path, lineOf, firstContentLine),
    });
  }
  return { documents, problems };
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return (nl >= 0 ? message.slice(0, nl) : message).replace(/:$/, '');
}

/** Walks the node tree along `path`; returns the line of the deepest node reached. */
function locateNode(root: Node | null, path: readonly (string | number)[], lineOf: (offset: number) => number, fallback: number): number {
  let node: unknown = root;
  let line = root?.range ? lineOf(root.range[0]) : fallback;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return line;
      if (isScalar(pair.key) && pair.key.range) line = lineOf(pair.key.range[0]);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) return line;
      const range = (item as Node).range;
      if (range) line = lineOf(range[0]);
      node = item;
    } else {
      return line;
    }
  }
  return line;
}
