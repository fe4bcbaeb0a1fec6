/** The shipped catalogue loads and validates; broken references are reported naming the item. */
import { readFileSync } from 'node:fs';
import { clauseAt, defaultCatalogFile, loadComplianceCatalog, paramAt, parseComplianceCatalog } from './load';
import { isAnnexAControl } from './validate';

const text = readFileSync(defaultCatalogFile(), 'utf8');

function mutated(change: (data: Record<string, unknown>) => void): string {
  const data = JSON.parse(text) as Record<string, unknown>;
  change(data);
  return JSON.stringify(data);
}

type Json = Record<string, unknown>;
const reqs = (d: Json, regime: string): Json[] => ((d.regimes as Json)[regime] as Json).requirements as Json[];

describe('the shipped compliance catalogue', () => {
  const catalog = loadComplianceCatalog();

  it('holds both regimes, CSF 2.0 and Annex A with the level-3 TCVN clauses', () => {
    const d85 = catalog.regime('decree85');
    expect(d85.requirements.length).toBeGreaterThan(50);
    expect(catalog.regime('decree331').requirements.map((r) => r.id)).toEqual(expect.arrayContaining(['VN331.O.INCIDENT_REPORT', 'TCVN14423.LOG_RETENTION']));
    const netLog = catalog.requirement('VN85.T.NET.LOG');
    expect(netLog).toBeDefined();
    expect(clauseAt(netLog!, 3)).toBe('TCVN 11930:2017 7.2.1.4');
    expect(paramAt(netLog!, 'log_retention_days_min', 3)).toBe(90);
    expect(paramAt(netLog!, 'log_retention_days_min', 4)).toBeUndefined();
    expect(netLog!.uncertain).toBe(true);
    const retention = catalog.requirement('TCVN14423.LOG_RETENTION')!;
    expect(clauseAt(retention, 3)).toBe('TCVN 14423:2026 5.8.2.1a');
    expect(paramAt(retention, 'log_retention_days_min', 5)).toBe(365);
    expect(catalog.data.nist_csf.categories).toHaveLength(22);
  });

  it('keeps the ids rules use (ids.json) inside the catalogue', () => {
    const ids = JSON.parse(readFileSync(defaultCatalogFile().replace('catalog.json', 'ids.json'), 'utf8')) as { decree85: string[]; iso27001: string[]; nist_csf: string[] };
    for (const id of ids.decree85) expect(catalog.requirement(id)?.framework).toBe('vn-decree-85-2016');
    expect(catalog.data.iso27001.controls.map((c) => c.id).sort()).toEqual([...ids.iso27001].sort());
    expect(catalog.data.nist_csf.subcategories.map((s) => s.id).sort()).toEqual([...ids.nist_csf].sort());
  });
});

describe('parseComplianceCatalog', () => {
  it('names a requirement whose evidence kind does not exist', () => {
    const bad = mutated((d) => {
      reqs(d, 'decree85')[0].evidence = ['policy_document', 'crystal_ball'];
    });
    expect(() => parseComplianceCatalog(bad, 'x.json')).toThrow('compliance catalogue x.json: 1 problem(s): regime decree85 requirement VN85.M.POLICY: evidence "crystal_ball" is not an evidence kind');
  });

  it('names duplicate requirement ids across regimes', () => {
    const bad = mutated((d) => {
      reqs(d, 'decree331')[0].id = 'VN85.M.POLICY';
    });
    expect(() => parseComplianceCatalog(bad)).toThrow('regime decree331 requirement VN85.M.POLICY: duplicate id');
  });

  it('rejects crosswalk targets that are not CSF 2.0 or Annex A ids', () => {
    const bad = mutated((d) => {
      reqs(d, 'decree85')[1].maps_to = { csf: ['XX.YY-01'], iso: ['A.8.35'] };
    });
    expect(() => parseComplianceCatalog(bad)).toThrow(/VN85.M.ORG: maps_to.csf "XX.YY-01" is not a NIST CSF 2.0 subcategory; .*VN85.M.ORG: maps_to.iso "A.8.35" is not an ISO\/IEC 27001:2022 Annex A control/);
  });

  it('names the field when the structure is wrong', () => {
    const bad = mutated((d) => {
      reqs(d, 'decree85')[2].levels = [0];
    });
    expect(() => parseComplianceCatalog(bad)).toThrow(/regimes\.decree85\.requirements\.2\.levels\.0/);
  });

  it('knows the Annex A ranges', () => {
    expect(isAnnexAControl('A.5.37')).toBe(true);
    expect(isAnnexAControl('A.5.38')).toBe(false);
    expect(isAnnexAControl('A.6.11')).toBe(false);
    expect(isAnnexAControl('A.8.34')).toBe(true);
  });
});
