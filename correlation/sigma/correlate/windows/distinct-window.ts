/**
 * value_count: how many distinct values of the condition field(s) fall in the window. Each value
 * keeps the time it was last seen; a sliding window keeps values in that order and drops those
 * older than the window from the front.
 */
import type { EcsEvent } from '../../../../core/event';
import { EventSample } from '../event-sample';
import { loadSample, saveSample, type CorrelationWindow, type Occurrence, type WindowState } from './window';

interface Seen {
  ts: number;
  count: number;
}

export class DistinctWindow implements CorrelationWindow {
  /** value → last time seen; in a sliding window, ordered by that time (re-inserted on update). */
  private values = new Map<string, Seen>();
  private readonly events: EventSample;
  private first = Number.NaN;
  private last = Number.NaN;
  private cutoff = -Infinity;
  private truncated = 0;

  constructor(
    private readonly sliding: boolean,
    sampleSize: number,
    private readonly maxEntries: number,
  ) {
    this.events = new EventSample(sampleSize);
  }

  add(o: Occurrence, cutoff: number): boolean {
    if (o.ts < cutoff) return false;
    if (this.sliding && cutoff > this.cutoff) {
      this.cutoff = cutoff;
      this.expire(cutoff);
    }
    const seen = this.values.get(o.key);
    if (seen === undefined) {
      this.values.set(o.key, { ts: o.ts, count: o.count });
      if (this.values.size > this.maxEntries) {
        const oldest = this.values.keys().next().value as string;
        this.values.delete(oldest);
        this.truncated++;
      }
    } else if (o.ts >= seen.ts) {
      this.values.delete(o.key);
      this.values.set(o.key, { ts: o.ts, count: seen.count + o.count });
    } else seen.count += o.count;
    if (!(o.firstTs >= this.first)) this.first = o.firstTs;
    if (!(o.ts <= this.last)) this.last = o.ts;
    this.events.add(o.ts, o.events);
    return true;
  }

  private expire(cutoff: number): void {
    let expired = false;
    for (const [key, seen] of this.values) {
      if (seen.ts >= cutoff) break;
      this.values.delete(key);
      expired = true;
    }
    if (expired) this.events.expire(cutoff);
  }

  value(): number {
    return this.values.size;
  }

  firstSeen(): number {
    return this.sliding && this.cutoff > this.first ? this.cutoff : this.first;
  }

  lastSeen(): number {
    return this.last;
  }

  /** Occurrences behind the values still in the window. */
  eventCount(): number {
    let n = 0;
    for (const seen of this.values.values()) n += seen.count;
    return n;
  }

  /** The distinct values, for the hit (at most 20 shown). */
  valueList(): string[] {
    const out: string[] = [];
    for (const key of this.values.keys()) {
      if (out.length === 20) break;
      out.push(key);
    }
    return out;
  }

  sample(): EcsEvent[] {
    return this.events.events();
  }

  reset(): void {
    this.values = new Map();
    this.events.clear();
    this.first = Number.NaN;
    this.last = Number.NaN;
  }

  takeTruncated(): number {
    const n = this.truncated;
    this.truncated = 0;
    return n;
  }

  save(): WindowState {
    const keys: string[] = [];
    const times: number[] = [];
    const counts: number[] = [];
    for (const [key, seen] of this.values) {
      keys.push(key);
      times.push(seen.ts);
      counts.push(seen.count);
    }
    return { kind: 'distinct', keys, times, counts, cutoff: this.cutoff, first: this.first, last: this.last, sample: saveSample(this.events.entries()) };
  }

  load(state: Extract<WindowState, { kind: 'distinct' }>): void {
    this.reset();
    state.keys.forEach((key, i) => this.values.set(key, { ts: state.times[i], count: state.counts[i] }));
    this.cutoff = Number.isFinite(state.cutoff) ? state.cutoff : -Infinity;
    this.first = state.first;
    this.last = state.last;
    loadSample(this.events, state.sample);
  }
}
