/**
 * Real SigmaHQ rules (testdata/sigmahq, DRL 1.1) against hand-made events in the shapes socnoc
 * receives. Each case lists events the rule must match and events it must not; matching goes
 * through a SigmaRuleSet with the shipped mapping and logsource tables, so routing is exercised too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledSigmaRule } from './compile';
import { loadSigmaRules } from './load';
import { loadLogsourceTable } from './logsource';
import { SigmaRuleSet } from './ruleset';

interface Case {
  rule: string;
  note: string;
  match: Record<string, unknown>[];
  nomatch: Record<string, unknown>[];
}

const testdata = join(__dirname, 'testdata');
const { cases } = JSON.parse(readFileSync(join(testdata, 'sigmahq-cases.json'), 'utf8')) as { cases: Case[] };
const loaded = loadSigmaRules([join(testdata, 'sigmahq')]);
const set = new SigmaRuleSet(loaded.rules, { logsources: loadLogsourceTable(join(__dirname, '../../rules/sigma/logsources.yaml')) });

function ruleFor(file: string) {
  const rule = loaded.rules.find((r) => r.rule.location.file.endsWith(file));
  if (!rule) throw new Error(`rule ${file} not loaded`);
  return rule;
}

describe('SigmaHQ rules on hand-made events', () => {
  it('loads every copied rule without errors', () => {
    expect(loaded.errors).toEqual([]);
    expect(loaded.rules).toHaveLength(cases.length);
  });

  it('matches every case event in one batch (mixed logsources) as it matches them one by one', () => {
    // Interleave the cases so that the batch alternates between logsources.
    const events: Record<string, unknown>[] = [];
    const longest = Math.max(...cases.map((c) => c.match.length + c.nomatch.length));
    for (let i = 0; i < longest; i++) for (const c of cases) {
      const all = [...c.match, ...c.nomatch];
      if (i < all.length) events.push(all[i]);
    }
    const out: (readonly CompiledSigmaRule[])[] = [];
    set.matchBatch(events, out);
    expect(out.map((m) => m.length).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(cases.length);
    expect(out).toEqual(events.map((e) => set.match(e)));
  });

  describe.each(cases.map((c) => [c.rule, c] as const))('%s', (_name, c) => {
    it.each(c.match.map((e, i) => [i, e] as const))(`matches event #%i (${c.note})`, (_i, event) => {
      expect(set.match(event).map((r) => r.title)).toContain(ruleFor(c.rule).title);
      expect(ruleFor(c.rule).match(event as never)).toBe(true);
    });
    it.each(c.nomatch.map((e, i) => [i, e] as const))('does not match event #%i', (_i, event) => {
      expect(set.match(event).map((r) => r.title)).not.toContain(ruleFor(c.rule).title);
    });
  });

  it('routes a Sysmon process creation event only to Windows process_creation rules', () => {
    const event = cases[0].match[0];
    const candidates = set.candidates(event).map((r) => r.logsource);
    expect(candidates.length).toBeGreaterThan(0);
    for (const ls of candidates) {
      expect(ls.product ?? 'windows').toBe('windows');
      expect(ls.category ?? 'process_creation').toBe('process_creation');
    }
  });
});
