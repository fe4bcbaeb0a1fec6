/**
 * Response steps of the timeline as the report documents list them under "actions taken", in the
 * document's language: written from each entry's data (timeline-entries.ts), the stored English
 * message only for entries that carry no such data (older rows, free entries from playbooks).
 */
import type { TimelineEntry } from '../types';
import type { ReportLabels } from './labels';

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

function lookup<T extends string>(table: Record<T, string>, value: string): string {
  return (table as Record<string, string>)[value] ?? value;
}

function sentence(e: TimelineEntry, l: ReportLabels): string | undefined {
  const d = e.data;
  const a = l.actions;
  if (e.kind === 'status_change') {
    const from = str(d.from);
    const to = str(d.to);
    return from !== undefined && to !== undefined ? fill(a.statusChange, { from: lookup(l.statuses, from), to: lookup(l.statuses, to) }) : undefined;
  }
  if (e.kind === 'task_change') {
    const title = str(d.title);
    if (title === undefined || typeof d.task_id !== 'number') return undefined;
    const id = String(d.task_id);
    if (d.action === 'added') return fill(a.taskAdded, { id, title });
    if (d.action === 'removed') return fill(a.taskRemoved, { id, title });
    const from = str(d.from);
    const to = str(d.to);
    if (from === undefined || to === undefined || from === to) return undefined;
    return fill(a.taskStatus, { id, title, from: lookup(a.taskStatuses, from), to: lookup(a.taskStatuses, to) });
  }
  if (e.kind === 'playbook_step') {
    const phase = str(d.phase);
    const step = str(d.step);
    if (phase === undefined || step === undefined) return undefined;
    const vars = { step, action: str(d.action) ?? '–', playbook: str(d.playbook) ?? '–', who: e.actor.startsWith('user:') ? e.actor.slice('user:'.length) : e.actor };
    if (phase === 'approval_requested') return fill(a.approvalRequested, vars);
    if (phase === 'approval_decided') return fill(d.decision === 'approve' ? a.approved : a.denied, vars);
    return phase in a.step ? fill(a.step[phase as keyof typeof a.step], vars) : undefined;
  }
  return undefined;
}

export function actionLine(entry: TimelineEntry, labels: ReportLabels): string {
  return sentence(entry, labels) ?? entry.message;
}
