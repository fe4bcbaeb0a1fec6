/**
 * Intel counters. Feeds and the stage bump plain numbers on IntelStats; prom-client reads them when
 * /metrics is scraped. Registered once per registry (several instances, e.g. in tests, add up).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { RegistrySources, summedCounter } from '../../core/metrics';

export class FeedStats {
  refreshOk = 0;
  refreshNotModified = 0;
  refreshFailed = 0;
  /** Indicators loaded now. */
  indicators = 0;
  /** Entries the last successful load rejected (invalid) or could not match (unsupported). */
  rejected = 0;
  /** Event field values that matched one of the feed's indicators. */
  matches = 0;
}

export class IntelStats {
  readonly feeds = new Map<string, FeedStats>();
  /** Events the stage examined. */
  events = 0;
  /** Detection hits raised (before alert deduplication). */
  hits = 0;

  feed(name: string): FeedStats {
    let s = this.feeds.get(name);
    if (s === undefined) {
      s = new FeedStats();
      this.feeds.set(name, s);
    }
    return s;
  }
}


function register(registry: Registry, sources: ReadonlySet<IntelStats>): void {
  const perFeed = (make: 'counter' | 'gauge', name: string, help: string, pick: (s: FeedStats) => number): void => {
    const collect = function (this: Counter<'feed'> | Gauge<'feed'>): void {
      this.reset();
      const totals = new Map<string, number>();
      for (const src of sources) for (const [feed, s] of src.feeds) totals.set(feed, (totals.get(feed) ?? 0) + pick(s));
      for (const [feed, n] of totals) {
        if (this instanceof Counter) this.inc({ feed }, n);
        else this.set({ feed }, n);
      }
    };
    if (make === 'counter') new Counter({ name, help, labelNames: ['feed'], registers: [registry], collect });
    else new Gauge({ name, help, labelNames: ['feed'], registers: [registry], collect });
  };
  new Counter({
    name: 'socnoc_intel_refreshes_total',
    help: 'Feed refreshes by result: ok (new indicator set), not_modified, failed (previous set kept)',
    labelNames: ['feed', 'result'],
    registers: [registry],
    collect() {
      this.reset();
      for (const src of sources) {
        for (const [feed, s] of src.feeds) {
          this.inc({ feed, result: 'ok' }, s.refreshOk);
          this.inc({ feed, result: 'not_modified' }, s.refreshNotModified);
          this.inc({ feed, result: 'failed' }, s.refreshFailed);
        }
      }
    },
  });
  perFeed('counter', 'socnoc_intel_matches_total', 'Event field values that matched an indicator of the feed', (s) => s.matches);
  perFeed('gauge', 'socnoc_intel_indicators', 'Indicators loaded per feed', (s) => s.indicators);
  perFeed('gauge', 'socnoc_intel_rejected_entries', 'Entries of the last load that were invalid or unsupported', (s) => s.rejected);
  const total = (name: string, help: string, pick: (s: IntelStats) => number): void => summedCounter(registry, sources, name, help, pick);
  total('socnoc_intel_events_total', 'Events checked against the threat intel indicators', (s) => s.events);
  total('socnoc_intel_hits_total', 'Threat intel detections raised (before alert deduplication)', (s) => s.hits);
}

const registered = new RegistrySources<IntelStats>(register);

export function intelStats(registry: Registry): IntelStats {
  return registered.add(registry, new IntelStats());
}

export function releaseIntelStats(registry: Registry, stats: IntelStats): void {
  registered.delete(registry, stats);
}
