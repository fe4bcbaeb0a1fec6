/** Loading files and folders: multi-document files, filters, correlations, and located errors. */
import { join } from 'node:path';
import { loadSigmaRules } from './load';
import { formatConformance, runConformance } from './conformance';
import { parseSigmaText } from './parse';

const spec = join(__dirname, 'testdata', 'spec');
const invalid = join(spec, 'invalid');

describe('loadSigmaRules on valid files', () => {
  const result = loadSigmaRules([join(spec, 'mr_failed_then_success.yml'), join(spec, 'rule_rar_compression.yml'), join(spec, 'mf_admin_accounts.yml')]);

  it('loads every document of a multi-document file', () => {
    expect(result.errors).toEqual([]);
    expect(result.rules.map((r) => r.name ?? r.title).sort()).toEqual(['Data Compressed With Rar', 'failed_login', 'successful_login']);
    expect(result.correlations.map((c) => [c.type, c.timespanMs])).toEqual([
      ['temporal_ordered', 600_000],
      ['event_count', 600_000],
    ]);
    expect(result.correlations[1].condition.operators).toEqual({ gte: 10 });
  });

  it('lists the files it read and locates each correlation rule', () => {
    expect(result.fileList.map((f) => f.split('/').pop())).toEqual(['mr_failed_then_success.yml', 'rule_rar_compression.yml', 'mf_admin_accounts.yml']);
    expect(result.correlations.map((c) => c.location.line)).toEqual([2, 22]);
    expect(result.warnings.filter((w) => w.reason.startsWith('correlation'))).toEqual([]);
  });

  it('marks rules that only feed a correlation (generate: false) as not standalone', () => {
    const byName = (n: string) => result.rules.find((r) => r.name === n);
    expect(byName('failed_login')?.standalone).toBe(false);
    expect(byName('successful_login')?.standalone).toBe(false);
    expect(result.rules.find((r) => r.title === 'Data Compressed With Rar')?.standalone).toBe(true);
  });

  it('applies a meta filter to the rule it names (rule condition AND filter condition)', () => {
    const rar = result.rules.find((r) => r.title === 'Data Compressed With Rar');
    expect(rar?.filters).toEqual(['Filter Administrator account']);
    const event = (user: string) => ({ winlog: { event_data: { Image: 'C:\\Program Files\\WinRAR\\rar.exe', CommandLine: 'rar a out.rar C:\\data', User: user } } });
    expect(rar?.match(event('CORP\\alice'))).toBe(true);
    expect(rar?.match(event('adm_alice'))).toBe(false);
    expect(result.warnings.some((w) => w.reason === "filter names rule 'df0841c0-9846-4e9f-ad8a-7df91571771b', which is not loaded" && w.line === 9)).toBe(true);
  });
});

describe('loadSigmaRules on invalid files', () => {
  const result = loadSigmaRules([spec]);
  const errorFor = (file: string) => result.errors.filter((e) => e.file.endsWith(file));

  it.each<[string, number, string, RegExp]>([
    ['bad_yaml.yml', 7, 'yaml', /invalid YAML: Flow sequence .* end with a \]/],
    ['bad_level.yml', 9, 'schema', /level: Invalid option/],
    ['bad_modifier.yml', 9, 'modifier', /unknown modifier 'containz'/],
    ['two_documents.yml', 17, 'condition', /refers to 'filter'/],
    // Files load in path order, so the later of two documents with one id is the rejected one.
    ['rule_rar_compression.yml', 1, 'duplicate', /duplicate id 6f3e2987-db24-4c78-a860-b4f4095a7095, already used by 'Same id as the rar rule' at .*duplicate_id\.yml:1/],
    ['correlation_missing_rule.yml', 6, 'reference', /references 'no_such_rule'/],
    ['v1_aggregation.yml', 8, 'condition', /aggregation .* removed in 2\.0/],
  ])('%s → line %i, %s', (file, line, kind, reason) => {
    const errors = errorFor(file);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line, kind });
    expect(errors[0].reason).toMatch(reason);
  });

  it('still loads the valid document of a file whose other document is invalid', () => {
    expect(result.rules.some((r) => r.title === 'First document is fine')).toBe(true);
  });

  it('skips the engine data tables when walking the rules folder', () => {
    const data = loadSigmaRules([join(__dirname, '../../rules/sigma')]);
    expect(data.errors).toEqual([]);
  });

  it('lists a missing path as an io error', () => {
    const missing = loadSigmaRules([join(spec, 'does-not-exist')]);
    expect(missing.errors).toMatchObject([{ kind: 'io' }]);
  });
});

describe('conformance report', () => {
  it('counts loaded and rejected documents and lists each rejection with file:line', () => {
    const report = formatConformance(loadSigmaRules([spec]));
    expect(report.text).toMatch(/rules loaded: +4/); // rar is rejected as a duplicate, 'Same id' loads
    expect(report.text).toMatch(/correlation rules: +2\n/);
    expect(report.text).toMatch(/rejected documents: +7/);
    expect(report.text).toContain(`${join(invalid, 'bad_modifier.yml')}:9: [modifier] unknown modifier 'containz' (Bad modifier)`);
    // Rule defects are not engine gaps.
    expect(report.exitCode).toBe(0);
  });

  it('fails on engine gaps and on bad usage', () => {
    expect(runConformance([]).exitCode).toBe(2);
    expect(runConformance([join(spec, 'does-not-exist')]).exitCode).toBe(1);
  });
});

describe('parseSigmaText', () => {
  it('rejects unknown taxonomies as unsupported and Sigma 1.x collections as schema errors', () => {
    const tax = parseSigmaText('title: t\ntaxonomy: ocsf\nlogsource:\n    product: x\ndetection:\n    s:\n        a: 1\n    condition: s\n', 'tax.yml');
    expect(tax.errors).toMatchObject([{ kind: 'unsupported', line: 2 }]);
    const v1 = parseSigmaText('action: global\ntitle: t\ndetection:\n    condition: s\n', 'v1.yml');
    expect(v1.errors[0].reason).toMatch(/Sigma 1\.x syntax/);
  });

  it('validates correlation requirements', () => {
    const text = 'title: c\ncorrelation:\n    type: value_count\n    rules: [a]\n    group-by: [User]\n    timespan: 1h\n    condition:\n        gte: 3\n';
    expect(parseSigmaText(text, 'c.yml').errors[0].reason).toMatch(/value_count needs condition.field/);
    const sum = 'title: c\ncorrelation:\n    type: value_sum\n    rules: [a]\n    timespan: 1h\n    condition:\n        field: [a, b]\n        gt: 3\n';
    expect(parseSigmaText(sum, 'c.yml').errors[0]).toMatchObject({ line: 7, reason: expect.stringMatching(/value_sum takes one condition.field/) });
    const bad = 'title: c\ncorrelation:\n    type: temporal\n    rules: [a, b]\n    timespan: 1 hour\n';
    expect(parseSigmaText(bad, 'c.yml').errors[0]).toMatchObject({ line: 5, kind: 'schema' });
  });
});
