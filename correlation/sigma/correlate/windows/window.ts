/**
 * What every correlation window implements, and the pieces they share. A window holds one group's
 * state for one correlation rule; the correlator decides when to add, test, reset and close it.
 */
import type { EcsEvent } from '../../../../core/event';
import { EventSample, type SampleEntry } from '../event-sample';

/** One thing a correlation counts: a referenced rule's matching event, or a referenced correlation's hit. */
export interface Occurrence {
  /** Event time (ms); for a correlation hit, its last event's time. */
  ts: number;
  /** Time of the first event behind it (== ts for an event). */
  firstTs: number;
  /** Index of the referenced rule in the correlation's `rules`. */
  ref: number;
  events: readonly EcsEvent[];
  /** Events it stands for (1, or a hit's eventCount). */
  count: number;
  /** The condition field value(s) as one key (value_count, value_percentile); '' when unused. */
  key: string;
  /** The condition field as a number (value_sum, value_avg); NaN when unused. */
  num: number;
}

export interface CorrelationWindow {
  /**
   * Drops what is older than `cutoff` (sliding windows), then adds the occurrence. Returns false
   * when the occurrence is itself older than `cutoff` and was ignored.
   */
  add(o: Occurrence, cutoff: number): boolean;
  /** The value the condition tests; `last` is the occurrence just added (absent at window close). */
  value(last?: Occurrence): number;
  firstSeen(): number;
  lastSeen(): number;
  eventCount(): number;
  sample(): EcsEvent[];
  /** Empties the window (after a fire). */
  reset(): void;
  /** Entries dropped by the per-group cap since the last call. */
  takeTruncated(): number;
  save(): WindowState;
}

export interface SampleState {
  ts: number[];
  events: EcsEvent[];
}

export type WindowState =
  | { kind: 'count'; ts: number[]; counts: number[]; firsts: number[]; occurrences: number; total: number; first: number; last: number; sample: SampleState }
  | { kind: 'distinct'; keys: string[]; times: number[]; counts: number[]; cutoff: number; first: number; last: number; sample: SampleState }
  | { kind: 'sum'; ts: number[]; nums: number[]; counts: number[]; sum: number; n: number; events: number; cutoff: number; first: number; last: number; sample: SampleState }
  | { kind: 'share'; ts: number[]; keys: string[]; fired: string[]; firedTs: number[]; cutoff: number; lastKey: string; last: number; sample: SampleState }
  | { kind: 'temporal'; latest: number[]; firsts: number[]; counts: number[]; cutoff: number; samples: SampleState[] }
  | { kind: 'ordered'; cutoff: number; chains: ({ start: number; first: number; end: number; count: number; sample: SampleState } | null)[] };

export function saveSample(entries: readonly SampleEntry[]): SampleState {
  return { ts: entries.map((e) => e.ts), events: entries.map((e) => e.event) };
}

export function loadSample(sample: EventSample, state: SampleState): void {
  sample.load(state.ts.map((ts, i) => ({ ts, event: state.events[i] })));
}

/**
 * Parallel arrays used as a queue ordered by time: push at the back (or insert in order for an
 * out-of-order arrival), pop expired entries at the front. Compacted lazily so popping is O(1).
 */
export class TimeQueue<T> {
  ts: number[] = [];
  items: T[] = [];
  private head = 0;

  get length(): number {
    return this.ts.length - this.head;
  }

  frontTs(): number {
    return this.head < this.ts.length ? this.ts[this.head] : Number.NaN;
  }

  frontItem(): T {
    return this.items[this.head];
  }

  push(ts: number, item: T): void {
    let i = this.ts.length;
    if (i > this.head && this.ts[i - 1] > ts) {
      // Out of order: insert after the last entry not later than ts (windows are short).
      while (i > this.head && this.ts[i - 1] > ts) i--;
      this.ts.splice(i, 0, ts);
      this.items.splice(i, 0, item);
      return;
    }
    this.ts.push(ts);
    this.items.push(item);
  }

  shift(): void {
    this.head++;
    if (this.head >= 1024 && this.head * 2 >= this.ts.length) this.compact();
  }

  clear(): void {
    this.ts = [];
    this.items = [];
    this.head = 0;
  }

  toArrays(): { ts: number[]; items: T[] } {
    this.compact();
    return { ts: this.ts.slice(), items: this.items.slice() };
  }

  private compact(): void {
    if (this.head === 0) return;
    this.ts = this.ts.slice(this.head);
    this.items = this.items.slice(this.head);
    this.head = 0;
  }
}
