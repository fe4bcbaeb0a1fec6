#!/usr/bin/env node
/**
 * Writes ids.json: the compliance ids a rule's `socnoc:` mapping may use, taken from the
 * compliance catalogue (catalog.yaml, built outside this repository). Only ids are copied, so
 * tests and rule validation work without the catalogue.
 *
 *   node rules/compliance/build-ids.js PATH/TO/catalog.yaml [rules/compliance/ids.json]
 */
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const YAML = require('yaml');

/** Catalogue framework id → the key rules use under `socnoc:`, and where that framework keeps its ids. */
const FRAMEWORKS = [
  { key: 'nist_csf', framework: 'nist-csf-2.0', list: 'subcategories' },
  { key: 'iso27001', framework: 'iso27001-2022', list: 'controls' },
  { key: 'decree85', framework: 'vn-decree-85-2016', list: 'requirements' },
];

function extractCatalogIds(text) {
  const catalog = YAML.parse(text);
  if (catalog === null || typeof catalog !== 'object' || !Array.isArray(catalog.frameworks)) {
    throw new Error('compliance catalogue: no frameworks list');
  }
  const out = {
    catalog: { schema_version: String(catalog.schema_version ?? ''), generated: String(catalog.generated ?? '') },
  };
  for (const { key, framework, list } of FRAMEWORKS) {
    const fw = catalog.frameworks.find((f) => f && f.id === framework);
    if (fw === undefined) throw new Error(`compliance catalogue: framework ${framework} is missing`);
    const items = fw[list];
    if (!Array.isArray(items) || items.length === 0) throw new Error(`compliance catalogue: framework ${framework} has no ${list}`);
    out[key] = items.map((item) => String(item.id)).sort();
  }
  return out;
}

module.exports = { extractCatalogIds };

if (require.main === module) {
  const [catalogPath, outPath = join(__dirname, 'ids.json')] = process.argv.slice(2);
  if (catalogPath === undefined) {
    console.error('usage: node rules/compliance/build-ids.js CATALOG.yaml [OUT.json]');
    process.exit(2);
  }
  const ids = extractCatalogIds(readFileSync(catalogPath, 'utf8'));
  writeFileSync(outPath, JSON.stringify(ids, null, 2) + '\n');
  console.log(`${outPath}: ${FRAMEWORKS.map((f) => `${ids[f.key].length} ${f.key}`).join(', ')}`);
}
