/**
 * The baselines summary events carry: per destination the packets it received per minute (volumetric
 * DDoS is a packet rate), per internal source the bytes it sent out of the perimeter in connections it
 * opened (exfiltration). Keyed by agency + address; an address several exporters saw in one minute counts
 * once, with the largest of their totals (the same packets metered at both ends of a path).
 */
import type { DestinationActivity, MinuteActivity, SourceActivity } from './minute-activity';
import { MINUTE_MS } from './minute-aggregator';
import { RateBaselines, type BaselineComparison, type RateBaselineOptions } from './rate-baselines';

export interface MinuteBaselines {
  destinations: Map<DestinationActivity, BaselineComparison>;
  sources: Map<SourceActivity, BaselineComparison>;
}

export class ActivityBaselines {
  readonly destinations: RateBaselines;
  readonly sources: RateBaselines;

  constructor(options: RateBaselineOptions) {
    this.destinations = new RateBaselines(options);
    this.sources = new RateBaselines(options);
  }

  /** Compares the minute with the baselines, then learns it. Call once per closed (not late) minute, in order. */
  observe(minuteMs: number, activity: MinuteActivity): MinuteBaselines {
    const minute = Math.floor(minuteMs / MINUTE_MS);
    const out: MinuteBaselines = { destinations: new Map(), sources: new Map() };

    const destinationMax = new Map<string, number>();
    const destinations = activity.destinations();
    for (const d of destinations) {
      const key = d.agency.id + '|' + d.ip;
      const seen = destinationMax.get(key);
      if (seen === undefined || d.packets > seen) destinationMax.set(key, d.packets);
    }
    const destinationResults = new Map<string, BaselineComparison>();
    for (const [key, packets] of destinationMax) destinationResults.set(key, this.destinations.observe(key, minute, packets));
    for (const d of destinations) {
      const c = destinationResults.get(d.agency.id + '|' + d.ip);
      if (c !== undefined) out.destinations.set(d, c);
    }

    const sourceMax = new Map<string, number>();
    const sources = activity.sources();
    for (const s of sources) {
      if (s.outboundBytes <= 0) continue;
      const key = s.agency.id + '|' + s.ip;
      const seen = sourceMax.get(key);
      if (seen === undefined || s.outboundBytes > seen) sourceMax.set(key, s.outboundBytes);
    }
    const sourceResults = new Map<string, BaselineComparison>();
    for (const [key, bytes] of sourceMax) sourceResults.set(key, this.sources.observe(key, minute, bytes));
    for (const s of sources) {
      if (s.outboundBytes <= 0) continue;
      const c = sourceResults.get(s.agency.id + '|' + s.ip);
      if (c !== undefined) out.sources.set(s, c);
    }
    return out;
  }
}

