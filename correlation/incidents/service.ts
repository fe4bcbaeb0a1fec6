/**
 * IncidentService: the operations analysts, the API, the grouper and playbooks perform on
 * incidents. Every change writes its timeline entry in the same transaction, with the actor
 * (`user:<name>`, `system:grouping`, `playbook:<id>`…).
 */
import type { Alert, AlertSeverity } from '../alerts/types';
import { guessCategory } from './category';
import type { IncidentsConfig } from './config';
import { dueItems } from './due';
import { AlertEntityExtractor } from './entities';
import { buildReportDocument, type ReportDocument } from './documents/build';
import type { ReportLanguage } from './documents/labels';
import { isReportKind, REPORT_KINDS, REPORT_TITLES, type ReportKind } from './regulatory';
import {
  alertAddedEntry,
  commentEntry,
  createdEntry,
  detailsChangeEntry,
  fieldChangeEntry,
  reportSubmittedEntry,
  statusChangeEntry,
  taskAddedEntry,
  taskRemovedEntry,
  taskUpdatedEntry,
  type TimelineField,
} from './timeline-entries';
import { emptyDetails, IncidentStore, severityRank, type IncidentListParams, type IncidentRecord, type NewTask } from './store';
import { yearIn } from './time-format';
import {
  INCIDENT_TRANSITIONS,
  type DueItem,
  type Incident,
  type IncidentCategory,
  type IncidentDetail,
  type IncidentDetails,
  type IncidentStatus,
  type IncidentTask,
  type TaskStatus,
  type TimelineKind,
} from './types';

/** Where alerts come from: AlertStore satisfies it. */
export interface AlertLookup {
  get(id: string, organizations?: readonly string[]): Alert | undefined;
}

export type IncidentErrorCode = 'not_found' | 'conflict' | 'invalid';

/** A request that cannot be carried out, with the reason; the HTTP layer maps the code to 404/409/400. */
export class IncidentError extends Error {
  constructor(
    readonly code: IncidentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IncidentError';
  }
}

export interface CreateIncidentInput {
  /** Required when no alert names the agency. */
  organization?: { id: string; name?: string };
  title?: string;
  alertIds?: readonly string[];
  severity?: AlertSeverity;
  category?: IncidentCategory;
  serious?: boolean;
  assignee?: string | null;
  details?: Partial<IncidentDetails>;
  /** Epoch ms; default the earliest alert's creation, else now. */
  detectedAt?: number;
}

export interface UpdateIncidentInput {
  title?: string;
  status?: IncidentStatus;
  /** null removes the override: the severity follows the alerts again. */
  severity?: AlertSeverity | null;
  assignee?: string | null;
  category?: IncidentCategory;
  serious?: boolean;
  details?: Partial<IncidentDetails>;
  detectedAt?: number;
}

export interface TimelineEntryInput {
  kind: TimelineKind;
  message: string;
  data?: Record<string, unknown>;
}

export interface ReportSubmissionInput {
  reference: string;
  /** Epoch ms; default now. */
  submittedAt?: number;
  note?: string;
}

export interface IncidentServiceDeps {
  store: IncidentStore;
  alerts: AlertLookup;
  now?: () => number;
  /** Called after an incident is created (metrics, playbook triggers), with the actor who opened it. */
  onCreated?: (incident: Incident, actor: string) => void;
}

/** The interface playbooks (incident.create / incident.update) call. */
export interface IncidentOperations {
  createIncident(input: CreateIncidentInput, actor: string, organizations?: readonly string[]): Incident;
  updateIncident(id: string, changes: UpdateIncidentInput, actor: string, organizations?: readonly string[]): Incident;
  addTimelineEntry(id: string, entry: TimelineEntryInput, actor: string, organizations?: readonly string[]): void;
}

function alertTitle(alert: Alert): string {
  const keys = Object.keys(alert.group).sort();
  if (keys.length === 0) return alert.rule.name;
  return `${alert.rule.name} (${keys.map((k) => `${k} ${alert.group[k]}`).join(', ')})`;
}

export class IncidentService implements IncidentOperations {
  readonly store: IncidentStore;
  readonly entities: AlertEntityExtractor;
  private readonly alerts: AlertLookup;
  private readonly now: () => number;
  private readonly onCreated: ((incident: Incident, actor: string) => void) | undefined;

  constructor(
    deps: IncidentServiceDeps,
    private readonly config: IncidentsConfig,
  ) {
    this.store = deps.store;
    this.alerts = deps.alerts;
    this.now = deps.now ?? Date.now;
    this.onCreated = deps.onCreated;
    this.entities = new AlertEntityExtractor(config.grouping.entityFields, config.grouping.ignoreValues);
  }

  clock(): number {
    return this.now();
  }

  private require(id: string, organizations?: readonly string[]): IncidentRecord {
    const r = this.store.get(id, organizations);
    if (r === undefined) throw new IncidentError('not_found', `incident "${id.slice(0, 100)}" does not exist`);
    return r;
  }

  private alertsFor(ids: readonly string[], organizations: readonly string[] | undefined, org: string | undefined): Alert[] {
    const out: Alert[] = [];
    for (const id of ids) {
      const alert = this.alerts.get(id, organizations);
      if (alert === undefined) throw new IncidentError('not_found', `alert "${id.slice(0, 100)}" does not exist`);
      const expected = org ?? out[0]?.organization.id;
      if (expected !== undefined && alert.organization.id !== expected) {
        throw new IncidentError('invalid', `alert "${id}" belongs to agency "${alert.organization.id}", not "${expected}": an incident holds one agency's alerts`);
      }
      const owner = this.store.incidentOfAlert(id);
      if (owner !== undefined) {
        throw new IncidentError('conflict', `alert "${id}" already belongs to incident ${this.store.record(owner)?.incident.id ?? '?'}`);
      }
      out.push(alert);
    }
    return out;
  }

  createIncident(input: CreateIncidentInput, actor: string, organizations?: readonly string[]): Incident {
    return this.store.transaction(() => {
      const alerts = this.alertsFor(input.alertIds ?? [], organizations, input.organization?.id);
      return this.openIncident(alerts, input, actor, organizations);
    });
  }

  /**
   * Opens an incident holding these alerts (free, of one agency: createIncident checks; the
   * grouper passes one alert it has just looked up).
   */
  openIncident(alerts: readonly Alert[], input: CreateIncidentInput, actor: string, organizations?: readonly string[]): Incident {
    return this.store.transaction(() => {
      const organization = input.organization ?? alerts[0]?.organization;
      if (organization === undefined) throw new IncidentError('invalid', 'an incident needs an organization or at least one alert');
      if (organizations !== undefined && !organizations.includes(organization.id)) {
        throw new IncidentError('not_found', `agency "${organization.id}" is not one of yours`);
      }
      const first = alerts[0];
      const title = input.title ?? (first !== undefined ? alertTitle(first) : undefined);
      if (title === undefined || title.trim() === '') throw new IncidentError('invalid', 'an incident without alerts needs a title');
      const now = this.now();
      let detected = input.detectedAt;
      if (detected === undefined) detected = alerts.length > 0 ? Math.min(...alerts.map((a) => Date.parse(a.created_at))) : now;
      // A manual incident without alerts starts at medium until an alert or an analyst says otherwise.
      let maxSeverity: AlertSeverity = alerts.length === 0 ? 'medium' : 'informational';
      for (const a of alerts) if (severityRank(a.severity) > severityRank(maxSeverity)) maxSeverity = a.severity;
      const record = this.store.insert(
        {
          year: yearIn(now, this.config.reporting.timeZone),
          organization: organization.name !== undefined ? { id: organization.id, name: organization.name } : { id: organization.id },
          title: title.trim(),
          alertSeverity: maxSeverity,
          severityOverride: input.severity ?? null,
          assignee: input.assignee ?? null,
          category: input.category ?? (first !== undefined ? guessCategory(first) : 'other'),
          serious: input.serious ?? false,
          details: { ...emptyDetails(), ...input.details },
          openedAt: now,
          detectedAt: detected,
        },
        now,
      );
      this.log(record.seq, now, actor, createdEntry(title.trim(), alerts.map((a) => a.id)));
      for (const a of alerts) this.linkAlert(record.seq, a, actor, now);
      const incident = this.store.record(record.seq)!.incident;
      this.onCreated?.(incident, actor);
      return incident;
    });
  }

  /** Links an alert (already checked to be free and of the incident's agency) and indexes its entities. */
  linkAlert(seq: number, alert: Alert, actor: string, now: number): boolean {
    if (!this.store.addAlert(seq, alert.id, alert.severity, now)) return false;
    this.store.touchEntities(seq, alert.organization.id, this.entities.entitiesOf(alert), Date.parse(alert.last_seen));
    this.log(seq, now, actor, alertAddedEntry(alert));
    return true;
  }

  addAlerts(id: string, alertIds: readonly string[], actor: string, organizations?: readonly string[]): Incident {
    return this.store.transaction(() => {
      const r = this.require(id, organizations);
      if (r.incident.status === 'closed') throw new IncidentError('conflict', `incident ${id} is closed: open a new one`);
      const alerts = this.alertsFor(alertIds, organizations, r.incident.organization.id);
      const now = this.now();
      for (const a of alerts) this.linkAlert(r.seq, a, actor, now);
      return this.store.record(r.seq)!.incident;
    });
  }

  updateIncident(id: string, changes: UpdateIncidentInput, actor: string, organizations?: readonly string[]): Incident {
    return this.store.transaction(() => {
      const r = this.require(id, organizations);
      const before = r.incident;
      const now = this.now();
      const log = (entry: TimelineEntryInput): void => this.log(r.seq, now, actor, entry);
      const set: Parameters<IncidentStore['update']>[1] = {};
      if (changes.status !== undefined && changes.status !== before.status) {
        if (!INCIDENT_TRANSITIONS[before.status].includes(changes.status)) {
          const allowed = INCIDENT_TRANSITIONS[before.status];
          throw new IncidentError('conflict', `incident ${id} cannot go from ${before.status} to ${changes.status}; allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none (closed is final)'}`);
        }
        set.status = changes.status;
        if (before.acknowledged_at === null) set.acknowledgedAt = now;
        if (changes.status === 'resolved' || changes.status === 'closed') {
          if (before.resolved_at === null) set.resolvedAt = now;
        } else if (before.resolved_at !== null) {
          set.resolvedAt = null;
        }
        if (changes.status === 'closed') set.closedAt = now;
        log(statusChangeEntry(before.status, changes.status));
      }
      const field = (name: TimelineField, from: unknown, to: unknown): void => log(fieldChangeEntry(name, from, to));
      if (changes.title !== undefined && changes.title.trim() !== before.title) {
        set.title = changes.title.trim();
        field('title', before.title, set.title);
      }
      if (changes.severity !== undefined && changes.severity !== before.severity_override) {
        set.severityOverride = changes.severity;
        field('severity', before.severity, changes.severity);
      }
      if (changes.assignee !== undefined && changes.assignee !== before.assignee) {
        set.assignee = changes.assignee;
        field('assignee', before.assignee, changes.assignee);
      }
      if (changes.category !== undefined && changes.category !== before.category) {
        set.category = changes.category;
        field('category', before.category, changes.category);
      }
      if (changes.serious !== undefined && changes.serious !== before.serious) {
        set.serious = changes.serious;
        field('serious', before.serious, changes.serious);
      }
      if (changes.detectedAt !== undefined && changes.detectedAt !== Date.parse(before.detected_at)) {
        set.detectedAt = changes.detectedAt;
        field('detected_at', before.detected_at, new Date(changes.detectedAt).toISOString());
      }
      if (changes.details !== undefined) {
        const next = { ...before.details, ...changes.details };
        const changed = (Object.keys(changes.details) as Array<keyof IncidentDetails>).filter((k) => JSON.stringify(before.details[k]) !== JSON.stringify(next[k]));
        if (changed.length > 0) {
          set.details = next;
          log(detailsChangeEntry(changed));
        }
      }
      if (Object.keys(set).length > 0) this.store.update(r.seq, set, now);
      return this.store.record(r.seq)!.incident;
    });
  }

  addTimelineEntry(id: string, entry: TimelineEntryInput, actor: string, organizations?: readonly string[]): void {
    const r = this.require(id, organizations);
    this.log(r.seq, this.now(), actor, entry);
  }

  private log(seq: number, now: number, actor: string, entry: TimelineEntryInput): void {
    this.store.addTimeline(seq, now, actor, entry.kind, entry.message, entry.data ?? {});
  }

  addComment(id: string, text: string, actor: string, organizations?: readonly string[]): void {
    this.addTimelineEntry(id, commentEntry(text), actor, organizations);
  }

  addTask(id: string, task: { title: string; assignee?: string | null; status?: TaskStatus; due?: number | null }, actor: string, organizations?: readonly string[]): IncidentTask {
    return this.store.transaction(() => {
      const r = this.require(id, organizations);
      const now = this.now();
      const created = this.store.addTask(r.seq, { title: task.title, assignee: task.assignee ?? null, status: task.status ?? 'open', due: task.due ?? null }, now);
      this.log(r.seq, now, actor, taskAddedEntry(created));
      return created;
    });
  }

  updateTask(id: string, taskId: number, changes: Partial<NewTask>, actor: string, organizations?: readonly string[]): IncidentTask {
    return this.store.transaction(() => {
      const r = this.require(id, organizations);
      const before = this.store.task(r.seq, taskId);
      if (before === undefined) throw new IncidentError('not_found', `incident ${id} has no task ${taskId}`);
      const now = this.now();
      const after = this.store.updateTask(r.seq, taskId, changes, now)!;
      this.log(r.seq, now, actor, taskUpdatedEntry(after, before.status, after.status));
      return after;
    });
  }

  deleteTask(id: string, taskId: number, actor: string, organizations?: readonly string[]): void {
    this.store.transaction(() => {
      const r = this.require(id, organizations);
      const before = this.store.task(r.seq, taskId);
      if (before === undefined || !this.store.deleteTask(r.seq, taskId)) throw new IncidentError('not_found', `incident ${id} has no task ${taskId}`);
      this.log(r.seq, this.now(), actor, taskRemovedEntry(before));
    });
  }

  tasks(id: string, organizations?: readonly string[]): IncidentTask[] {
    return this.store.tasks(this.require(id, organizations).seq);
  }

  submitReport(id: string, kind: string, input: ReportSubmissionInput, actor: string, organizations?: readonly string[]): DueItem[] {
    if (!isReportKind(kind)) throw new IncidentError('not_found', `unknown report "${kind.slice(0, 40)}"; expected ${REPORT_KINDS.join(', ')}`);
    return this.store.transaction(() => {
      const r = this.require(id, organizations);
      const now = this.now();
      const at = input.submittedAt ?? now;
      if (!this.store.recordSubmission(r.seq, { kind, submitted_at: at, submitted_by: actor, reference: input.reference, note: input.note ?? '' }, now)) {
        throw new IncidentError('conflict', `report ${kind} of incident ${id} is already recorded as submitted`);
      }
      this.log(r.seq, now, actor, reportSubmittedEntry(kind, REPORT_TITLES[kind as ReportKind], input.reference, at));
      return this.due(this.store.record(r.seq)!);
    });
  }

  due(record: IncidentRecord, now = this.now()): DueItem[] {
    return dueItems(record.incident, this.config.sla, this.config.reporting, this.store.submissions(record.seq), now);
  }

  /** The document of a report (any kind, applicable or not: a draft can be printed early). */
  reportDocument(id: string, kind: string, lang: ReportLanguage, organizations?: readonly string[]): ReportDocument {
    if (!isReportKind(kind)) throw new IncidentError('not_found', `unknown report "${kind.slice(0, 40)}"; expected ${REPORT_KINDS.join(', ')}`);
    const r = this.require(id, organizations);
    return buildReportDocument(kind, {
      incident: r.incident,
      timeline: this.store.timeline(r.seq),
      tasks: this.store.tasks(r.seq),
      submissions: this.store.submissions(r.seq),
      reporting: this.config.reporting,
      lang,
      now: this.now(),
    });
  }

  get(id: string, organizations?: readonly string[]): Incident {
    return this.require(id, organizations).incident;
  }

  detail(id: string, organizations?: readonly string[]): IncidentDetail {
    const r = this.require(id, organizations);
    return { ...r.incident, due: this.due(r), timeline: this.store.timeline(r.seq), tasks: this.store.tasks(r.seq) };
  }

  list(params: IncidentListParams): { total: number; incidents: Array<Incident & { due: DueItem[] }> } {
    const page = this.store.list(params);
    const now = this.now();
    return { total: page.total, incidents: page.records.map((r) => ({ ...r.incident, due: this.due(r, now) })) };
  }
}
