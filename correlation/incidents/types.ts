/**
 * The Incident: related alerts grouped into one case, with its lifecycle, timeline, tasks, SLA
 * deadlines and the regulatory reports it owes. Times are ISO 8601 strings in the API and epoch ms
 * in the store.
 */
import type { AlertSeverity } from '../alerts/types';

/** The lifecycle, in order; an incident may move forward past steps, and back to investigating to reopen. */
export const INCIDENT_STATUSES = ['open', 'investigating', 'contained', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Statuses in which new alerts may join and SLA clocks run. */
export const ACTIVE_INCIDENT_STATUSES: readonly IncidentStatus[] = ['open', 'investigating', 'contained'];

/**
 * Allowed moves. Forward moves may skip steps (an incident found already contained); resolved and
 * contained may return to investigating (reopen); closed is final: a new incident is opened instead.
 */
export const INCIDENT_TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  open: ['investigating', 'contained', 'resolved', 'closed'],
  investigating: ['contained', 'resolved', 'closed'],
  contained: ['investigating', 'resolved', 'closed'],
  resolved: ['investigating', 'closed'],
  closed: [],
};

/**
 * Incident categories used by the regulatory forms (Circular 20/2017 forms 03/04 ask for the kind
 * of incident; Decree 331 reports ask for cause and scope).
 */
export const INCIDENT_CATEGORIES = [
  'malware',
  'intrusion',
  'unauthorized_access',
  'dos',
  'data_leak',
  'phishing',
  'defacement',
  'availability',
  'other',
] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TIMELINE_KINDS = [
  'created',
  'alert_added',
  'status_change',
  'field_change',
  'comment',
  'task_change',
  'playbook_step',
  'report_status',
  'deadline_breach',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** Entity kinds indexed for grouping: ECS field names, plus `event.id` to join a correlation with the alerts it shares events with. */
export type EntityKind = string;

export interface IncidentEntity {
  kind: EntityKind;
  value: string;
}

/** Free-text fields the regulatory forms ask for; filled by analysts (and playbooks). */
export interface IncidentDetails {
  description: string;
  /** Systems affected; when empty the documents list the incident's hosts and destination addresses. */
  affected_systems: string[];
  actions_taken: string;
  cause: string;
  impact: string;
  /** The affected system's protection level (1–5) under Decree 85 / Decree 331, when known. */
  system_level: number | null;
}

export interface Incident {
  id: string;
  title: string;
  status: IncidentStatus;
  /** Effective severity: the override when set, else the highest of its alerts. */
  severity: AlertSeverity;
  severity_override: AlertSeverity | null;
  organization: { id: string; name?: string };
  assignee: string | null;
  category: IncidentCategory;
  /** A serious incident under Decree 331 (24 h notification); set by an analyst or a playbook. */
  serious: boolean;
  alert_ids: string[];
  entities: IncidentEntity[];
  details: IncidentDetails;
  created_at: string;
  updated_at: string;
  opened_at: string;
  /** When the incident was detected: the regulatory clocks run from here (defaults to the first alert's creation). */
  detected_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
}

export interface TimelineEntry {
  id: number;
  time: string;
  actor: string;
  kind: TimelineKind;
  message: string;
  /** Kind-specific data: `{from, to}` for a status change, `{alert_id}`, `{task_id}`, `{report}`… */
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

export type DueStatus = 'pending' | 'met' | 'met_late' | 'overdue' | 'submitted' | 'submitted_late' | 'not_applicable';

/** One deadline of an incident: an SLA clock or a regulatory report. */
export interface DueItem {
  /** `sla.acknowledge`, `sla.resolve`, or `report.<kind>`. */
  key: string;
  kind: 'sla' | 'report';
  title: string;
  /** null while the clock has not started (a closing report before the incident is resolved). */
  due_at: string | null;
  status: DueStatus;
  /** When the SLA was met or the report submitted. */
  done_at: string | null;
  /** Reports only. */
  regime: string | null;
  recipient: string | null;
  /** The regime (`decree85`, `decree331`) when the recipient is socnoc's default for it, so a reader can name it in its language; null when configured or for an SLA. */
  recipient_key: string | null;
  submitted_by: string | null;
  reference: string | null;
  /** The legal basis, and what the compliance catalogue marks uncertain. */
  basis: string | null;
}

export interface IncidentDetail extends Incident {
  due: DueItem[];
  timeline: TimelineEntry[];
  tasks: IncidentTask[];
}

/** A deadline that passed without being met: emitted once per incident and deadline. */
export interface DeadlineBreach {
  incident_id: string;
  organization: string;
  title: string;
  severity: AlertSeverity;
  key: string;
  item_title: string;
  due_at: string;
  detected_at: string;
}
