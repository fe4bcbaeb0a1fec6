/**
 * `socnoc report compliance` and the reports API: assess the system (or every system of an
 * agency), render PDF/HTML/CSV, record the report's SHA-256 in the audit log, write it out.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { assessSystem, type AssessmentDeps, type SystemAssessment } from '../assessment/assess';
import type { RegimeId } from '../catalog/load';
import type { ComplianceAuditPort } from '../ports';
import type { SystemRegister } from '../systems/store';
import { renderCsv } from './csv';
import { renderHtml } from './html';
import { buildOutline, type ReportScope } from './outline';
import { renderPdf } from './pdf';
import { TEXT, type ReportLang } from './strings';

export const REPORT_FORMATS = ['pdf', 'html', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = { pdf: 'application/pdf', html: 'text/html; charset=utf-8', csv: 'text/csv; charset=utf-8' };

export interface ComplianceReportRequest {
  regime: RegimeId;
  /** Exactly one of system and agency. */
  system?: string;
  agency?: string;
  format: ReportFormat;
  lang: ReportLang;
  /** Who asked, for the audit record (default: system/cli). */
  actor?: { type: 'user' | 'token' | 'system'; id: string };
}

export interface ComplianceReportDeps extends AssessmentDeps {
  systems: SystemRegister;
  /** Where the digest is recorded; without it the report is still produced (and says nothing false: the audit module is off). */
  audit?: Pick<ComplianceAuditPort, 'append'>;
}

export interface ComplianceReport {
  content: Buffer;
  contentType: string;
  fileName: string;
  sha256: string;
  assessments: SystemAssessment[];
  /** The audit record's sequence number; undefined without an audit log. */
  auditSeq?: number;
}

export class ReportScopeError extends Error {}

function scopeOf(deps: ComplianceReportDeps, req: ComplianceReportRequest): { scope: ReportScope; agency: string; systems: ReturnType<SystemRegister['list']> } {
  if ((req.system === undefined) === (req.agency === undefined)) throw new ReportScopeError('compliance report: give exactly one of --system and --agency');
  if (req.system !== undefined) {
    const system = deps.systems.get(req.system);
    if (system === undefined) throw new ReportScopeError(`compliance report: no system with id "${req.system}"`);
    return { scope: { kind: 'system', id: system.id, label: `${system.name} (${system.agency})` }, agency: system.agency, systems: [system] };
  }
  const agency = req.agency as string;
  return { scope: { kind: 'agency', id: agency, label: agency }, agency, systems: deps.systems.list([agency]) };
}

export async function generateComplianceReport(deps: ComplianceReportDeps, req: ComplianceReportRequest): Promise<ComplianceReport> {
  const { scope, agency, systems } = scopeOf(deps, req);
  const now = (deps.now ?? Date.now)();
  const assessments: SystemAssessment[] = [];
  for (const s of systems) assessments.push(await assessSystem({ ...deps, now: () => now }, s, req.regime));
  let content: Buffer;
  if (req.format === 'csv') content = Buffer.from('\uFEFF' + renderCsv(assessments, req.lang), 'utf8');
  else {
    const blocks = buildOutline(deps.catalog, req.regime, scope, assessments, req.lang, now);
    content = req.format === 'html' ? Buffer.from(renderHtml(blocks, req.lang), 'utf8') : await renderPdf(blocks, { title: TEXT[req.lang].title, lang: req.lang, createdAt: now });
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  const stamp = new Date(now).toISOString().slice(0, 10);
  const fileName = `compliance-${req.regime}-${scope.kind}-${scope.id.replace(/[^A-Za-z0-9_.-]/g, '_')}-${stamp}-${req.lang}.${req.format}`;
  const auditSeq = deps.audit?.append({
    actor: req.actor ?? { type: 'system', id: 'cli' },
    action: 'compliance_report.generate',
    object: { type: 'compliance_report', id: fileName },
    organization: agency,
    result: 'ok',
    details: { sha256, bytes: content.length, regime: req.regime, scope: scope.kind, scope_id: scope.id, format: req.format, lang: req.lang, systems: systems.map((s) => s.id) },
    time: now,
  });
  return { content, contentType: CONTENT_TYPES[req.format], fileName, sha256, assessments, auditSeq };
}

/** The CLI's entry point: generates and writes the file; returns what was written. */
export async function runComplianceReport(deps: ComplianceReportDeps, req: ComplianceReportRequest & { out: string }): Promise<{ out: string; sha256: string; bytes: number; auditSeq?: number }> {
  const report = await generateComplianceReport(deps, req);
  writeFileSync(req.out, report.content);
  return { out: req.out, sha256: report.sha256, bytes: report.content.length, auditSeq: report.auditSeq };
}

/**
 * `--regime decree85 --system ID --format pdf --lang vi --out FILE` → a request; errors name the
 * flag. Defaults: decree85, pdf, vi.
 */
export function parseComplianceReportArgs(argv: readonly string[]): ComplianceReportRequest & { out: string } {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (!['--regime', '--system', '--agency', '--format', '--lang', '--out'].includes(flag)) throw new Error(`report compliance: unknown argument "${flag}"`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`report compliance: ${flag} needs a value`);
    values.set(flag, value);
    i++;
  }
  const pick = <T extends string>(flag: string, allowed: readonly T[], fallback: T): T => {
    const v = values.get(flag) ?? fallback;
    if (!(allowed as readonly string[]).includes(v)) throw new Error(`report compliance: ${flag} must be one of ${allowed.join(', ')}, got "${v}"`);
    return v as T;
  };
  const out = values.get('--out');
  if (out === undefined) throw new Error('report compliance: --out FILE is required');
  const req = {
    regime: pick('--regime', ['decree85', 'decree331'] as const, 'decree85'),
    system: values.get('--system'),
    agency: values.get('--agency'),
    format: pick('--format', REPORT_FORMATS, 'pdf'),
    lang: pick('--lang', ['vi', 'en'] as const, 'vi'),
    out,
  };
  if ((req.system === undefined) === (req.agency === undefined)) throw new Error('report compliance: give exactly one of --system ID and --agency ID');
  return req;
}
