/**
 * Loads the configured rule folders into a ready rule set, and on reload keeps what still works:
 * when a file that loaded before now fails (a typo saved mid-edit), the documents it held keep
 * running in their previous version and its errors say so; files that load replace their old
 * version; deleted files' rules go. Disabled rules are loaded (and listed) but not run.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ruleAlertInfo, type RuleAlertInfo } from '../alerts/rule-info';
import type { CompiledSigmaRule } from '../sigma/compile';
import { defaultLogsourceTable, loadSigmaRulesSteps, type LoadSigmaOptions, type LoadSigmaResult } from '../sigma/load';
import { runSteps, type Steps } from '../sigma/steps';
import { SigmaRuleSet } from '../sigma/ruleset';
import type { SigmaCorrelation, SigmaDocument } from '../sigma/types';
import type { RulePathConfig } from '../config';
import type { DetectionRules, RuleLoadError, RuleSummary } from './types';

export interface RuleSource {
  path: string;
  ruleset: string;
  /** Entries directly under `path` that are not rules (looked up at every load, so new folders count). */
  exclude?: readonly string[];
}

/**
 * What rules/sigma holds besides rules: the engine's tables and test fixtures (rules/sigma/testdata
 * has SigmaHQ rules used as test data, which must not run).
 */
export const BUILTIN_NON_RULE_ENTRIES = ['mappings', 'logsources.yaml', 'testdata', 'testing'];

export const BUILTIN_RULESET = 'socnoc';

export interface RuleLoadOptions {
  placeholders: Readonly<Record<string, readonly string[]>>;
  unresolvedPlaceholders: 'empty' | 'reject';
  /** Rule ids, names or titles not to run. */
  disabled: readonly string[];
  /** Paths inside it are shown relative to it (the installation root). */
  displayRoot?: string;
}

export interface LoadedRules {
  set: SigmaRuleSet;
  detection: DetectionRules;
  /** Alert data of every enabled rule. */
  infos: Map<CompiledSigmaRule, RuleAlertInfo>;
  errors: RuleLoadError[];
  summaries: RuleSummary[];
  loadedAt: number;
  durationMs: number;
}

/** Configured paths → absolute sources with their ruleset names. */
export function ruleSources(builtinDir: string | undefined, paths: readonly RulePathConfig[]): RuleSource[] {
  const out: RuleSource[] = [];
  if (builtinDir !== undefined) out.push({ path: resolve(builtinDir), ruleset: BUILTIN_RULESET, exclude: BUILTIN_NON_RULE_ENTRIES });
  for (const p of paths) {
    const path = resolve(typeof p === 'string' ? p : p.path);
    const ruleset = typeof p === 'string' || p.ruleset === undefined ? basename(path).replace(/\.ya?ml$/i, '') : p.ruleset;
    out.push({ path, ruleset });
  }
  return out;
}

/** The ruleset of a file: the source with the longest path containing it. */
export function rulesetOf(sources: readonly RuleSource[], file: string): string | undefined {
  let best: RuleSource | undefined;
  for (const s of sources) {
    if ((file === s.path || file.startsWith(s.path + sep)) && (best === undefined || s.path.length > best.path.length)) best = s;
  }
  return best?.ruleset;
}

/** The paths to hand the Sigma loader: a source with exclusions becomes its remaining entries. */
function loadPaths(sources: readonly RuleSource[]): string[] {
  const out: string[] = [];
  for (const s of sources) {
    if (s.exclude === undefined) {
      out.push(s.path);
      continue;
    }
    let entries;
    try {
      entries = readdirSync(s.path, { withFileTypes: true });
    } catch {
      out.push(s.path); // the loader reports why it cannot be read
      continue;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.') || s.exclude.includes(e.name)) continue;
      if (e.isDirectory() || (e.isFile() && /\.ya?ml$/i.test(e.name))) out.push(join(s.path, e.name));
    }
  }
  return out;
}

function documentKey(d: SigmaDocument): string {
  return d.id ?? d.name ?? `${d.location.file}\u0000${d.title}`;
}

/** Puts back previous versions of documents from files that failed this time; returns those files. */
function keepPreviousVersions(result: LoadSigmaResult, previous: LoadedRules | undefined): Set<string> {
  const kept = new Set<string>();
  if (previous === undefined) return kept;
  const failedFiles = new Set(result.errors.map((e) => e.file));
  if (failedFiles.size === 0) return kept;
  const loaded = new Set<string>();
  for (const r of result.rules) loaded.add(documentKey(r.rule));
  for (const c of result.correlations) loaded.add(documentKey(c));
  const exists = new Map<string, boolean>();
  const keep = (d: SigmaDocument): boolean => {
    const file = d.location.file;
    if (!failedFiles.has(file) || loaded.has(documentKey(d))) return false;
    let present = exists.get(file);
    if (present === undefined) exists.set(file, (present = existsSync(file)));
    if (!present) return false;
    loaded.add(documentKey(d));
    kept.add(file);
    return true;
  };
  for (const r of previous.detection.loaded.rules) if (keep(r.rule)) result.rules.push(r);
  for (const c of previous.detection.loaded.correlations) if (keep(c)) result.correlations.push(c);
  return kept;
}

function isDisabled(d: SigmaDocument, disabled: ReadonlySet<string>): boolean {
  return disabled.size > 0 && ((d.id !== undefined && disabled.has(d.id)) || (d.name !== undefined && disabled.has(d.name)) || disabled.has(d.title));
}

/**
 * Loads every source. Throws only when the engine's own tables (field mappings, logsources.yaml)
 * cannot be read; every problem with a rule is in `errors`.
 */
export function loadDetectionRules(sources: readonly RuleSource[], options: RuleLoadOptions, previous?: LoadedRules): LoadedRules {
  return runSteps(loadDetectionRulesSteps(sources, options, previous));
}

/** loadDetectionRules as steps, for loading in slices without stalling the event loop. */
export function* loadDetectionRulesSteps(sources: readonly RuleSource[], options: RuleLoadOptions, previous?: LoadedRules): Steps<LoadedRules> {
  const started = Date.now();
  const sigmaOptions: LoadSigmaOptions = { placeholders: options.placeholders, unresolvedPlaceholders: options.unresolvedPlaceholders };
  const logsources = defaultLogsourceTable();
  const result = yield* loadSigmaRulesSteps(loadPaths(sources), sigmaOptions);
  const keptFiles = keepPreviousVersions(result, previous);
  const display = (file: string): string => {
    if (options.displayRoot === undefined) return file;
    const rel = relative(options.displayRoot, file);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  };
  const ruleset = (file: string): string => rulesetOf(sources, file) ?? BUILTIN_RULESET;
  const disabled = new Set(options.disabled);

  const enabled: CompiledSigmaRule[] = [];
  const infos = new Map<CompiledSigmaRule, RuleAlertInfo>();
  const summaries: RuleSummary[] = [];
  for (const r of result.rules) {
    const doc = r.rule;
    const on = !isDisabled(doc, disabled);
    const rs = ruleset(doc.location.file);
    if (on) {
      enabled.push(r);
      infos.set(r, ruleAlertInfo(doc, rs));
    }
    summaries.push({
      kind: 'rule',
      id: doc.id,
      name: doc.name,
      title: doc.title,
      level: doc.level,
      status: doc.status,
      logsource: doc.logsource,
      type: undefined,
      tags: doc.tags,
      enabled: on,
      standalone: r.standalone,
      ruleset: rs,
      file: display(doc.location.file),
      line: doc.location.line,
      previousVersion: keptFiles.has(doc.location.file),
    });
  }
  const correlations: SigmaCorrelation[] = [];
  for (const c of result.correlations) {
    const on = !isDisabled(c, disabled);
    if (on) correlations.push(c);
    summaries.push({
      kind: 'correlation',
      id: c.id,
      name: c.name,
      title: c.title,
      level: c.level,
      status: c.status,
      logsource: undefined,
      type: c.type,
      tags: c.tags,
      enabled: on,
      standalone: true,
      ruleset: ruleset(c.location.file),
      file: display(c.location.file),
      line: c.location.line,
      previousVersion: keptFiles.has(c.location.file),
    });
  }
  const errors: RuleLoadError[] = result.errors.map((e) => ({
    file: display(e.file),
    line: e.line,
    kind: e.kind,
    reason: e.reason,
    document: e.document,
    status: e.status,
    ruleset: rulesetOf(sources, e.file),
    previousKept: keptFiles.has(e.file),
  }));
  const set = new SigmaRuleSet(enabled, { logsources });
  return {
    set,
    detection: { rules: enabled, correlations, loaded: result },
    infos,
    errors,
    summaries,
    loadedAt: started,
    durationMs: Date.now() - started,
  };
}
