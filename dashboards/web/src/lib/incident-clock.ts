/**
 * The reporting clock of an incident: which deadline comes next, and whether a deadline is still
 * running, overdue or done. The server's status is taken as of its answer; a pending deadline
 * whose time has passed since is shown overdue without waiting for the next poll.
 */
import type { Incident, IncidentDue } from '../api/incidents';

export type ClockState = 'running' | 'overdue' | 'done' | 'not_started' | 'not_applicable';

export function clockState(due: IncidentDue, now: number): ClockState {
  switch (due.status) {
    case 'met':
    case 'met_late':
    case 'submitted':
    case 'submitted_late':
      return 'done';
    case 'not_applicable':
      return 'not_applicable';
    case 'overdue':
      return 'overdue';
    case 'pending':
      if (due.due_at === null) return 'not_started';
      return Date.parse(due.due_at) <= now ? 'overdue' : 'running';
  }
}

/** The open deadline due soonest (overdue ones first), or undefined when none runs. */
export function nextDue(incident: Pick<Incident, 'due'>, now: number): IncidentDue | undefined {
  let best: IncidentDue | undefined;
  for (const d of incident.due) {
    const state = clockState(d, now);
    if ((state !== 'running' && state !== 'overdue') || d.due_at === null) continue;
    if (best === undefined || Date.parse(d.due_at) < Date.parse(best.due_at!)) best = d;
  }
  return best;
}

/** A report that may be recorded as submitted: owed, not yet submitted. */
export function canSubmit(due: IncidentDue): boolean {
  return due.kind === 'report' && (due.status === 'pending' || due.status === 'overdue');
}
