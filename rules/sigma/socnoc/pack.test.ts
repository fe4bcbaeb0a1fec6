/**
 * socnoc's own Sigma rule pack (this folder): it loads with no error, every document carries the
 * metadata the project requires and compliance ids that exist in the catalogue
 * (rules/compliance/ids.json), and each rule file's cases (tests/<file stem>.json) fire or stay
 * quiet through a SigmaRuleSet built with the shipped logsource table and field mappings; the
 * correlation files' sequences go on through the CorrelationEngine. Raw syslog lines in the cases
 * go through the real syslog parser and normalizers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { z } from 'zod';
import { loadSigmaRules } from '../../../correlation/sigma/load';
import { loadFieldMappings } from '../../../correlation/sigma/field-mapping';
import { loadLogsourceTable } from '../../../correlation/sigma/logsource';
import { SigmaRuleSet } from '../../../correlation/sigma/ruleset';
import type { CompiledSigmaRule } from '../../../correlation/sigma/compile';
import type { SigmaCorrelation, SigmaDocument } from '../../../correlation/sigma/types';
import { CorrelationEngine } from '../../../correlation/sigma/correlate';
import type { CatalogIds } from '../../compliance/build-ids';
import { caseEvent } from '../testing/events';

const packDir = __dirname;
const testsDir = join(packDir, 'tests');
const sigmaDir = join(packDir, '..');

const mappings = loadFieldMappings(join(sigmaDir, 'mappings'));
const loaded = loadSigmaRules([packDir], { mappings });
const set = new SigmaRuleSet(loaded.rules, { logsources: loadLogsourceTable(join(sigmaDir, 'logsources.yaml')) });
const catalog = JSON.parse(readFileSync(join(sigmaDir, '..', 'compliance', 'ids.json'), 'utf8')) as CatalogIds;

const caseItem = z.union([z.string().min(1), z.record(z.string(), z.unknown())]);
const detectionCases = z.strictObject({ positive: z.array(caseItem).min(1), negative: z.array(caseItem).min(1) });
const sequence = z.strictObject({ note: z.string().min(1), fires: z.boolean(), events: z.array(caseItem).min(1) });
const correlationCases = z.strictObject({ sequences: z.array(sequence).min(2) });

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const complianceIds = (known: readonly string[]) => z.array(z.string().refine((id) => known.includes(id), { message: 'not in rules/compliance/ids.json' })).min(1);
const socnocMapping = z.strictObject({
  nist_csf: complianceIds(catalog.nist_csf),
  iso27001: complianceIds(catalog.iso27001),
  decree85: complianceIds(catalog.decree85),
  /** Alert settings read by correlation/alerts/rule-info.ts. */
  dedup_by: z.array(z.string().min(1)).min(1).optional(),
  dedup_window: z.string().regex(/^\d+[smhd]$/).optional(),
  /** Rules whose open alerts this one clears (correlation/alerts/auto-resolve.ts); ids checked below. */
  resolves: z.array(z.union([z.string().regex(UUID_PATTERN), z.strictObject({ rule: z.string().regex(UUID_PATTERN), group: z.record(z.string().min(1), z.string().min(1)) })])).min(1).optional(),
});

/** NOC rules (noc/) watch availability and performance: most are no attack, so ATT&CK tags only where one applies. */
const isNocRule = (d: SigmaDocument): boolean => relative(packDir, d.location.file).startsWith('noc/');

/** ATT&CK tactics as SigmaHQ tags them today (v18 split defense-evasion into stealth and defense-impairment). */
const TACTICS = new Set([
  'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence', 'privilege-escalation', 'defense-evasion',
  'stealth', 'defense-impairment', 'credential-access', 'discovery', 'lateral-movement', 'collection', 'command-and-control',
  'exfiltration', 'impact',
]);
const TECHNIQUE = /^attack\.t\d{4}(\.\d{3})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const documents: SigmaDocument[] = [...loaded.rules.map((r) => r.rule), ...loaded.correlations];
const ruleFiles = [...new Set(documents.map((d) => d.location.file))].sort();
const stemOf = (file: string): string => basename(file).replace(/\.yml$/, '');

function rulesIn(file: string): CompiledSigmaRule[] {
  return loaded.rules.filter((r) => r.rule.location.file === file);
}

function correlationsIn(file: string): SigmaCorrelation[] {
  return loaded.correlations.filter((c) => c.location.file === file);
}

function readCases(stem: string): unknown {
  return JSON.parse(readFileSync(join(testsDir, `${stem}.json`), 'utf8'));
}

function firedIds(item: z.infer<typeof caseItem>): string[] {
  return set.match(caseEvent(item)).map((r) => r.id ?? r.title);
}

/** Detection rules a correlation finally counts: its references, with correlation references followed. */
function baseRuleIds(c: SigmaCorrelation): string[] {
  const out: string[] = [];
  for (const ref of c.rules) {
    const rule = loaded.rules.find((r) => r.id === ref || r.name === ref);
    if (rule !== undefined) {
      out.push(rule.id as string);
      continue;
    }
    const inner = loaded.correlations.find((x) => x.id === ref || x.name === ref);
    if (inner === undefined) throw new Error(`${c.title}: reference ${ref} not loaded`);
    out.push(...baseRuleIds(inner));
  }
  return out;
}

describe('socnoc rule pack', () => {
  it('loads every file with no error and no warning', () => {
    expect(loaded.errors).toEqual([]);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.rules.length).toBeGreaterThanOrEqual(60);
    expect(loaded.correlations.length).toBeGreaterThanOrEqual(10);
  });

  it('names its files as the Sigma specification recommends', () => {
    for (const file of ruleFiles) {
      const stem = stemOf(file);
      expect(`${stem}: ${/^[a-z0-9_]{10,70}$/.test(stem)}`).toBe(`${stem}: true`);
      // Correlation files use the specification's mr_ prefix; detection files hold one rule each.
      const isCorrelation = correlationsIn(file).length > 0;
      expect(`${stem}: ${stem.startsWith('mr_')}`).toBe(`${stem}: ${isCorrelation}`);
      if (!isCorrelation) expect(rulesIn(file)).toHaveLength(1);
    }
  });

  it.each(documents.map((d) => [`${relative(packDir, d.location.file)}:${d.location.line} ${d.title}`, d] as const))('%s carries the required metadata', (_label, d) => {
    expect(d.id).toMatch(UUID);
    expect(d.description?.trim().length).toBeGreaterThan(20);
    expect(d.status).toBe('experimental');
    expect(d.author).toBe('socnoc');
    expect(d.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(d.level).toBeDefined();
    expect(d.falsepositives.length).toBeGreaterThan(0);
    for (const tag of d.tags) expect(`${tag}: ${TECHNIQUE.test(tag) || TACTICS.has(tag.replace(/^attack\./, ''))}`).toBe(`${tag}: true`);
    if (!isNocRule(d) || d.tags.length > 0) {
      expect(d.tags.some((t) => TECHNIQUE.test(t))).toBe(true);
      expect(d.tags.some((t) => TACTICS.has(t.replace(/^attack\./, '')))).toBe(true);
    }
    const mapping = socnocMapping.safeParse(d.raw.socnoc);
    expect(mapping.success ? 'ok' : mapping.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toBe('ok');
  });

  it('resolves only rules of the pack', () => {
    const ids = new Set(documents.map((d) => d.id));
    for (const d of documents) {
      const list = (d.raw.socnoc as { resolves?: Array<string | { rule: string }> } | undefined)?.resolves ?? [];
      for (const entry of list) {
        const id = typeof entry === 'string' ? entry : entry.rule;
        expect(`${d.title} resolves ${id}: ${ids.has(id)}`).toBe(`${d.title} resolves ${id}: true`);
      }
    }
  });

  it('has exactly one test file per rule file', () => {
    const testStems = readdirSync(testsDir)
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.replace(/\.json$/, ''))
      .sort();
    expect(testStems).toEqual(ruleFiles.map(stemOf).sort());
  });
});

describe.each(ruleFiles.filter((f) => correlationsIn(f).length === 0).map((f) => [stemOf(f), f] as const))('%s', (stem, file) => {
  const cases = detectionCases.parse(readCases(stem));
  const rule = rulesIn(file)[0];

  it.each(cases.positive.map((item, i) => [i, item] as const))('fires on positive case #%i', (_i, item) => {
    expect(firedIds(item)).toContain(rule.id);
  });

  it.each(cases.negative.map((item, i) => [i, item] as const))('stays quiet on negative case #%i', (_i, item) => {
    expect(firedIds(item)).not.toContain(rule.id);
  });
});

describe.each(ruleFiles.filter((f) => correlationsIn(f).length > 0).map((f) => [stemOf(f), f] as const))('%s', (stem, file) => {
  const cases = correlationCases.parse(readCases(stem));
  // The file's first document is the correlation that raises the alert; later ones feed it.
  const outer = correlationsIn(file).sort((a, b) => a.location.line - b.location.line)[0];
  const bases = baseRuleIds(outer);

  it('validates, with every reference resolved', () => {
    expect(outer.rules.length).toBeGreaterThan(0);
    expect(bases.length).toBeGreaterThan(0);
  });

  it('has sequences that should fire and sequences that should not', () => {
    expect(cases.sequences.some((s) => s.fires)).toBe(true);
    expect(cases.sequences.some((s) => !s.fires)).toBe(true);
  });

  it.each(cases.sequences.map((s) => [s.note, s] as const))('every event of "%s" reaches a rule the correlation counts', (_note, s) => {
    for (const item of s.events) expect(firedIds(item).some((id) => bases.includes(id))).toBe(true);
  });

  it.each(cases.sequences.map((s) => [s.note, s] as const))('"%s": the correlation engine fires exactly as expected', (_note, s) => {
    // A fresh engine per sequence: whole pack loaded, so chains and shared base rules are exercised.
    const engine = new CorrelationEngine(loaded.rules, loaded.correlations, { mappings });
    expect(engine.errors).toEqual([]);
    let hits = 0;
    for (const item of s.events) {
      const event = caseEvent(item);
      for (const hit of engine.process(event, set.match(event))) if (hit.correlation === outer) hits++;
    }
    for (const hit of engine.flush()) if (hit.correlation === outer) hits++;
    expect(hits).toBe(s.fires ? 1 : 0);
  });
});
