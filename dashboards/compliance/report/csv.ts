/** The assessment as CSV: one row per requirement, for spreadsheets and diffing between audits. */
import type { SystemAssessment } from '../assessment/assess';
import { STATUS_LABELS, title, type ReportLang } from './strings';

function cell(value: string | number | boolean): string {
  const text = String(value);
  // Cells starting with = + - @ are formulas to spreadsheet programs: quote them inert.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderCsv(assessments: readonly SystemAssessment[], lang: ReportLang): string {
  const header = ['system_id', 'system', 'agency', 'level', 'regime', 'requirement_id', 'clause', 'group', 'title', 'status', 'status_label', 'uncertain', 'evidence', 'actions', 'assessed_at'];
  const lines = [header.join(',')];
  for (const a of assessments) {
    for (const r of a.requirements) {
      const evidence = [...r.evidence.map((e) => e.summary[lang]), ...r.manual.map((m) => m.text[lang])].join(' | ');
      lines.push(
        [a.system.id, a.system.name, a.system.agency, a.level, a.regime, r.requirement.id, r.clause ?? '', r.requirement.group, title(r.requirement, lang), r.status, STATUS_LABELS[lang][r.status], r.requirement.uncertain, evidence, r.actions.map((x) => x[lang]).join(' | '), new Date(r.assessedAt).toISOString()]
          .map(cell)
          .join(','),
      );
    }
  }
  return lines.join('\r\n') + '\r\n';
}
