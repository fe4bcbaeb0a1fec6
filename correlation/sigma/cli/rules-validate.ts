/**
 * `socnoc rules validate PATH…`: loads every rule file under the paths and lists each file as
 * loaded (with what it holds) or rejected (file:line, kind and reason per rejected document),
 * then the totals. Exit codes: 0 every document loaded, 1 something was rejected, 2 usage.
 */
import { parseArgs } from 'node:util';
import { loadSigmaRules, type LoadSigmaResult } from '../load';
import { formatLoadError, loadSummaryLines, ruleLoadOptions } from '../load-report';
import type { SigmaLoadError, SigmaWarning } from '../types';
import type { CliIo } from './output';

export const RULES_VALIDATE_USAGE = `usage: socnoc rules validate [options] PATH…
  --quiet             list only rejected documents and the totals
  --placeholders FILE values for %placeholders% (YAML map)
  --mappings DIR      field mapping tables instead of rules/sigma/mappings`;

interface FileReport {
  rules: number;
  correlations: number;
  filters: number;
  errors: SigmaLoadError[];
  warnings: SigmaWarning[];
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function byFile(result: LoadSigmaResult): Map<string, FileReport> {
  const files = new Map<string, FileReport>();
  const get = (file: string): FileReport => {
    let r = files.get(file);
    if (r === undefined) files.set(file, (r = { rules: 0, correlations: 0, filters: 0, errors: [], warnings: [] }));
    return r;
  };
  for (const f of result.fileList) get(f);
  for (const r of result.rules) get(r.rule.location.file).rules++;
  for (const c of result.correlations) get(c.location.file).correlations++;
  for (const f of result.filters) get(f.location.file).filters++;
  for (const e of result.errors) get(e.file).errors.push(e);
  for (const w of result.warnings) get(w.file).warnings.push(w);
  return files;
}

function holds(r: FileReport): string {
  const parts: string[] = [];
  if (r.rules > 0) parts.push(plural(r.rules, 'rule', 'rules'));
  if (r.correlations > 0) parts.push(plural(r.correlations, 'correlation', 'correlations'));
  if (r.filters > 0) parts.push(plural(r.filters, 'filter', 'filters'));
  return parts.length > 0 ? parts.join(', ') : 'no documents';
}

export function formatValidation(result: LoadSigmaResult, quiet = false): { text: string; exitCode: number } {
  const lines: string[] = [];
  let clean = 0;
  for (const [file, r] of byFile(result)) {
    if (r.errors.length === 0) clean++;
    const loaded = r.rules + r.correlations + r.filters;
    if (!quiet && (r.errors.length === 0 || loaded > 0)) lines.push(`loaded    ${file}  (${holds(r)})`);
    for (const e of r.errors) lines.push(`rejected  ${formatLoadError(e)}`);
    if (!quiet) for (const w of r.warnings) lines.push(`warning   ${w.file}:${w.line}: ${w.reason}${w.document ? ` (${w.document})` : ''}`);
  }
  lines.push('', ...loadSummaryLines(result), '');
  const rejectedFiles = byFile(result).size - clean;
  lines.push(
    result.errors.length === 0
      ? `result: all ${plural(result.files, 'file', 'files')} loaded`
      : `result: ${plural(result.errors.length, 'document', 'documents')} rejected in ${plural(rejectedFiles, 'file', 'files')}`,
  );
  return { text: lines.join('\n'), exitCode: result.errors.length === 0 ? 0 : 1 };
}

export async function runRulesValidate(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { quiet: { type: 'boolean', short: 'q' }, placeholders: { type: 'string' }, mappings: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    io.stderr.write(`rules validate: ${(err as Error).message}\n${RULES_VALIDATE_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${RULES_VALIDATE_USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) {
    io.stderr.write(`rules validate: no path given\n${RULES_VALIDATE_USAGE}\n`);
    return 2;
  }
  let result: LoadSigmaResult;
  try {
    result = loadSigmaRules(positionals, ruleLoadOptions(values));
  } catch (err) {
    io.stderr.write(`rules validate: ${(err as Error).message}\n`);
    return 2;
  }
  const report = formatValidation(result, values.quiet === true);
  io.stdout.write(report.text + '\n');
  return report.exitCode;
}
