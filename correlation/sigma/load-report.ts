/**
 * What a rule load produced, as text: the totals block and one `file:line: [kind] reason` per
 * rejected document. Shared by the conformance script and `socnoc rules validate`, together with
 * the options both take (--placeholders FILE, --mappings DIR).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { loadFieldMappings } from './field-mapping';
import type { LoadSigmaOptions, LoadSigmaResult } from './load';
import type { SigmaErrorKind, SigmaLoadError } from './types';

/** Rejections that are the engine's fault (a construct it cannot evaluate, an unreadable path). */
export const ENGINE_GAP_KINDS: ReadonlySet<SigmaErrorKind> = new Set(['unsupported', 'io']);

export function isEngineGap(error: SigmaLoadError): boolean {
  return ENGINE_GAP_KINDS.has(error.kind);
}

export function formatLoadError(e: SigmaLoadError): string {
  const label = e.document ? ` (${e.document}${e.status ? `, status ${e.status}` : ''})` : '';
  return `${e.file}:${e.line}: [${e.kind}] ${e.reason}${label}`;
}

/** Totals: files, loaded rules, correlations, filters, rejections by kind, warnings by reason. */
export function loadSummaryLines(result: LoadSigmaResult): string[] {
  const lines: string[] = [];
  const byKind = new Map<string, number>();
  for (const e of result.errors) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
  const markedUnsupported = result.errors.filter((e) => e.status === 'unsupported');
  const standaloneRules = result.rules.filter((r) => r.standalone).length;
  lines.push(`files:               ${result.files}`);
  lines.push(`rules loaded:        ${result.rules.length} (${standaloneRules} alert on their own)`);
  lines.push(`correlation rules:   ${result.correlations.length}`);
  lines.push(`meta filters:        ${result.filters.length}`);
  lines.push(`rejected documents:  ${result.errors.length}${markedUnsupported.length > 0 ? ` (${markedUnsupported.length} of them marked status: unsupported by their authors)` : ''}`);
  for (const [kind, n] of [...byKind.entries()].sort((a, b) => b[1] - a[1])) {
    lines.push(`  ${kind.padEnd(12)} ${String(n).padStart(5)}${ENGINE_GAP_KINDS.has(kind as SigmaErrorKind) ? '  (engine gap)' : ''}`);
  }
  const warningCounts = new Map<string, number>();
  for (const w of result.warnings) {
    const key = w.reason.replace(/%[^%]+%/g, '%…%').replace(/'[^']*'/g, "'…'");
    warningCounts.set(key, (warningCounts.get(key) ?? 0) + 1);
  }
  lines.push(`warnings:            ${result.warnings.length}`);
  for (const [reason, n] of [...warningCounts.entries()].sort((a, b) => b[1] - a[1])) lines.push(`  ${String(n).padStart(5)}  ${reason}`);
  return lines;
}

const placeholderFileSchema = z.record(z.string(), z.union([z.string(), z.array(z.union([z.string(), z.number()]))]));

/** A YAML map of placeholder name → value or list of values (for the `expand` modifier). */
export function readPlaceholdersFile(file: string): Record<string, string[]> {
  const data: unknown = parseYaml(readFileSync(file, 'utf8')) ?? {};
  const parsed = placeholderFileSchema.safeParse(data);
  if (!parsed.success) throw new Error(`placeholders file ${file}: expected a map of name → value or list of values`);
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(parsed.data)) out[k] = Array.isArray(v) ? v.map(String) : [v];
  return out;
}

/** Load options from the command-line flags both tools accept. */
export function ruleLoadOptions(flags: { placeholders?: string; mappings?: string }): LoadSigmaOptions {
  const options: LoadSigmaOptions = {};
  if (flags.placeholders !== undefined) options.placeholders = readPlaceholdersFile(flags.placeholders);
  if (flags.mappings !== undefined) options.mappings = loadFieldMappings(flags.mappings);
  return options;
}
