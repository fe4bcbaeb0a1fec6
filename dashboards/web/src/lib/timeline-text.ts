/**
 * The incident timeline in the reader's language: each entry's sentence is rendered from its
 * `kind` and `data` (correlation/incidents/timeline-entries.ts puts every value there), not from
 * the server's English `message`, which is shown only for kinds this console does not know and
 * for rows written before `data` held the values. Values written by people or remote systems
 * (titles, rule names, comments, errors) come back as authored parts, shown as written.
 */
import type { IncidentTimelineEntry } from '../api/incidents';
// The catalogue types, not i18n/index.tsx: this module is also compiled outside the web build (tests).
import type { MessageKey } from '../i18n/en';
import { incidentTitleOf } from './incident-title';

type Vars = Record<string, string | number>;

export interface TimelinePart {
  text: string;
  /** Written by a person or another system (a title, a rule name, a comment): not translated. */
  authored: boolean;
}

export interface TimelineFormat {
  t(key: MessageKey, vars?: Vars): string;
  date(iso: string): string;
  /** A rule's title in the reader's language, when the rule has one (else its name as written). */
  ruleTitle?(ruleId: string | undefined, name: string): string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A catalogue message with its placeholders filled, authored values kept apart. */
function fill(f: TimelineFormat, key: MessageKey, vars: Record<string, string>, authored: readonly string[] = []): TimelinePart[] {
  const template = f.t(key);
  const parts: TimelinePart[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    const name = m[1];
    if (!(name in vars)) continue;
    const at = m.index ?? 0;
    if (at > last) parts.push({ text: template.slice(last, at), authored: false });
    parts.push({ text: vars[name], authored: authored.includes(name) });
    last = at + m[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last), authored: false });
  return parts;
}

/** A catalogue message by a computed key, or the value itself when the catalogue has none. */
function label(f: TimelineFormat, key: string, fallback: string): string {
  const text = f.t(key as MessageKey);
  return text === key ? fallback : text;
}

const DETAIL_FIELDS = new Set(['description', 'affected_systems', 'actions_taken', 'cause', 'impact', 'system_level']);

function fieldValue(f: TimelineFormat, field: string, value: unknown): string {
  // A removed severity override (null; 'from alerts' in older rows): the alerts' severity applies again.
  if (field === 'severity' && (value === null || value === 'from alerts')) return f.t('tl.fromAlerts');
  if (value === null || value === undefined || value === '') return field === 'assignee' ? f.t('tl.nobody') : '—';
  if (field === 'severity') return label(f, `severity.${String(value)}`, String(value));
  if (field === 'category') return label(f, `incident.category.${String(value)}`, String(value));
  if (field === 'serious') return f.t(value === true ? 'common.yes' : 'common.no');
  if (field === 'detected_at' && typeof value === 'string') return f.date(value);
  return String(value);
}

function fieldChange(f: TimelineFormat, d: Record<string, unknown>): TimelinePart[] | undefined {
  if (Array.isArray(d.fields)) {
    const names = d.fields.map((x) => String(x)).map((x) => (DETAIL_FIELDS.has(x) ? f.t(`tl.field.${x}` as MessageKey) : x));
    return fill(f, 'tl.detailsChange', { fields: names.join(', ') });
  }
  const field = str(d.field);
  if (field === undefined) return undefined;
  const authored = field === 'title' || field === 'assignee' ? ['from', 'to'] : [];
  return fill(f, 'tl.fieldChange', { field: label(f, `tl.field.${field}`, field), from: fieldValue(f, field, d.from), to: fieldValue(f, field, d.to) }, authored);
}

function taskChange(f: TimelineFormat, d: Record<string, unknown>): TimelinePart[] | undefined {
  const title = str(d.title);
  if (title === undefined || typeof d.task_id !== 'number') return undefined;
  const id = String(d.task_id);
  if (d.action === 'added') return fill(f, 'tl.taskAdded', { id, title }, ['title']);
  if (d.action === 'removed') return fill(f, 'tl.taskRemoved', { id, title }, ['title']);
  const from = str(d.from);
  const to = str(d.to);
  if (from !== undefined && to !== undefined && from !== to) {
    return fill(f, 'tl.taskStatus', { id, title, from: label(f, `taskStatus.${from}`, from), to: label(f, `taskStatus.${to}`, to) }, ['title']);
  }
  return fill(f, 'tl.taskUpdated', { id, title }, ['title']);
}

const STEP_KEYS: Readonly<Record<string, MessageKey>> = {
  started: 'tl.step.started',
  succeeded: 'tl.step.succeeded',
  failed: 'tl.step.failed',
  skipped: 'tl.step.skipped',
  denied: 'tl.step.denied',
  waiting: 'tl.step.waiting',
};

/**
 * Rows mirrored before playbook entries carried their phase hold `{run_id, alert_id, result}` and a
 * message of fixed shape (`<actor>: step <id> (<action>) <result>`, `… waiting`, `… decision: deny`);
 * read back from it, so existing timelines read in the reader's language too.
 */
const LEGACY_STEP = /^\S+: step (\S+)(?: \(([^)]+)\))? (?:(success|failure|denied|skipped|waiting)|decision: (approve|deny))$/;

function legacyStep(message: string): Record<string, unknown> | undefined {
  const m = LEGACY_STEP.exec(message);
  if (m === null) return undefined;
  const [, step, action, result, decision] = m;
  const phase =
    decision !== undefined
      ? 'approval_decided'
      : result === 'waiting'
        ? action === 'approval.request'
          ? 'approval_requested'
          : 'waiting'
        : result === 'success'
          ? 'succeeded'
          : result === 'failure'
            ? 'failed'
            : result;
  return { step, action, phase, decision };
}

function playbookStep(f: TimelineFormat, entry: IncidentTimelineEntry): TimelinePart[] | undefined {
  const d = str(entry.data.phase) !== undefined ? entry.data : { ...entry.data, ...legacyStep(entry.message) };
  const phase = str(d.phase);
  const step = str(d.step);
  if (phase === undefined || step === undefined) return undefined;
  let parts: TimelinePart[];
  if (phase === 'approval_requested') parts = fill(f, 'tl.approvalRequested', { step });
  else if (phase === 'approval_decided') parts = fill(f, d.decision === 'approve' ? 'tl.approvalApproved' : 'tl.approvalDenied', { step });
  else if (STEP_KEYS[phase] !== undefined) parts = fill(f, STEP_KEYS[phase], { step, action: str(d.action) ?? '–', until: str(d.until) !== undefined ? f.date(String(d.until)) : '–' });
  else return undefined;
  if (d.simulated === true) parts.push({ text: ` (${f.t('tl.simulated')})`, authored: false });
  const run = str(d.run_id);
  if (run !== undefined) parts.push({ text: ` · ${f.t('tl.run', { run: run.slice(0, 8) })}`, authored: false });
  const note = phase === 'approval_decided' ? str(d.comment) : phase === 'failed' ? str(d.error) : undefined;
  if (note !== undefined) parts.push({ text: ' — ', authored: false }, { text: note, authored: true });
  return parts;
}

function sentence(entry: IncidentTimelineEntry, f: TimelineFormat): TimelinePart[] | undefined {
  const d = entry.data;
  switch (entry.kind) {
    case 'created': {
      const title = str(d.title);
      if (title === undefined) return undefined;
      const shown = f.ruleTitle ? incidentTitleOf(title, f.ruleTitle) : title;
      return fill(f, 'tl.created', { title: shown }, shown === title ? ['title'] : []);
    }
    case 'alert_added': {
      const alert = str(d.alert_id);
      const rule = str(d.rule_name);
      const severity = str(d.severity);
      if (alert === undefined || rule === undefined || severity === undefined) return undefined;
      const shown = f.ruleTitle ? f.ruleTitle(str(d.rule_id), rule) : rule;
      return fill(f, 'tl.alertAdded', { alert: alert.slice(0, 8), rule: shown, severity: label(f, `severity.${severity}`, severity) }, shown === rule ? ['rule'] : []);
    }
    case 'status_change': {
      const from = str(d.from);
      const to = str(d.to);
      if (from === undefined || to === undefined) return undefined;
      return fill(f, 'tl.statusChange', { from: label(f, `incident.status.${from}`, from), to: label(f, `incident.status.${to}`, to) });
    }
    case 'field_change':
      return fieldChange(f, d);
    case 'comment':
      return [{ text: entry.message, authored: true }];
    case 'task_change':
      return taskChange(f, d);
    case 'playbook_step':
      return playbookStep(f, entry);
    case 'report_status': {
      const report = str(d.report);
      const reference = str(d.reference);
      if (report === undefined || reference === undefined) return undefined;
      return fill(f, 'tl.reportSubmitted', { report: label(f, `due.report.${report}`, report), reference }, ['reference']);
    }
    case 'deadline_breach': {
      const key = str(d.key);
      const due = str(d.due_at);
      if (key === undefined || due === undefined) return undefined;
      return fill(f, 'tl.deadlineBreach', { item: label(f, `due.${key}`, key), due: f.date(due) });
    }
    default:
      return undefined;
  }
}

/** The entry's sentence in the reader's language; the server's message when the entry is not known here. */
export function timelineParts(entry: IncidentTimelineEntry, f: TimelineFormat): TimelinePart[] {
  return sentence(entry, f) ?? [{ text: entry.message, authored: false }];
}

export function timelineText(entry: IncidentTimelineEntry, f: TimelineFormat): string {
  return timelineParts(entry, f)
    .map((p) => p.text)
    .join('');
}

/** Who wrote the entry: a user's name, a playbook, or a named part of socnoc. */
export function actorLabel(actor: string, t: TimelineFormat['t']): string {
  const colon = actor.indexOf(':');
  if (colon < 0) return actor;
  const type = actor.slice(0, colon);
  const name = actor.slice(colon + 1);
  if (type === 'user') return name;
  if (type === 'playbook') return t('actor.playbook', { name });
  if (type === 'system') {
    const key = `actor.system.${name}` as MessageKey;
    const text = t(key);
    return text === key ? t('actor.system', { name }) : text;
  }
  return actor;
}
