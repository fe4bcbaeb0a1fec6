/**
 * Detection counters. The hot path bumps plain numbers on DetectionStats; prom-client reads them
 * when /metrics is scraped. Registered once per registry (several engines, e.g. in tests, add up).
 */
import type { Registry } from 'prom-client';
import { RegistrySources, summedCounter, summedGauge } from '../../core/metrics';

export class DetectionStats {
  eventsEvaluated = 0;
  ruleMatches = 0;
  alertsCreated = 0;
  alertsUpdated = 0;
  /** Events a matcher or stage threw on (skipped for that matcher or stage). */
  evaluationErrors = 0;
  /** Batches whose alerts could not be written (redelivered by the bus). */
  batchFailures = 0;
  reloads = 0;
  failedReloads = 0;
  rulesEnabled = 0;
  correlationsEnabled = 0;
  ruleLoadErrors = 0;
}


function register(registry: Registry, sources: ReadonlySet<DetectionStats>): void {
  const counter = (name: string, help: string, pick: (s: DetectionStats) => number): void => summedCounter(registry, sources, name, help, pick);
  const gauge = (name: string, help: string, pick: (s: DetectionStats) => number): void => summedGauge(registry, sources, name, help, pick);
  counter('socnoc_detection_events_total', 'Events evaluated against the Sigma rules', (s) => s.eventsEvaluated);
  counter('socnoc_detection_rule_matches_total', 'Sigma rule matches (one event matching two rules counts two)', (s) => s.ruleMatches);
  // socnoc_alerts_created_total (by severity and agency) is the alert store's: correlation/alerts/metrics.ts.
  counter('socnoc_alerts_updated_total', 'Matches folded into an existing alert by deduplication', (s) => s.alertsUpdated);
  counter('socnoc_detection_errors_total', 'Events a rule matcher or detection stage failed on', (s) => s.evaluationErrors);
  counter('socnoc_detection_batch_failures_total', 'Event batches whose alerts could not be stored (retried)', (s) => s.batchFailures);
  counter('socnoc_rule_reloads_total', 'Rule reloads after a change on disk', (s) => s.reloads);
  counter('socnoc_rule_reload_failures_total', 'Rule reloads that failed and kept the previous rule set', (s) => s.failedReloads);
  gauge('socnoc_rules_enabled', 'Sigma detection rules running', (s) => s.rulesEnabled);
  gauge('socnoc_correlation_rules_enabled', 'Sigma correlation rules running', (s) => s.correlationsEnabled);
  gauge('socnoc_rule_load_errors', 'Rule documents rejected by the last load (see GET /api/v1/rules/errors)', (s) => s.ruleLoadErrors);
}

const registered = new RegistrySources<DetectionStats>(register);

/** Counters for one engine, exported through `registry`. */
export function detectionStats(registry: Registry): DetectionStats {
  return registered.add(registry, new DetectionStats());
}

/** Stops exporting an engine's counters (its stop()). */
export function releaseDetectionStats(registry: Registry, stats: DetectionStats): void {
  registered.delete(registry, stats);
}
