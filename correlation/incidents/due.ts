/**
 * An incident's deadlines as the API lists them (`due`): the SLA clocks for its severity and the
 * regulatory reports it owes, each with its state at `now`.
 */
import { DEFAULT_RECIPIENTS, type SlaConfig, type ReportingConfig } from './config';
import { reportObligations } from './regulatory';
import type { ReportSubmission } from './store';
import type { DueItem, DueStatus, Incident } from './types';

const MINUTE = 60_000;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function clockStatus(dueAt: number | null, doneAt: number | null, now: number, late: DueStatus, onTime: DueStatus): DueStatus {
  if (doneAt !== null) return dueAt !== null && doneAt > dueAt ? late : onTime;
  if (dueAt !== null && now > dueAt) return 'overdue';
  return 'pending';
}

/** SLA: acknowledge (the incident leaves `open`) and resolve, counted from its opening. */
export function slaDueItems(incident: Incident, sla: SlaConfig, now: number): DueItem[] {
  const opened = Date.parse(incident.opened_at);
  const target = sla[incident.severity];
  const ack = opened + target.acknowledgeMinutes * MINUTE;
  const resolve = opened + target.resolveMinutes * MINUTE;
  const acked = incident.acknowledged_at === null ? null : Date.parse(incident.acknowledged_at);
  const resolved = incident.resolved_at === null ? null : Date.parse(incident.resolved_at);
  const item = (key: string, title: string, dueAt: number, doneAt: number | null): DueItem => ({
    key,
    kind: 'sla',
    title,
    due_at: iso(dueAt),
    status: clockStatus(dueAt, doneAt, now, 'met_late', 'met'),
    done_at: iso(doneAt),
    regime: null,
    recipient: null,
    recipient_key: null,
    submitted_by: null,
    reference: null,
    basis: `SLA for ${incident.severity} incidents`,
  });
  return [
    item('sla.acknowledge', `Acknowledge within ${target.acknowledgeMinutes} min`, ack, acked),
    item('sla.resolve', `Resolve within ${target.resolveMinutes} min`, resolve, resolved),
  ];
}

export function reportDueItems(incident: Incident, reporting: ReportingConfig, submissions: ReadonlyMap<string, ReportSubmission>, now: number): DueItem[] {
  return reportObligations(incident, reporting).map((o) => {
    const s = submissions.get(o.kind);
    const doneAt = s?.submitted_at ?? null;
    return {
      key: `report.${o.kind}`,
      kind: 'report',
      title: o.title,
      due_at: iso(o.dueAt),
      status: clockStatus(o.dueAt, doneAt, now, 'submitted_late', 'submitted'),
      done_at: iso(doneAt),
      regime: o.regime,
      recipient: o.recipient,
      recipient_key: o.recipient === DEFAULT_RECIPIENTS[o.regime] ? o.regime : null,
      submitted_by: s?.submitted_by ?? null,
      reference: s?.reference ?? null,
      basis: o.basis,
    };
  });
}

export function dueItems(incident: Incident, sla: SlaConfig, reporting: ReportingConfig, submissions: ReadonlyMap<string, ReportSubmission>, now: number): DueItem[] {
  return [...slaDueItems(incident, sla, now), ...reportDueItems(incident, reporting, submissions, now)];
}
