/** The alert store's counters, read at scrape time (the hot path bumps a plain number). */
import { Counter } from 'prom-client';
import type { Metrics } from '../../core/metrics';
import type { AlertStore } from './store';

/** The `agency` label of alerts whose agency is not in socnoc.yaml (unassigned, or removed since). */
export const OTHER_AGENCY_LABEL = 'other';

export interface AlertMetricsOptions {
  /**
   * Agency ids of socnoc.yaml: the only values the `agency` label takes, so a stream of events
   * with made-up organization ids cannot grow the series without bound. Others count as "other".
   */
  agencies?: readonly string[];
}

export function registerAlertMetrics(metrics: Metrics, store: AlertStore, options: AlertMetricsOptions = {}): void {
  const known = new Set(options.agencies ?? []);
  new Counter({
    name: 'socnoc_alerts_suppressed_total',
    help: 'Detections muted by a suppression rule instead of raising or folding into an alert',
    registers: [metrics.registry],
    collect() {
      this.reset();
      this.inc(store.suppressions.suppressedTotal);
    },
  });
  new Counter({
    name: 'socnoc_alerts_auto_resolved_total',
    help: 'Open alerts resolved by a recovery rule (socnoc.resolves: device up again, link up)',
    registers: [metrics.registry],
    collect() {
      this.reset();
      this.inc(store.autoResolved);
    },
  });
  new Counter({
    name: 'socnoc_alerts_created_total',
    help: 'Alerts created, by severity at creation and agency (agencies of socnoc.yaml; others as "other")',
    labelNames: ['severity', 'agency'],
    registers: [metrics.registry],
    collect() {
      this.reset();
      for (const [key, n] of store.createdCounts) {
        const tab = key.indexOf('\t');
        const org = key.slice(tab + 1);
        this.inc({ severity: key.slice(0, tab), agency: known.has(org) ? org : OTHER_AGENCY_LABEL }, n);
      }
    },
  });
}
