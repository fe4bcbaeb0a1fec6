/** Incidents (correlation/incidents/http.ts): list, one incident with timeline and tasks, tasks, reports. */
import { api } from './client';
import type { Severity } from './types';

export const INCIDENT_STATUSES = ['open', 'investigating', 'contained', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const DUE_STATUSES = ['pending', 'met', 'met_late', 'overdue', 'submitted', 'submitted_late', 'not_applicable'] as const;
export type DueStatus = (typeof DUE_STATUSES)[number];
export const REPORT_KINDS = ['form03', 'form04', 'nd331-notice', 'nd331-report'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** An SLA or regulatory deadline of an incident. */
export interface IncidentDue {
  /** sla.acknowledge, sla.resolve, report.form03, report.form04, report.nd331-notice, report.nd331-report */
  key: string;
  kind: 'sla' | 'report';
  title: string;
  due_at: string | null;
  status: DueStatus;
  done_at: string | null;
  regime: string | null;
  recipient: string | null;
  /** The regime when the recipient is socnoc's default (named from the catalogue); absent from older servers. */
  recipient_key?: string | null;
  submitted_by: string | null;
  reference: string | null;
  basis: string | null;
}

export interface IncidentTimelineEntry {
  id: number;
  time: string;
  actor: string;
  kind: string;
  message: string;
  data: Record<string, unknown>;
}

export interface IncidentTask {
  id: number;
  title: string;
  assignee: string | null;
  status: TaskStatus;
  due: string | null;
  created_at: string;
  updated_at: string;
}

export interface Incident {
  id: string;
  title: string;
  status: IncidentStatus;
  severity: Severity;
  organization: { id: string; name?: string };
  assignee: string | null;
  category: string;
  serious: boolean;
  alert_ids: string[];
  entities: Array<{ kind: string; value: string }>;
  opened_at: string;
  detected_at: string;
  resolved_at: string | null;
  due: IncidentDue[];
}

export interface IncidentDetail extends Incident {
  timeline: IncidentTimelineEntry[];
  tasks: IncidentTask[];
}

/** The report kind of a `report.<kind>` deadline key. */
export function reportKindOf(due: IncidentDue): ReportKind | undefined {
  const kind = due.key.startsWith('report.') ? due.key.slice('report.'.length) : '';
  return (REPORT_KINDS as readonly string[]).includes(kind) ? (kind as ReportKind) : undefined;
}

/** Where the generated report document is (opened in a new tab with the session cookie). */
export function reportUrl(incidentId: string, kind: ReportKind, lang: 'vi' | 'en'): string {
  return `/api/v1/incidents/${encodeURIComponent(incidentId)}/reports/${kind}?lang=${lang}&format=html`;
}

const path = (id: string): string => `/incidents/${encodeURIComponent(id)}`;

export const incidentsApi = {
  list: (params: { status?: string; q?: string; limit?: number } = {}): Promise<{ total: number; incidents: Incident[] }> => api.get('/incidents', { limit: 500, ...params }),
  get: (id: string): Promise<IncidentDetail> => api.get<IncidentDetail>(path(id)),
  update: (id: string, body: { status?: IncidentStatus; assignee?: string | null }): Promise<IncidentDetail> => api.patch(path(id), body),
  comment: (id: string, text: string): Promise<unknown> => api.post(`${path(id)}/comments`, { text }),
  addTask: (id: string, title: string): Promise<unknown> => api.post(`${path(id)}/tasks`, { title }),
  updateTask: (id: string, taskId: number, body: { status?: TaskStatus; assignee?: string | null }): Promise<unknown> => api.patch(`${path(id)}/tasks/${taskId}`, body),
  submitReport: (id: string, kind: ReportKind, reference: string): Promise<{ due: IncidentDue[] }> => api.post(`${path(id)}/reports/${kind}/submit`, { reference }),
};
