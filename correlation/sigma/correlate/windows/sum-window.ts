/**
 * value_sum and value_avg over the condition field. A sliding window (value_sum with only lower
 * bounds) keeps each value with its time to subtract it on expiry; a closing window keeps only
 * the running sum and count.
 */
import type { EcsEvent } from '../../../../core/event';
import { EventSample } from '../event-sample';
import { loadSample, saveSample, TimeQueue, type CorrelationWindow, type Occurrence, type WindowState } from './window';

export class SumWindow implements CorrelationWindow {
  private readonly queue = new TimeQueue<{ num: number; count: number }>();
  private readonly events: EventSample;
  private sum = 0;
  private n = 0;
  private eventTotal = 0;
  private first = Number.NaN;
  private last = Number.NaN;
  private cutoff = -Infinity;
  private truncated = 0;

  constructor(
    private readonly average: boolean,
    private readonly sliding: boolean,
    sampleSize: number,
    private readonly maxEntries: number,
  ) {
    this.events = new EventSample(sampleSize);
  }

  add(o: Occurrence, cutoff: number): boolean {
    if (o.ts < cutoff) return false;
    if (this.sliding) {
      if (cutoff > this.cutoff) {
        this.cutoff = cutoff;
        this.expire(cutoff);
      }
      this.queue.push(o.ts, { num: o.num, count: o.count });
      if (this.queue.length > this.maxEntries) {
        // Dropping the oldest can only delay a fire, never cause a false one (values are amounts).
        const front = this.queue.frontItem();
        this.sum -= front.num;
        this.n--;
        this.eventTotal -= front.count;
        this.queue.shift();
        this.truncated++;
      }
    }
    this.sum += o.num;
    this.n++;
    this.eventTotal += o.count;
    if (!(o.firstTs >= this.first)) this.first = o.firstTs;
    if (!(o.ts <= this.last)) this.last = o.ts;
    this.events.add(o.ts, o.events);
    return true;
  }

  private expire(cutoff: number): void {
    const q = this.queue;
    let expired = false;
    while (q.length > 0 && q.frontTs() < cutoff) {
      const front = q.frontItem();
      this.sum -= front.num;
      this.n--;
      this.eventTotal -= front.count;
      q.shift();
      expired = true;
    }
    if (expired) {
      this.events.expire(cutoff);
      if (q.length === 0) this.sum = 0;
    }
  }

  value(): number {
    if (this.average) return this.n > 0 ? this.sum / this.n : Number.NaN;
    return this.n > 0 ? this.sum : Number.NaN;
  }

  firstSeen(): number {
    return this.sliding && this.cutoff > this.first ? this.cutoff : this.first;
  }

  lastSeen(): number {
    return this.last;
  }

  eventCount(): number {
    return this.eventTotal;
  }

  sample(): EcsEvent[] {
    return this.events.events();
  }

  reset(): void {
    this.queue.clear();
    this.events.clear();
    this.sum = 0;
    this.n = 0;
    this.eventTotal = 0;
    this.first = Number.NaN;
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
      kind: 'sum',
      ts,
      nums: items.map((e) => e.num),
      counts: items.map((e) => e.count),
      sum: this.sum,
      n: this.n,
      events: this.eventTotal,
      cutoff: this.cutoff,
      first: this.first,
      last: this.last,
      sample: saveSample(this.events.entries()),
    };
  }

  load(state: Extract<WindowState, { kind: 'sum' }>): void {
    this.reset();
    state.ts.forEach((ts, i) => this.queue.push(ts, { num: state.nums[i], count: state.counts[i] }));
    this.sum = state.sum;
    this.n = state.n;
    this.eventTotal = state.events;
    this.cutoff = Number.isFinite(state.cutoff) ? state.cutoff : -Infinity;
    this.first = state.first;
    this.last = state.last;
    loadSample(this.events, state.sample);
  }
}
