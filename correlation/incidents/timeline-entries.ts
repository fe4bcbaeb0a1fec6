/**
 * Timeline entries as {kind, message, data}: `kind` and `data` are the stable, structured form a
 * reader localizes (the console renders Vietnamese or English from them); `message` is the English
 * sentence kept for API users and for rows written before `data` held every parameter. Each builder
 * puts every value its message shows into `data`, so no reader has to parse the message.
 */
import type { TimelineEntryInput } from './service';
import type { TaskStatus } from './types';

/** The incident fields a field_change entry may name (details fields are listed under `fields`). */
export type TimelineField = 'title' | 'severity' | 'assignee' | 'category' | 'serious' | 'detected_at';

export function createdEntry(title: string, alertIds: readonly string[]): TimelineEntryInput {
  return { kind: 'created', message: `incident opened: ${title}`, data: { title, alert_ids: [...alertIds] } };
}

export function alertAddedEntry(alert: { id: string; rule: { id?: string; name: string }; severity: string }): TimelineEntryInput {
  return {
    kind: 'alert_added',
    message: `alert ${alert.id} added: ${alert.rule.name} (${alert.severity})`,
    data: { alert_id: alert.id, rule_id: alert.rule.id, rule_name: alert.rule.name, severity: alert.severity },
  };
}

export function statusChangeEntry(from: string, to: string): TimelineEntryInput {
  return { kind: 'status_change', message: `status ${from} → ${to}`, data: { from, to } };
}

/** `to: null` on severity means the override was removed: the severity follows the alerts again. */
export function fieldChangeEntry(field: TimelineField, from: unknown, to: unknown): TimelineEntryInput {
  const shown = field === 'severity' && to === null ? 'from alerts' : to;
  return { kind: 'field_change', message: `${field}: ${String(from ?? '—')} → ${String(shown ?? '—')}`, data: { field, from: from ?? null, to: to ?? null } };
}

export function detailsChangeEntry(fields: readonly string[]): TimelineEntryInput {
  return { kind: 'field_change', message: `updated ${fields.join(', ')}`, data: { fields: [...fields] } };
}

export function commentEntry(text: string): TimelineEntryInput {
  return { kind: 'comment', message: text, data: {} };
}

export function taskAddedEntry(task: { id: number; title: string }): TimelineEntryInput {
  return { kind: 'task_change', message: `task #${task.id} added: ${task.title}`, data: { task_id: task.id, action: 'added', title: task.title } };
}

export function taskUpdatedEntry(task: { id: number; title: string }, from: TaskStatus, to: TaskStatus): TimelineEntryInput {
  const what = to !== from ? `status ${from} → ${to}` : 'updated';
  return { kind: 'task_change', message: `task #${task.id} ${what}: ${task.title}`, data: { task_id: task.id, action: 'updated', title: task.title, from, to } };
}

export function taskRemovedEntry(task: { id: number; title: string }): TimelineEntryInput {
  return { kind: 'task_change', message: `task #${task.id} removed: ${task.title}`, data: { task_id: task.id, action: 'removed', title: task.title } };
}

export function reportSubmittedEntry(report: string, reportTitle: string, reference: string, submittedAt: number): TimelineEntryInput {
  return {
    kind: 'report_status',
    message: `${reportTitle} submitted (reference ${reference})`,
    data: { report, status: 'submitted', reference, submitted_at: new Date(submittedAt).toISOString() },
  };
}

export function deadlineBreachEntry(item: { key: string; title: string; due_at: string }): TimelineEntryInput {
  return { kind: 'deadline_breach', message: `deadline passed: ${item.title} (due ${item.due_at})`, data: { key: item.key, due_at: item.due_at } };
}

/** What a playbook audit record says happened, as `data.phase` of a playbook_step entry. */
export type PlaybookPhase = 'started' | 'succeeded' | 'failed' | 'skipped' | 'denied' | 'waiting' | 'approval_requested' | 'approval_decided';

/** The audit record of a playbook step (playbooks' AuditRecord, structurally). */
export interface PlaybookAuditRecord {
  actor: string;
  action: string;
  object: string;
  result: string;
  details: Record<string, unknown>;
}

/** Audit actions the incident timeline mirrors: outcomes and waits, not every step start. */
export const PLAYBOOK_TIMELINE_ACTIONS: ReadonlySet<string> = new Set(['playbook.step.finish', 'playbook.step.wait', 'playbook.approval.decision']);

function phaseOf(record: PlaybookAuditRecord): PlaybookPhase | undefined {
  switch (record.action) {
    case 'playbook.step.start':
      return 'started';
    case 'playbook.step.skip':
      return 'skipped';
    case 'playbook.step.wait':
      return record.details.action === 'approval.request' ? 'approval_requested' : 'waiting';
    case 'playbook.approval.decision':
      return 'approval_decided';
    case 'playbook.step.finish':
      return record.result === 'success' ? 'succeeded' : record.result === 'denied' ? 'denied' : 'failed';
    default:
      return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The timeline entry of a playbook audit record (`playbook.step.*`, `playbook.approval.decision`),
 * or undefined for other actions. `data` holds the run, alert, playbook, step, action, phase and,
 * as they apply, the decision with its comment, the time waited for and the error.
 */
export function playbookTimelineEntry(record: PlaybookAuditRecord): TimelineEntryInput | undefined {
  const phase = phaseOf(record);
  if (phase === undefined) return undefined;
  const d = record.details;
  const step = text(d.step);
  const action = text(d.action);
  const run = record.object.startsWith('playbook_run:') ? record.object.slice('playbook_run:'.length) : record.object;
  const playbook = record.actor.startsWith('playbook:') ? record.actor.slice('playbook:'.length) : text(d.playbook);
  const decision = text(d.decision);
  const what = step !== undefined ? `step ${step}${action !== undefined ? ` (${action})` : ''}` : 'approval';
  const verb = phase === 'waiting' || phase === 'approval_requested' ? 'waiting' : phase === 'approval_decided' ? `decision: ${decision ?? record.result}` : record.result;
  const data: Record<string, unknown> = { run_id: run, alert_id: d.alert_id, result: record.result, phase };
  if (playbook !== undefined) data.playbook = playbook;
  if (step !== undefined) data.step = step;
  if (action !== undefined) data.action = action;
  if (decision !== undefined) data.decision = decision;
  if (text(d.comment) !== undefined) data.comment = d.comment;
  if (text(d.until) !== undefined) data.until = d.until;
  if (text(d.error) !== undefined) data.error = d.error;
  // A simulation (dry run from the console) changed nothing: say so, as readers take the timeline for what was done.
  if (d.simulated === true) data.simulated = true;
  return { kind: 'playbook_step', message: `${record.actor}: ${what} ${verb}${d.simulated === true ? ' (simulated)' : ''}`, data };
}
