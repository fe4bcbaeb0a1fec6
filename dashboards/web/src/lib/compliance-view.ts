/** Reading an assessment for the console: the text in the user's language, status tones, gaps, evidence kinds. */
import type { Assessment, Bilingual, RequirementResult, RequirementStatus } from '../api/compliance';

export function inLang(text: Bilingual, lang: 'vi' | 'en'): string {
  return text[lang] !== '' ? text[lang] : text.vi;
}

/** Colour of a requirement or evidence status: ok (met), part, bad (not met), todo (needs evidence), na. */
export function complianceTone(status: string): 'ok' | 'part' | 'bad' | 'todo' | 'na' {
  switch (status) {
    case 'met':
      return 'ok';
    case 'partly_met':
      return 'part';
    case 'not_met':
    case 'missing':
      return 'bad';
    case 'needs_manual_evidence':
    case 'unavailable':
      return 'todo';
    default:
      return 'na';
  }
}

/** Requirements that are not met, partly met or lack evidence, worst first, with their recommended actions. */
export function gapsOf(assessment: Pick<Assessment, 'requirements'>): RequirementResult[] {
  const rank: Record<RequirementStatus, number> = { not_met: 0, partly_met: 1, needs_manual_evidence: 2, met: 9, not_applicable: 9 };
  return assessment.requirements.filter((r) => rank[r.status] < 9).sort((a, b) => rank[a.status] - rank[b.status] || a.id.localeCompare(b.id));
}

/** Share of applicable requirements met (0-1), or null when none applies. */
export function metShare(counts: Record<RequirementStatus, number>): number | null {
  const applicable = counts.met + counts.partly_met + counts.not_met + counts.needs_manual_evidence;
  return applicable === 0 ? null : counts.met / applicable;
}

/** Evidence kinds a manual document can prove for a requirement: its kinds with a manual finding. */
export function manualKindsOf(requirement: RequirementResult): string[] {
  return requirement.manual.map((m) => m.kind);
}

/** Every evidence kind the regime's requirements name, sorted (the upload form's choices). */
export function evidenceKinds(requirements: ReadonlyArray<{ evidence?: readonly string[] }>): string[] {
  const kinds = new Set<string>();
  for (const r of requirements) for (const k of r.evidence ?? []) kinds.add(k);
  return [...kinds].sort();
}
