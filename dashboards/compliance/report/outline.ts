/**
 * The report's content as a list of blocks (headings, paragraphs, bullets, tables), built once from
 * the assessments; the PDF and HTML renderers only lay the blocks out.
 */
import { REQUIREMENT_STATUSES, type RequirementStatus, type SystemAssessment } from '../assessment/assess';
import type { ComplianceCatalog, RegimeId } from '../catalog/load';
import { EVIDENCE_STATUS_LABELS, STATUS_LABELS, TEXT, title, type ReportLang } from './strings';

export type Tone = 'good' | 'bad' | 'warn' | 'muted' | 'plain';

export type Block =
  | { type: 'h1' | 'h2' | 'h3'; text: string }
  | { type: 'p'; text: string; tone: Tone }
  | { type: 'bullet'; text: string; indent: number; tone: Tone }
  | { type: 'table'; header: string[]; rows: string[][] };

export interface ReportScope {
  kind: 'system' | 'agency';
  id: string;
  label: string;
}

const STATUS_TONE: Record<RequirementStatus, Tone> = { met: 'good', partly_met: 'warn', not_met: 'bad', needs_manual_evidence: 'warn', not_applicable: 'muted' };
const EVIDENCE_TONE: Record<string, Tone> = { met: 'good', partly_met: 'warn', not_met: 'bad', unavailable: 'muted', info: 'plain' };
const MAX_ITEMS = 12;

export function statusTone(status: RequirementStatus): Tone {
  return STATUS_TONE[status];
}

export function buildOutline(catalog: ComplianceCatalog, regimeId: RegimeId, scope: ReportScope, assessments: readonly SystemAssessment[], lang: ReportLang, generatedAt: number): Block[] {
  const t = TEXT[lang];
  const S = STATUS_LABELS[lang];
  const regime = catalog.regime(regimeId);
  const blocks: Block[] = [];
  const p = (text: string, tone: Tone = 'plain'): void => void blocks.push({ type: 'p', text, tone });
  const bullet = (text: string, indent = 0, tone: Tone = 'plain'): void => void blocks.push({ type: 'bullet', text, indent, tone });

  blocks.push({ type: 'h1', text: t.title });
  p(`${t.regime}: ${lang === 'vi' ? regime.name_vi : regime.name_en}`);
  for (const s of regime.sources) p(`• ${s.name}${s.status_uncertain ? ` (${t.sourceStatusUncertain})` : ''}`, 'muted');
  p(`${scope.kind === 'system' ? t.scopeSystem : t.scopeAgency}: ${scope.label}`);
  p(`${t.generated}: ${new Date(generatedAt).toISOString().replace('T', ' ').slice(0, 19)}`);
  p(t.disclaimer, 'muted');
  if (assessments.length === 0) p(t.noSystems, 'warn');

  for (const a of assessments) {
    const sys = a.system;
    blocks.push({ type: 'h2', text: `${t.system}: ${sys.name} (${sys.id})` });
    p(`${t.agency}: ${sys.agency} · ${t.level}: ${a.level}`);
    p(`${t.approval}: ${sys.approval !== null ? `${sys.approval.document}, ${sys.approval.date}` : t.noApproval}`);
    const criteria = regime.levels.find((l) => l.level === a.level);
    if (criteria !== undefined) p(`${t.criteria}: ${lang === 'vi' ? criteria.criteria_vi : criteria.criteria_en}`, 'muted');

    blocks.push({ type: 'h3', text: t.summary });
    const cols = REQUIREMENT_STATUSES.map((s) => S[s]);
    blocks.push({
      type: 'table',
      header: ['', ...cols],
      rows: [...a.groups.map((g) => [g.label[lang], ...REQUIREMENT_STATUSES.map((s) => String(g.counts[s]))]), [t.total, ...REQUIREMENT_STATUSES.map((s) => String(a.counts[s]))]],
    });

    blocks.push({ type: 'h3', text: t.gaps });
    const gaps = a.requirements.filter((r) => r.status === 'not_met' || r.status === 'partly_met' || r.status === 'needs_manual_evidence');
    if (gaps.length === 0) p(t.noGaps, 'good');
    for (const r of gaps) {
      bullet(`${r.requirement.id}${r.clause !== null ? ` (${r.clause})` : ''}: ${S[r.status]}. ${title(r.requirement, lang)}`, 0, STATUS_TONE[r.status]);
      for (const action of r.actions) bullet(action[lang], 1);
    }

    blocks.push({ type: 'h3', text: t.details });
    for (const r of a.requirements) {
      if (r.status === 'not_applicable') continue;
      blocks.push({ type: 'h3', text: `${r.requirement.id} · ${title(r.requirement, lang)}` });
      p(`${t.status}: ${S[r.status]}`, STATUS_TONE[r.status]);
      if (r.clause !== null) p(`${t.clause}: ${r.clause}`);
      if (r.requirement.source !== null) p(`${t.source}: ${r.requirement.source}`, 'muted');
      if (r.requirement.uncertain) p(t.uncertain, 'warn');
      for (const e of r.evidence) {
        const date = new Date(e.observedAt).toISOString().slice(0, 10);
        bullet(`${t.evidence} [${EVIDENCE_STATUS_LABELS[lang][e.status]}, ${date}]: ${e.summary[lang]}`, 0, EVIDENCE_TONE[e.status]);
        for (const item of e.items.slice(0, MAX_ITEMS)) bullet(`${item.name}: ${item.text[lang]}`, 1, EVIDENCE_TONE[item.status]);
        if (e.items.length > MAX_ITEMS) bullet(`… +${e.items.length - MAX_ITEMS}`, 1, 'muted');
      }
      for (const m of r.manual) bullet(`${t.manual}: ${m.text[lang]}`, 0, m.status === 'missing' ? 'warn' : EVIDENCE_TONE[m.status]);
    }
    const na = a.requirements.filter((r) => r.status === 'not_applicable');
    if (na.length > 0) {
      blocks.push({ type: 'h3', text: t.notApplicable });
      p(na.map((r) => r.requirement.id).join(', '), 'muted');
    }
  }
  p(t.digest, 'muted');
  return blocks;
}
