/**
 * The alert lifecycle: which status changes are allowed, and the writes an analyst's change makes
 * (the alert row plus one history row per changed attribute, and one for a comment), in one
 * transaction, stamped with who and when.
 *
 *   new → acknowledged → in_progress → resolved | false_positive
 *
 * Steps may be skipped forward (closing a new false positive directly is the common case). Going
 * back is refused, except reopening: a closed alert goes to in_progress, and only by an explicit
 * change — deduplication never reopens one (a new match starts a new alert).
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from '../../core/store/sqlite';
import { ALERT_SEVERITIES, type AlertHistoryEntry, type AlertHistoryKind, type AlertSeverity, type AlertStatus } from './types';

export const ALERT_TRANSITIONS: Readonly<Record<AlertStatus, readonly AlertStatus[]>> = {
  new: ['acknowledged', 'in_progress', 'resolved', 'false_positive'],
  acknowledged: ['in_progress', 'resolved', 'false_positive'],
  in_progress: ['resolved', 'false_positive'],
  resolved: ['in_progress'],
  false_positive: ['in_progress'],
};

export const MAX_COMMENT_LENGTH = 10_000;

/** No alert with this id in the caller's agencies (the API answers 404 either way). */
export class AlertNotFoundError extends Error {
  constructor(readonly alertId: string) {
    super(`alert "${alertId.slice(0, 100)}" does not exist`);
    this.name = 'AlertNotFoundError';
  }
}

/** A status change the lifecycle does not allow (the API answers 409). */
export class AlertTransitionError extends Error {
  constructor(
    readonly alertId: string,
    readonly from: AlertStatus,
    readonly to: AlertStatus,
  ) {
    const allowed = ALERT_TRANSITIONS[from];
    super(`alert "${alertId.slice(0, 100)}": cannot change status from ${from} to ${to}; from ${from} it may go to ${allowed.join(', ')}`);
    this.name = 'AlertTransitionError';
  }
}

export function canTransition(from: AlertStatus, to: AlertStatus): boolean {
  return ALERT_TRANSITIONS[from].includes(to);
}

/** What one change sets; absent members stay as they are. `assignee: null` unassigns. */
export interface AlertUpdate {
  status?: AlertStatus;
  assignee?: string | null;
  severity?: AlertSeverity;
  /** Recorded as a comment beside the change (or alone). */
  comment?: string;
}

/** What an update did: the attributes it changed (a comment counts as `comment`). */
export interface AlertUpdateResult {
  id: string;
  changed: AlertHistoryKind[];
}

interface StateRow {
  seq: number;
  id: string;
  org: string;
  status: AlertStatus;
  severity: AlertSeverity;
  assignee: string | null;
}

interface HistoryRow {
  id: number;
  time: number;
  actor: string;
  kind: AlertHistoryKind;
  from_value: string | null;
  to_value: string | null;
  text: string | null;
}

export class AlertLifecycle {
  private readonly selectState: Statement<[string], StateRow>;
  private readonly writeState: Statement<[Record<string, string | number | null>]>;
  private readonly insertHistory: Statement<[number, number, string, string, string | null, string | null, string | null]>;
  private readonly selectHistory: Statement<[number], HistoryRow>;
  private readonly touch: Statement<[number, string, number]>;

  constructor(
    private readonly db: SqliteDb,
    private readonly now: () => number,
  ) {
    this.selectState = db.prepare<[string], StateRow>('SELECT seq, id, org, status, severity, assignee FROM alerts WHERE id = ?');
    this.writeState = db.prepare<[Record<string, string | number | null>]>(
      `UPDATE alerts SET status = @status, severity = @severity, severity_rank = @severityRank, assignee = @assignee,
              updated_at = @now, updated_by = @actor WHERE seq = @seq`,
    );
    this.insertHistory = db.prepare('INSERT INTO alert_history (alert_seq, time, actor, kind, from_value, to_value, text) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.selectHistory = db.prepare<[number], HistoryRow>('SELECT id, time, actor, kind, from_value, to_value, text FROM alert_history WHERE alert_seq = ? ORDER BY id');
    this.touch = db.prepare<[number, string, number]>('UPDATE alerts SET updated_at = ?, updated_by = ? WHERE seq = ?');
  }

  /**
   * Applies one change in one transaction. Throws AlertNotFoundError (unknown, or outside
   * `organizations`) or AlertTransitionError before writing anything. Setting what is already set
   * changes nothing and records nothing.
   */
  update(id: string, change: AlertUpdate, actor: string, organizations?: readonly string[]): AlertUpdateResult {
    return this.db.transaction(() => this.applyUpdate(id, change, actor, organizations))();
  }

  /** The same change on many alerts, each judged alone, in one transaction. */
  updateMany(ids: readonly string[], change: AlertUpdate, actor: string, organizations?: readonly string[]): Array<AlertUpdateResult | Error> {
    return this.db.transaction(() =>
      ids.map((id): AlertUpdateResult | Error => {
        try {
          return this.applyUpdate(id, change, actor, organizations);
        } catch (err) {
          if (err instanceof AlertNotFoundError || err instanceof AlertTransitionError) return err;
          throw err;
        }
      }),
    )();
  }

  /** Status changes, assignments, severity changes and comments, oldest first; undefined when the alert is not visible. */
  history(id: string, organizations?: readonly string[]): AlertHistoryEntry[] | undefined {
    const state = this.visible(id, organizations);
    if (state === undefined) return undefined;
    return this.selectHistory.all(state.seq).map((r) => ({
      id: r.id,
      time: new Date(r.time).toISOString(),
      actor: r.actor,
      kind: r.kind,
      from: r.from_value,
      to: r.to_value,
      text: r.text,
    }));
  }

  private visible(id: string, organizations: readonly string[] | undefined): StateRow | undefined {
    const state = this.selectState.get(id);
    if (state === undefined || (organizations !== undefined && !organizations.includes(state.org))) return undefined;
    return state;
  }

  private applyUpdate(id: string, change: AlertUpdate, actor: string, organizations: readonly string[] | undefined): AlertUpdateResult {
    const state = this.visible(id, organizations);
    if (state === undefined) throw new AlertNotFoundError(id);
    if (change.comment !== undefined && change.comment.length > MAX_COMMENT_LENGTH) {
      throw new RangeError(`alert "${id.slice(0, 100)}": comment is ${change.comment.length} characters; at most ${MAX_COMMENT_LENGTH}`);
    }
    const changed: AlertHistoryKind[] = [];
    const now = this.now();
    const next = { status: state.status, severity: state.severity, assignee: state.assignee };
    if (change.status !== undefined && change.status !== state.status) {
      if (!canTransition(state.status, change.status)) throw new AlertTransitionError(state.id, state.status, change.status);
      next.status = change.status;
      changed.push('status');
    }
    if (change.assignee !== undefined && change.assignee !== state.assignee) {
      next.assignee = change.assignee;
      changed.push('assignee');
    }
    if (change.severity !== undefined && change.severity !== state.severity) {
      next.severity = change.severity;
      changed.push('severity');
    }
    if (changed.length > 0) {
      this.writeState.run({
        seq: state.seq,
        status: next.status,
        severity: next.severity,
        severityRank: ALERT_SEVERITIES.indexOf(next.severity),
        assignee: next.assignee,
        now,
        actor,
      });
      if (next.status !== state.status) this.insertHistory.run(state.seq, now, actor, 'status', state.status, next.status, null);
      if (next.assignee !== state.assignee) this.insertHistory.run(state.seq, now, actor, 'assignee', state.assignee, next.assignee, null);
      if (next.severity !== state.severity) this.insertHistory.run(state.seq, now, actor, 'severity', state.severity, next.severity, null);
    }
    if (change.comment !== undefined && change.comment.trim() !== '') {
      this.insertHistory.run(state.seq, now, actor, 'comment', null, null, change.comment);
      if (changed.length === 0) this.touch.run(now, actor, state.seq);
      changed.push('comment');
    }
    return { id: state.id, changed };
  }
}
