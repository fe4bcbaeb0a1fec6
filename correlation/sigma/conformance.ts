/**
 * Sigma conformance check: loads every rule under the given folders and reports what loaded and
 * what was rejected, one `file:line: [kind] reason` per rejected document.
 *
 *   node dist/correlation/sigma/conformance.js [--placeholders FILE] [--mappings DIR] [--quiet] DIR…
 *
 * Exit code 1 when a rejection is an engine gap (kind `unsupported`: something the spec allows
 * that the engine cannot evaluate) or a folder cannot be read; rejections that are defects of the
 * rule itself (invalid YAML, schema, condition, modifier, value, reference, duplicate) are listed
 * but do not fail the run. Exit code 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { loadFieldMappings } from './field-mapping';
import { CORRELATION_NOT_EVALUATED, loadSigmaRules, type LoadSigmaOptions, type LoadSigmaResult } from './load';
import type { SigmaErrorKind, SigmaLoadError } from './types';

const ENGINE_GAP_KINDS: ReadonlySet<SigmaErrorKind> = new Set(['unsupported', 'io']);

const placeholderFileSchema = z.record(z.string(), z.union([z.string(), z.array(z.union([z.string(), z.number()]))]));

export interface ConformanceReport {
  text: string;
  exitCode: number;
}

export function isEngineGap(error: SigmaLoadError): boolean {
  return ENGINE_GAP_KINDS.has(error.kind);
}

export function formatConformance(result: LoadSigmaResult, verbose = true): ConformanceReport {
  const lines: string[] = [];
  const byKind = new Map<string, number>();
  for (const e of result.errors) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
  const gaps = result.errors.filter(isEngineGap);
  const markedUnsupported = result.errors.filter((e) => e.status === 'unsupported');
  const standaloneRules = result.rules.filter((r) => r.standalone).length;
  lines.push(`files:               ${result.files}`);
  lines.push(`rules loaded:        ${result.rules.length} (${standaloneRules} alert on their own)`);
  lines.push(`correlation rules:   ${result.correlations.length} validated — ${CORRELATION_NOT_EVALUATED}`);
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
  if (verbose && result.errors.length > 0) {
    lines.push('', 'rejected:');
    for (const e of result.errors) {
      const label = e.document ? ` (${e.document}${e.status ? `, status ${e.status}` : ''})` : '';
      lines.push(`${e.file}:${e.line}: [${e.kind}] ${e.reason}${label}`);
    }
  }
  lines.push('', gaps.length === 0 ? 'result: no engine gaps' : `result: ${gaps.length} rejection(s) are engine gaps`);
  return { text: lines.join('\n'), exitCode: gaps.length > 0 ? 1 : 0 };
}

function readPlaceholders(file: string): Record<string, string[]> {
  const data = parseYaml(readFileSync(file, 'utf8')) ?? {};
  const parsed = placeholderFileSchema.safeParse(data);
  if (!parsed.success) throw new Error(`placeholders file ${file}: expected a map of name → value or list of values`);
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(parsed.data)) out[k] = Array.isArray(v) ? v.map(String) : [v];
  return out;
}

export function runConformance(argv: readonly string[]): ConformanceReport {
  const dirs: string[] = [];
  const options: LoadSigmaOptions = {};
  let verbose = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--placeholders' && i + 1 < argv.length) options.placeholders = readPlaceholders(argv[++i]);
    else if (a === '--mappings' && i + 1 < argv.length) options.mappings = loadFieldMappings(argv[++i]);
    else if (a === '--quiet') verbose = false;
    else if (a.startsWith('--')) return { text: `unknown option ${a}`, exitCode: 2 };
    else dirs.push(a);
  }
  if (dirs.length === 0) {
    return { text: 'usage: conformance [--placeholders FILE] [--mappings DIR] [--quiet] DIR…', exitCode: 2 };
  }
  return formatConformance(loadSigmaRules(dirs, options), verbose);
}

if (require.main === module) {
  try {
    const report = runConformance(process.argv.slice(2));
    process.stdout.write(report.text + '\n');
    process.exitCode = report.exitCode;
  } catch (err) {
    process.stderr.write(`conformance: ${(err as Error).message}\n`);
    process.exitCode = 2;
  }
}
