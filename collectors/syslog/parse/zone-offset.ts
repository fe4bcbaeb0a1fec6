/**
 * UTC offsets of IANA time zones, for syslog timestamps that carry no zone. Intl.DateTimeFormat is
 * slow (microseconds per call), so each zone keeps one formatter and remembers the offset of every
 * quarter hour it has seen: offsets and DST transitions fall on multiples of 15 minutes in every
 * zone in use today, so one lookup serves a whole quarter hour of messages.
 */

const QUARTER_HOUR_MS = 900_000;
const MAX_CACHED_BUCKETS = 4096;
const DAY_MS = 86_400_000;

export class ZoneOffsetCache {
  private lastUtcBucket = Number.NaN;
  private lastUtcOffsetMs = 0;
  private lastLocalBucket = Number.NaN;
  private lastLocalOffsetMs = 0;
  private readonly offsetsByUtcBucket = new Map<number, number>();
  private readonly offsetsByLocalBucket = new Map<number, number>();

  /** `formatter` null means UTC (also the fallback for an unknown zone name). */
  constructor(
    readonly zoneName: string,
    private readonly formatter: Intl.DateTimeFormat | null,
  ) {}

  /** Offset in ms (local − UTC) in force at the UTC instant `utcMs`. */
  offsetAt(utcMs: number): number {
    if (this.formatter === null) return 0;
    const bucket = Math.floor(utcMs / QUARTER_HOUR_MS);
    if (bucket === this.lastUtcBucket) return this.lastUtcOffsetMs;
    let offset = this.offsetsByUtcBucket.get(bucket);
    if (offset === undefined) {
      offset = formatterOffset(this.formatter, bucket * QUARTER_HOUR_MS);
      if (this.offsetsByUtcBucket.size >= MAX_CACHED_BUCKETS) this.offsetsByUtcBucket.clear();
      this.offsetsByUtcBucket.set(bucket, offset);
    }
    this.lastUtcBucket = bucket;
    this.lastUtcOffsetMs = offset;
    return offset;
  }

  /**
   * The UTC instant of a wall-clock time, given as ms since epoch as if that wall clock were UTC.
   * Wall-clock transitions also fall on local quarter hours, so the answer is cached per local
   * quarter hour.
   */
  localToUtc(localMs: number): number {
    if (this.formatter === null) return localMs;
    const bucket = Math.floor(localMs / QUARTER_HOUR_MS);
    if (bucket === this.lastLocalBucket) return localMs - this.lastLocalOffsetMs;
    let offset = this.offsetsByLocalBucket.get(bucket);
    if (offset === undefined) {
      offset = this.wallClockOffset(bucket * QUARTER_HOUR_MS);
      if (this.offsetsByLocalBucket.size >= MAX_CACHED_BUCKETS) this.offsetsByLocalBucket.clear();
      this.offsetsByLocalBucket.set(bucket, offset);
    }
    this.lastLocalBucket = bucket;
    this.lastLocalOffsetMs = offset;
    return localMs - offset;
  }

  /**
   * Offset to subtract from a wall-clock time. A repeated wall time (DST ends) resolves to its first
   * occurrence; a skipped one (DST starts) is read with the offset before the change, i.e. moved
   * forward by the gap, as java.time and Luxon do.
   */
  private wallClockOffset(localMs: number): number {
    const before = this.offsetAt(localMs - DAY_MS);
    const after = this.offsetAt(localMs + DAY_MS);
    if (before === after) return before;
    const beforeFits = this.offsetAt(localMs - before) === before;
    const afterFits = this.offsetAt(localMs - after) === after;
    if (beforeFits && afterFits) return Math.max(before, after);
    if (afterFits) return after;
    return before;
  }
}

function formatterOffset(formatter: Intl.DateTimeFormat, utcMs: number): number {
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  for (const part of formatter.formatToParts(utcMs)) {
    switch (part.type) {
      case 'year': year = Number(part.value); break;
      case 'month': month = Number(part.value); break;
      case 'day': day = Number(part.value); break;
      case 'hour': hour = Number(part.value) % 24; break;
      case 'minute': minute = Number(part.value); break;
      default: break;
    }
  }
  const offset = Date.UTC(year, month - 1, day, hour, minute) - utcMs;
  return Number.isFinite(offset) ? offset : 0;
}

const cachesByZone = new Map<string, ZoneOffsetCache>();
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Z']);

/** True when `name` is an IANA zone this runtime knows (for validating configuration up front). */
export function isValidTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The shared offset cache of a zone. An unknown zone name falls back to UTC rather than throwing,
 * because parsing must not fail per message; configuration should reject it with `isValidTimeZone`.
 */
export function zoneOffsetCache(name: string): ZoneOffsetCache {
  let cache = cachesByZone.get(name);
  if (cache !== undefined) return cache;
  let formatter: Intl.DateTimeFormat | null = null;
  if (!UTC_NAMES.has(name)) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
    } catch {
      formatter = null;
    }
  }
  cache = new ZoneOffsetCache(name, formatter);
  cachesByZone.set(name, cache);
  return cache;
}
