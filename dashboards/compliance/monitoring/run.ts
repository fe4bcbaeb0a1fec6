/**
 * `socnoc report monitoring`, the monitoring reports API and schedules: compute the period's
 * figures for one agency, render PDF/HTML/CSV, record the SHA-256 in the audit log.
 */
import { createHash } from 'node:crypto';
import type { ComplianceConfig } from '../config';
import type { ComplianceAuditPort, CompliancePorts } from '../ports';
import { renderHtml } from '../report/html';
import { renderPdf } from '../report/pdf';
import { CONTENT_TYPES, type ReportFormat } from '../report/run';
import type { ReportLang } from '../report/strings';
import { computeMonitoringFigures, type MonitoringFigures, type MonitoringPeriod } from './figures';
import { buildMonitoringOutline, MONITORING_TEXT, renderMonitoringCsv } from './render';

export interface MonitoringReportRequest {
  period: MonitoringPeriod;
  agency: string;
  format: ReportFormat;
  lang: ReportLang;
  actor?: { type: 'user' | 'token' | 'system'; id: string };
}

export interface MonitoringReportDeps {
  config: Pick<ComplianceConfig, 'silentSourceHours' | 'lookbackDays'>;
  ports: CompliancePorts;
  audit?: Pick<ComplianceAuditPort, 'append'>;
  now?: () => number;
}

export interface MonitoringReport {
  content: Buffer;
  contentType: string;
  fileName: string;
  sha256: string;
  figures: MonitoringFigures;
  auditSeq?: number;
}

export async function generateMonitoringReport(deps: MonitoringReportDeps, req: MonitoringReportRequest): Promise<MonitoringReport> {
  const now = (deps.now ?? Date.now)();
  const figures = await computeMonitoringFigures(deps.ports, { period: req.period, agency: req.agency, now, silentSourceHours: deps.config.silentSourceHours, lookbackDays: deps.config.lookbackDays });
  let content: Buffer;
  if (req.format === 'csv') content = Buffer.from('\uFEFF' + renderMonitoringCsv(figures), 'utf8');
  else {
    const blocks = buildMonitoringOutline(figures, req.lang, now);
    content = req.format === 'html' ? Buffer.from(renderHtml(blocks, req.lang), 'utf8') : await renderPdf(blocks, { title: MONITORING_TEXT[req.lang].title[req.period], lang: req.lang, createdAt: now });
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  const fileName = `monitoring-${req.period}-${req.agency.replace(/[^A-Za-z0-9_.-]/g, '_')}-${new Date(now).toISOString().slice(0, 10)}-${req.lang}.${req.format}`;
  const auditSeq = deps.audit?.append({
    actor: req.actor ?? { type: 'system', id: 'cli' },
    action: 'monitoring_report.generate',
    object: { type: 'monitoring_report', id: fileName },
    organization: req.agency,
    result: 'ok',
    details: { sha256, bytes: content.length, period: req.period, format: req.format, lang: req.lang, from: new Date(figures.from).toISOString(), to: new Date(figures.to).toISOString() },
    time: now,
  });
  return { content, contentType: CONTENT_TYPES[req.format], fileName, sha256, figures, auditSeq };
}
