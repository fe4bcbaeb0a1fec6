/** Compliance (dashboards/compliance/http.ts): the systems register, assessments, manual evidence, report downloads. */
import { api, queryString } from './client';

export const REQUIREMENT_STATUSES = ['met', 'partly_met', 'not_met', 'needs_manual_evidence', 'not_applicable'] as const;
export type RequirementStatus = (typeof REQUIREMENT_STATUSES)[number];
export const REGIMES = ['decree85', 'decree331'] as const;
export type Regime = (typeof REGIMES)[number];
export const REPORT_FORMATS = ['pdf', 'html', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const MONITORING_PERIODS = ['daily', 'weekly', 'semiannual'] as const;
export type MonitoringPeriod = (typeof MONITORING_PERIODS)[number];

export interface Bilingual {
  vi: string;
  en: string;
}

export interface ComplianceSystem {
  id: string;
  name: string;
  agency: string;
  level: number;
  regime: Regime;
  description: string;
  assets: {
    devices: Array<{ name?: string; address?: string }>;
    agent_hosts: string[];
    log_sources: Array<{ name?: string; address?: string; host?: string; agent_id?: string }>;
  };
  approval: { document: string; date: string } | null;
  created_at: string;
  updated_at: string;
}

export type StatusCounts = Record<RequirementStatus, number>;

export interface EvidenceFinding {
  kind: string;
  /** met, partly_met, not_met, unavailable, info */
  status: string;
  observed_at: string;
  summary: Bilingual;
  value: number | null;
  items: Array<{ name: string; status: string; text: Bilingual }>;
}

export interface ManualFinding {
  kind: string;
  status: 'met' | 'partly_met' | 'not_met' | 'missing';
  documents: Array<{ id: string; title: string; sha256: string; reviewer: string | null; approved_by: string | null; approved_at: string | null; expires_at: string | null }>;
  text: Bilingual;
}

export interface RequirementResult {
  id: string;
  group: string;
  title_vi: string;
  title_en: string;
  clause: string | null;
  uncertain: boolean;
  status: RequirementStatus;
  evidence: EvidenceFinding[];
  manual: ManualFinding[];
  actions: Bilingual[];
}

export interface Assessment {
  system: ComplianceSystem;
  regime: Regime;
  level: number;
  assessed_at: string;
  counts: StatusCounts;
  groups: Array<{ group: string; label: Bilingual; counts: StatusCounts }>;
  requirements: RequirementResult[];
}

export interface EvidenceDocument {
  id: string;
  system_id: string;
  agency: string;
  kind: string;
  requirement_id: string | null;
  title: string;
  file_name: string;
  content_type: string;
  sha256: string;
  size: number;
  uploaded_by: string;
  uploaded_at: string;
  reviewer: string | null;
  approved_by: string | null;
  approved_at: string | null;
  expires_at: string | null;
  note: string;
}

export interface EvidenceUpload {
  kind: string;
  title: string;
  requirement?: string;
  reviewer?: string;
  /** YYYY-MM-DD */
  expires?: string;
  note?: string;
}

const systemPath = (id: string): string => `/compliance/systems/${encodeURIComponent(id)}`;

/** The report file of a system (a plain GET: a link downloads it with the session cookie). */
export function complianceReportUrl(params: { system: string; regime: Regime; format: ReportFormat; lang: 'vi' | 'en' }): string {
  return `/api/v1/compliance/reports${queryString(params)}`;
}

/** A Circular 31/2017 monitoring report of an agency. */
export function monitoringReportUrl(params: { agency: string; period: MonitoringPeriod; format: ReportFormat; lang: 'vi' | 'en' }): string {
  return `/api/v1/compliance/monitoring-reports${queryString(params)}`;
}

export function evidenceFileUrl(documentId: string): string {
  return `/api/v1/compliance/evidence/${encodeURIComponent(documentId)}/file`;
}

export const complianceApi = {
  systems: (): Promise<{ systems: ComplianceSystem[] }> => api.get('/compliance/systems'),
  system: (id: string): Promise<ComplianceSystem> => api.get(systemPath(id)),
  assessment: (id: string, regime?: Regime): Promise<Assessment> => api.get(`${systemPath(id)}/assessment`, { regime }),
  evidence: (id: string): Promise<{ documents: EvidenceDocument[] }> => api.get(`${systemPath(id)}/evidence`),
  /** Evidence kinds the regime's requirements name, for the upload form. */
  catalog: (regime: Regime): Promise<{ requirements: Array<{ id: string; evidence?: string[] }> }> => api.get('/compliance/catalog', { regime }),
  upload: (id: string, meta: EvidenceUpload, file: File): Promise<EvidenceDocument> =>
    api.upload(`${systemPath(id)}/evidence`, { ...meta, file_name: file.name }, file),
  approve: (documentId: string, body: { reviewer?: string; note?: string }): Promise<EvidenceDocument> => api.post(`/compliance/evidence/${encodeURIComponent(documentId)}/approve`, body),
};
