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
import { loadSigmaRules, type LoadSigmaResult } from './load';
import { formatLoadError, isEngineGap, loadSummaryLines, ruleLoadOptions } from './load-report';

export { isEngineGap } from './load-report';

export interface ConformanceReport {
  text: string;
  exitCode: number;
}

export function formatConformance(result: LoadSigmaResult, verbose = true): ConformanceReport {
  const lines = loadSummaryLines(result);
  const gaps = result.errors.filter(isEngineGap);
  if (verbose && result.errors.length > 0) {
    lines.push('', 'rejected:');
    for (const e of result.errors) lines.push(formatLoadError(e));
  }
  lines.push('', gaps.length === 0 ? 'result: no engine gaps' : `result: ${gaps.length} rejection(s) are engine gaps`);
  return { text: lines.join('\n'), exitCode: gaps.length > 0 ? 1 : 0 };
}

export function runConformance(argv: readonly string[]): ConformanceReport {
  const dirs: string[] = [];
  const flags: { placeholders?: string; mappings?: string } = {};
  let verbose = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--placeholders' && i + 1 < argv.length) flags.placeholders = argv[++i];
    else if (a === '--mappings' && i + 1 < argv.length) flags.mappings = argv[++i];
    else if (a === '--quiet') verbose = false;
    else if (a.startsWith('--')) return { text: `unknown option ${a}`, exitCode: 2 };
    else dirs.push(a);
  }
  if (dirs.length === 0) {
    return { text: 'usage: conformance [--placeholders FILE] [--mappings DIR] [--quiet] DIR…', exitCode: 2 };
  }
  return formatConformance(loadSigmaRules(dirs, ruleLoadOptions(flags)), verbose);
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
