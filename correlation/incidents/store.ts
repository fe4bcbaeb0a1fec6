/**
 * IncidentStore: the incidents tables (schema.ts) behind plain methods. It persists; the rules of
 * the lifecycle (which moves are allowed, what goes on the timeline) live in IncidentService.
 */
import { applyMigrations, type SqliteDb } from '../../core/store/sqlite';
import { ALERT_SEVERITIES, type AlertSeverity } from '../alerts/types';
import { emptyDetails, incidentOf, iso, taskOf, type IncidentRow, type TaskRow } from './rows';
import { INCIDENT_MIGRATIONS } from './schema';
import type {
  Incident,
  IncidentCategory,
  IncidentDetails,
  IncidentEntity,
  IncidentStatus,
  IncidentTask,
  TaskStatus,
  TimelineEntry,
  TimelineKind,
} from './types';

export { emptyDetails };

/** Entities listed per incident in the API (the index keeps them all). */
export const MAX_LISTED_ENTITIES = 200;
/** Entity kind that links alerts sharing events (a correlation and the alerts it was built from). */
export const EVENT_ENTITY = 'event.id';

export function severityRank(severity: AlertSeverity): number {
  return ALERT_SEVERITIES.indexOf(severity);
}

export function severityOfRank(rank: number): AlertSeverity {
  return ALERT_SEVERITIES[Math.max(0, Math.min(ALERT_SEVERITIES.length - 1, rank))];
}

/** An incident as stored, with its row number for the other tables. */
export interface IncidentRecord {
  seq: number;
  incident: Incident;
}

export interface NewIncident {
  year: number;
  organization: { id: string; name?: string };
  title: string;
  alertSeverity: AlertSeverity;
  severityOverride: AlertSeverity | null;
  assignee: string | null;
  category: IncidentCategory;
  serious: boolean;
  details: IncidentDetails;
  openedAt: number;
  detectedAt: number;
}

/** Columns an update may set (undefined: unchanged). */
export interface IncidentFieldChanges {
  title?: string;
  status?: IncidentStatus;
  severityOverride?: AlertSeverity | null;
  assignee?: string | null;
  category?: IncidentCategory;
  serious?: boolean;
  details?: IncidentDetails;
  detectedAt?: number;
  acknowledgedAt?: number | null;
  resolvedAt?: number | null;
  closedAt?: number | null;
}

export interface IncidentListParams {
  organizations?: readonly string[];
  statuses?: readonly IncidentStatus[];
  severities?: readonly AlertSeverity[];
  assignee?: string;
  /** Matches the id, a title substring (case-insensitive) or an entity value exactly. */
  q?: string;
  limit: number;
  offset: number;
}

export interface ReportSubmission {
  kind: string;
  submitted_at: number;
  submitted_by: string;
  reference: string;
  note: string;
}

export interface NewTask {
  title: string;
  assignee: string | null;
  status: TaskStatus;
  due: number | null;
}

function placeholders(n: number): string {
  return n === 1 ? '?' : `?${',?'.repeat(n - 1)}`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** The `SET` list of an UPDATE, built from the fields a change gives (always stamping updated_at). */
class ColumnAssignments {
  private readonly columns: string[] = ['updated_at = ?'];
  readonly args: Array<string | number | null>;

  constructor(updatedAt: number) {
    this.args = [updatedAt];
  }

  set(column: string, value: string | number | null): void {
    this.columns.push(`${column} = ?`);
    this.args.push(value);
  }

  sql(): string {
    return this.columns.join(', ');
  }
}

export class IncidentStore {
  private readonly selectBySeq;
  private readonly selectById;
  private readonly selectAlertIncident;
  private readonly insertAlert;
  private readonly upsertEntity;
  private readonly insertTimeline;
  private readonly selectEntityMatches;
  private readonly selectEntityMatchesAnyTime;
  private readonly selectHead;
  private readonly raiseAlertSeverity;
  private readonly selectSeverity;
  private readonly setSeverity;
  private readonly selectAlertRank;
  private readonly setAlertRank;
  private readonly recomputeAlertSeverity;

  constructor(private readonly db: SqliteDb) {
    applyMigrations(db, 'incidents', INCIDENT_MIGRATIONS);
    this.selectBySeq = db.prepare('SELECT * FROM incidents WHERE seq = ?');
    this.selectById = db.prepare('SELECT * FROM incidents WHERE id = ?');
    this.selectHead = db.prepare('SELECT id, status FROM incidents WHERE seq = ?');
    this.raiseAlertSeverity = db.prepare('UPDATE incidents SET alert_severity_rank = MAX(alert_severity_rank, ?), updated_at = ? WHERE seq = ?');
    this.selectSeverity = db.prepare('SELECT severity, severity_override, alert_severity_rank FROM incidents WHERE seq = ?');
    this.setSeverity = db.prepare('UPDATE incidents SET severity = ? WHERE seq = ?');
    this.selectAlertRank = db.prepare('SELECT incident_seq, severity_rank FROM incident_alerts WHERE alert_id = ?');
    this.setAlertRank = db.prepare('UPDATE incident_alerts SET severity_rank = ? WHERE alert_id = ?');
    this.recomputeAlertSeverity = db.prepare(
      'UPDATE incidents SET alert_severity_rank = (SELECT COALESCE(MAX(severity_rank), 0) FROM incident_alerts WHERE incident_seq = ?1) WHERE seq = ?1',
    );
    this.selectAlertIncident = db.prepare('SELECT incident_seq FROM incident_alerts WHERE alert_id = ?');
    this.insertAlert = db.prepare('INSERT OR IGNORE INTO incident_alerts (alert_id, incident_seq, severity_rank, added_at) VALUES (?, ?, ?, ?)');
    this.upsertEntity = db.prepare(
      `INSERT INTO incident_entities (org, kind, value, incident_seq, last_seen) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (org, kind, value, incident_seq) DO UPDATE SET last_seen = MAX(last_seen, excluded.last_seen)`,
    );
    this.insertTimeline = db.prepare('INSERT INTO incident_timeline (incident_seq, time, actor, kind, message, data) VALUES (?, ?, ?, ?, ?, ?)');
    // Only incidents that can still take alerts; the primary key prefix (org, kind, value) makes this an index lookup.
    this.selectEntityMatches = db.prepare(
      `SELECT e.incident_seq AS seq FROM incident_entities e JOIN incidents i ON i.seq = e.incident_seq
       WHERE e.org = ? AND e.kind = ? AND e.value = ? AND e.last_seen >= ? AND i.status IN ('open', 'investigating', 'contained')
       ORDER BY e.incident_seq LIMIT 1`,
    );
    this.selectEntityMatchesAnyTime = db.prepare(
      `SELECT e.incident_seq AS seq FROM incident_entities e JOIN incidents i ON i.seq = e.incident_seq
       WHERE e.org = ? AND e.kind = ? AND e.value = ? AND i.status IN ('open', 'investigating', 'contained')
       ORDER BY e.incident_seq LIMIT 1`,
    );
  }

  /** True inside a transaction (a caller's, or `transaction`'s own). */
  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** `INC-2026-000123`: a per-year counter, so numbers stay short and tell the year at a glance. */
  private allocateId(year: number): string {
    const row = this.db
      .prepare('INSERT INTO incident_ids (year, last) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last')
      .get(year) as { last: number };
    return `INC-${year}-${String(row.last).padStart(6, '0')}`;
  }

  insert(n: NewIncident, now: number): IncidentRecord {
    return this.transaction(() => {
      const id = this.allocateId(n.year);
      const rank = severityRank(n.alertSeverity);
      const effective = n.severityOverride ?? n.alertSeverity;
      const info = this.db
        .prepare(
          `INSERT INTO incidents (id, org, org_name, title, status, severity, alert_severity_rank, severity_override, assignee, category, serious, details,
             created_at, updated_at, opened_at, detected_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, n.organization.id, n.organization.name ?? null, n.title, effective, rank, n.severityOverride, n.assignee, n.category, n.serious ? 1 : 0, JSON.stringify(n.details), now, now, n.openedAt, n.detectedAt);
      return this.record(Number(info.lastInsertRowid))!;
    });
  }

  /** The incident with this id, if it belongs to one of `organizations` (undefined: any agency). */
  seqOf(id: string, organizations?: readonly string[]): number | undefined {
    const row = this.selectById.get(id) as IncidentRow | undefined;
    if (row === undefined) return undefined;
    if (organizations !== undefined && !organizations.includes(row.org)) return undefined;
    return row.seq;
  }

  record(seq: number): IncidentRecord | undefined {
    const row = this.selectBySeq.get(seq) as IncidentRow | undefined;
    if (row === undefined) return undefined;
    return { seq, incident: this.toIncidents([row])[0] };
  }

  /** Id and status only: what grouping needs per alert, without loading the incident's alert list. */
  head(seq: number): { id: string; status: IncidentStatus } | undefined {
    return this.selectHead.get(seq) as { id: string; status: IncidentStatus } | undefined;
  }

  get(id: string, organizations?: readonly string[]): IncidentRecord | undefined {
    const seq = this.seqOf(id, organizations);
    return seq === undefined ? undefined : this.record(seq);
  }

  list(params: IncidentListParams): { total: number; records: IncidentRecord[] } {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (params.organizations !== undefined) {
      if (params.organizations.length === 0) return { total: 0, records: [] };
      where.push(`org IN (${placeholders(params.organizations.length)})`);
      args.push(...params.organizations);
    }
    if (params.statuses !== undefined && params.statuses.length > 0) {
      where.push(`status IN (${placeholders(params.statuses.length)})`);
      args.push(...params.statuses);
    }
    if (params.severities !== undefined && params.severities.length > 0) {
      where.push(`severity IN (${placeholders(params.severities.length)})`);
      args.push(...params.severities);
    }
    if (params.assignee !== undefined) {
      where.push('assignee = ?');
      args.push(params.assignee);
    }
    const q = params.q?.trim();
    if (q !== undefined && q !== '') {
      where.push(`(id = ? OR title LIKE ? ESCAPE '\\' OR seq IN (SELECT incident_seq FROM incident_entities WHERE value = ? AND kind <> '${EVENT_ENTITY}'))`);
      args.push(q.toUpperCase(), `%${escapeLike(q)}%`, q);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM incidents ${clause}`).get(...args) as { n: number }).n;
    const rows = this.db.prepare(`SELECT * FROM incidents ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...args, params.limit, params.offset) as IncidentRow[];
    const incidents = this.toIncidents(rows);
    return { total, records: rows.map((r, i) => ({ seq: r.seq, incident: incidents[i] })) };
  }

  /** Incidents whose deadlines may still be breached (not closed). */
  unclosed(): IncidentRecord[] {
    const rows = this.db.prepare("SELECT * FROM incidents WHERE status <> 'closed' ORDER BY seq").all() as IncidentRow[];
    const incidents = this.toIncidents(rows);
    return rows.map((r, i) => ({ seq: r.seq, incident: incidents[i] }));
  }

  update(seq: number, c: IncidentFieldChanges, now: number): void {
    const a = new ColumnAssignments(now);
    if (c.title !== undefined) a.set('title', c.title);
    if (c.status !== undefined) a.set('status', c.status);
    if (c.severityOverride !== undefined) a.set('severity_override', c.severityOverride);
    if (c.assignee !== undefined) a.set('assignee', c.assignee);
    if (c.category !== undefined) a.set('category', c.category);
    if (c.serious !== undefined) a.set('serious', c.serious ? 1 : 0);
    if (c.details !== undefined) a.set('details', JSON.stringify(c.details));
    if (c.detectedAt !== undefined) a.set('detected_at', c.detectedAt);
    if (c.acknowledgedAt !== undefined) a.set('acknowledged_at', c.acknowledgedAt);
    if (c.resolvedAt !== undefined) a.set('resolved_at', c.resolvedAt);
    if (c.closedAt !== undefined) a.set('closed_at', c.closedAt);
    this.db.prepare(`UPDATE incidents SET ${a.sql()} WHERE seq = ?`).run(...a.args, seq);
    this.refreshSeverity(seq);
  }

  /** Effective severity = override, else the highest alert severity. */
  private refreshSeverity(seq: number): void {
    const row = this.selectSeverity.get(seq) as { severity: string; severity_override: string | null; alert_severity_rank: number } | undefined;
    if (row === undefined) return;
    const effective = (row.severity_override as AlertSeverity | null) ?? severityOfRank(row.alert_severity_rank);
    if (effective !== row.severity) this.setSeverity.run(effective, seq);
  }

  /** The incident an alert belongs to. */
  incidentOfAlert(alertId: string): number | undefined {
    const row = this.selectAlertIncident.get(alertId) as { incident_seq: number } | undefined;
    return row?.incident_seq;
  }

  /** Links an alert; false when it already belongs to an incident (this one or another). */
  addAlert(seq: number, alertId: string, severity: AlertSeverity, now: number): boolean {
    const rank = severityRank(severity);
    const added = this.insertAlert.run(alertId, seq, rank, now).changes === 1;
    if (added) {
      this.raiseAlertSeverity.run(rank, now, seq);
      this.refreshSeverity(seq);
    }
    return added;
  }

  /** An alert already linked may have changed severity (lifecycle edits): keep the incident's maximum right. */
  updateAlertSeverity(alertId: string, severity: AlertSeverity, now: number): void {
    const row = this.selectAlertRank.get(alertId) as { incident_seq: number; severity_rank: number } | undefined;
    const rank = severityRank(severity);
    if (row === undefined || row.severity_rank === rank) return;
    this.setAlertRank.run(rank, alertId);
    // Raised: a max; lowered: the other alerts decide (one indexed scan of this incident's alerts).
    if (rank > row.severity_rank) this.raiseAlertSeverity.run(rank, now, row.incident_seq);
    else this.recomputeAlertSeverity.run(row.incident_seq);
    this.refreshSeverity(row.incident_seq);
  }

  /** Records that the incident saw these entities at `lastSeen` (event time, epoch ms). */
  touchEntities(seq: number, org: string, entities: readonly IncidentEntity[], lastSeen: number): void {
    for (let i = 0; i < entities.length; i++) this.upsertEntity.run(org, entities[i].kind, entities[i].value, seq, lastSeen);
  }

  /**
   * The oldest active incident of the agency that saw one of the entities at or after `since`
   * (event.id entities match at any time): one indexed lookup per entity.
   */
  findByEntities(org: string, entities: readonly IncidentEntity[], since: number): number | undefined {
    let best: number | undefined;
    for (let i = 0; i < entities.length; i++) {
      const e = entities[i];
      const row = (e.kind === EVENT_ENTITY ? this.selectEntityMatchesAnyTime.get(org, e.kind, e.value) : this.selectEntityMatches.get(org, e.kind, e.value, since)) as
        | { seq: number }
        | undefined;
      if (row !== undefined && (best === undefined || row.seq < best)) best = row.seq;
    }
    return best;
  }

  addTimeline(seq: number, time: number, actor: string, kind: TimelineKind, message: string, data: Record<string, unknown> = {}): void {
    this.insertTimeline.run(seq, time, actor, kind, message, JSON.stringify(data));
  }

  timeline(seq: number): TimelineEntry[] {
    const rows = this.db.prepare('SELECT id, time, actor, kind, message, data FROM incident_timeline WHERE incident_seq = ? ORDER BY id').all(seq) as Array<{
      id: number;
      time: number;
      actor: string;
      kind: string;
      message: string;
      data: string;
    }>;
    return rows.map((r) => ({ id: r.id, time: iso(r.time), actor: r.actor, kind: r.kind as TimelineKind, message: r.message, data: JSON.parse(r.data) as Record<string, unknown> }));
  }

  addTask(seq: number, t: NewTask, now: number): IncidentTask {
    const info = this.db
      .prepare('INSERT INTO incident_tasks (incident_seq, title, assignee, status, due, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(seq, t.title, t.assignee, t.status, t.due, now, now);
    return this.task(seq, Number(info.lastInsertRowid))!;
  }

  task(seq: number, taskId: number): IncidentTask | undefined {
    const row = this.db.prepare('SELECT * FROM incident_tasks WHERE incident_seq = ? AND id = ?').get(seq, taskId) as TaskRow | undefined;
    return row === undefined ? undefined : taskOf(row);
  }

  tasks(seq: number): IncidentTask[] {
    return (this.db.prepare('SELECT * FROM incident_tasks WHERE incident_seq = ? ORDER BY id').all(seq) as TaskRow[]).map(taskOf);
  }

  updateTask(seq: number, taskId: number, c: Partial<NewTask>, now: number): IncidentTask | undefined {
    const a = new ColumnAssignments(now);
    if (c.title !== undefined) a.set('title', c.title);
    if (c.assignee !== undefined) a.set('assignee', c.assignee);
    if (c.status !== undefined) a.set('status', c.status);
    if (c.due !== undefined) a.set('due', c.due);
    const info = this.db.prepare(`UPDATE incident_tasks SET ${a.sql()} WHERE incident_seq = ? AND id = ?`).run(...a.args, seq, taskId);
    return info.changes === 0 ? undefined : this.task(seq, taskId);
  }

  deleteTask(seq: number, taskId: number): boolean {
    return this.db.prepare('DELETE FROM incident_tasks WHERE incident_seq = ? AND id = ?').run(seq, taskId).changes === 1;
  }

  /** False when this report was already recorded as submitted. */
  recordSubmission(seq: number, s: ReportSubmission, now: number): boolean {
    return (
      this.db
        .prepare('INSERT OR IGNORE INTO incident_report_submissions (incident_seq, kind, submitted_at, submitted_by, reference, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(seq, s.kind, s.submitted_at, s.submitted_by, s.reference, s.note, now).changes === 1
    );
  }

  submissions(seq: number): Map<string, ReportSubmission> {
    const rows = this.db.prepare('SELECT kind, submitted_at, submitted_by, reference, note FROM incident_report_submissions WHERE incident_seq = ?').all(seq) as ReportSubmission[];
    return new Map(rows.map((r) => [r.kind, r]));
  }

  /** True the first time a deadline is marked breached, false ever after. */
  markBreached(seq: number, key: string, dueAt: number, now: number): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO incident_breaches (incident_seq, key, due_at, notified_at) VALUES (?, ?, ?, ?)').run(seq, key, dueAt, now).changes === 1;
  }

  private toIncidents(rows: readonly IncidentRow[]): Incident[] {
    if (rows.length === 0) return [];
    const seqs = rows.map((r) => r.seq);
    const alertIds = new Map<number, string[]>();
    const entities = new Map<number, IncidentEntity[]>();
    for (const s of seqs) {
      alertIds.set(s, []);
      entities.set(s, []);
    }
    const inList = placeholders(seqs.length);
    for (const a of this.db.prepare(`SELECT incident_seq, alert_id FROM incident_alerts WHERE incident_seq IN (${inList}) ORDER BY added_at, rowid`).all(...seqs) as Array<{
      incident_seq: number;
      alert_id: string;
    }>) {
      alertIds.get(a.incident_seq)!.push(a.alert_id);
    }
    for (const e of this.db
      .prepare(`SELECT incident_seq, kind, value FROM incident_entities WHERE incident_seq IN (${inList}) AND kind <> '${EVENT_ENTITY}' ORDER BY incident_seq, kind, value`)
      .all(...seqs) as Array<{ incident_seq: number; kind: string; value: string }>) {
      const list = entities.get(e.incident_seq)!;
      if (list.length < MAX_LISTED_ENTITIES) list.push({ kind: e.kind, value: e.value });
    }
    return rows.map((r) => incidentOf(r, alertIds.get(r.seq)!, entities.get(r.seq)!));
  }
}

