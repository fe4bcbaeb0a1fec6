/**
 * Reads playbook YAML files (one or more documents each), validates them and compiles their
 * templates. Every problem names the file, the line and the reason; a bad playbook is skipped and
 * the rest load.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isNode, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { z } from 'zod';
import { playbookSchema, type CompiledPlaybook, type CompiledStep, type PlaybookLoadError } from './definition';
import { compileCondition, compileValue } from './template/template';
import { ExpressionError } from './template/parse';

export interface LoadedPlaybooks {
  playbooks: CompiledPlaybook[];
  errors: PlaybookLoadError[];
  files: number;
}

export interface PlaybookSource {
  path: string;
  /** Shown on each playbook: `builtin` or the folder's name. */
  source: string;
}

/** The folder of shipped playbooks, beside this file in the source tree and in dist/. */
export function builtinPlaybooksDir(): string {
  const here = resolve(__dirname, 'library');
  try {
    if (statSync(here).isDirectory() && readdirSync(here).some((f) => f.endsWith('.yaml'))) return here;
  } catch {
    // dist/ has no YAML copies: fall back to the source tree next to it.
  }
  return resolve(__dirname, '..', '..', 'playbooks', 'library');
}

function yamlFiles(path: string): string[] {
  const st = statSync(path);
  if (st.isFile()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (entry.name.endsWith('.yaml') || entry.name.endsWith('.yml')) out.push(full);
  }
  return out;
}

export function loadPlaybooks(sources: readonly PlaybookSource[], knownActions: ReadonlySet<string>): LoadedPlaybooks {
  const result: LoadedPlaybooks = { playbooks: [], errors: [], files: 0 };
  const seen = new Map<string, string>();
  for (const src of sources) {
    let files: string[];
    try {
      files = yamlFiles(src.path);
    } catch (err) {
      result.errors.push({ file: src.path, line: 0, reason: `cannot read: ${(err as Error).message}` });
      continue;
    }
    for (const file of files) {
      result.files++;
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        result.errors.push({ file, line: 0, reason: `cannot read: ${(err as Error).message}` });
        continue;
      }
      const parsed = parsePlaybookText(text, file, src.source, knownActions);
      result.errors.push(...parsed.errors);
      for (const p of parsed.playbooks) {
        const previous = seen.get(p.def.id);
        if (previous !== undefined) {
          result.errors.push({ file, line: p.line, reason: `duplicate playbook id "${p.def.id}" (first defined in ${previous})`, playbook: p.def.id });
          continue;
        }
        seen.set(p.def.id, file);
        result.playbooks.push(p);
      }
    }
  }
  return result;
}

function lineOf(doc: Document, counter: LineCounter, path: readonly (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return 1;
}

function zodReason(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  return `${where}${issue.message}`;
}

/** Parses one file's text; exported for tests and for validating an uploaded playbook. */
export function parsePlaybookText(text: string, file: string, source: string, knownActions: ReadonlySet<string>): { playbooks: CompiledPlaybook[]; errors: PlaybookLoadError[] } {
  const counter = new LineCounter();
  const playbooks: CompiledPlaybook[] = [];
  const errors: PlaybookLoadError[] = [];
  const docs = parseAllDocuments(text, { lineCounter: counter, prettyErrors: false });
  if (!Array.isArray(docs)) return { playbooks, errors };
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      errors.push({ file, line: e.linePos?.[0].line ?? counter.linePos(e.pos[0]).line, reason: `yaml: ${e.message.split('\n')[0]}` });
      continue;
    }
    const raw: unknown = doc.toJS({ maxAliasCount: 100 });
    if (raw === null || raw === undefined) continue;
    const docLine = lineOf(doc, counter, []);
    const checked = playbookSchema.safeParse(raw);
    if (!checked.success) {
      const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
      for (const issue of checked.error.issues.slice(0, 5)) {
        errors.push({ file, line: lineOf(doc, counter, issue.path as (string | number)[]), reason: zodReason(issue), playbook: id });
      }
      continue;
    }
    const def = checked.data;
    const problems: PlaybookLoadError[] = [];
    const report = (path: (string | number)[], reason: string): void => {
      problems.push({ file, line: lineOf(doc, counter, path), reason, playbook: def.id });
    };
    const onError = (base: (string | number)[]) => (path: string[], err: ExpressionError): void => report([...base, ...path], `${[...base, ...path].join('.')}: ${err.message}`);
    const vars = compileValue(def.vars, onError(['vars']));
    const stepIds = new Set<string>();
    const steps: CompiledStep[] = def.steps.map((step, i) => {
      if (stepIds.has(step.id)) report(['steps', i, 'id'], `steps.${i}.id: duplicate step id "${step.id}"`);
      stepIds.add(step.id);
      if (!knownActions.has(step.action)) report(['steps', i, 'action'], `steps.${i}.action: unknown action "${step.action}" (known: ${[...knownActions].sort().join(', ')})`);
      let condition;
      if (step.if !== undefined) {
        try {
          condition = compileCondition(step.if);
        } catch (err) {
          if (!(err instanceof ExpressionError)) throw err;
          report(['steps', i, 'if'], `steps.${i}.if: ${err.message}`);
        }
      }
      return {
        def: step,
        with: compileValue(step.with, onError(['steps', i, 'with'])),
        condition,
        foreach: step.foreach === undefined ? undefined : compileValue(step.foreach, onError(['steps', i, 'foreach'])),
        line: lineOf(doc, counter, ['steps', i]),
      };
    });
    if (problems.length > 0) {
      errors.push(...problems);
      continue;
    }
    playbooks.push({ def, vars, steps, file, line: docLine, source });
  }
  return { playbooks, errors };
}
