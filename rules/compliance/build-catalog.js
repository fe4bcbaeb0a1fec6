#!/usr/bin/env node
/**
 * Writes catalog.json: the compliance catalogue socnoc assesses against, converted from the
 * researched draft (catalog.yaml, kept outside this repository) into the shape SCHEMA.md documents.
 * Regimes are assembled here (which draft frameworks a Decree 85 or Decree 331 report covers), TCVN
 * clause lists are split per level, and every item the draft marks uncertain keeps the mark.
 *
 *   node rules/compliance/build-catalog.js PATH/TO/catalog.yaml [rules/compliance/catalog.json]
 */
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const YAML = require('yaml');

/**
 * Which draft frameworks make up each regime. Decree 85 audits still cite QĐ 05/TT 20 (incident
 * reporting), TT 31 (monitoring) and the 4-layer model; Decree 331 pairs with TCVN 14423:2026.
 */
const REGIMES = {
  decree85: {
    name_vi: 'Nghị định 85/2016/NĐ-CP, Thông tư 12/2022/TT-BTTTT, TCVN 11930:2017',
    name_en: 'Decree 85/2016/ND-CP, Circular 12/2022/TT-BTTTT, TCVN 11930:2017',
    parts: [
      { framework: 'vn-decree-85-2016', list: 'requirements', standard: 'TCVN 11930:2017' },
      { framework: 'vn-incident-response', list: 'requirements', group: 'incident_response', status_uncertain: true },
      { framework: 'vn-monitoring-tt31-2017', list: 'requirements', group: 'monitoring', status_uncertain: true },
      { framework: 'vn-4-layer-model', list: 'requirements', group: 'four_layer_model' },
    ],
  },
  decree331: {
    name_vi: 'Luật An ninh mạng 116/2025/QH15, Nghị định 331/2026/NĐ-CP, TCVN 14423:2026',
    name_en: 'Cybersecurity Law 116/2025/QH15, Decree 331/2026/ND-CP, TCVN 14423:2026',
    parts: [
      { framework: 'vn-decree-331-2026', list: 'obligations', group: 'obligation', status_uncertain: true },
      { framework: 'vn-tcvn-14423-2026', list: 'requirements', group: 'tcvn14423', standard: 'TCVN 14423:2026' },
    ],
  },
};

/** Labels of requirement groups in both report languages. */
const GROUPS = {
  'management/policy': ['Quản lý: chính sách', 'Management: policy'],
  'management/organisation': ['Quản lý: tổ chức', 'Management: organisation'],
  'management/personnel': ['Quản lý: nhân sự', 'Management: personnel'],
  'management/design_build': ['Quản lý: thiết kế, xây dựng', 'Management: design and build'],
  'management/operations': ['Quản lý: vận hành', 'Management: operations'],
  'management/risk': ['Quản lý: rủi ro', 'Management: risk'],
  'management/decommission': ['Quản lý: kết thúc vận hành', 'Management: decommissioning'],
  'technical/design': ['Kỹ thuật: thiết kế', 'Technical: design'],
  'technical/network': ['Kỹ thuật: mạng', 'Technical: network'],
  'technical/server': ['Kỹ thuật: máy chủ', 'Technical: servers'],
  'technical/application': ['Kỹ thuật: ứng dụng', 'Technical: applications'],
  'technical/data': ['Kỹ thuật: dữ liệu', 'Technical: data'],
  obligation: ['Nghĩa vụ của chủ quản, đơn vị vận hành', 'Obligations of owner and operator'],
  incident_response: ['Ứng cứu sự cố (QĐ 05/2017, TT 20/2017)', 'Incident response (QD 05/2017, TT 20/2017)'],
  monitoring: ['Giám sát an toàn (TT 31/2017)', 'Security monitoring (TT 31/2017)'],
  four_layer_model: ['Mô hình bảo vệ 4 lớp', 'Four-layer protection model'],
  tcvn14423: ['Yêu cầu định lượng TCVN 14423:2026', 'TCVN 14423:2026 quantitative requirements'],
};

const LEVEL_KEY = /^L([1-5])$/;

function fail(message) {
  throw new Error(`compliance catalogue: ${message}`);
}

function strings(list, where) {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) fail(`${where}: expected a list`);
  return list.map((v) => String(v));
}

function isUncertainText(text) {
  return typeof text === 'string' && /unverified|\[U\]|\(verify\)|uncertain/i.test(text);
}

/** `{L3: 7.2.1.4}` → `{"3": "7.2.1.4"}`; `4.8.2.1a/5.8.2.1a/...` split per level when it lines up. */
function clausesOf(item, levels, where) {
  if (item.tcvn_11930_clause !== undefined) {
    const out = {};
    for (const [key, value] of Object.entries(item.tcvn_11930_clause)) {
      const m = LEVEL_KEY.exec(key);
      if (m === null) fail(`${where}: clause key "${key}" is not L1-L5`);
      out[m[1]] = String(value);
    }
    return { clauses: out, clause_text: null };
  }
  if (item.clauses !== undefined) {
    const text = String(item.clauses);
    const parts = text.split('/');
    // TCVN 14423 numbers sections 3..7 for levels 1..5.
    if (parts.length === levels.length && parts.every((p, i) => p.startsWith(`${levels[i] + 2}.`))) {
      const out = {};
      parts.forEach((p, i) => (out[String(levels[i])] = p));
      return { clauses: out, clause_text: text };
    }
    return { clauses: {}, clause_text: text };
  }
  return { clauses: {}, clause_text: null };
}

function requirementOf(item, part, fw) {
  const where = `${part.framework} ${item.id}`;
  const levels = (item.levels ?? []).map(Number);
  const { clauses, clause_text } = clausesOf(item, levels, where);
  const confidence = item.confidence ?? fw.confidence ?? 'high';
  return {
    id: String(item.id),
    framework: part.framework,
    group: String(item.group ?? part.group),
    title_vi: String(item.title_vi ?? item.title_en),
    title_en: String(item.title_en ?? item.title_vi),
    levels,
    standard: part.standard ?? null,
    clauses,
    clause_text,
    source: item.source !== undefined ? String(item.source) : null,
    evidence: strings(item.evidence, `${where} evidence`),
    params: item.params ?? {},
    maps_to: { csf: strings(item.maps_to?.csf, `${where} maps_to.csf`), iso: strings(item.maps_to?.iso, `${where} maps_to.iso`).map((c) => `A.${c}`) },
    notes: item.notes !== undefined ? String(item.notes) : null,
    confidence: String(confidence),
    uncertain: String(confidence) !== 'high' || isUncertainText(item.notes),
  };
}

function buildCatalog(text) {
  const draft = YAML.parse(text);
  if (draft === null || typeof draft !== 'object' || !Array.isArray(draft.frameworks)) fail('no frameworks list');
  const framework = (id) => draft.frameworks.find((f) => f && f.id === id) ?? fail(`framework ${id} is missing`);
  const regimes = {};
  for (const [key, spec] of Object.entries(REGIMES)) {
    const requirements = [];
    const sources = [];
    let levels = [];
    for (const part of spec.parts) {
      const fw = framework(part.framework);
      const items = fw[part.list];
      if (!Array.isArray(items) || items.length === 0) fail(`framework ${part.framework} has no ${part.list}`);
      for (const item of items) requirements.push(requirementOf(item, part, fw));
      sources.push({ framework: part.framework, name: String(fw.name), status: fw.status !== undefined ? String(fw.status) : null, status_uncertain: part.status_uncertain === true });
      if (levels.length === 0 && Array.isArray(fw.levels)) {
        levels = fw.levels.map((l) => ({ level: Number(l.level), criteria_vi: String(l.criteria_vi), criteria_en: String(l.criteria_en), appraised_by: String(l.appraised_by ?? ''), approved_by: String(l.approved_by ?? ''), source: String(l.source ?? '') }));
      }
    }
    regimes[key] = { id: key, name_vi: spec.name_vi, name_en: spec.name_en, sources, levels, requirements };
  }
  const csf = framework('nist-csf-2.0');
  const iso = framework('iso27001-2022');
  const annexA = (list) => strings(list, 'iso27001_2022_annexA').map((c) => `A.${c}`);
  return {
    schema: 1,
    source: { schema_version: String(draft.schema_version ?? ''), generated: String(draft.generated ?? ''), disclaimer: String(draft.disclaimer ?? ''), regime_note: String(draft.regime_note ?? '') },
    groups: Object.fromEntries(Object.entries(GROUPS).map(([id, [vi, en]]) => [id, { vi, en }])),
    evidence_kinds: draft.evidence_kinds.map((k) => ({ id: String(k.id), description: String(k.description) })),
    regimes,
    nist_csf: {
      name: String(csf.name),
      functions: csf.functions.map((f) => ({ id: String(f.id), title_en: String(f.title_en), title_vi: String(f.title_vi) })),
      categories: csf.categories.map((c) => ({ id: String(c.id), function: String(c.function), title_en: String(c.title_en), title_vi: String(c.title_vi), iso27001: annexA(c.iso27001_2022_annexA) })),
      subcategories: csf.subcategories.map((s) => ({ id: String(s.id), category: String(s.category), title_en: String(s.title_en), title_vi: String(s.title_vi), evidence: strings(s.evidence, `${s.id} evidence`), iso27001: annexA(s.iso27001_2022_annexA) })),
    },
    iso27001: {
      name: String(iso.name),
      controls: iso.controls.map((c) => ({ id: String(c.id), theme: String(c.theme), title_en: String(c.title_en), title_vi: String(c.title_vi), evidence: strings(c.evidence, `${c.id} evidence`), nist_csf: strings(c.csf2_subcategories_cprt, `${c.id} csf2_subcategories_cprt`) })),
    },
    crosswalk_notes: draft.crosswalks ?? {},
  };
}

module.exports = { buildCatalog };

if (require.main === module) {
  const [catalogPath, outPath = join(__dirname, 'catalog.json')] = process.argv.slice(2);
  if (catalogPath === undefined) {
    console.error('usage: node rules/compliance/build-catalog.js CATALOG.yaml [OUT.json]');
    process.exit(2);
  }
  const catalog = buildCatalog(readFileSync(catalogPath, 'utf8'));
  writeFileSync(outPath, JSON.stringify(catalog, null, 1) + '\n');
  const counts = Object.values(catalog.regimes).map((r) => `${r.id} ${r.requirements.length}`);
  console.log(`${outPath}: ${counts.join(', ')}, ${catalog.nist_csf.subcategories.length} nist_csf, ${catalog.iso27001.controls.length} iso27001`);
}
