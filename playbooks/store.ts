/**
 * Playbook runs and their steps in SQLite: every step's rendered parameters, output, error and
 * attempts, keyed by its idempotency key, so a restart resumes where it stopped and never repeats
 * a step that already succeeded.
 */
import { randomUUID } from 'node:crypto';
import { applyMigrations, type SqliteDb } from '../core/store/sqlite';
import type { Alert } from '../correlation/alerts/types';

export const RUN_STATUSES = ['queued', 'running', 'waiting_approval', 'waiting', 'succeeded', 'failed', 'denied', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINISHED_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'denied', 'interrupted'];

export const STEP_STATUSES = ['running', 'succeeded', 'failed', 'skipped', 'waiting', 'simulated'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export type RunTrigger = 'created' | 'updated' | 'manual';

export interface RunRecord {
  id: string;
  playbook_id: string;
  alert_id: string;
  organization: string;
  trigger: RunTrigger;
  manual: boolean;
  dry_run: boolean;
  requested_by: string | null;
  status: RunStatus;
  error: string | null;
  /** The alert as it was when the run was triggered. */
  alert: Alert;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

export interface StepRecord {
  key: string;
  run_id: string;
  step_id: string;
  iteration: number | null;
  seq: number;
  action: string;
  status: StepStatus;
  params: unknown;
  output: unknown;
  error: string | null;
  attempts: number;
  /** Suspended actions' state (approvals received, escalation). */
  state: unknown;
  wake_at: string | null;
  started_at: string;
  finished_at: string | null;
}

const MIGRATIONS = [
  `CREATE TABLE playbook_runs (
     id TEXT PRIMARY KEY,
     playbook_id TEXT NOT NULL,
     alert_id TEXT NOT NULL,
     organization TEXT NOT NULL,
     trigger TEXT NOT NULL,
     manual INTEGER NOT NULL,
     dry_run INTEGER NOT NULL,
     requested_by TEXT,
     status TEXT NOT NULL,
     error TEXT,
     alert TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     started_at INTEGER,
     finished_at INTEGER,
     updated_at INTEGER NOT NULL
   );
   CREATE UNIQUE INDEX playbook_runs_once ON playbook_runs (playbook_id, alert_id) WHERE manual = 0;
   CREATE INDEX playbook_runs_created ON playbook_runs (created_at DESC);
   CREATE INDEX playbook_runs_status ON playbook_runs (status);
   CREATE INDEX playbook_runs_alert ON playbook_runs (alert_id);
   CREATE TABLE playbook_steps (
     key TEXT PRIMARY KEY,
     run_id TEXT NOT NULL REFERENCES playbook_runs(id) ON DELETE CASCADE,
     step_id TEXT NOT NULL,
     iteration INTEGER,
     seq INTEGER NOT NULL,
     action TEXT NOT NULL,
     status TEXT NOT NULL,
     params TEXT,
     output TEXT,
     error TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     state TEXT,
     wake_at INTEGER,
     started_at INTEGER NOT NULL,
     finished_at INTEGER
   );
   CREATE INDEX playbook_steps_run ON playbook_steps (run_id, seq);
   CREATE INDEX playbook_steps_wake ON playbook_steps (wake_at) WHERE status = 'waiting';`,
];

interface RunRow {
  id: string;
  playbook_id: string;
  alert_id: string;
  organization: string;
  trigger: RunTrigger;
  manual: number;
  dry_run: number;
  requested_by: string | null;
  status: RunStatus;
  error: string | null;
  alert: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

interface StepRow {
  key: string;
  run_id: string;
  step_id: string;
  iteration: number | null;
  seq: number;
  action: string;
  status: StepStatus;
  params: string | null;
  output: string | null;
  error: string | null;
  attempts: number;
  state: string | null;
  wake_at: number | null;
  started_at: number;
  finished_at: number | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
const toJson = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

function runOf(row: RunRow): RunRecord {
  return {
    id: row.id,
    playbook_id: row.playbook_id,
    alert_id: row.alert_id,
    organization: row.organization,
    trigger: row.trigger,
    manual: row.manual === 1,
    dry_run: row.dry_run === 1,
    requested_by: row.requested_by,
    status: row.status,
    error: row.error,
    alert: JSON.parse(row.alert) as Alert,
    created_at: iso(row.created_at) as string,
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    updated_at: iso(row.updated_at) as string,
  };
}

function stepOf(row: StepRow): StepRecord {
  return {
    key: row.key,
    run_id: row.run_id,
    step_id: row.step_id,
    iteration: row.iteration,
    seq: row.seq,
    action: row.action,
    status: row.status,
    params: parseJson(row.params),
    output: parseJson(row.output),
    error: row.error,
    attempts: row.attempts,
    state: parseJson(row.state),
    wake_at: iso(row.wake_at),
    started_at: iso(row.started_at) as string,
    finished_at: iso(row.finished_at),
  };
}

export interface NewRun {
  playbookId: string;
  alert: Alert;
  trigger: RunTrigger;
  dryRun: boolean;
  requestedBy?: string;
}

export interface RunSearch {
  organizations?: readonly string[];
  playbookId?: string;
  alertId?: string;
  statuses?: readonly RunStatus[];
  limit: number;
  offset: number;
}

export interface StepUpdate {
  status: StepStatus;
  params?: unknown;
  output?: unknown;
  error?: string | null;
  attempts?: number;
  state?: unknown;
  wakeAt?: number | null;
  finished?: boolean;
}

export class PlaybookRunStore {
  private readonly insertRun;
  private readonly setRunStatus;
  private readonly startRun;
  private readonly selectRun;
  private readonly selectSteps;
  private readonly selectStep;
  private readonly upsertStep;
  private readonly updateStepStmt;
  private readonly dueSteps;
  private readonly nextWake;
  private readonly unfinished;

  constructor(
    readonly db: SqliteDb,
    private readonly now: () => number = Date.now,
  ) {
    applyMigrations(db, 'playbooks', MIGRATIONS);
    this.insertRun = db.prepare(
      `INSERT OR IGNORE INTO playbook_runs (id, playbook_id, alert_id, organization, trigger, manual, dry_run, requested_by, status, error, alert, created_at, updated_at)
       VALUES (@id, @playbook_id, @alert_id, @organization, @trigger, @manual, @dry_run, @requested_by, 'queued', NULL, @alert, @now, @now)`,
    );
    this.setRunStatus = db.prepare('UPDATE playbook_runs SET status = ?, error = ?, finished_at = ?, updated_at = ? WHERE id = ?');
    this.startRun = db.prepare("UPDATE playbook_runs SET status = 'running', started_at = COALESCE(started_at, ?), updated_at = ? WHERE id = ?");
    this.selectRun = db.prepare('SELECT * FROM playbook_runs WHERE id = ?');
    this.selectSteps = db.prepare('SELECT * FROM playbook_steps WHERE run_id = ? ORDER BY seq, iteration');
    this.selectStep = db.prepare('SELECT * FROM playbook_steps WHERE key = ?');
    this.upsertStep = db.prepare(
      `INSERT INTO playbook_steps (key, run_id, step_id, iteration, seq, action, status, params, attempts, started_at)
       VALUES (@key, @run_id, @step_id, @iteration, @seq, @action, @status, @params, @attempts, @now)
       ON CONFLICT (key) DO UPDATE SET status = excluded.status, params = excluded.params, attempts = excluded.attempts`,
    );
    this.updateStepStmt = db.prepare(
      `UPDATE playbook_steps SET status = @status, params = COALESCE(@params, params), output = @output, error = @error,
         attempts = COALESCE(@attempts, attempts), state = @state, wake_at = @wake_at, finished_at = @finished_at WHERE key = @key`,
    );
    this.dueSteps = db.prepare("SELECT * FROM playbook_steps WHERE status = 'waiting' AND wake_at <= ? ORDER BY wake_at LIMIT 100");
    this.nextWake = db.prepare("SELECT MIN(wake_at) AS t FROM playbook_steps WHERE status = 'waiting'");
    this.unfinished = db.prepare("SELECT id FROM playbook_runs WHERE status IN ('queued', 'running') ORDER BY created_at");
  }

  /** Runs `work` in one transaction (several alerts triggered at once commit together). */
  batch<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /** A new run, or undefined when an automatic run of this playbook for this alert exists already. */
  createRun(input: NewRun): RunRecord | undefined {
    const id = randomUUID();
    const manual = input.trigger === 'manual' ? 1 : 0;
    const result = this.insertRun.run({
      id,
      playbook_id: input.playbookId,
      alert_id: input.alert.id,
      organization: input.alert.organization.id,
      trigger: input.trigger,
      manual,
      dry_run: input.dryRun ? 1 : 0,
      requested_by: input.requestedBy ?? null,
      alert: JSON.stringify(input.alert),
      now: this.now(),
    });
    if (result.changes === 0) return undefined;
    return this.getRun(id);
  }

  getRun(id: string, organizations?: readonly string[]): RunRecord | undefined {
    const row = this.selectRun.get(id) as RunRow | undefined;
    if (!row) return undefined;
    if (organizations !== undefined && !organizations.includes(row.organization)) return undefined;
    return runOf(row);
  }

  markRunning(id: string): void {
    const now = this.now();
    this.startRun.run(now, now, id);
  }

  setStatus(id: string, status: RunStatus, error: string | null = null): void {
    const now = this.now();
    this.setRunStatus.run(status, error, FINISHED_RUN_STATUSES.includes(status) ? now : null, now, id);
  }

  steps(runId: string): StepRecord[] {
    return (this.selectSteps.all(runId) as StepRow[]).map(stepOf);
  }

  step(key: string): StepRecord | undefined {
    const row = this.selectStep.get(key) as StepRow | undefined;
    return row ? stepOf(row) : undefined;
  }

  /** Records a step as started (or restarted) with its rendered parameters. */
  beginStep(key: string, runId: string, stepId: string, iteration: number | null, seq: number, action: string, params: unknown, status: StepStatus = 'running', attempts = 0): void {
    this.upsertStep.run({ key, run_id: runId, step_id: stepId, iteration, seq, action, status, params: toJson(params), attempts, now: this.now() });
  }

  updateStep(key: string, u: StepUpdate): void {
    this.updateStepStmt.run({
      key,
      status: u.status,
      params: u.params === undefined ? null : toJson(u.params),
      output: toJson(u.output),
      error: u.error ?? null,
      attempts: u.attempts ?? null,
      state: toJson(u.state),
      wake_at: u.wakeAt ?? null,
      finished_at: u.finished ? this.now() : null,
    });
  }

  /** Waiting steps whose time has come. */
  due(now: number): StepRecord[] {
    return (this.dueSteps.all(now) as StepRow[]).map(stepOf);
  }

  nextWakeAt(): number | undefined {
    const row = this.nextWake.get() as { t: number | null };
    return row.t ?? undefined;
  }

  /** Runs a restart interrupted: queued or running when the process stopped. */
  unfinishedRuns(): string[] {
    return (this.unfinished.all() as Array<{ id: string }>).map((r) => r.id);
  }

  search(params: RunSearch): { total: number; runs: RunRecord[] } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (params.organizations !== undefined) {
      if (params.organizations.length === 0) return { total: 0, runs: [] };
      where.push(`organization IN (${params.organizations.map(() => '?').join(',')})`);
      args.push(...params.organizations);
    }
    if (params.playbookId !== undefined) {
      where.push('playbook_id = ?');
      args.push(params.playbookId);
    }
    if (params.alertId !== undefined) {
      where.push('alert_id = ?');
      args.push(params.alertId);
    }
    if (params.statuses !== undefined && params.statuses.length > 0) {
      where.push(`status IN (${params.statuses.map(() => '?').join(',')})`);
      args.push(...params.statuses);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM playbook_runs ${clause}`).get(...args) as { n: number }).n;
    const rows = this.db.prepare(`SELECT * FROM playbook_runs ${clause} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`).all(...args, params.limit, params.offset) as RunRow[];
    return { total, runs: rows.map(runOf) };
  }
}
