/**
 * The report documents as a language-neutral model (headings and label/value fields), filled from
 * the incident; render-html.ts and render-text.ts print it. One model per kind:
 * - form03 (Circular 20/2017 Form 03) and nd331-notice: reporter, affected system, incident, actions so far;
 * - form04 (Form 04): the same plus the initial report's reference, end of response and result;
 * - nd331-report: plus cause, scope and remediation.
 */
import { DEFAULT_RECIPIENTS, type ReportingConfig } from '../config';
import { reportObligations, REPORT_REGIMES, type ReportKind } from '../regulatory';
import type { ReportSubmission } from '../store';
import { formatDateTime } from '../time-format';
import type { Incident, IncidentEntity, IncidentTask, TimelineEntry } from '../types';
import { actionLine } from './action-lines';
import { REPORT_LABELS, type ReportLabels, type ReportLanguage } from './labels';

export interface ReportField {
  label: string;
  /** May hold several lines. */
  value: string;
}

export interface ReportSection {
  heading: string;
  fields: ReportField[];
}

export interface ReportDocument {
  kind: ReportKind;
  lang: ReportLanguage;
  motto: string[];
  formName: string;
  title: string;
  recipient: string;
  sections: ReportSection[];
  signature: { line: string; hint: string };
  footer: string;
}

export interface ReportContext {
  incident: Incident;
  timeline: readonly TimelineEntry[];
  tasks: readonly IncidentTask[];
  submissions: ReadonlyMap<string, ReportSubmission>;
  reporting: ReportingConfig;
  lang: ReportLanguage;
  /** When the document is produced (the "reported at" date). */
  now: number;
}

/** Timeline kinds that describe response work, listed under "actions taken" when the analyst wrote none. */
const ACTION_KINDS = new Set(['status_change', 'playbook_step', 'task_change']);

function valuesOf(entities: readonly IncidentEntity[], kinds: readonly string[]): string[] {
  return entities.filter((e) => kinds.includes(e.kind)).map((e) => e.value);
}

function list(values: readonly string[], l: ReportLabels): string {
  return values.length > 0 ? values.join(', ') : l.none;
}

function text(value: string, l: ReportLabels): string {
  return value.trim() !== '' ? value.trim() : l.none;
}

export function buildReportDocument(kind: ReportKind, ctx: ReportContext): ReportDocument {
  const l = REPORT_LABELS[ctx.lang];
  const f = l.fields;
  const i = ctx.incident;
  const tz = ctx.reporting.timeZone;
  const when = (iso: string | null): string => (iso === null ? l.notYet : formatDateTime(Date.parse(iso), tz));
  const contact = ctx.reporting.contacts[i.organization.id];
  const orgName = contact?.name || i.organization.name || i.organization.id;
  const regime = REPORT_REGIMES[kind];
  const configured = regime === 'decree85' ? ctx.reporting.decree85.recipient : ctx.reporting.decree331.recipient;
  const recipient = configured === DEFAULT_RECIPIENTS[regime] ? l.defaultRecipients[regime] : configured;
  const hosts = valuesOf(i.entities, ['host.name', 'host.hostname', 'host.ip', 'destination.ip', 'destination.domain']);
  const systems = i.details.affected_systems.length > 0 ? i.details.affected_systems : hosts;
  const actions =
    i.details.actions_taken.trim() !== ''
      ? i.details.actions_taken.trim()
      : ctx.timeline
          .filter((e) => ACTION_KINDS.has(e.kind))
          .map((e) => `${formatDateTime(Date.parse(e.time), tz)}: ${actionLine(e, l)}`)
          .join('\n');
  const obligation = reportObligations(i, { ...ctx.reporting, regimes: [regime] }).find((o) => o.kind === kind);

  const sections: ReportSection[] = [
    {
      heading: l.sections.reporter,
      fields: [
        { label: f.reporterName, value: orgName },
        { label: f.address, value: text(contact?.address ?? '', l) },
        { label: f.phone, value: text(contact?.phone ?? '', l) },
        { label: f.email, value: text(contact?.email ?? '', l) },
      ],
    },
    {
      heading: l.sections.system,
      fields: [
        { label: f.operator, value: i.organization.name ?? orgName },
        { label: f.owner, value: text(contact?.owner ?? '', l) },
        { label: f.systems, value: list(systems, l) },
        { label: f.systemLevel, value: i.details.system_level === null ? l.none : String(i.details.system_level) },
      ],
    },
    {
      heading: l.sections.incident,
      fields: [
        { label: f.incidentId, value: i.id },
        { label: f.title, value: i.title },
        { label: f.description, value: text(i.details.description, l) },
        { label: f.category, value: l.categories[i.category] },
        { label: f.severity, value: l.severities[i.severity] },
        { label: f.serious, value: i.serious ? l.yes : l.no },
        { label: f.detectedAt, value: when(i.detected_at) },
        { label: f.openedAt, value: when(i.opened_at) },
        { label: f.reportedAt, value: formatDateTime(ctx.now, tz) },
        { label: f.status, value: l.statuses[i.status] },
        { label: f.sources, value: list(valuesOf(i.entities, ['source.ip', 'source.domain']), l) },
        { label: f.targets, value: list(hosts, l) },
        { label: f.accounts, value: list(valuesOf(i.entities, ['user.name']), l) },
        { label: f.alerts, value: list(i.alert_ids, l) },
        { label: f.impact, value: text(i.details.impact, l) },
      ],
    },
    { heading: l.sections.response, fields: [{ label: f.actionsTaken, value: text(actions, l) }] },
  ];
  if (kind === 'form04') {
    const initial = ctx.submissions.get('form03');
    sections.push({
      heading: l.sections.closing,
      fields: [
        { label: f.initialReport, value: initial === undefined ? l.notSubmitted : `${initial.reference} (${formatDateTime(initial.submitted_at, tz)})` },
        { label: f.resolvedAt, value: when(i.resolved_at ?? i.closed_at) },
        { label: f.result, value: text([l.statuses[i.status], i.details.actions_taken].filter((s) => s.trim() !== '').join('. '), l) },
        { label: f.attachments, value: list(i.alert_ids.map((a) => `alert ${a}`), l) },
      ],
    });
  }
  if (kind === 'nd331-report') {
    sections.push({
      heading: l.sections.analysis,
      fields: [
        { label: f.cause, value: text(i.details.cause, l) },
        { label: f.scope, value: list(systems, l) },
        { label: f.remediation, value: text(actions, l) },
      ],
    });
  }
  if (obligation !== undefined && obligation.dueAt !== null) {
    sections[2].fields.push({ label: f.deadline, value: formatDateTime(obligation.dueAt, tz) });
  }
  return {
    kind,
    lang: ctx.lang,
    motto: l.nationalMotto,
    formName: l.formNames[kind],
    title: l.titles[kind],
    recipient: `${l.recipient}: ${recipient}`,
    sections,
    signature: { line: l.signatureLine, hint: l.signatureHint },
    footer: `${l.generatedBy} · ${i.id} · ${formatDateTime(ctx.now, tz)}`,
  };
}
