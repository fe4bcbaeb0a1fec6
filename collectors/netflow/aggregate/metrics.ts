/** socnoc_flow_aggregate_* and socnoc_flow_summary_*: read from the aggregation's plain counters at scrape time. */
import type { Registry } from 'prom-client';
import { summedCounter, summedGauge } from '../../../core/metrics';
import type { GeoIpLookup } from '../geoip/lookup';
import type { FlowAggregation } from './flow-aggregation';

export interface FlowAggregateMetricSources {
  aggregations: Set<FlowAggregation>;
  geoips: Set<GeoIpLookup>;
}

const sourcesByRegistry = new WeakMap<Registry, FlowAggregateMetricSources>();

function register(registry: Registry): FlowAggregateMetricSources {
  const sources: FlowAggregateMetricSources = { aggregations: new Set(), geoips: new Set() };
  const counter = (name: string, help: string, pick: (a: FlowAggregation) => number): void => summedCounter(registry, sources.aggregations, name, help, pick);
  counter('socnoc_flow_aggregated_total', 'Flows folded into per-minute aggregates', (a) => a.aggregator.stats.flows);
  counter('socnoc_flow_aggregate_late_total', 'Flows for a minute already written (stored as extra rows)', (a) => a.aggregator.stats.late);
  counter('socnoc_flow_aggregate_clock_skew_total', 'Flows dated too far back or ahead, counted in the minute they arrived', (a) => a.aggregator.stats.clockSkew);
  counter('socnoc_flow_aggregate_overflow_total', 'Flows folded into "other" rows because a minute held maxKeysPerMinute keys', (a) => a.aggregator.stats.overflowFlows);
  counter('socnoc_flow_aggregate_rows_total', 'Aggregate rows written', (a) => a.writer.rowsWritten);
  counter('socnoc_flow_aggregate_write_errors_total', 'Minutes whose write failed (lost)', (a) => a.stats.writeErrors);
  counter('socnoc_flow_summary_events_total', 'netflow.summary events taken by the pipeline', (a) => a.stats.summaryEvents);
  counter('socnoc_flow_summary_dropped_total', 'netflow.summary events the full pipeline refused', (a) => a.stats.summaryDropped);
  summedGauge(registry, sources.aggregations, 'socnoc_flow_aggregate_open_keys', 'Aggregate keys held in memory for open minutes', (a) => a.aggregator.openKeys);
  summedCounter(registry, sources.geoips, 'socnoc_flow_geoip_lookups_total', 'GeoIP database lookups (cache misses on public addresses)', (g) => g.lookups);
  return sources;
}

export function flowAggregateMetricSources(registry: Registry): FlowAggregateMetricSources {
  let sources = sourcesByRegistry.get(registry);
  if (sources === undefined) {
    sources = register(registry);
    sourcesByRegistry.set(registry, sources);
  }
  return sources;
}
