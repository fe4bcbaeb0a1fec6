/** build-ids.js: catalogue → ids.json, and the committed ids.json has the shape rules rely on. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractCatalogIds, type CatalogIds } from './build-ids';

const CATALOG_EXCERPT = `schema_version: 0.1-draft
generated: '2026-11-27'
frameworks:
- id: vn-decree-85-2016
  requirements:
  - id: VN85.T.SRV.LOG
    title_en: Server logging
  - id: VN85.M.POLICY
- id: nist-csf-2.0
  categories:
  - id: DE.CM
  subcategories:
  - id: DE.CM-01
  - id: DE.AE-02
- id: iso27001-2022
  controls:
  - id: A.8.16
  - id: A.5.7
`;

describe('extractCatalogIds', () => {
  it('takes the subcategories, Annex A controls and Decree 85 requirements, sorted', () => {
    expect(extractCatalogIds(CATALOG_EXCERPT)).toEqual({
      catalog: { schema_version: '0.1-draft', generated: '2026-11-27' },
      nist_csf: ['DE.AE-02', 'DE.CM-01'],
      iso27001: ['A.5.7', 'A.8.16'],
      decree85: ['VN85.M.POLICY', 'VN85.T.SRV.LOG'],
    });
  });

  it('names the framework that is missing', () => {
    expect(() => extractCatalogIds(CATALOG_EXCERPT.replace('iso27001-2022', 'iso27002'))).toThrow('framework iso27001-2022 is missing');
  });
});

describe('ids.json', () => {
  const ids = JSON.parse(readFileSync(join(__dirname, 'ids.json'), 'utf8')) as CatalogIds;
  it.each([
    ['nist_csf', /^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-\d{2}$/],
    ['iso27001', /^A\.[5-8]\.\d{1,2}$/],
    ['decree85', /^VN85\.[A-Z]\.[A-Z0-9_.]+$/],
  ] as const)('%s holds sorted, well-formed ids', (key, shape) => {
    const list = ids[key];
    expect(list.length).toBeGreaterThan(10);
    expect([...list].sort()).toEqual(list);
    for (const id of list) expect(id).toMatch(shape);
  });
});
