/** Shapes of the correlation engine: what it emits, what it is configured with, what it counts. */
import type { EcsEvent } from '../../../core/event';
import type { SigmaCorrelation } from '../types';

/** A correlation rule that fired for one group. */
export interface CorrelationHit {
  correlation: SigmaCorrelation;
  /**
   * False when the correlation only feeds another correlation with `generate: false` (the
   * default): the hit drives the chain but raises no alert of its own.
   */
  standalone: boolean;
  /** group-by field (or alias) → value, as written in the rule's `group-by`. */
  groupKey: Record<string, string>;
  /** The tenant the group belongs to (the engine's scope field, `organization.id` by default). */
  organizationId: string | undefined;
  /**
   * What the condition was tested on: event count, distinct values, sum, average, the share in
   * percent of `fieldValue` (value_percentile), or the number of referenced rules seen
   * (temporal, temporal_ordered).
   */
  value: number;
  /** value_count / value_percentile: the condition field's value(s) behind the hit, when one. */
  fieldValue: string | undefined;
  /** A bounded sample: the first and the last events of the window, in time order. */
  events: EcsEvent[];
  /** Events behind the hit (exact for event_count and the temporal types; see README). */
  eventCount: number;
  /** Event time of the first and last event of the window, epoch ms and ISO 8601. */
  firstSeenMs: number;
  lastSeenMs: number;
  firstSeen: string;
  lastSeen: string;
}

export interface CorrelationEngineOptions {
  /** Most groups kept per correlation rule; the least recently used is evicted (default 10,000). */
  maxGroupsPerRule?: number;
  /** Events kept at each end of a window's sample (default 5: up to 10 events per hit). */
  sampleSize?: number;
  /**
   * Most entries one group keeps for value_count, value_sum and value_percentile windows (one per
   * distinct value or per event); beyond it the oldest are dropped and counted (default 10,000).
   */
  maxEntriesPerGroup?: number;
  /**
   * Field that partitions every correlation before its group-by, so that two agencies' events are
   * never correlated together (default `organization.id`; null to disable).
   */
  scopeField?: string | null;
}

/** Counters of one correlation rule (all since the engine started or was restored). */
export interface CorrelatorStats {
  key: string;
  title: string;
  type: SigmaCorrelation['type'];
  /** Open groups now. */
  groups: number;
  hits: number;
  /** Groups dropped because the per-rule cap was reached (least recently used first). */
  evicted: number;
  /** Groups whose window expired (sliding) or closed (evaluated at window end). */
  expired: number;
  /** Occurrences older than their group's window (out of order beyond the timespan). */
  late: number;
  /** Occurrences without a group-by value (not correlated, as a SIEM's `stats by` drops them). */
  missingGroupField: number;
  /** Occurrences without a usable condition field value (value_* types). */
  missingConditionField: number;
  /** Entries dropped by maxEntriesPerGroup. */
  truncated: number;
}

export interface CorrelationEngineStats {
  /** Events that fed a correlation but carried no usable time (`@timestamp`, evtx SystemTime). */
  noTimestamp: number;
  /** Highest event time seen (epoch ms), or null. */
  watermark: number | null;
  correlations: CorrelatorStats[];
}

/** A correlation rule the engine could not evaluate (unresolved reference, bad field list). */
export interface CorrelationSetupError {
  correlation: SigmaCorrelation;
  reason: string;
}
