/**
 * value_percentile: the share, in percent, that the current occurrence's value holds among all
 * values observed in the sliding window — the specification's example fires on a process name
 * that makes up 1 % or less of a host's process starts in 24 h (`field: image`, `lte: 1`). Each
 * value is reported at most once per window.
 */
import type { EcsEvent } from '../../../../core/event';
import { loadSample, saveSample, TimeQueue, type CorrelationWindow, type Occurrence, type WindowState } from './window';
import { EventSample } from '../event-sample';

export class ShareWindow implements CorrelationWindow {
  private readonly queue = new TimeQueue<string>();
  private readonly counts = new Map<string, number>();
  /** Values already reported → when, in report order. */
  private fired = new Map<string, number>();
  /** The last occurrence's events: what a hit shows. */
  private readonly lastEvents: EventSample;
  private lastKey = '';
  private last = Number.NaN;
  private cutoff = -Infinity;
  private truncated = 0;

  constructor(
    sampleSize: number,
    private readonly maxEntries: number,
  ) {
    this.lastEvents = new EventSample(sampleSize);
  }

  add(o: Occurrence, cutoff: number): boolean {
    if (o.ts < cutoff) return false;
    if (cutoff > this.cutoff) {
      this.cutoff = cutoff;
      this.expire(cutoff);
    }
    this.queue.push(o.ts, o.key);
    this.counts.set(o.key, (this.counts.get(o.key) ?? 0) + 1);
    if (this.queue.length > this.maxEntries) {
      this.drop(this.queue.frontItem());
      this.queue.shift();
      this.truncated++;
    }
    this.lastKey = o.key;
    if (!(o.ts <= this.last)) this.last = o.ts;
    this.lastEvents.clear();
    this.lastEvents.add(o.ts, o.events);
    return true;
  }

  private drop(key: string): void {
    const n = (this.counts.get(key) ?? 1) - 1;
    if (n === 0) this.counts.delete(key);
    else this.counts.set(key, n);
  }

  private expire(cutoff: number): void {
    const q = this.queue;
    while (q.length > 0 && q.frontTs() < cutoff) {
      this.drop(q.frontItem());
      q.shift();
    }
    for (const [key, ts] of this.fired) {
      if (ts >= cutoff) break;
      this.fired.delete(key);
    }
  }

  value(last?: Occurrence): number {
    const total = this.queue.length;
    return total > 0 ? (100 * (this.counts.get(last?.key ?? this.lastKey) ?? 0)) / total : Number.NaN;
  }

  /** True the first time a value is reported within the window (and remembers it). */
  claim(key: string, ts: number): boolean {
    if (this.fired.has(key)) return false;
    this.fired.set(key, ts);
    return true;
  }

  firstSeen(): number {
    return this.last;
  }

  lastSeen(): number {
    return this.last;
  }

  /** Occurrences of the last value in the window. */
  eventCount(): number {
    return this.counts.get(this.lastKey) ?? 0;
  }

  sample(): EcsEvent[] {
    return this.lastEvents.events();
  }

  reset(): void {
    this.queue.clear();
    this.counts.clear();
    this.fired = new Map();
    this.lastEvents.clear();
    this.lastKey = '';
    this.last = Number.NaN;
  }

  takeTruncated(): number {
    const n = this.truncated;
    this.truncated = 0;
    return n;
  }

  save(): WindowState {
    const { ts, items } = this.queue.toArrays();
    return {
      kind: 'share',
      ts,
      keys: items,
      fired: [...this.fired.keys()],
      firedTs: [...this.fired.values()],
      cutoff: this.cutoff,
      lastKey: this.lastKey,
      last: this.last,
      sample: saveSample(this.lastEvents.entries()),
    };
  }

  load(state: Extract<WindowState, { kind: 'share' }>): void {
    this.reset();
    state.ts.forEach((ts, i) => {
      this.queue.push(ts, state.keys[i]);
      this.counts.set(state.keys[i], (this.counts.get(state.keys[i]) ?? 0) + 1);
    });
    state.fired.forEach((key, i) => this.fired.set(key, state.firedTs[i]));
    this.cutoff = Number.isFinite(state.cutoff) ? state.cutoff : -Infinity;
    this.lastKey = state.lastKey;
    this.last = state.last;
    loadSample(this.lastEvents, state.sample);
  }
}
