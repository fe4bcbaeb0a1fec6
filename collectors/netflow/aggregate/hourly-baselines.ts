/**
 * Hour-of-day baselines: per key (agency + internal source) 24 exponentially weighted means and variances
 * of one per-minute value (bytes sent out of the perimeter), one per local hour, so a host is compared with
 * what it usually does at that hour. A backup server uploading every night at 02:00 is normal at 02:00 and
 * not at 14:00; a desktop that never uploads at night is far above its 03:00 profile the first time it
 * does (the per-minute baseline of rate-baselines.ts averages the whole day and sees neither).
 *
 * Times are local minutes (minutes since the epoch on the agencies' wall clock, netflow.summary.timezone),
 * so hour h of the profile is the hour the night-time rules speak of.
 *
 * Minutes of an hour the key is not seen are zero observations of that hour's bucket, applied lazily when
 * the bucket is next observed (closed form as in rate-baselines.ts). A bucket first observed days after the
 * key appeared counts the minutes of that hour since then as zeros: the key was watched and sent nothing.
 * Averages start from 0 and are divided by their total weight 1 - keep^n (bias-corrected EWMA): with a
 * half-life of days, a bucket started at its first value would remember that value for a week.
 * Warm: the key has been learned for `warmupDays` days, so every hour of its profile has been watched
 * that often. Bounded: `maxKeys` keys, the least recently seen forgotten first.
 */
import type { BaselineComparison } from './rate-baselines';

export interface HourlyBaselineOptions {
  /** Days after which an hour's observation weighs half as much (each bucket sees 60 minutes a day). */
  halfLifeDays: number;
  /** A key's profile is warm once learned for this many days. */
  warmupDays: number;
  maxKeys: number;
}

export const HOURS = 24;
/** Per bucket: weighted sum for the mean, for the variance, total weight, last local minute learned (-1: never). */
const STRIDE = 4;
const DAY_MINUTES = 1440;

/** One key's profile: `buckets` holds HOURS x STRIDE numbers. */
export interface HourlyProfile {
  firstMinute: number;
  buckets: Float64Array;
}

/** The hour (0-23) of a local minute. */
export function hourOfLocalMinute(localMinute: number): number {
  return Math.floor(localMinute / 60) % HOURS;
}

/** Zero observations of one hour's bucket between two of its minutes `last` < `now` (both in that hour of some day). */
export function missedMinutesOfHour(last: number, now: number): number {
  const lastHour = Math.floor(last / 60);
  const nowHour = Math.floor(now / 60);
  if (lastHour === nowHour) return now - last - 1;
  const days = Math.max(1, Math.round((nowHour - lastHour) / HOURS));
  return 59 - (last % 60) + (now % 60) + 60 * (days - 1);
}

/** Minutes of `now`'s hour from `first` up to `now` (excluded), on every day: the zeros of a bucket never observed. */
export function minutesOfHourSince(first: number, now: number): number {
  const days = Math.floor((now - first) / DAY_MINUTES);
  const hourStart = now - (now % 60);
  // The part of the current hour already watched.
  const today = hourStart >= first ? now - hourStart : Math.max(0, now - first);
  return 60 * days + today;
}

export class HourlyBaselines {
  private readonly entries = new Map<string, HourlyProfile>();
  private readonly keep: number;
  private readonly alpha: number;
  private readonly warmupMinutes: number;

  constructor(private readonly o: HourlyBaselineOptions) {
    this.keep = Math.pow(2, -1 / (o.halfLifeDays * 60));
    this.alpha = 1 - this.keep;
    this.warmupMinutes = o.warmupDays * DAY_MINUTES;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Compares `value` (the key's total in local minute `localMinute`) with its profile for that hour as it
   * stood before, then learns it. Minutes must not go backwards per bucket (an older one is compared only).
   */
  observe(key: string, localMinute: number, value: number): BaselineComparison {
    let p = this.entries.get(key);
    if (p === undefined) p = this.create(key, localMinute);
    else {
      // Refresh its place in the eviction order.
      this.entries.delete(key);
      this.entries.set(key, p);
    }
    const buckets = p.buckets;
    const b = hourOfLocalMinute(localMinute) * STRIDE;
    const last = buckets[b + 3];
    if (last >= localMinute) return this.compare(p, b, localMinute);
    const missed = last >= 0 ? missedMinutesOfHour(last, localMinute) : minutesOfHourSince(p.firstMinute, localMinute);
    if (missed > 0) {
      // k zero observations, as a mixture of the old data (weight r^k w, mean m) and zeros (weight 1 - r^k):
      // S -> r^k S, w -> w' = r^k w + 1 - r^k, V -> r^k (V + w m^2) - (r^k w m)^2 / w'.
      const rk = Math.pow(this.keep, missed);
      const w = buckets[b + 2];
      const w2 = rk * w + 1 - rk;
      const mean = w > 0 ? buckets[b] / w : 0;
      const kept = rk * w * mean;
      buckets[b + 1] = Math.max(0, rk * (buckets[b + 1] + w * mean * mean) - (kept * kept) / w2);
      buckets[b] *= rk;
      buckets[b + 2] = w2;
    }
    const result = this.compare(p, b, localMinute);
    const w = buckets[b + 2];
    const mean = w > 0 ? buckets[b] / w : 0;
    const diff = value - mean;
    // One observation x of weight alpha: S' = r S + alpha x, w' = r w + alpha, V' = r (V + w alpha d^2 / w').
    const w2 = this.keep * w + this.alpha;
    buckets[b] = this.keep * buckets[b] + this.alpha * value;
    buckets[b + 1] = this.keep * (buckets[b + 1] + (w * this.alpha * diff * diff) / w2);
    buckets[b + 2] = w2;
    buckets[b + 3] = localMinute;
    return result;
  }

  private compare(p: HourlyProfile, b: number, localMinute: number): BaselineComparison {
    const warm = localMinute - p.firstMinute >= this.warmupMinutes;
    const w = p.buckets[b + 2];
    if (w <= 0) return { mean: 0, std: 0, warm };
    return { mean: p.buckets[b] / w, std: Math.sqrt(Math.max(0, p.buckets[b + 1] / w)), warm };
  }

  private create(key: string, firstMinute: number): HourlyProfile {
    if (this.entries.size >= this.o.maxKeys) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    const buckets = new Float64Array(HOURS * STRIDE);
    for (let h = 0; h < HOURS; h++) buckets[h * STRIDE + 3] = -1;
    const p: HourlyProfile = { firstMinute, buckets };
    this.entries.set(key, p);
    return p;
  }

  /** Every key and its profile, least recently seen first (for persistence). */
  entriesInOrder(): IterableIterator<[string, HourlyProfile]> {
    return this.entries.entries();
  }

  /** Restores a saved profile (call in least-recently-seen-first order); false when `buckets` has the wrong size. */
  restore(key: string, firstMinute: number, buckets: Float64Array): boolean {
    if (buckets.length !== HOURS * STRIDE) return false;
    this.create(key, firstMinute).buckets.set(buckets);
    return true;
  }
}
