/**
 * Cross-reference checks of a parsed catalogue: ids unique, every evidence kind named exists, levels
 * and clauses agree, and crosswalk targets are real NIST CSF 2.0 / ISO 27001:2022 Annex A ids.
 * Crosswalks may name ids outside the catalogue's SOC/NOC subset (CSF GV.PO-01, Annex A 5.1), so
 * those are checked against the frameworks' structure: a CSF subcategory of one of the 22
 * categories, an Annex A control inside 5.1–5.37, 6.1–6.8, 7.1–7.14 or 8.1–8.34.
 */
import type { CatalogData } from './schema';

/** Controls per Annex A theme in ISO/IEC 27001:2022 (93 in all). */
const ANNEX_A_THEME_SIZES: Readonly<Record<string, number>> = { '5': 37, '6': 8, '7': 14, '8': 34 };
const ANNEX_A_ID = /^A\.([5-8])\.(\d{1,2})$/;
const CSF_SUBCATEGORY_ID = /^([A-Z]{2}\.[A-Z]{2})-(\d{2})$/;

export function isAnnexAControl(id: string): boolean {
  const m = ANNEX_A_ID.exec(id);
  if (m === null) return false;
  const n = Number(m[2]);
  return n >= 1 && n <= ANNEX_A_THEME_SIZES[m[1]];
}

/** Every problem found, each naming the item; empty when the catalogue is consistent. */
export function catalogProblems(catalog: CatalogData): string[] {
  const problems: string[] = [];
  const kinds = new Set<string>();
  for (const k of catalog.evidence_kinds) {
    if (kinds.has(k.id)) problems.push(`evidence kind ${k.id}: duplicate id`);
    kinds.add(k.id);
  }
  const csfCategories = new Set(catalog.nist_csf.categories.map((c) => c.id));
  const isCsfSubcategory = (id: string): boolean => {
    const m = CSF_SUBCATEGORY_ID.exec(id);
    return m !== null && csfCategories.has(m[1]);
  };
  const checkEvidence = (where: string, list: readonly string[]): void => {
    for (const e of list) if (!kinds.has(e)) problems.push(`${where}: evidence "${e}" is not an evidence kind`);
  };

  const requirementIds = new Set<string>();
  for (const regime of Object.values(catalog.regimes)) {
    const levels = regime.levels.map((l) => l.level).sort();
    if (levels.join() !== '1,2,3,4,5') problems.push(`regime ${regime.id}: levels must be 1-5 once each, got ${levels.join(',')}`);
    for (const r of regime.requirements) {
      const where = `regime ${regime.id} requirement ${r.id}`;
      if (requirementIds.has(r.id)) problems.push(`${where}: duplicate id`);
      requirementIds.add(r.id);
      if (catalog.groups[r.group] === undefined) problems.push(`${where}: group "${r.group}" has no labels in groups`);
      checkEvidence(where, r.evidence);
      if (r.evidence.length === 0) problems.push(`${where}: names no evidence`);
      for (const level of Object.keys(r.clauses)) {
        if (!r.levels.includes(Number(level))) problems.push(`${where}: clause for level ${level} but the requirement applies to levels ${r.levels.join(',')}`);
      }
      for (const [name, value] of Object.entries(r.params)) {
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          for (const key of Object.keys(value)) {
            if (/^L\d$/.test(key) && !/^L[1-5]$/.test(key)) problems.push(`${where}: parameter ${name} has level key ${key}`);
          }
        }
      }
      for (const id of r.maps_to.csf) if (!isCsfSubcategory(id)) problems.push(`${where}: maps_to.csf "${id}" is not a NIST CSF 2.0 subcategory`);
      for (const id of r.maps_to.iso) if (!isAnnexAControl(id)) problems.push(`${where}: maps_to.iso "${id}" is not an ISO/IEC 27001:2022 Annex A control`);
    }
  }

  const functions = new Set(catalog.nist_csf.functions.map((f) => f.id));
  for (const c of catalog.nist_csf.categories) {
    if (!functions.has(c.function)) problems.push(`nist_csf category ${c.id}: function "${c.function}" is not defined`);
    for (const id of c.iso27001) if (!isAnnexAControl(id)) problems.push(`nist_csf category ${c.id}: iso27001 "${id}" is not an Annex A control`);
  }
  const subIds = new Set<string>();
  for (const s of catalog.nist_csf.subcategories) {
    const where = `nist_csf subcategory ${s.id}`;
    if (subIds.has(s.id)) problems.push(`${where}: duplicate id`);
    subIds.add(s.id);
    if (!csfCategories.has(s.category)) problems.push(`${where}: category "${s.category}" is not defined`);
    if (!s.id.startsWith(`${s.category}-`)) problems.push(`${where}: id does not belong to category ${s.category}`);
    checkEvidence(where, s.evidence);
    for (const id of s.iso27001) if (!isAnnexAControl(id)) problems.push(`${where}: iso27001 "${id}" is not an Annex A control`);
  }
  const controlIds = new Set<string>();
  for (const c of catalog.iso27001.controls) {
    const where = `iso27001 control ${c.id}`;
    if (controlIds.has(c.id)) problems.push(`${where}: duplicate id`);
    controlIds.add(c.id);
    if (!isAnnexAControl(c.id)) problems.push(`${where}: not an ISO/IEC 27001:2022 Annex A control id`);
    checkEvidence(where, c.evidence);
    for (const id of c.nist_csf) if (!isCsfSubcategory(id)) problems.push(`${where}: nist_csf "${id}" is not a NIST CSF 2.0 subcategory`);
  }
  return problems;
}
