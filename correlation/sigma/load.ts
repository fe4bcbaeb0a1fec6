/**
 * loadSigmaRules: files and folders → compiled rules, validated correlation rules, meta filters,
 * and one error per document that could not be loaded (file, line, kind, reason). Nothing is
 * dropped silently: every rejected document is in `errors`, every soft problem in `warnings`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { checkFilter, compileRule, filterApplies, SigmaRuleError, type CompiledSigmaRule, type CompileOptions } from './compile';
import { FieldMappings, loadFieldMappings } from './field-mapping';
import { loadLogsourceTable, type LogsourceTable } from './logsource';
import { parseSigmaText } from './parse';
import { runSteps, type Steps } from './steps';
import type { SigmaCorrelation, SigmaDocument, SigmaFilter, SigmaLoadError, SigmaRule, SigmaWarning } from './types';

export interface LoadSigmaOptions extends Omit<CompileOptions, 'filters' | 'mappings'> {
  /** Field mappings; default: the tables in rules/sigma/mappings of this installation. */
  mappings?: FieldMappings;
  /** Extra meta filters (e.g. from a tuning folder) applied with those found under `paths`. */
  filters?: readonly SigmaFilter[];
}

export interface LoadSigmaResult {
  rules: CompiledSigmaRule[];
  /** Validated correlation rules (references resolved), for correlate/CorrelationEngine. */
  correlations: SigmaCorrelation[];
  filters: SigmaFilter[];
  errors: SigmaLoadError[];
  warnings: SigmaWarning[];
  files: number;
  /** The rule files read, in load order (what `socnoc rules validate` lists). */
  fileList: string[];
}

/** rules/sigma of this installation (from correlation/sigma or dist/correlation/sigma). */
export function defaultSigmaDataDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'rules', 'sigma');
    if (existsSync(join(candidate, 'mappings'))) return candidate;
    dir = dirname(dir);
  }
  return resolve('rules', 'sigma');
}

export function defaultFieldMappings(): FieldMappings {
  return loadFieldMappings(join(defaultSigmaDataDir(), 'mappings'));
}

export function defaultLogsourceTable(): LogsourceTable {
  return loadLogsourceTable(join(defaultSigmaDataDir(), 'logsources.yaml'));
}

/** The engine's own data under rules/sigma (field mappings, logsource table): not rules. */
function engineDataPaths(): Set<string> {
  const dir = defaultSigmaDataDir();
  return new Set([resolve(dir, 'mappings'), resolve(dir, 'logsources.yaml')]);
}

/**
 * Rule files under the given paths: *.yml / *.yaml, recursively, sorted; hidden folders and the
 * engine's data tables (rules/sigma/mappings, rules/sigma/logsources.yaml) are skipped when
 * walking a folder.
 */
export function listRuleFiles(paths: readonly string[], errors: SigmaLoadError[]): string[] {
  const files: string[] = [];
  const skip = engineDataPaths();
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      errors.push({ file: dir, line: 0, kind: 'io', reason: `cannot read folder: ${(err as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = join(dir, e.name);
      if (skip.has(resolve(full))) continue;
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && /\.ya?ml$/i.test(e.name)) files.push(full);
    }
  };
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (err) {
      errors.push({ file: p, line: 0, kind: 'io', reason: `cannot read: ${(err as Error).message}` });
      continue;
    }
    if (isDir) walk(p);
    else files.push(p);
  }
  return files;
}

function documentLabel(d: SigmaDocument): string {
  return d.title;
}

function errorFor(d: SigmaDocument, kind: SigmaLoadError['kind'], reason: string, line = d.location.line): SigmaLoadError {
  return { file: d.location.file, line, kind, reason, document: documentLabel(d), status: d.status };
}

export function loadSigmaRules(paths: readonly string[], options: LoadSigmaOptions = {}): LoadSigmaResult {
  return runSteps(loadSigmaRulesSteps(paths, options));
}

/** loadSigmaRules as steps: one per file read and one per rule compiled (see ./steps.ts). */
export function* loadSigmaRulesSteps(paths: readonly string[], options: LoadSigmaOptions = {}): Steps<LoadSigmaResult> {
  const errors: SigmaLoadError[] = [];
  const warnings: SigmaWarning[] = [];
  const files = listRuleFiles(paths, errors);
  const documents: SigmaDocument[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      errors.push({ file, line: 0, kind: 'io', reason: `cannot read: ${(err as Error).message}` });
      continue;
    }
    const parsed = parseSigmaText(text, file);
    documents.push(...parsed.documents);
    errors.push(...parsed.errors);
    yield;
  }

  // Ids and names are how correlations and filters refer to rules: they must be unique.
  const byId = new Map<string, SigmaDocument>();
  const byName = new Map<string, SigmaDocument>();
  const unique: SigmaDocument[] = [];
  for (const d of documents) {
    const clashId = d.id !== undefined ? byId.get(d.id) : undefined;
    const clashName = d.name !== undefined ? byName.get(d.name) : undefined;
    const clash = clashId ?? clashName;
    if (clash) {
      const what = clashId ? `id ${d.id}` : `name '${d.name}'`;
      errors.push(errorFor(d, 'duplicate', `duplicate ${what}, already used by '${clash.title}' at ${clash.location.file}:${clash.location.line}`));
      continue;
    }
    if (d.id !== undefined) byId.set(d.id, d);
    if (d.name !== undefined) byName.set(d.name, d);
    unique.push(d);
  }

  const mappings = options.mappings ?? defaultFieldMappings();
  const compileOptions: CompileOptions = { ...options, mappings, filters: undefined };

  const filters: SigmaFilter[] = [];
  for (const f of [...(options.filters ?? []), ...unique.filter((d): d is SigmaFilter => d.kind === 'filter')]) {
    try {
      checkFilter(f, compileOptions);
      filters.push(f);
    } catch (err) {
      if (!(err instanceof SigmaRuleError)) throw err;
      errors.push({ file: err.file, line: err.line, kind: err.kind, reason: err.reason, document: f.title });
    }
  }

  const ruleDocs = unique.filter((d): d is SigmaRule => d.kind === 'rule');
  for (const f of filters) {
    if (f.rules === 'any') continue;
    f.rules.forEach((ref, i) => {
      const target = byId.get(ref) ?? byName.get(ref);
      if (!target) warnings.push({ file: f.location.file, line: f.locate(['filter', 'rules', i]), reason: `filter names rule '${ref}', which is not loaded`, document: f.title });
      else if (target.kind === 'rule' && !filterApplies(f, target)) {
        warnings.push({ file: f.location.file, line: f.locate(['logsource']), reason: `filter logsource does not cover rule '${ref}' (${target.title}): not applied`, document: f.title });
      }
    });
  }

  const rules: CompiledSigmaRule[] = [];
  const failed = new Set<SigmaDocument>();
  for (const r of ruleDocs) {
    try {
      const compiled = compileRule(r, { ...compileOptions, filters });
      rules.push(compiled);
      for (const w of compiled.warnings) warnings.push({ file: r.location.file, line: r.location.line, reason: w, document: r.title });
    } catch (err) {
      if (!(err instanceof SigmaRuleError)) throw err;
      failed.add(r);
      errors.push({ file: err.file, line: err.line, kind: err.kind, reason: err.reason, document: r.title, status: r.status });
    }
    yield;
  }

  const correlations = validateCorrelations(unique, byId, byName, failed, errors);
  markCorrelationOnly(rules, correlations, byId, byName);
  // The line locators hold each file's YAML syntax tree; once loaded, only start lines are needed.
  for (const d of documents) {
    const line = d.location.line;
    d.locate = () => line;
  }

  return { rules, correlations, filters, errors, warnings, files: files.length, fileList: files };
}

function validateCorrelations(
  docs: SigmaDocument[],
  byId: Map<string, SigmaDocument>,
  byName: Map<string, SigmaDocument>,
  failed: Set<SigmaDocument>,
  errors: SigmaLoadError[],
): SigmaCorrelation[] {
  const candidates = docs.filter((d): d is SigmaCorrelation => d.kind === 'correlation');
  const ok = new Set<SigmaCorrelation>();
  const bad = new Set<SigmaDocument>(failed);
  // Iterate to a fixed point: a correlation is valid when everything it references is.
  let changed = true;
  const reasons = new Map<SigmaCorrelation, SigmaLoadError>();
  while (changed) {
    changed = false;
    for (const c of candidates) {
      if (ok.has(c) || bad.has(c)) continue;
      let pending = false;
      let problem: SigmaLoadError | undefined;
      c.rules.forEach((ref, i) => {
        if (problem) return;
        const target = byId.get(ref) ?? byName.get(ref);
        if (!target) problem = errorFor(c, 'reference', `correlation references '${ref}', which is no loaded rule id or name`, c.locate(['correlation', 'rules', i]));
        else if (target === c) problem = errorFor(c, 'reference', 'correlation references itself', c.locate(['correlation', 'rules', i]));
        else if (target.kind === 'filter') problem = errorFor(c, 'reference', `correlation references '${ref}', which is a filter`, c.locate(['correlation', 'rules', i]));
        else if (bad.has(target)) problem = errorFor(c, 'reference', `correlation references '${ref}', which failed to load`, c.locate(['correlation', 'rules', i]));
        else if (target.kind === 'correlation' && !ok.has(target)) pending = true;
      });
      if (!problem) {
        for (const [alias, perRule] of Object.entries(c.aliases)) {
          for (const ruleName of Object.keys(perRule)) {
            const target = byName.get(ruleName) ?? byId.get(ruleName);
            if (!target || !c.rules.some((ref) => (byId.get(ref) ?? byName.get(ref)) === target)) {
              problem = errorFor(c, 'reference', `alias '${alias}' maps rule '${ruleName}', which this correlation does not reference`, c.locate(['correlation', 'aliases', alias, ruleName]));
            }
          }
        }
      }
      if (problem) {
        bad.add(c);
        reasons.set(c, problem);
        changed = true;
      } else if (!pending) {
        ok.add(c);
        changed = true;
      }
    }
  }
  for (const c of candidates) {
    if (ok.has(c)) continue;
    errors.push(reasons.get(c) ?? errorFor(c, 'reference', 'correlation references form a cycle'));
  }
  return candidates.filter((c) => ok.has(c));
}

/** Rules referenced by a correlation with `generate: false` (the default) raise no alerts alone. */
function markCorrelationOnly(rules: CompiledSigmaRule[], correlations: SigmaCorrelation[], byId: Map<string, SigmaDocument>, byName: Map<string, SigmaDocument>): void {
  const hidden = new Set<SigmaDocument>();
  for (const c of correlations) {
    if (c.generate) continue;
    for (const ref of c.rules) {
      const target = byId.get(ref) ?? byName.get(ref);
      if (target) hidden.add(target);
    }
  }
  for (const r of rules) if (hidden.has(r.rule)) r.standalone = false;
}
