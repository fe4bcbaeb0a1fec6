/**
 * The detection runtime: loads the Sigma rules (socnoc's pack plus configured folders), consumes
 * event batches from the bus as the `correlation` group, matches each event, runs the detection
 * stages (correlation rules plug in there), stores alerts, and acknowledges the batch only once its
 * alerts are written. Rules reload when their files change; a reload that throws keeps the running
 * set, and a file that breaks keeps its previous version running (rule-loader.ts).
 */
import type { Logger } from 'pino';
import type { EventBus, Subscription } from '../../core/bus';
import { UNASSIGNED_AGENCY, type EcsEvent } from '../../core/event';
import type { Metrics } from '../../core/metrics';
import type { SqliteDb } from '../../core/store/sqlite';
import { entityGroup } from '../alerts/dedup';
import { ruleAlertInfo, type RuleAlertInfo } from '../alerts/rule-info';
import { AlertStore } from '../alerts/store';
import type { AlertChange, AlertHit, AlertOrganization } from '../alerts/types';
import type { CorrelationConfig } from '../config';
import type { CompiledSigmaRule } from '../sigma/compile';
import type { SigmaCorrelation, SigmaRule } from '../sigma/types';
import { SigmaRuleSet } from '../sigma/ruleset';
import { detectionStats, releaseDetectionStats, type DetectionStats } from './metrics';
import { builtinSigmaRulesDir, socnocPackageRoot } from './package-root';
import { runStepsSliced } from '../sigma/steps';
import { BUILTIN_RULESET, loadDetectionRules, loadDetectionRulesSteps, ruleSources, rulesetOf, type LoadedRules, type RuleLoadOptions, type RuleSource } from './rule-loader';
import { RuleToggles } from './rule-toggles';
import { RuleFolderWatcher } from './rule-watcher';
import type { DetectionHit, DetectionStage, RuleCatalog, RuleDisabledBy, RuleLoadError, RuleLoadInfo, RuleSummary, RuleSwitch } from './types';

export const EVENTS_SUBJECT = 'events';
export const CORRELATION_GROUP = 'correlation';

export interface DetectionEngineDeps {
  bus: EventBus;
  db: SqliteDb;
  logger: Logger;
  metrics: Metrics;
  /** Wall clock (alert created_at, events without a usable @timestamp); replaceable in tests. */
  now?: () => number;
}

export interface DetectionEngine extends RuleCatalog, RuleSwitch {
  readonly alerts: AlertStore;
  /** Loads the rules, subscribes to the bus and starts watching the rule folders. */
  start(): Promise<void>;
  /** Stops consuming (after the batch in progress) and watching. */
  stop(): Promise<void>;
  ruleSet(): SigmaRuleSet;
  /** Every rule and correlation document loaded (disabled ones included), for titles and listings. */
  ruleDocuments(): Array<SigmaRule | SigmaCorrelation>;
  /** Reloads now (what a file change triggers); returns the new load summary. */
  reload(): RuleLoadInfo;
  addStage(stage: DetectionStage): void;
  /** Called after each batch that created or updated alerts (playbooks, incidents, notifications). */
  onAlerts(listener: (changes: AlertChange[]) => void): void;
  /** Called after every reload attempt. */
  onReload(listener: (info: RuleLoadInfo) => void): void;
  /** Resolves once every batch received so far is processed. */
  idle(): Promise<void>;
}

/** Most load errors logged one by one after a load; the rest are counted (all are in the API). */
const MAX_LOGGED_ERRORS = 50;
/** At most one log line per this period for per-event failures. */
const ERROR_LOG_INTERVAL_MS = 10_000;

const EMPTY_SET = new SigmaRuleSet([]);

function eventTime(event: EcsEvent, fallback: number): number {
  const t = Date.parse(event['@timestamp']);
  return Number.isNaN(t) ? fallback : t;
}

function organizationOf(event: EcsEvent | undefined): AlertOrganization {
  const org = event?.organization;
  const id = org !== undefined && typeof org.id === 'string' && org.id !== '' ? org.id : UNASSIGNED_AGENCY;
  return org !== undefined && typeof org.name === 'string' ? { id, name: org.name } : { id };
}

export function createDetectionEngine(deps: DetectionEngineDeps, config: CorrelationConfig): DetectionEngine {
  return new SigmaDetectionEngine(deps, config);
}

class SigmaDetectionEngine implements DetectionEngine {
  readonly alerts: AlertStore;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly stats: DetectionStats;
  private readonly sources: RuleSource[];
  private readonly displayRoot: string | undefined;
  private readonly stages: DetectionStage[] = [];
  /** Rules switched off through the API (persisted), run together with config.sigma.disabled. */
  private readonly toggles: RuleToggles;
  private readonly alertListeners: Array<(changes: AlertChange[]) => void> = [];
  private readonly reloadListeners: Array<(info: RuleLoadInfo) => void> = [];
  /** Alert data of rules that stages name (correlations), computed once per rule object. */
  private readonly stageRuleInfo = new WeakMap<object, RuleAlertInfo>();
  private loaded: LoadedRules | undefined;
  /** The sliced reload in progress, if any, and whether files changed again meanwhile. */
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;
  /** Why the last load threw (the engine's own tables unreadable), listed first among the load errors. */
  private loadFailure: RuleLoadError | undefined;
  private subscription: Subscription | undefined;
  private watcher: RuleFolderWatcher | undefined;
  private tail: Promise<void> = Promise.resolve();
  /** Matches of the batch being processed, per event (reused from batch to batch). */
  private readonly batchMatches: (readonly CompiledSigmaRule[])[] = [];
  private lastErrorLog = 0;
  private suppressedErrors = 0;
  private running = false;

  constructor(
    private readonly deps: DetectionEngineDeps,
    private readonly config: CorrelationConfig,
  ) {
    this.log = deps.logger.child({ component: 'correlation' });
    this.now = deps.now ?? Date.now;
    this.stats = detectionStats(deps.metrics.registry);
    this.alerts = new AlertStore(deps.db, {
      dedupWindowMs: config.dedupWindowMinutes * 60_000,
      maxSampleEvents: config.maxSampleEvents,
      maxEventIds: config.maxEventIds,
      now: this.now,
    });
    this.toggles = new RuleToggles(deps.db);
    this.displayRoot = socnocPackageRoot();
    this.sources = ruleSources(config.sigma.includeBuiltin ? builtinSigmaRulesDir() : undefined, config.sigma.paths);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (!this.config.enabled) {
      this.log.info('correlation disabled in the configuration: no rules loaded, no alerts raised');
      return;
    }
    await this.loadSliced('start');
    this.subscription = this.deps.bus.subscribe(EVENTS_SUBJECT, CORRELATION_GROUP, (batch) => this.enqueue(batch));
    if (this.config.sigma.watch) {
      this.watcher = new RuleFolderWatcher(
        this.sources.map((s) => s.path),
        this.config.sigma.reloadDebounceMs,
        () => this.scheduleReload(),
        this.log,
      );
      this.watcher.start();
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.watcher?.stop();
    this.watcher = undefined;
    await this.reloading;
    await this.subscription?.unsubscribe();
    this.subscription = undefined;
    await this.idle();
    for (const stage of this.stages) await stage.stop?.();
    releaseDetectionStats(this.deps.metrics.registry, this.stats);
  }

  ruleSet(): SigmaRuleSet {
    return this.loaded?.set ?? EMPTY_SET;
  }

  ruleDocuments(): Array<SigmaRule | SigmaCorrelation> {
    const l = this.loaded?.detection.loaded;
    return l === undefined ? [] : [...l.rules.map((r) => r.rule), ...l.correlations];
  }

  rules(): readonly RuleSummary[] {
    return this.loaded?.summaries ?? [];
  }

  loadErrors(): readonly RuleLoadError[] {
    const errors = this.loaded?.errors ?? [];
    return this.loadFailure !== undefined ? [this.loadFailure, ...errors] : errors;
  }

  loadInfo(): RuleLoadInfo {
    const l = this.loaded;
    return {
      loadedAt: l?.loadedAt ?? 0,
      durationMs: l?.durationMs ?? 0,
      files: l?.detection.loaded.files ?? 0,
      rules: l?.detection.loaded.rules.length ?? 0,
      enabledRules: l?.detection.rules.length ?? 0,
      correlations: l?.detection.correlations.length ?? 0,
      errors: this.loadErrors().length,
      warnings: l?.detection.loaded.warnings.length ?? 0,
      reloads: this.stats.reloads,
      failedReloads: this.stats.failedReloads,
    };
  }

  reload(): RuleLoadInfo {
    this.load('reload');
    return this.notifyReload();
  }

  async setRuleEnabled(rule: string, enabled: boolean, actor: string): Promise<RuleSummary | undefined> {
    const found = this.findRule(rule);
    if (found === undefined) return undefined;
    if (!this.toggles.set(found.id ?? found.title, enabled, actor, this.now())) return found;
    this.log.info({ rule: found.id ?? found.title, title: found.title, enabled, actor }, enabled ? 'rule enabled through the API' : 'rule disabled through the API');
    if (this.running && this.config.enabled) {
      // Through the sliced, never-overlapping reload that file changes use.
      this.scheduleReload();
      await this.reloading;
    } else {
      this.load('reload');
      this.notifyReload();
    }
    return this.findRule(rule);
  }

  disabledBy(rule: RuleSummary): RuleDisabledBy | null {
    if (rule.enabled) return null;
    const configured = this.config.sigma.disabled;
    const inConfig = (rule.id !== undefined && configured.includes(rule.id)) || (rule.name !== undefined && configured.includes(rule.name)) || configured.includes(rule.title);
    return inConfig ? 'config' : 'api';
  }

  private findRule(rule: string): RuleSummary | undefined {
    return this.rules().find((r) => r.id === rule) ?? this.rules().find((r) => r.id === undefined && r.title === rule);
  }

  addStage(stage: DetectionStage): void {
    this.stages.push(stage);
    if (this.loaded !== undefined) stage.load(this.loaded.detection);
  }

  onAlerts(listener: (changes: AlertChange[]) => void): void {
    this.alertListeners.push(listener);
  }

  onReload(listener: (info: RuleLoadInfo) => void): void {
    this.reloadListeners.push(listener);
  }

  idle(): Promise<void> {
    return this.tail;
  }

  private loadOptions(): RuleLoadOptions {
    return {
      placeholders: this.config.sigma.placeholders,
      unresolvedPlaceholders: this.config.sigma.unresolvedPlaceholders,
      disabled: [...this.config.sigma.disabled, ...this.toggles.disabledRules()],
      displayRoot: this.displayRoot,
    };
  }

  /** Loads at once (reload() callers want the result now). */
  private load(reason: 'start' | 'reload'): void {
    let next: LoadedRules;
    try {
      next = loadDetectionRules(this.sources, this.loadOptions(), this.loaded);
    } catch (err) {
      this.loadFailed(reason, err);
      return;
    }
    this.apply(reason, next);
  }

  /** Loads in slices so listeners keep being served; the running rules stay until the new ones are ready. */
  private async loadSliced(reason: 'start' | 'reload'): Promise<void> {
    let next: LoadedRules;
    try {
      next = await runStepsSliced(loadDetectionRulesSteps(this.sources, this.loadOptions(), this.loaded));
    } catch (err) {
      this.loadFailed(reason, err);
      return;
    }
    this.apply(reason, next);
  }

  /** File changes during a reload queue one more reload after it, never two at once. */
  private scheduleReload(): void {
    if (this.reloading !== undefined) {
      this.reloadAgain = true;
      return;
    }
    this.reloading = (async () => {
      do {
        this.reloadAgain = false;
        await this.loadSliced('reload');
        this.notifyReload();
      } while (this.reloadAgain && this.running);
    })().finally(() => {
      this.reloading = undefined;
    });
  }

  private notifyReload(): RuleLoadInfo {
    const info = this.loadInfo();
    for (const l of this.reloadListeners) l(info);
    return info;
  }

  private loadFailed(reason: 'start' | 'reload', err: unknown): void {
    if (reason === 'reload') this.stats.failedReloads++;
    const kept = this.loaded !== undefined;
    this.loadFailure = { file: this.sources.map((s) => s.path).join(', '), line: 0, kind: 'io', reason: `rules not loaded: ${(err as Error).message}`, previousKept: kept };
    this.stats.ruleLoadErrors = this.loadErrors().length;
    this.log.error({ err, reason }, this.loaded ? 'rule reload failed; the previous rules keep running' : 'rules could not be loaded; no detection until fixed');
  }

  private apply(reason: 'start' | 'reload', next: LoadedRules): void {
    for (const stage of this.stages) stage.load(next.detection);
    this.loaded = next;
    this.loadFailure = undefined;
    if (reason === 'reload') this.stats.reloads++;
    this.stats.rulesEnabled = next.detection.rules.length;
    this.stats.correlationsEnabled = next.detection.correlations.length;
    this.stats.ruleLoadErrors = next.errors.length;
    this.logLoad(reason, next);
  }

  private logLoad(reason: 'start' | 'reload', l: LoadedRules): void {
    const loaded = l.detection.loaded;
    this.log.info(
      {
        reason,
        files: loaded.files,
        rules: loaded.rules.length,
        enabled: l.detection.rules.length,
        correlations: l.detection.correlations.length,
        errors: l.errors.length,
        warnings: loaded.warnings.length,
        ms: l.durationMs,
        sources: this.sources.map((s) => `${s.ruleset}=${s.path}`),
      },
      reason === 'start' ? 'sigma rules loaded' : 'sigma rules reloaded',
    );
    const shown = l.errors.slice(0, MAX_LOGGED_ERRORS);
    for (const e of shown) {
      this.log.warn({ file: e.file, line: e.line, kind: e.kind, document: e.document, previousKept: e.previousKept }, `rule rejected: ${e.file}:${e.line}: ${e.reason}`);
    }
    if (l.errors.length > shown.length) this.log.warn({ more: l.errors.length - shown.length }, 'more rules rejected; GET /api/v1/rules/errors lists them all');
  }

  /** Batches are processed one at a time, in arrival order; the returned promise is the ack. */
  private enqueue(batch: EcsEvent[]): Promise<void> {
    const run = this.tail.then(() => this.process(batch));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async process(batch: EcsEvent[]): Promise<void> {
    const loaded = this.loaded;
    if (loaded === undefined) return;
    const now = this.now();
    const set = loaded.set;
    const infos = loaded.infos;
    const stages = this.stages;
    const hits: AlertHit[] = [];
    const stageHits: DetectionHit[] = [];
    let matchCount = 0;
    const matched = this.batchMatches;
    let batched = true;
    try {
      // Grouped by logsource, results in batch order (SigmaRuleSet.matchBatch).
      set.matchBatch(batch, matched);
    } catch {
      // An event the matcher throws on: match one at a time below, so only that event is skipped.
      batched = false;
    }
    for (let i = 0; i < batch.length; i++) {
      const event = batch[i];
      let matches: readonly CompiledSigmaRule[];
      if (batched) matches = matched[i];
      else {
        try {
          matches = set.match(event);
        } catch (err) {
          this.evaluationError(err, event, 'sigma');
          continue;
        }
      }
      if (matches.length > 0) {
        matchCount += matches.length;
        for (let j = 0; j < matches.length; j++) {
          const rule = matches[j];
          if (!rule.standalone) continue;
          const info = infos.get(rule);
          if (info !== undefined) hits.push(this.singleEventHit(info, event, now));
        }
      }
      for (let s = 0; s < stages.length; s++) {
        try {
          stages[s].process(event, matches, stageHits);
        } catch (err) {
          this.evaluationError(err, event, stages[s].name);
        }
      }
    }
    matched.length = 0;
    this.stats.eventsEvaluated += batch.length;
    this.stats.ruleMatches += matchCount;
    for (const stage of stages) {
      try {
        await stage.flush?.(stageHits);
      } catch (err) {
        this.evaluationError(err, undefined, stage.name);
      }
    }
    for (const h of stageHits) hits.push(this.stageHit(h, now));
    if (hits.length === 0) return;
    let changes: AlertChange[];
    try {
      changes = this.alerts.record(hits);
    } catch (err) {
      this.stats.batchFailures++;
      this.log.error({ err, events: batch.length, alerts: hits.length }, 'storing alerts failed; the batch will be redelivered');
      throw err;
    }
    for (const c of changes) {
      if (c.created) {
        this.stats.alertsCreated++;
        this.stats.alertsUpdated += c.added - 1;
      } else {
        this.stats.alertsUpdated += c.added;
      }
    }
    for (const l of this.alertListeners) {
      try {
        l(changes);
      } catch (err) {
        this.log.error({ err }, 'alert listener failed');
      }
    }
  }

  private singleEventHit(info: RuleAlertInfo, event: EcsEvent, now: number): AlertHit {
    const own = info.dedupBy;
    return {
      rule: info.rule,
      mappings: info.mappings,
      organization: organizationOf(event),
      time: eventTime(event, now),
      group: own !== undefined ? entityGroup(event, own, true) : entityGroup(event, this.config.dedupFields, false),
      events: [event],
      dedupWindowMs: info.dedupWindowMs,
      resolves: info.resolves,
    };
  }

  private stageHit(h: DetectionHit, now: number): AlertHit {
    let info = this.stageRuleInfo.get(h.rule);
    if (info === undefined) {
      const file = h.rule.location?.file;
      const ruleset = h.ruleset ?? (file !== undefined ? rulesetOf(this.sources, file) : undefined) ?? BUILTIN_RULESET;
      info = ruleAlertInfo(h.rule, ruleset);
      this.stageRuleInfo.set(h.rule, info);
    }
    const last = h.events[h.events.length - 1];
    return {
      rule: info.rule,
      mappings: info.mappings,
      organization: h.organization ?? organizationOf(last),
      time: h.time ?? (last !== undefined ? eventTime(last, now) : now),
      group: h.group ?? {},
      events: h.events,
      dedupWindowMs: info.dedupWindowMs,
      resolves: info.resolves,
    };
  }

  private evaluationError(err: unknown, event: EcsEvent | undefined, where: string): void {
    this.stats.evaluationErrors++;
    const t = this.now();
    if (t - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) {
      this.suppressedErrors++;
      return;
    }
    this.log.error({ err, where, eventId: event?.event?.id, suppressed: this.suppressedErrors }, 'detection failed on an event; it was skipped for this step');
    this.lastErrorLog = t;
    this.suppressedErrors = 0;
  }
}
