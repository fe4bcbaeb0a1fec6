/** Row shapes of the incidents tables and their conversion to the API types. */
import type { AlertSeverity } from '../alerts/types';
import type { Incident, IncidentCategory, IncidentDetails, IncidentEntity, IncidentStatus, IncidentTask, TaskStatus } from './types';

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export function emptyDetails(): IncidentDetails {
  return { description: '', affected_systems: [], actions_taken: '', cause: '', impact: '', system_level: null };
}

export interface IncidentRow {
  seq: number;
  id: string;
  org: string;
  org_name: string | null;
  title: string;
  status: string;
  severity: string;
  alert_severity_rank: number;
  severity_override: string | null;
  assignee: string | null;
  category: string;
  serious: number;
  details: string;
  created_at: number;
  updated_at: number;
  opened_at: number;
  detected_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
}

export function incidentOf(r: IncidentRow, alertIds: string[], entities: IncidentEntity[]): Incident {
  return {
    id: r.id,
    title: r.title,
    status: r.status as IncidentStatus,
    severity: r.severity as AlertSeverity,
    severity_override: r.severity_override as AlertSeverity | null,
    organization: r.org_name !== null ? { id: r.org, name: r.org_name } : { id: r.org },
    assignee: r.assignee,
    category: r.category as IncidentCategory,
    serious: r.serious === 1,
    alert_ids: alertIds,
    entities,
    details: { ...emptyDetails(), ...(JSON.parse(r.details) as Partial<IncidentDetails>) },
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    opened_at: iso(r.opened_at),
    detected_at: iso(r.detected_at),
    acknowledged_at: isoOrNull(r.acknowledged_at),
    resolved_at: isoOrNull(r.resolved_at),
    closed_at: isoOrNull(r.closed_at),
  };
}

export interface TaskRow {
  id: number;
  title: string;
  assignee: string | null;
  status: string;
  due: number | null;
  created_at: number;
  updated_at: number;
}

export function taskOf(r: TaskRow): IncidentTask {
  return { id: r.id, title: r.title, assignee: r.assignee, status: r.status as TaskStatus, due: isoOrNull(r.due), created_at: iso(r.created_at), updated_at: iso(r.updated_at) };
}
