/** The alert store's counters, read at scrape time (the hot path bumps a plain number). */
import { Counter } from 'prom-client';
import type { Metrics } from '../../core/metrics';
import type { AlertStore } from './store';

export function registerAlertMetrics(metrics: Metrics, store: AlertStore): void {
  new Counter({
    name: 'socnoc_alerts_suppressed_total',
    help: 'Detections muted by a suppression rule instead of raising or folding into an alert',
    registers: [metrics.registry],
    collect() {
      this.reset();
      this.inc(store.suppressions.suppressedTotal);
    },
  });
}
