/**
 * The playbook runner: alert changes in, runs out. A bounded queue feeds a bounded number of
 * concurrent runs; runs and steps live in SQLite so a restart resumes them (or marks them
 * interrupted), waiting approvals and timers survive, and an automatic run is started at most once
 * per playbook and alert.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Role } from '../core/auth/roles';
import type { SqliteDb } from '../core/store/sqlite';
import type { Alert, AlertChange } from '../correlation/alerts/types';
import type { Action, ActionServices } from './actions/types';
import { DecisionRejectedError } from './actions/types';
import type { PlaybooksConfig } from './config';
import type { CompiledPlaybook, PlaybookLoadError } from './definition';
import type { LoadedPlaybooks } from './loader';
import { playbookMetrics, type PlaybookMetrics } from './metrics';
import type { AlertSource } from './ports';
import { RunExecutor } from './run-executor';
import { PlaybookRunStore, FINISHED_RUN_STATUSES, type RunRecord, type StepRecord } from './store';
import { compileTrigger, type AlertChangeKind, type CompiledTrigger } from './trigger';

export interface PlaybookRunnerDeps {
  db: SqliteDb;
  logger: Logger;
  registry: Registry;
  actions: ReadonlyMap<string, Action>;
  services: ActionServices;
  now?: () => number;
  /** Replaceable in tests to skip retry backoff waits. */
  sleep?: (ms: number) => Promise<void>;
}

export interface ManualRunOptions {
  dryRun: boolean;
  requestedBy: string;
}

export interface ApprovalDecision {
  user: string;
  role: Role;
  decision: 'approve' | 'deny';
  comment: string;
}

/** Why a manual request cannot be served (maps to an HTTP status). */
export class RunRequestError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 503,
  ) {
    super(message);
    this.name = 'RunRequestError';
  }
}

export class PlaybookRunner {
  readonly store: PlaybookRunStore;
  private readonly executor: RunExecutor;
  private readonly metrics: PlaybookMetrics;
  private readonly logger: Logger;
  private readonly now: () => number;
  private byId = new Map<string, CompiledPlaybook>();
  private triggered: Array<{ playbook: CompiledPlaybook; trigger: CompiledTrigger }> = [];
  /** Whether any loaded playbook triggers on alert updates (else only created alerts are read). */
  private triggersOnUpdates = false;
  private errors: PlaybookLoadError[] = [];
  private loadedAt = 0;
  private readonly queue: string[] = [];
  private readonly queuedIds = new Set<string>();
  private active = 0;
  private readonly busy = new Map<string, Promise<void>>();
  private idleWaiters: Array<() => void> = [];
  private wakeTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    deps: PlaybookRunnerDeps,
    private readonly config: PlaybooksConfig,
  ) {
    this.now = deps.now ?? Date.now;
    this.logger = deps.logger;
    this.store = new PlaybookRunStore(deps.db, this.now);
    this.metrics = playbookMetrics(deps.registry);
    this.executor = new RunExecutor({
      store: this.store,
      actions: deps.actions,
      services: deps.services,
      metrics: this.metrics,
      logger: deps.logger,
      defaultTimeoutMs: config.defaultStepTimeout,
      onWake: () => this.armTimer(),
      onContinue: (id) => this.enqueue(id, true),
      sleep: deps.sleep,
    });
  }

  /** Installs a (re)loaded set of playbooks; runs in flight keep going with the new definitions. */
  setPlaybooks(loaded: LoadedPlaybooks): void {
    const disabled = new Set(this.config.disabled);
    this.byId = new Map(loaded.playbooks.map((p) => [p.def.id, p]));
    this.triggered = loaded.playbooks
      .filter((p) => p.def.enabled && p.def.trigger !== undefined && !disabled.has(p.def.id))
      .map((p) => ({ playbook: p, trigger: compileTrigger(p.def.trigger as NonNullable<CompiledPlaybook['def']['trigger']>) }));
    this.triggersOnUpdates = this.triggered.some((t) => t.playbook.def.trigger?.on.includes('updated') === true);
    this.errors = loaded.errors;
    this.loadedAt = this.now();
  }

  playbooks(): CompiledPlaybook[] {
    return [...this.byId.values()];
  }

  playbook(id: string): CompiledPlaybook | undefined {
    return this.byId.get(id);
  }

  loadErrors(): PlaybookLoadError[] {
    return this.errors;
  }

  loadedAtMs(): number {
    return this.loadedAt;
  }

  /** Whether automatic triggering is on for a playbook (enabled and not disabled by config). */
  triggersOn(id: string): boolean {
    return this.triggered.some((t) => t.playbook.def.id === id);
  }

  /** Resumes runs a restart interrupted, and re-arms timers of waiting steps. */
  start(): void {
    for (const id of this.store.unfinishedRuns()) {
      if (this.config.resumeInterrupted) this.enqueue(id, true);
      else this.store.setStatus(id, 'interrupted', 'socnoc restarted while the run was in progress');
    }
    this.armTimer();
  }

  /**
   * An alert was created or changed (the detection engine's onAlerts). Starts each matching
   * playbook once per alert; returns how many runs were queued.
   */
  onAlert(alert: Alert, change: AlertChangeKind = 'created'): number {
    if (this.stopped || !this.config.enabled) return 0;
    let started = 0;
    for (const { playbook, trigger } of this.triggered) {
      if (!trigger.matches(alert, change)) continue;
      if (this.queue.length >= this.config.queueSize) {
        this.metrics.triggersDropped.inc();
        this.logger.warn({ playbook: playbook.def.id, alert: alert.id }, 'playbook queue full; trigger dropped');
        continue;
      }
      const run = this.store.createRun({ playbookId: playbook.def.id, alert, trigger: change, dryRun: false });
      if (!run) continue;
      this.enqueue(run.id, false);
      started++;
    }
    return started;
  }

  /** Several alerts at once; their runs are recorded in one transaction. Returns the runs queued. */
  onAlerts(alerts: readonly Alert[], change: AlertChangeKind = 'created'): number {
    return this.store.batch(() => {
      let n = 0;
      for (const a of alerts) n += this.onAlert(a, change);
      return n;
    });
  }

  /** Adapter for DetectionEngine.onAlerts: loads each changed alert and triggers on it. */
  onAlertChanges(changes: readonly AlertChange[], alerts: AlertSource): number {
    // Most changes are folds into existing alerts; when no playbook triggers on updates they need no read.
    const relevant = this.triggersOnUpdates ? changes : changes.filter((c) => c.created);
    if (relevant.length === 0 || this.triggered.length === 0) return 0;
    const many = alerts.getMany?.(relevant.map((c) => c.id));
    return this.store.batch(() => {
      let n = 0;
      for (const c of relevant) {
        const alert = many !== undefined ? many.get(c.id) : alerts.get(c.id);
        if (alert) n += this.onAlert(alert, c.created ? 'created' : 'updated');
      }
      return n;
    });
  }

  /**
   * A run requested by a person. A dry run executes now (simulating every side effect) and returns
   * when done; a real run is queued and returned as queued.
   */
  async runManually(playbookId: string, alert: Alert, options: ManualRunOptions): Promise<RunRecord> {
    const playbook = this.byId.get(playbookId);
    if (!playbook) throw new RunRequestError(`playbook "${playbookId}" does not exist`, 404);
    if (this.stopped) throw new RunRequestError('the playbook runner is stopping', 503);
    if (!options.dryRun && this.queue.length >= this.config.queueSize) throw new RunRequestError(`the run queue is full (${this.config.queueSize} runs)`, 503);
    const run = this.store.createRun({ playbookId, alert, trigger: 'manual', dryRun: options.dryRun, requestedBy: options.requestedBy });
    if (!run) throw new Error(`playbook ${playbookId}: could not record a manual run`);
    if (options.dryRun) {
      await this.withRunLock(run.id, () => this.executor.execute(run, playbook));
      return this.store.getRun(run.id) as RunRecord;
    }
    this.enqueue(run.id, false);
    return run;
  }

  /** An approver's decision on a run waiting for approval. */
  async decide(runId: string, decision: ApprovalDecision, organizations?: readonly string[]): Promise<RunRecord> {
    const run = this.store.getRun(runId, organizations);
    if (!run) throw new RunRequestError(`run "${runId}" does not exist`, 404);
    await this.withRunLock(runId, async () => {
      const current = this.store.getRun(runId) as RunRecord;
      if (current.status !== 'waiting_approval') throw new RunRequestError(`run ${runId} is not waiting for approval (status ${current.status})`, 409);
      const waiting = this.store.steps(runId).find((s) => s.status === 'waiting' && s.action === 'approval.request');
      if (!waiting) throw new RunRequestError(`run ${runId} has no pending approval`, 409);
      const playbook = this.byId.get(current.playbook_id);
      if (!playbook) throw new RunRequestError(`playbook "${current.playbook_id}" is no longer loaded`, 409);
      try {
        await this.executor.resume(current, playbook, waiting, { type: 'decision', ...decision });
      } catch (err) {
        if (err instanceof DecisionRejectedError) throw new RunRequestError(err.message, err.status);
        throw err;
      }
      await this.executor.audit(current, 'playbook.approval.decision', decision.decision === 'approve' ? 'success' : 'denied', { step: waiting.step_id, decision: decision.decision, comment: decision.comment }, `user:${decision.user}`);
    });
    return this.store.getRun(runId) as RunRecord;
  }

  runWithSteps(runId: string, organizations?: readonly string[]): { run: RunRecord; steps: StepRecord[] } | undefined {
    const run = this.store.getRun(runId, organizations);
    if (!run) return undefined;
    return { run, steps: this.store.steps(runId) };
  }

  /** Resolves when no run is queued or executing (waiting runs do not count). */
  whenIdle(): Promise<void> {
    if (this.queue.length === 0 && this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work and waits (up to graceMs) for executing runs; queued ones resume on the next start. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopped = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.queue.length = 0;
    this.queuedIds.clear();
    this.metrics.queued.set(0);
    if (this.active === 0) return;
    await Promise.race([new Promise<void>((r) => this.idleWaiters.push(r)), new Promise<void>((r) => setTimeout(r, graceMs).unref())]);
  }

  private enqueue(runId: string, resumed: boolean): void {
    if (this.stopped || this.queuedIds.has(runId)) return;
    this.queue.push(runId);
    this.queuedIds.add(runId);
    this.metrics.queued.set(this.queue.length);
    if (resumed) this.logger.debug({ run: runId }, 'playbook run queued to continue');
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.active < this.config.concurrency && this.queue.length > 0) {
      const id = this.queue.shift() as string;
      this.queuedIds.delete(id);
      this.metrics.queued.set(this.queue.length);
      this.active++;
      void this.withRunLock(id, () => this.executeById(id))
        .catch((err: unknown) => {
          // A run still going when stop()'s grace ran out finds its store closed: it stays `running` in
          // the database and is resumed (or marked interrupted) at the next start, as after a crash.
          if (this.stopped) {
            this.logger.warn({ err, run: id }, 'playbook run cut short by shutdown; it continues at the next start');
            return;
          }
          this.logger.error({ err, run: id }, 'playbook run crashed');
          try {
            this.store.setStatus(id, 'failed', `internal error: ${(err as Error).message}`);
          } catch (storeErr) {
            this.logger.error({ err: storeErr, run: id }, 'could not record the crashed run');
          }
        })
        .finally(() => {
          this.active--;
          this.pump();
          if (this.active === 0 && this.queue.length === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const w of waiters) w();
          }
        });
    }
  }

  private async executeById(id: string): Promise<void> {
    const run = this.store.getRun(id);
    if (!run || FINISHED_RUN_STATUSES.includes(run.status) || run.status === 'waiting_approval' || run.status === 'waiting') return;
    const playbook = this.byId.get(run.playbook_id);
    if (!playbook) {
      this.store.setStatus(id, 'failed', `playbook "${run.playbook_id}" is no longer loaded`);
      return;
    }
    await this.executor.execute(run, playbook);
  }

  /** One thing at a time per run: an execution, a decision or a timer. */
  private async withRunLock(runId: string, work: () => Promise<void>): Promise<void> {
    const before = this.busy.get(runId);
    const mine = (before ?? Promise.resolve()).catch(() => undefined).then(work);
    const tail = mine.catch(() => undefined);
    this.busy.set(runId, tail);
    try {
      await mine;
    } finally {
      if (this.busy.get(runId) === tail) this.busy.delete(runId);
    }
  }

  private armTimer(): void {
    if (this.stopped) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    const next = this.store.nextWakeAt();
    if (next === undefined) return;
    const delay = Math.min(Math.max(0, next - this.now()), 2 ** 31 - 1);
    this.wakeTimer = setTimeout(() => void this.wake(), delay);
    this.wakeTimer.unref();
  }

  private async wake(): Promise<void> {
    this.wakeTimer = undefined;
    for (const record of this.store.due(this.now())) {
      await this.withRunLock(record.run_id, async () => {
        const current = this.store.step(record.key);
        const run = this.store.getRun(record.run_id);
        if (!current || current.status !== 'waiting' || !run) return;
        const playbook = this.byId.get(run.playbook_id);
        if (!playbook) {
          this.store.updateStep(record.key, { status: 'failed', error: `playbook "${run.playbook_id}" is no longer loaded`, finished: true });
          this.store.setStatus(run.id, 'failed', `playbook "${run.playbook_id}" is no longer loaded`);
          return;
        }
        await this.executor.resume(run, playbook, current, { type: 'timer' });
      }).catch((err: unknown) => this.logger.error({ err, step: record.key }, 'resuming a waiting playbook step failed'));
    }
    this.armTimer();
  }
}
