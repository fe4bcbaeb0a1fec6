/** Test helper: compiles a rule from a detection snippet (raw field names unless mappings are given). */
import { compileRule, type CompileOptions, type CompiledSigmaRule } from '../compile';
import { parseSigmaText } from '../parse';
import type { SigmaRule } from '../types';

export function ruleText(detection: string, logsource = 'product: test'): string {
  const body = detection
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  return `title: inline test rule\nid: 00000000-0000-4000-8000-000000000001\nlogsource:\n    ${logsource}\ndetection:\n${body}\nlevel: low\n`;
}

export function inlineRule(detection: string, options: CompileOptions = {}, logsource?: string): CompiledSigmaRule {
  const parsed = parseSigmaText(ruleText(detection, logsource), 'inline.yml');
  if (parsed.errors.length > 0) throw new Error(parsed.errors.map((e) => `${e.line}: ${e.reason}`).join('; '));
  return compileRule(parsed.documents[0] as SigmaRule, options);
}

/** Compiles `detection` and returns whether it matches `event`. */
export function matches(detection: string, event: Record<string, unknown>, options: CompileOptions = {}): boolean {
  return inlineRule(detection, options).match(event);
}
