/**
 * Assessment: each requirement of a regime at the system's level becomes met, partly met, not met,
 * not applicable or "needs manual evidence", from the evidence behind it.
 *
 * Rule: evidence that was observed (computed figures, uploaded documents) decides. All of it met and
 * nothing missing → met; none of it met → not met; anything between → partly met. When nothing
 * could be observed (kinds socnoc cannot compute and no document uploaded) the requirement needs
 * manual evidence. Figures without a catalogue threshold ("info") are shown but do not decide.
 */
import { clauseAt, paramAt, type ComplianceCatalog, type RegimeId } from '../catalog/load';
import type { Requirement } from '../catalog/schema';
import type { ComplianceConfig } from '../config';
import { EVIDENCE_CALCULATORS } from '../evidence/calculators';
import { documentStanding, type EvidenceDocument, type ManualEvidenceStore } from '../evidence/manual-store';
import type { Bilingual, EvidenceContext, EvidenceResult } from '../evidence/types';
import type { CompliancePorts } from '../ports';
import type { ComplianceSystem } from '../systems/types';
import { evidenceLabel } from './evidence-labels';

export const REQUIREMENT_STATUSES = ['met', 'partly_met', 'not_met', 'needs_manual_evidence', 'not_applicable'] as const;
export type RequirementStatus = (typeof REQUIREMENT_STATUSES)[number];

export interface ManualFinding {
  kind: string;
  status: 'met' | 'partly_met' | 'not_met' | 'missing';
  documents: Array<Pick<EvidenceDocument, 'id' | 'title' | 'sha256' | 'reviewer' | 'approved_by' | 'approved_at' | 'expires_at'>>;
  text: Bilingual;
}

export interface RequirementAssessment {
  requirement: Requirement;
  /** `TCVN 11930:2017 7.2.1.4`, or null when the catalogue cites no clause. */
  clause: string | null;
  status: RequirementStatus;
  evidence: EvidenceResult[];
  manual: ManualFinding[];
  actions: Bilingual[];
  assessedAt: number;
}

export type StatusCounts = Record<RequirementStatus, number>;

export interface SystemAssessment {
  system: ComplianceSystem;
  regime: RegimeId;
  level: number;
  assessedAt: number;
  requirements: RequirementAssessment[];
  counts: StatusCounts;
  groups: Array<{ group: string; label: Bilingual; counts: StatusCounts }>;
}

export interface AssessmentDeps {
  catalog: ComplianceCatalog;
  config: ComplianceConfig;
  ports: CompliancePorts;
  documents?: ManualEvidenceStore;
  now?: () => number;
}

export function emptyCounts(): StatusCounts {
  return { met: 0, partly_met: 0, not_met: 0, needs_manual_evidence: 0, not_applicable: 0 };
}

function manualFinding(kind: string, docs: EvidenceDocument[], now: number): ManualFinding {
  const label = evidenceLabel(kind);
  const standing = docs.map((d) => documentStanding(d, now));
  const pick = (s: string): EvidenceDocument[] => docs.filter((_, i) => standing[i] === s);
  const summary = (list: EvidenceDocument[]): ManualFinding['documents'] =>
    list.map((d) => ({ id: d.id, title: d.title, sha256: d.sha256, reviewer: d.reviewer, approved_by: d.approved_by, approved_at: d.approved_at, expires_at: d.expires_at }));
  const valid = pick('valid');
  if (valid.length > 0) {
    const d = valid[0];
    return { kind, status: 'met', documents: summary(valid), text: { vi: `${label.vi}: "${d.title}", phê duyệt bởi ${d.approved_by} ngày ${d.approved_at?.slice(0, 10)}`, en: `${label.en}: "${d.title}", approved by ${d.approved_by} on ${d.approved_at?.slice(0, 10)}` } };
  }
  const waiting = pick('awaiting_approval');
  if (waiting.length > 0) return { kind, status: 'partly_met', documents: summary(waiting), text: { vi: `${label.vi}: "${waiting[0].title}" chờ phê duyệt`, en: `${label.en}: "${waiting[0].title}" awaiting approval` } };
  const expired = pick('expired');
  if (expired.length > 0) return { kind, status: 'not_met', documents: summary(expired), text: { vi: `${label.vi}: "${expired[0].title}" đã hết hiệu lực ${expired[0].expires_at?.slice(0, 10)}`, en: `${label.en}: "${expired[0].title}" expired on ${expired[0].expires_at?.slice(0, 10)}` } };
  return { kind, status: 'missing', documents: [], text: { vi: `${label.vi}: chưa có tài liệu`, en: `${label.en}: no document` } };
}

function decide(observed: readonly string[], missing: number): RequirementStatus {
  if (observed.length === 0) return 'needs_manual_evidence';
  const met = observed.filter((s) => s === 'met').length;
  if (met === observed.length && missing === 0) return 'met';
  if (met === 0 && !observed.includes('partly_met')) return 'not_met';
  return 'partly_met';
}

export async function assessSystem(deps: AssessmentDeps, system: ComplianceSystem, regimeId: RegimeId = system.regime): Promise<SystemAssessment> {
  const now = (deps.now ?? Date.now)();
  const regime = deps.catalog.regime(regimeId);
  const level = system.level;
  const docs = deps.documents?.list(system.id) ?? [];
  const cache = new Map<string, Promise<EvidenceResult>>();
  const requirements: RequirementAssessment[] = [];
  for (const req of regime.requirements) {
    const base = { requirement: req, clause: clauseAt(req, level), assessedAt: now };
    if (!req.levels.includes(level)) {
      requirements.push({ ...base, status: 'not_applicable', evidence: [], manual: [], actions: [] });
      continue;
    }
    const ctx: EvidenceContext = { system, organizations: [system.agency], now, config: deps.config, ports: deps.ports, requirement: req, param: (name) => paramAt(req, name, level) };
    const evidence: EvidenceResult[] = [];
    const manual: ManualFinding[] = [];
    for (const kind of req.evidence) {
      const calc = EVIDENCE_CALCULATORS.get(kind);
      const kindDocs = docs.filter((d) => d.kind === kind && (d.requirement_id === null || d.requirement_id === req.id));
      if (calc !== undefined) {
        const key = `${kind}|${calc.cacheKey?.(ctx) ?? ''}`;
        let pending = cache.get(key);
        if (pending === undefined) {
          pending = calc.compute(ctx);
          cache.set(key, pending);
        }
        const result = await pending;
        evidence.push(result);
        // Where socnoc cannot observe a kind it can compute, an uploaded document may stand in.
        if (result.status === 'unavailable' && kindDocs.length > 0) manual.push(manualFinding(kind, kindDocs, now));
      } else {
        manual.push(manualFinding(kind, kindDocs, now));
      }
    }
    const observed = [...evidence.filter((e) => e.status !== 'unavailable' && e.status !== 'info').map((e) => e.status), ...manual.filter((m) => m.status !== 'missing').map((m) => m.status)];
    const missing = manual.filter((m) => m.status === 'missing').length + evidence.filter((e) => e.status === 'unavailable' && !manual.some((m) => m.kind === e.kind)).length;
    const status = decide(observed, missing);
    const actions: Bilingual[] = [];
    for (const e of evidence) if (e.action !== null && (e.status === 'not_met' || e.status === 'partly_met')) actions.push(e.action);
    for (const m of manual) {
      const label = evidenceLabel(m.kind);
      if (m.status === 'missing') actions.push({ vi: `Tải lên tài liệu chứng minh: ${label.vi}`, en: `Upload evidence: ${label.en}` });
      else if (m.status === 'partly_met') actions.push({ vi: `Phê duyệt tài liệu: ${label.vi}`, en: `Approve the document: ${label.en}` });
      else if (m.status === 'not_met') actions.push({ vi: `Cập nhật tài liệu hết hiệu lực: ${label.vi}`, en: `Renew the expired document: ${label.en}` });
    }
    requirements.push({ ...base, status, evidence, manual, actions });
  }
  const counts = emptyCounts();
  const byGroup = new Map<string, StatusCounts>();
  for (const r of requirements) {
    counts[r.status]++;
    let g = byGroup.get(r.requirement.group);
    if (g === undefined) {
      g = emptyCounts();
      byGroup.set(r.requirement.group, g);
    }
    g[r.status]++;
  }
  const groups = [...byGroup].map(([group, c]) => ({ group, label: { vi: deps.catalog.groupLabel(group, 'vi'), en: deps.catalog.groupLabel(group, 'en') }, counts: c }));
  return { system, regime: regimeId, level, assessedAt: now, requirements, counts, groups };
}
