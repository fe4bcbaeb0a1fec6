/**
 * The baselines summary events carry: per destination the packets it received per minute (volumetric
 * DDoS is a packet rate), per internal source the bytes it sent out of the perimeter in connections it
 * opened (exfiltration). Keyed by agency + address; an address several exporters saw in one minute counts
 * once, with the largest of their totals (the same packets metered at both ends of a path).
 */
import { drainSteps, STEP_ITEMS, type Steps } from './slices';
import type { DestinationActivity, MinuteActivity, SourceActivity } from './minute-activity';
import { MINUTE_MS } from './minute-aggregator';
import { RateBaselines, type BaselineComparison, type RateBaselineOptions } from './rate-baselines';
import { HourlyBaselines, type HourlyBaselineOptions } from './hourly-baselines';

export interface MinuteBaselines {
  destinations: Map<DestinationActivity, BaselineComparison>;
  sources: Map<SourceActivity, BaselineComparison>;
  /** Sources against their hour-of-day profile; empty when hourly profiles are off. */
  sourcesHourly: Map<SourceActivity, BaselineComparison>;
}

export class ActivityBaselines {
  readonly destinations: RateBaselines;
  readonly sources: RateBaselines;
  /** Per internal source, outbound bytes per minute by local hour; null when off. */
  readonly sourcesHourly: HourlyBaselines | null;

  constructor(options: RateBaselineOptions, hourly: HourlyBaselineOptions | null = null) {
    this.destinations = new RateBaselines(options);
    this.sources = new RateBaselines(options);
    this.sourcesHourly = hourly === null ? null : new HourlyBaselines(hourly);
  }

  /**
   * Compares the minute with the baselines, then learns it. Call once per closed (not late) minute, in
   * order. `localMinute`: the minute on the agencies' wall clock (LocalHourClock.localMinuteOf), for the
   * hour-of-day profiles; without it they are not used.
   */
  observe(minuteMs: number, activity: MinuteActivity, localMinute?: number): MinuteBaselines {
    return drainSteps(this.observeSteps(minuteMs, activity, localMinute));
  }

  /** observe() pausing every STEP_ITEMS entries (slices.ts); the same result. */
  *observeSteps(minuteMs: number, activity: MinuteActivity, localMinute?: number): Steps<MinuteBaselines> {
    let n = 0;
    const minute = Math.floor(minuteMs / MINUTE_MS);
    const out: MinuteBaselines = { destinations: new Map(), sources: new Map(), sourcesHourly: new Map() };

    const destinationMax = new Map<string, number>();
    const destinations = activity.destinations();
    for (const d of destinations) {
      if (++n % STEP_ITEMS === 0) yield;
      const key = d.agency.id + '|' + d.ip;
      const seen = destinationMax.get(key);
      if (seen === undefined || d.packets > seen) destinationMax.set(key, d.packets);
    }
    const destinationResults = new Map<string, BaselineComparison>();
    for (const [key, packets] of destinationMax) {
      if (++n % STEP_ITEMS === 0) yield;
      destinationResults.set(key, this.destinations.observe(key, minute, packets));
    }
    for (const d of destinations) {
      if (++n % STEP_ITEMS === 0) yield;
      const c = destinationResults.get(d.agency.id + '|' + d.ip);
      if (c !== undefined) out.destinations.set(d, c);
    }

    const sourceMax = new Map<string, number>();
    const sources = activity.sources();
    for (const s of sources) {
      if (++n % STEP_ITEMS === 0) yield;
      if (s.outboundBytes <= 0) continue;
      const key = s.agency.id + '|' + s.ip;
      const seen = sourceMax.get(key);
      if (seen === undefined || s.outboundBytes > seen) sourceMax.set(key, s.outboundBytes);
    }
    const sourceResults = new Map<string, BaselineComparison>();
    for (const [key, bytes] of sourceMax) {
      if (++n % STEP_ITEMS === 0) yield;
      sourceResults.set(key, this.sources.observe(key, minute, bytes));
    }
    const hourly = this.sourcesHourly;
    const hourlyResults = new Map<string, BaselineComparison>();
    if (hourly !== null && localMinute !== undefined) {
      for (const [key, bytes] of sourceMax) {
        if (++n % STEP_ITEMS === 0) yield;
        hourlyResults.set(key, hourly.observe(key, localMinute, bytes));
      }
    }
    for (const s of sources) {
      if (++n % STEP_ITEMS === 0) yield;
      if (s.outboundBytes <= 0) continue;
      const key = s.agency.id + '|' + s.ip;
      const c = sourceResults.get(key);
      if (c !== undefined) out.sources.set(s, c);
      const h = hourlyResults.get(key);
      if (h !== undefined) out.sourcesHourly.set(s, h);
    }
    return out;
  }
}

