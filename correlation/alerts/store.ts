/**
 * AlertStore: alerts in SQLite. `record` takes a batch of detections and, in one transaction,
 * folds each into the open alert with the same rule + agency + group key whose time range is
 * within the dedup window of the match (count, first/last seen, event sample updated), or creates a
 * new alert. Windows slide: a steady attack stays one alert while matches keep coming less than a
 * window apart. Resolved and false-positive alerts are never reopened; a new one starts.
 */
import type { Statement } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { EcsEvent } from '../../core/event';
import { applyMigrations, type SqliteDb } from '../../core/store/sqlite';
import { AlertAutoResolver } from './auto-resolve';
import { alertDedupKey, groupKeyOf } from './dedup';
import { AlertRowReader, ROW_COLUMNS, type AlertRecord, type AlertRow } from './alert-rows';
import { AlertHeadReader, type AlertHead } from './heads';
import { AlertLifecycle, type AlertUpdate, type AlertUpdateResult } from './lifecycle';
import { AlertSearchCursorError, buildAlertFilter, decodeAlertCursor, encodeAlertCursor, keysetAfter, orderByOf, SORT_COLUMNS, type AlertSearchParams } from './search';
import { ALERT_MIGRATIONS } from './schema';
import { AlertSuppressions } from './suppression';
import {
  ALERT_SEVERITIES,
  OPEN_ALERT_STATUSES,
  type Alert,
  type AlertChange,
  type AlertHistoryEntry,
  type AlertHit,
} from './types';

export interface AlertStoreOptions {
  dedupWindowMs: number;
  maxSampleEvents: number;
  maxEventIds: number;
  /** Wall clock for created_at/updated_at; replaceable in tests. */
  now?: () => number;
}

export interface AlertPage {
  total: number;
  alerts: Alert[];
  next: string | null;
}

interface OpenAlertRow {
  seq: number;
  id: string;
  first_seen: number;
  last_seen: number;
  count: number;
  n_events: number;
  n_event_ids: number;
}

/** An event to add to an alert's id list (and its sample, while there is room). */
interface PendingEvent {
  event: EcsEvent;
  id: string | undefined;
}

/** An alert being created or updated by one `record` call. */
interface WorkingAlert {
  seq: number | undefined;
  id: string;
  dedupKey: string;
  groupKey: string;
  hit: AlertHit;
  /** The window this alert folds within: its rule's own, else the store's. */
  windowMs: number;
  firstSeen: number;
  lastSeen: number;
  count: number;
  added: number;
  /** Stored (or about to be): sample size and id list length. */
  nEvents: number;
  nEventIds: number;
  /** Event ids added by this call, to skip repeats without asking the database. */
  seenIds: Set<string>;
  pending: PendingEvent[];
}

const OPEN_STATUS_SQL = OPEN_ALERT_STATUSES.map((s) => `'${s}'`).join(', ');
/** Event fields left out of the search projection: bulky, or defined by the alert itself. */
const DOC_SKIPPED_EVENT_FIELDS = new Set(['message', 'rule', 'organization', '@timestamp', 'tags', 'labels']);

function eventId(event: EcsEvent): string | undefined {
  const id = event.event?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The search projection: the first event's ECS fields (without event.original), then the alert's. */
function searchDoc(w: WorkingAlert): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  const first = w.hit.events[0] as EcsEvent | undefined;
  if (first !== undefined) {
    for (const key of Object.keys(first)) {
      if (DOC_SKIPPED_EVENT_FIELDS.has(key)) continue;
      if (key === 'event' && first.event !== null && typeof first.event === 'object') {
        const { original: _original, ...rest } = first.event;
        doc.event = rest;
      } else {
        doc[key] = first[key];
      }
    }
  }
  const { rule, mappings, organization, group } = w.hit;
  Object.assign(doc, { id: w.id, rule, mappings, organization, group, count: w.count });
  return doc;
}

function ftsText(w: WorkingAlert): string {
  const first = w.hit.events[0] as EcsEvent | undefined;
  const message = first !== undefined && typeof first.message === 'string' ? first.message : '';
  return [w.hit.rule.name, w.hit.rule.id, w.hit.rule.tags.join(' '), Object.values(w.hit.group).join(' '), message].join('\n');
}

export class AlertStore {
  private readonly windowMs: number;
  private readonly maxSample: number;
  private readonly maxIds: number;
  private readonly now: () => number;
  private readonly selectOpen: Statement<[string], OpenAlertRow>;
  private readonly insertAlert: Statement<[Record<string, string | number>]>;
  private readonly insertFts: Statement<[number, string]>;
  private readonly updateAlert: Statement<[Record<string, string | number>]>;
  private readonly insertEvent: Statement<[number, number, string | null, string | null]>;
  private readonly selectById: Statement<[string], AlertRow>;
  private readonly selectByIds: Statement<[string], AlertRow>;
  private readonly rowReader: AlertRowReader;
  private readonly headReader: AlertHeadReader;
  /** Status, assignee, severity changes and comments. */
  private readonly lifecycle: AlertLifecycle;
  /** Recoveries clearing the alerts they name (`socnoc.resolves`). */
  private readonly autoResolver: AlertAutoResolver;
  private autoResolvedCount = 0;
  /** Suppression rules (CRUD for the API; matched inside `record`). */
  readonly suppressions: AlertSuppressions;
  /** Alerts created since the store opened, by `severity\tagency` (socnoc_alerts_created_total). */
  readonly createdCounts = new Map<string, number>();

  constructor(
    private readonly db: SqliteDb,
    options: AlertStoreOptions,
  ) {
    applyMigrations(db, 'alerts', ALERT_MIGRATIONS);
    this.windowMs = options.dedupWindowMs;
    this.maxSample = options.maxSampleEvents;
    // The sample's ids are always among the event ids.
    this.maxIds = Math.max(options.maxEventIds, options.maxSampleEvents);
    this.now = options.now ?? Date.now;
    this.selectOpen = db.prepare<[string], OpenAlertRow>(
      `SELECT seq, id, first_seen, last_seen, count, n_events, n_event_ids FROM alerts
        WHERE dedup_key = ? AND status IN (${OPEN_STATUS_SQL}) ORDER BY last_seen DESC LIMIT 1`,
    );
    this.insertAlert = db.prepare<[Record<string, string | number>]>(
      `INSERT INTO alerts (id, org, status, severity, severity_rank, rule_id, dedup_key, group_key, first_seen, last_seen, count, created_at, updated_at, n_events, n_event_ids, record, doc)
       VALUES (@id, @org, 'new', @severity, @severityRank, @ruleId, @dedupKey, @groupKey, @firstSeen, @lastSeen, @count, @now, @now, 0, 0, @record, @doc)`,
    );
    this.insertFts = db.prepare<[number, string]>('INSERT INTO alerts_fts (rowid, text) VALUES (?, ?)');
    this.updateAlert = db.prepare<[Record<string, string | number>]>(
      `UPDATE alerts SET first_seen = @firstSeen, last_seen = @lastSeen, count = @count, updated_at = @now,
              n_events = @nEvents, n_event_ids = @nEventIds, doc = json_set(doc, '$.count', @count)
        WHERE seq = @seq`,
    );
    this.insertEvent = db.prepare<[number, number, string | null, string | null]>('INSERT OR IGNORE INTO alert_events (alert_seq, pos, event_id, event) VALUES (?, ?, ?, ?)');
    this.selectById = db.prepare<[string], AlertRow>(`SELECT ${ROW_COLUMNS} FROM alerts WHERE id = ?`);
    this.selectByIds = db.prepare<[string], AlertRow>(`SELECT ${ROW_COLUMNS} FROM alerts WHERE id IN (SELECT value FROM json_each(?))`);
    this.rowReader = new AlertRowReader(db);
    this.headReader = new AlertHeadReader(db);
    this.lifecycle = new AlertLifecycle(db, this.now);
    this.autoResolver = new AlertAutoResolver(db, this.lifecycle);
    this.suppressions = new AlertSuppressions(db, this.now);
  }

  /** Stores a batch of detections in one transaction; returns each alert created or updated. */
  record(hits: readonly AlertHit[]): AlertChange[] {
    if (hits.length === 0) return [];
    // Fold in event-time order, so a batch spanning more than a window splits as a stream would.
    const ordered = hits.length > 1 ? [...hits].sort((a, b) => a.time - b.time) : hits;
    const now = this.now();
    const suppressions = this.suppressions.size > 0 ? this.suppressions : undefined;
    const createdAlerts: WorkingAlert[] = [];
    let resolved = 0;
    const result = this.db.transaction(() => {
      const latest = new Map<string, WorkingAlert>();
      const looked = new Set<string>();
      const touched: WorkingAlert[] = [];
      for (const hit of ordered) {
        if (suppressions !== undefined && suppressions.suppress(hit, now) !== undefined) continue;
        const groupKey = groupKeyOf(hit.group);
        const dedupKey = alertDedupKey(hit.rule.id, hit.organization.id, groupKey);
        let w = latest.get(dedupKey);
        if (w === undefined && !looked.has(dedupKey)) {
          looked.add(dedupKey);
          w = this.loadOpen(dedupKey, groupKey, hit);
          if (w !== undefined) touched.push(w);
        }
        if (w !== undefined && this.fits(w, hit.time)) {
          this.fold(w, hit);
        } else {
          w = this.start(dedupKey, groupKey, hit);
          touched.push(w);
        }
        latest.set(dedupKey, w);
      }
      const changes: AlertChange[] = [];
      for (const w of touched) {
        if (w.added === 0) continue;
        const created = w.seq === undefined;
        this.write(w, now);
        if (created) createdAlerts.push(w);
        changes.push({ id: w.id, created, added: w.added });
      }
      suppressions?.flushHits();
      // After the writes, in event-time order: a recovery clears a failure recorded in the same batch
      // before it, never one that came after it. Muted recoveries still clear (the state changed).
      for (const hit of ordered) {
        if (hit.resolves !== undefined) resolved += this.autoResolver.resolve(hit).length;
      }
      return changes;
    })();
    // Counted once committed: a rolled-back batch is redelivered and would count twice.
    this.autoResolvedCount += resolved;
    for (const w of createdAlerts) {
      const key = `${w.hit.rule.level}\t${w.hit.organization.id}`;
      this.createdCounts.set(key, (this.createdCounts.get(key) ?? 0) + 1);
    }
    return result;
  }

  /** Alerts resolved by recoveries (`socnoc.resolves`) since this store opened. */
  get autoResolved(): number {
    return this.autoResolvedCount;
  }

  get(id: string, organizations?: readonly string[]): Alert | undefined {
    const row = this.selectById.get(id);
    if (row === undefined) return undefined;
    const alert = this.rowReader.read([row])[0];
    if (organizations !== undefined && !organizations.includes(alert.organization.id)) return undefined;
    return alert;
  }

  /** Many alerts in two queries, by id; ids that do not exist (or are outside `organizations`) are absent. */
  getMany(ids: readonly string[], organizations?: readonly string[]): Map<string, Alert> {
    const out = new Map<string, Alert>();
    if (ids.length === 0) return out;
    for (const alert of this.rowReader.read(this.selectByIds.all(JSON.stringify(ids)))) {
      if (organizations === undefined || organizations.includes(alert.organization.id)) out.set(alert.id, alert);
    }
    return out;
  }

  /** Status, severity, agency, times and event-list sizes of many alerts in one query (the triage path's cheap read). */
  heads(ids: readonly string[]): Map<string, AlertHead> {
    return this.headReader.heads(ids);
  }

  /** The alert's event ids from position `from` on (positions count up to AlertHead.nEventIds). */
  eventIdsFrom(seq: number, from: number): string[] {
    return this.headReader.eventIdsFrom(seq, from);
  }

  /** A page of alerts, most recently seen first unless `sort`/`order` say otherwise. */
  search(params: AlertSearchParams): AlertPage {
    const sort = params.sort ?? 'last_seen';
    const order = params.order ?? 'desc';
    const cursor = params.cursor !== undefined ? decodeAlertCursor(params.cursor) : undefined;
    if (cursor !== undefined && (cursor.sort !== sort || cursor.order !== order)) {
      throw new AlertSearchCursorError(`it continues a search sorted by ${cursor.sort} ${cursor.order}, not ${sort} ${order}`);
    }
    const filter = buildAlertFilter(params);
    if (filter === null) return { total: 0, alerts: [], next: null };
    const total = cursor?.total ?? (this.db.prepare(`SELECT COUNT(*) AS n FROM alerts WHERE ${filter.sql}`).get(...filter.params) as { n: number }).n;
    let sql = `SELECT ${ROW_COLUMNS} FROM alerts WHERE ${filter.sql}`;
    const values = [...filter.params];
    if (cursor !== undefined) {
      const after = keysetAfter(cursor);
      sql += ` AND ${after.sql}`;
      values.push(...after.params);
    }
    sql += ` ORDER BY ${orderByOf(sort, order)} LIMIT ?`;
    values.push(params.limit + 1);
    const rows = this.db.prepare(sql).all(...values) as AlertRow[];
    const more = rows.length > params.limit;
    if (more) rows.length = params.limit;
    const last = rows[rows.length - 1];
    const next =
      more && last !== undefined
        ? encodeAlertCursor({ sort, order, values: SORT_COLUMNS[sort].map((c) => last[c as keyof AlertRow] as number), id: last.id, total })
        : null;
    return { total, alerts: this.rowReader.read(rows), next };
  }

  /**
   * Changes status, assignee or severity and/or adds a comment, as `actor`. Throws
   * AlertNotFoundError (also for an alert outside `organizations`) or AlertTransitionError.
   */
  update(id: string, change: AlertUpdate, actor: string, organizations?: readonly string[]): { alert: Alert; changed: AlertUpdateResult['changed'] } {
    const result = this.lifecycle.update(id, change, actor, organizations);
    return { alert: this.get(result.id)!, changed: result.changed };
  }

  /** The same change on many alerts; per id, what changed or why not (AlertNotFoundError, AlertTransitionError). */
  updateMany(ids: readonly string[], change: AlertUpdate, actor: string, organizations?: readonly string[]): Array<AlertUpdateResult | Error> {
    return this.lifecycle.updateMany(ids, change, actor, organizations);
  }

  /** Status changes, assignments, severity changes and comments, oldest first; undefined when not visible. */
  alertHistory(id: string, organizations?: readonly string[]): AlertHistoryEntry[] | undefined {
    return this.lifecycle.history(id, organizations);
  }

  private fits(w: WorkingAlert, time: number): boolean {
    return time <= w.lastSeen + w.windowMs && time >= w.firstSeen - w.windowMs;
  }

  private loadOpen(dedupKey: string, groupKey: string, hit: AlertHit): WorkingAlert | undefined {
    const row = this.selectOpen.get(dedupKey);
    if (row === undefined) return undefined;
    return {
      seq: row.seq,
      id: row.id,
      dedupKey,
      groupKey,
      hit,
      windowMs: hit.dedupWindowMs ?? this.windowMs,
      firstSeen: row.first_seen,
      lastSeen: row.last_seen,
      count: row.count,
      added: 0,
      nEvents: row.n_events,
      nEventIds: row.n_event_ids,
      seenIds: new Set(),
      pending: [],
    };
  }

  private start(dedupKey: string, groupKey: string, hit: AlertHit): WorkingAlert {
    const w: WorkingAlert = {
      seq: undefined,
      id: randomUUID(),
      dedupKey,
      groupKey,
      hit,
      windowMs: hit.dedupWindowMs ?? this.windowMs,
      firstSeen: hit.time,
      lastSeen: hit.time,
      count: 0,
      added: 0,
      nEvents: 0,
      nEventIds: 0,
      seenIds: new Set(),
      pending: [],
    };
    this.fold(w, hit);
    return w;
  }

  private fold(w: WorkingAlert, hit: AlertHit): void {
    w.count++;
    w.added++;
    if (hit.time < w.firstSeen) w.firstSeen = hit.time;
    if (hit.time > w.lastSeen) w.lastSeen = hit.time;
    // Once the id list is full nothing more is kept: the sample (among the ids) is full too.
    for (const event of hit.events) {
      if (w.nEventIds + w.pending.length >= this.maxIds) break;
      const id = eventId(event);
      if (id !== undefined) {
        if (w.seenIds.has(id)) continue;
        w.seenIds.add(id);
      }
      w.pending.push({ event, id });
    }
  }

  private write(w: WorkingAlert, now: number): void {
    if (w.seq === undefined) {
      const { rule, mappings, organization, group } = w.hit;
      const record: AlertRecord = { rule, mappings, organization, group: { ...group } };
      const info = this.insertAlert.run({
        id: w.id,
        org: organization.id,
        severity: rule.level,
        severityRank: ALERT_SEVERITIES.indexOf(rule.level),
        ruleId: rule.id,
        dedupKey: w.dedupKey,
        groupKey: w.groupKey,
        firstSeen: w.firstSeen,
        lastSeen: w.lastSeen,
        count: w.count,
        now,
        record: JSON.stringify(record),
        doc: JSON.stringify(searchDoc(w)),
      });
      w.seq = Number(info.lastInsertRowid);
      this.insertFts.run(w.seq, ftsText(w));
    }
    const seq = w.seq;
    for (const p of w.pending) {
      // An id already stored (a correlation re-firing over the same events) is ignored.
      const inSample = w.nEvents < this.maxSample;
      const result = this.insertEvent.run(seq, w.nEventIds, p.id ?? null, inSample ? JSON.stringify(p.event) : null);
      if (result.changes === 0) continue;
      w.nEventIds++;
      if (inSample) w.nEvents++;
    }
    w.pending.length = 0;
    this.updateAlert.run({ seq, firstSeen: w.firstSeen, lastSeen: w.lastSeen, count: w.count, now, nEvents: w.nEvents, nEventIds: w.nEventIds });
  }
}
