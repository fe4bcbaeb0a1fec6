/**
 * Shapes of the detection runtime that other parts plug into: detection stages (correlation rules,
 * later intel and NOC rules) and the rule catalogue the HTTP API lists.
 */
import type { EcsEvent } from '../../core/event';
import type { AlertOrganization } from '../alerts/types';
import type { AlertRuleSource } from '../alerts/rule-info';
import type { CompiledSigmaRule } from '../sigma/compile';
import type { LoadSigmaResult } from '../sigma/load';
import type { SigmaCorrelation, SigmaErrorKind, SigmaLogsource, SourceLocation } from '../sigma/types';

/** The rules a stage works from after each (re)load. */
export interface DetectionRules {
  /** Enabled detection rules (those in the SigmaRuleSet), standalone or feeding correlations. */
  rules: readonly CompiledSigmaRule[];
  /** Enabled, validated correlation rules. */
  correlations: readonly SigmaCorrelation[];
  /** Everything the loader returned (disabled rules and filters included). */
  loaded: LoadSigmaResult;
}

/** A detection a stage raises; the runtime turns it into an alert (dedup by rule + agency + group). */
export interface DetectionHit {
  /** The rule (a SigmaCorrelation fits as is). */
  rule: AlertRuleSource & { location?: SourceLocation };
  /** The events behind it, oldest first; the first ones become the alert's sample. */
  events: readonly EcsEvent[];
  /** Group-by values (field → value): the alert's group key. Empty: one alert per rule and agency per window. */
  group?: Readonly<Record<string, string>>;
  /** Event time of the detection, epoch ms (default: the last event's @timestamp). */
  time?: number;
  /** Default: the last event's organization. */
  organization?: AlertOrganization;
  /** Default: from the rule file's folder. */
  ruleset?: string;
}

/**
 * A step after Sigma matching, run for every event of every batch. The correlation engine plugs in
 * here:
 *   engine.addStage({
 *     name: 'sigma-correlation',
 *     load: (rules) => correlations.load(rules.correlations, rules.rules),
 *     process: (event, matches, hits) => { for (const h of correlations.process(event, matches)) hits.push(h); },
 *   });
 */
export interface DetectionStage {
  readonly name: string;
  /** Called at start and after every reload, before the next event. */
  load(rules: DetectionRules): void;
  /** One event and every rule it matched (standalone or not); push alerts to raise onto `hits`. */
  process(event: EcsEvent, matches: readonly CompiledSigmaRule[], hits: DetectionHit[]): void;
  /**
   * After each batch, before its alerts are written and the batch acknowledged: may raise more
   * (windows that closed with time) and persist state.
   */
  flush?(hits: DetectionHit[]): void | Promise<void>;
  stop?(): void | Promise<void>;
}

export interface RuleLoadError {
  /** Path relative to the installation when inside it, else absolute. */
  file: string;
  line: number;
  kind: SigmaErrorKind;
  reason: string;
  document?: string;
  status?: string;
  ruleset?: string;
  /** The file's previous version is still running (the change that broke it is not applied). */
  previousKept: boolean;
}

export interface RuleSummary {
  kind: 'rule' | 'correlation';
  id: string | undefined;
  name: string | undefined;
  title: string;
  level: string | undefined;
  status: string | undefined;
  logsource: SigmaLogsource | undefined;
  /** Correlations: event_count, value_count, temporal... */
  type: string | undefined;
  tags: readonly string[];
  /** Loaded and not disabled in the configuration. */
  enabled: boolean;
  /** Raises alerts by itself (false: only feeds correlations). */
  standalone: boolean;
  ruleset: string;
  file: string;
  line: number;
  /** A previous version of the rule's file is running because the current one fails to load. */
  previousVersion: boolean;
}

export interface RuleLoadInfo {
  /** Epoch ms of the last load attempt that produced a rule set. */
  loadedAt: number;
  durationMs: number;
  files: number;
  rules: number;
  enabledRules: number;
  correlations: number;
  errors: number;
  warnings: number;
  /** Successful reloads since start (the initial load not counted). */
  reloads: number;
  /** Reloads that threw and left the previous rule set in place. */
  failedReloads: number;
}

/** What the rules API reads. */
export interface RuleCatalog {
  rules(): readonly RuleSummary[];
  loadErrors(): readonly RuleLoadError[];
  loadInfo(): RuleLoadInfo;
}

/** Why a rule does not run: listed in correlation.sigma.disabled, or switched off through the API. */
export type RuleDisabledBy = 'config' | 'api';

/** Switching rules on and off at run time (the detection engine implements it). */
export interface RuleSwitch {
  /**
   * Persists the switch for the rule with this id (or title, for rules without an id) and reloads
   * the rules; resolves with the rule after the reload, or undefined when no such rule is loaded.
   */
  setRuleEnabled(rule: string, enabled: boolean, actor: string): Promise<RuleSummary | undefined>;
  /** null while the rule runs. */
  disabledBy(rule: RuleSummary): RuleDisabledBy | null;
}
