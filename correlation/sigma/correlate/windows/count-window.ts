/**
 * event_count: how many occurrences fall in the window. A sliding window keeps one time per
 * occurrence; it never holds more than the threshold, because it fires and resets on reaching it.
 * A closing window only counts.
 */
import type { EcsEvent } from '../../../../core/event';
import { EventSample } from '../event-sample';
import { loadSample, saveSample, TimeQueue, type CorrelationWindow, type Occurrence, type WindowState } from './window';

interface Entry {
  count: number;
  firstTs: number;
}

export class CountWindow implements CorrelationWindow {
  private readonly queue = new TimeQueue<Entry>();
  private readonly events: EventSample;
  /** Occurrences in a closing window (a sliding one uses the queue length). */
  private occurrences = 0;
  private total = 0;
  private first = Number.NaN;
  private last = Number.NaN;

  constructor(
    private readonly sliding: boolean,
    sampleSize: number,
  ) {
    this.events = new EventSample(sampleSize);
  }

  add(o: Occurrence, cutoff: number): boolean {
    if (o.ts < cutoff) return false;
    if (this.sliding) {
      this.expire(cutoff);
      this.queue.push(o.ts, { count: o.count, firstTs: o.firstTs });
    } else {
      this.occurrences++;
      if (!(o.firstTs >= this.first)) this.first = o.firstTs;
    }
    this.total += o.count;
    if (!(o.ts <= this.last)) this.last = o.ts;
    this.events.add(o.ts, o.events);
    return true;
  }

  private expire(cutoff: number): void {
    const q = this.queue;
    let expired = false;
    while (q.length > 0 && q.frontTs() < cutoff) {
      this.total -= q.frontItem().count;
      q.shift();
      expired = true;
    }
    if (expired) this.events.expire(cutoff);
  }

  value(): number {
    return this.sliding ? this.queue.length : this.occurrences;
  }

  firstSeen(): number {
    return this.sliding ? (this.queue.length > 0 ? this.queue.frontItem().firstTs : Number.NaN) : this.first;
  }

  lastSeen(): number {
    return this.last;
  }

  eventCount(): number {
    return this.total;
  }

  sample(): EcsEvent[] {
    return this.events.events();
  }

  reset(): void {
    this.queue.clear();
    this.events.clear();
    this.occurrences = 0;
    this.total = 0;
    this.first = Number.NaN;
    this.last = Number.NaN;
  }

  takeTruncated(): number {
    return 0;
  }

  save(): WindowState {
    const { ts, items } = this.queue.toArrays();
    return {
      kind: 'count',
      ts,
      counts: items.map((e) => e.count),
      firsts: items.map((e) => e.firstTs),
      occurrences: this.occurrences,
      total: this.total,
      first: this.first,
      last: this.last,
      sample: saveSample(this.events.entries()),
    };
  }

  load(state: Extract<WindowState, { kind: 'count' }>): void {
    this.reset();
    state.ts.forEach((ts, i) => this.queue.push(ts, { count: state.counts[i], firstTs: state.firsts[i] }));
    this.occurrences = state.occurrences;
    this.total = state.total;
    this.first = state.first;
    this.last = state.last;
    loadSample(this.events, state.sample);
  }
}
