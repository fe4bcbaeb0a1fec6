/**
 * Learned per-minute rate baselines: for each key (agency + address) an exponentially weighted mean and
 * variance of one per-minute value (packets a destination received, bytes a source sent out), so rules
 * can say "10x what this address usually does" instead of one threshold for every host.
 *
 * Minutes a key is not seen are zero observations. They are applied lazily, in closed form, when the key
 * is next seen: with r = 1 - alpha, k zeros take mean m to m*r^k and variance v to r^k * (v + m^2 (1 - r^k))
 * (the incremental EW update `v' = r (v + alpha d^2)` iterated with x = 0). So a minute costs one update
 * per address active in it, not one per address ever seen.
 *
 * Bounded: at most `maxKeys` keys; the least recently seen is forgotten first (Map order, refreshed on
 * every observation). A forgotten key that comes back starts again, cold.
 */

export interface RateBaselineOptions {
  /** Minutes after which an observation weighs half as much. */
  halfLifeMinutes: number;
  /** A key's baseline is warm (rules may use it) once it has been learned for this many minutes. */
  warmupMinutes: number;
  maxKeys: number;
}

/** One key's learned state; `lastMinute` is the last minute included (epoch minutes). */
export interface RateBaselineState {
  mean: number;
  variance: number;
  firstMinute: number;
  lastMinute: number;
}

/** A key's baseline as it stood before a minute was learned. */
export interface BaselineComparison {
  /** The baseline mean per minute (0 for a key seen for the first time). */
  mean: number;
  /** Its exponentially weighted standard deviation. */
  std: number;
  /** Learned for at least warmupMinutes. */
  warm: boolean;
}

/** The summary fields for a value against a baseline: ratio to the mean (at least 1) and z-score (std at least 1). */
export function baselineRatio(value: number, c: BaselineComparison): number {
  return round2(value / Math.max(c.mean, 1));
}

export function baselineZscore(value: number, c: BaselineComparison): number {
  return round2((value - c.mean) / Math.max(c.std, 1));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export class RateBaselines {
  private readonly entries = new Map<string, RateBaselineState>();
  private readonly alpha: number;
  private readonly keep: number;

  constructor(private readonly o: RateBaselineOptions) {
    this.keep = Math.pow(2, -1 / o.halfLifeMinutes);
    this.alpha = 1 - this.keep;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Compares `value` (the key's total in `minute`, epoch minutes) with the baseline learned before it,
   * then learns it. Minutes must not go backwards per key (a minute at or before `lastMinute` is compared
   * but not learned again: late buckets are not summarized anyway).
   */
  observe(key: string, minute: number, value: number): BaselineComparison {
    let s = this.entries.get(key);
    if (s === undefined) {
      if (this.entries.size >= this.o.maxKeys) {
        const oldest = this.entries.keys().next();
        if (oldest.done !== true) this.entries.delete(oldest.value);
      }
      s = { mean: value, variance: 0, firstMinute: minute, lastMinute: minute };
      this.entries.set(key, s);
      return { mean: 0, std: 0, warm: false };
    }
    // Refresh its place in the eviction order.
    this.entries.delete(key);
    this.entries.set(key, s);
    if (minute <= s.lastMinute) return this.compare(s, minute);
    const missed = minute - s.lastMinute - 1;
    if (missed > 0) {
      const rk = Math.pow(this.keep, missed);
      s.variance = rk * (s.variance + s.mean * s.mean * (1 - rk));
      s.mean *= rk;
    }
    const result = this.compare(s, minute);
    const diff = value - s.mean;
    const increment = this.alpha * diff;
    s.mean += increment;
    s.variance = this.keep * (s.variance + diff * increment);
    s.lastMinute = minute;
    return result;
  }

  private compare(s: RateBaselineState, minute: number): BaselineComparison {
    return { mean: s.mean, std: Math.sqrt(s.variance), warm: minute - s.firstMinute >= this.o.warmupMinutes };
  }

  /** Every key and its state, least recently seen first (for persistence). */
  entriesInOrder(): IterableIterator<[string, RateBaselineState]> {
    return this.entries.entries();
  }

  /** Restores a saved key (call in least-recently-seen-first order). */
  restore(key: string, state: RateBaselineState): void {
    if (this.entries.size >= this.o.maxKeys) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { mean: state.mean, variance: state.variance, firstMinute: state.firstMinute, lastMinute: state.lastMinute });
  }

  get(key: string): RateBaselineState | undefined {
    return this.entries.get(key);
  }
}
