/**
 * Walks one run's steps in order. Each step execution is recorded under its idempotency key
 * (`<run>:<step>[:<loop index>]`) before the action runs and again when it ends, so a run resumed
 * after a restart skips what already succeeded and re-runs only what was cut short.
 */
import type { Logger } from 'pino';
import type { CompiledPlaybook, CompiledStep } from './definition';
import { ApprovalDeniedError, PermanentStepError, type Action, type ActionContext, type ActionResult, type ActionServices, type ResumeSignal } from './actions/types';
import type { PlaybookMetrics } from './metrics';
import type { AuditRecord } from './ports';
import { runScope } from './scope';
import type { PlaybookRunStore, RunRecord, StepRecord } from './store';
import { renderValue, testCondition } from './template/template';

const MAX_FOREACH_ITEMS = 1000;

export type StepOutcome = { kind: 'done' } | { kind: 'suspended' } | { kind: 'failed'; error: string } | { kind: 'denied'; error: string };

export interface ExecutorDeps {
  store: PlaybookRunStore;
  actions: ReadonlyMap<string, Action>;
  services: ActionServices;
  metrics: PlaybookMetrics;
  logger: Logger;
  defaultTimeoutMs: number;
  /** Called when a step suspends until a time, so the runner re-arms its timer. */
  onWake(): void;
  /** Called when a waiting run may continue (a decision or timer completed its step). */
  onContinue(runId: string): void;
  sleep?: (ms: number) => Promise<void>;
}

export class StepTimeoutError extends Error {
  constructor(stepId: string, ms: number) {
    super(`step ${stepId} timed out after ${ms} ms`);
    this.name = 'StepTimeoutError';
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class RunExecutor {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: ExecutorDeps) {
    this.sleep = deps.sleep ?? defaultSleep;
  }

  /** Runs (or continues) a run to its end or its next wait; returns the final record. */
  async execute(run: RunRecord, playbook: CompiledPlaybook): Promise<void> {
    const { store } = this.deps;
    store.markRunning(run.id);
    const scope = runScope({
      alert: run.alert,
      playbook: { id: playbook.def.id, name: playbook.def.name },
      run: { id: run.id, dry_run: run.dry_run, manual: run.manual, trigger: run.trigger },
      socEmail: this.deps.services.socEmail,
      agencyNames: this.deps.services.agencyNames,
    });
    try {
      scope.vars = renderValue(playbook.vars, scope);
    } catch (err) {
      this.finish(run, 'failed', `vars: ${errorText(err)}`);
      return;
    }
    const records = new Map<string, StepRecord>();
    for (const r of store.steps(run.id)) records.set(r.key, r);
    for (let seq = 0; seq < playbook.steps.length; seq++) {
      const outcome = await this.runStep(run, playbook.steps[seq], seq, scope, records);
      if (outcome.kind === 'suspended') return;
      if (outcome.kind === 'failed') {
        this.finish(run, 'failed', outcome.error);
        return;
      }
      if (outcome.kind === 'denied') {
        this.finish(run, 'denied', outcome.error);
        return;
      }
    }
    this.finish(run, 'succeeded', null);
  }

  private finish(run: RunRecord, status: 'succeeded' | 'failed' | 'denied', error: string | null): void {
    this.deps.store.setStatus(run.id, status, error);
    this.deps.metrics.runs.inc({ playbook: run.playbook_id, status });
    this.deps.logger.info({ run: run.id, playbook: run.playbook_id, alert: run.alert_id, status, error }, 'playbook run finished');
  }

  private async runStep(run: RunRecord, step: CompiledStep, seq: number, scope: Record<string, unknown>, records: Map<string, StepRecord>): Promise<StepOutcome> {
    const steps = scope.steps as Record<string, unknown>;
    const baseKey = `${run.id}:${step.def.id}`;
    scope.item = null;
    scope.index = null;
    if (step.condition) {
      let pass: boolean;
      try {
        pass = testCondition(step.condition, scope);
      } catch (err) {
        return this.failUnrendered(run, step, seq, baseKey, `step ${step.def.id}: if: ${errorText(err)}`, steps);
      }
      if (!pass) {
        if (!records.has(baseKey)) {
          this.deps.store.beginStep(baseKey, run.id, step.def.id, null, seq, step.def.action, null, 'skipped');
          this.deps.store.updateStep(baseKey, { status: 'skipped', finished: true });
          await this.audit(run, 'playbook.step.skip', 'skipped', { step: step.def.id, action: step.def.action, reason: 'condition false' });
        }
        steps[step.def.id] = { status: 'skipped', output: null };
        return { kind: 'done' };
      }
    }
    let items: unknown[] = [undefined];
    if (step.foreach !== undefined) {
      let list: unknown;
      try {
        list = renderValue(step.foreach, scope);
      } catch (err) {
        return this.failUnrendered(run, step, seq, baseKey, `step ${step.def.id}: foreach: ${errorText(err)}`, steps);
      }
      items = Array.isArray(list) ? list : list === undefined || list === null || list === '' ? [] : [list];
      if (items.length > MAX_FOREACH_ITEMS) return this.failUnrendered(run, step, seq, baseKey, `step ${step.def.id}: foreach over ${items.length} items exceeds ${MAX_FOREACH_ITEMS}`, steps);
    }
    const outputs: unknown[] = [];
    let stepError: string | null = null;
    for (let i = 0; i < items.length; i++) {
      const key = step.foreach !== undefined ? `${baseKey}:${i}` : baseKey;
      scope.item = items[i] ?? null;
      scope.index = step.foreach !== undefined ? i : null;
      const outcome = await this.runIteration(run, step, seq, step.foreach !== undefined ? i : null, key, scope, records.get(key));
      if (outcome.kind === 'suspended' || outcome.kind === 'denied') return outcome;
      if (outcome.kind === 'failed') {
        if (step.def.on_error === 'fail') return outcome;
        stepError = outcome.error;
        outputs.push(null);
      } else outputs.push(outcome.kind === 'ok' ? outcome.output : null);
    }
    steps[step.def.id] = {
      status: stepError === null ? 'succeeded' : 'failed',
      output: step.foreach !== undefined ? outputs : (outputs[0] ?? null),
      error: stepError,
    };
    return { kind: 'done' };
  }

  private async failUnrendered(run: RunRecord, step: CompiledStep, seq: number, key: string, error: string, steps: Record<string, unknown>): Promise<StepOutcome> {
    this.deps.store.beginStep(key, run.id, step.def.id, null, seq, step.def.action, null, 'failed');
    this.deps.store.updateStep(key, { status: 'failed', error, finished: true });
    await this.audit(run, 'playbook.step.finish', 'failure', { step: step.def.id, action: step.def.action, error });
    steps[step.def.id] = { status: 'failed', output: null, error };
    return step.def.on_error === 'continue' ? { kind: 'done' } : { kind: 'failed', error };
  }

  private context(run: RunRecord, stepId: string, key: string, signal: AbortSignal): ActionContext {
    return {
      services: this.deps.services,
      runId: run.id,
      playbookId: run.playbook_id,
      stepId,
      idempotencyKey: key,
      alert: run.alert,
      organization: run.organization,
      dryRun: run.dry_run,
      signal,
    };
  }

  private async runIteration(
    run: RunRecord,
    step: CompiledStep,
    seq: number,
    iteration: number | null,
    key: string,
    scope: Record<string, unknown>,
    previous: StepRecord | undefined,
  ): Promise<{ kind: 'ok'; output: unknown } | StepOutcome> {
    const { store } = this.deps;
    if (previous) {
      // Idempotency: an execution that finished is never repeated.
      if (previous.status === 'succeeded' || previous.status === 'simulated') return { kind: 'ok', output: previous.output };
      if (previous.status === 'failed') return { kind: 'failed', error: previous.error ?? 'failed' };
      if (previous.status === 'waiting') {
        store.setStatus(run.id, waitingStatus(previous));
        return { kind: 'suspended' };
      }
    }
    const action = this.deps.actions.get(step.def.action);
    let params: unknown;
    try {
      if (!action) throw new Error(`unknown action "${step.def.action}"`);
      const rendered = renderValue(step.with, scope);
      const parsed = action.params.safeParse(rendered);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`parameter ${issue.path.map(String).join('.') || '(with)'}: ${issue.message}`);
      }
      params = parsed.data;
    } catch (err) {
      const error = `step ${step.def.id} (${step.def.action}): ${errorText(err)}`;
      store.beginStep(key, run.id, step.def.id, iteration, seq, step.def.action, null, 'failed');
      store.updateStep(key, { status: 'failed', error, finished: true });
      this.deps.metrics.steps.inc({ action: step.def.action, status: 'failed' });
      await this.audit(run, 'playbook.step.finish', 'failure', { step: step.def.id, action: step.def.action, key, error });
      return { kind: 'failed', error };
    }
    const act = action as Action;
    const simulated = run.dry_run && !act.readOnly;
    let attempts = previous?.attempts ?? 0;
    // The first attempt is recorded with the parameters in one write, before the action runs.
    store.beginStep(key, run.id, step.def.id, iteration, seq, act.name, params, 'running', simulated ? 0 : attempts + 1);
    await this.audit(run, 'playbook.step.start', 'pending', { step: step.def.id, action: act.name, key, params, dry_run: run.dry_run });

    if (simulated) {
      const ctx = this.context(run, step.def.id, key, new AbortController().signal);
      try {
        const would = await act.simulate(ctx, params);
        const output = typeof would === 'object' && would !== null && !Array.isArray(would) ? { ...(would as Record<string, unknown>), simulated: true } : { value: would, simulated: true };
        store.updateStep(key, { status: 'simulated', output, attempts: 0, finished: true });
        this.deps.metrics.steps.inc({ action: act.name, status: 'simulated' });
        await this.audit(run, 'playbook.step.finish', 'success', { step: step.def.id, action: act.name, key, simulated: true });
        return { kind: 'ok', output };
      } catch (err) {
        const error = `step ${step.def.id} (${act.name}): ${errorText(err)}`;
        store.updateStep(key, { status: 'failed', error, finished: true });
        await this.audit(run, 'playbook.step.finish', 'failure', { step: step.def.id, action: act.name, key, error, simulated: true });
        return { kind: 'failed', error };
      }
    }

    const retries = step.def.retries;
    const maxAttempts = Math.max((retries?.max ?? 0) + 1, (previous?.attempts ?? 0) + 1);
    const timeoutMs = step.def.timeout ?? this.deps.defaultTimeoutMs;
    for (;;) {
      attempts++;
      if (attempts > (previous?.attempts ?? 0) + 1) store.updateStep(key, { status: 'running', attempts });
      let result: ActionResult;
      try {
        result = await this.withTimeout(step.def.id, timeoutMs, (signal) => act.run(this.context(run, step.def.id, key, signal), params));
      } catch (err) {
        const error = `step ${step.def.id} (${act.name}) attempt ${attempts}: ${errorText(err)}`;
        if (!(err instanceof ApprovalDeniedError) && !(err instanceof PermanentStepError) && attempts < maxAttempts && retries) {
          this.deps.logger.warn({ run: run.id, step: step.def.id, attempt: attempts, err: errorText(err) }, 'playbook step failed; retrying');
          store.updateStep(key, { status: 'running', attempts, error });
          const b = retries.backoff;
          await this.sleep(Math.min(b.max, b.initial * b.multiplier ** (attempts - 1)));
          continue;
        }
        store.updateStep(key, { status: 'failed', attempts, error, finished: true });
        this.deps.metrics.steps.inc({ action: act.name, status: 'failed' });
        await this.audit(run, 'playbook.step.finish', 'failure', { step: step.def.id, action: act.name, key, attempts, error });
        return err instanceof ApprovalDeniedError ? { kind: 'denied', error } : { kind: 'failed', error };
      }
      if (result.suspend) {
        store.updateStep(key, { status: 'waiting', attempts, state: result.suspend.state, wakeAt: result.suspend.until });
        store.setStatus(run.id, result.suspend.kind === 'approval' ? 'waiting_approval' : 'waiting');
        this.deps.metrics.steps.inc({ action: act.name, status: 'waiting' });
        await this.audit(run, 'playbook.step.wait', 'pending', { step: step.def.id, action: act.name, key, until: new Date(result.suspend.until).toISOString() });
        this.deps.onWake();
        return { kind: 'suspended' };
      }
      store.updateStep(key, { status: 'succeeded', attempts, output: result.output, finished: true });
      this.deps.metrics.steps.inc({ action: act.name, status: 'succeeded' });
      await this.audit(run, 'playbook.step.finish', 'success', { step: step.def.id, action: act.name, key, attempts });
      return { kind: 'ok', output: result.output };
    }
  }

  /**
   * Resumes a waiting step with a timer or a decision. A decision the action refuses
   * (DecisionRejectedError) propagates and changes nothing.
   */
  async resume(run: RunRecord, playbook: CompiledPlaybook, record: StepRecord, signal: ResumeSignal): Promise<void> {
    const { store } = this.deps;
    const step = playbook.steps.find((s) => s.def.id === record.step_id);
    const action = this.deps.actions.get(record.action);
    if (!step || !action?.resume) {
      const error = `step ${record.step_id}: cannot resume (${!step ? 'the step is no longer in the playbook' : `action ${record.action} does not wait`})`;
      store.updateStep(record.key, { status: 'failed', error, finished: true });
      this.finish(run, 'failed', error);
      return;
    }
    // Stored parameters are already validated and transformed (durations in ms): used as they are.
    const params: unknown = record.params;
    const timeoutMs = step.def.timeout ?? this.deps.defaultTimeoutMs;
    let result: ActionResult;
    try {
      result = await this.withTimeout(step.def.id, timeoutMs, (sig) => (action.resume as NonNullable<Action['resume']>)(this.context(run, step.def.id, record.key, sig), params, record.state, signal));
    } catch (err) {
      if ((err as Error).name === 'DecisionRejectedError') throw err;
      const error = `step ${record.step_id} (${record.action}): ${errorText(err)}`;
      store.updateStep(record.key, { status: 'failed', error, state: record.state, finished: true });
      this.deps.metrics.steps.inc({ action: record.action, status: err instanceof ApprovalDeniedError ? 'denied' : 'failed' });
      await this.audit(run, 'playbook.step.finish', err instanceof ApprovalDeniedError ? 'denied' : 'failure', { step: record.step_id, action: record.action, key: record.key, error });
      if (err instanceof ApprovalDeniedError) this.finish(run, 'denied', error);
      else if (step.def.on_error === 'continue') this.continueRun(run.id);
      else this.finish(run, 'failed', error);
      return;
    }
    if (result.suspend) {
      store.updateStep(record.key, { status: 'waiting', state: result.suspend.state, wakeAt: result.suspend.until });
      await this.audit(run, 'playbook.step.wait', 'pending', { step: record.step_id, action: record.action, key: record.key, until: new Date(result.suspend.until).toISOString() });
      this.deps.onWake();
      return;
    }
    store.updateStep(record.key, { status: 'succeeded', output: result.output, state: record.state, finished: true });
    this.deps.metrics.steps.inc({ action: record.action, status: 'succeeded' });
    await this.audit(run, 'playbook.step.finish', 'success', { step: record.step_id, action: record.action, key: record.key });
    this.continueRun(run.id);
  }

  private continueRun(runId: string): void {
    this.deps.store.setStatus(runId, 'queued');
    this.deps.onContinue(runId);
  }

  private async withTimeout<T>(stepId: string, ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new StepTimeoutError(stepId, ms);
        controller.abort(err);
        reject(err);
      }, ms);
      // A step's deadline alone must not keep the process alive (the servers do that).
      timer.unref();
    });
    try {
      return await Promise.race([work(controller.signal), expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  async audit(run: RunRecord, action: string, result: AuditRecord['result'], details: Record<string, unknown>, actor = `playbook:${run.playbook_id}`): Promise<void> {
    const sink = this.deps.services.ports.audit;
    if (!sink) return;
    try {
      await sink.append({ actor, action, object: `playbook_run:${run.id}`, organization: run.organization, result, details: { alert_id: run.alert_id, ...details } });
    } catch (err) {
      this.deps.logger.error({ err, run: run.id, action }, 'audit append failed');
    }
  }
}

function waitingStatus(record: StepRecord): 'waiting_approval' | 'waiting' {
  return record.action === 'approval.request' ? 'waiting_approval' : 'waiting';
}
