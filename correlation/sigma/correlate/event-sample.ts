/**
 * The events a hit carries: the first `size` and the last `size` events of a window, each stamped
 * with its occurrence time so that a sliding window can drop what has expired. Everything between
 * is only counted, so a group's memory does not grow with its traffic.
 */
import type { EcsEvent } from '../../../core/event';

export interface SampleEntry {
  ts: number;
  event: EcsEvent;
}

export class EventSample {
  private head: SampleEntry[] = [];
  private tail: SampleEntry[] = [];

  constructor(private readonly size: number) {}

  add(ts: number, events: readonly EcsEvent[]): void {
    for (let i = 0; i < events.length; i++) {
      const entry = { ts, event: events[i] };
      // The head only grows while no tail exists, so head entries always precede tail entries.
      if (this.tail.length === 0 && this.head.length < this.size) this.head.push(entry);
      else {
        this.tail.push(entry);
        if (this.tail.length > this.size) this.tail.shift();
      }
    }
  }

  /** Drops entries older than `cutoff`. */
  expire(cutoff: number): void {
    if (this.head.length > 0 && this.head[0].ts < cutoff) this.head = this.head.filter((e) => e.ts >= cutoff);
    if (this.tail.length > 0 && this.tail[0].ts < cutoff) this.tail = this.tail.filter((e) => e.ts >= cutoff);
  }

  clear(): void {
    this.head = [];
    this.tail = [];
  }

  get length(): number {
    return this.head.length + this.tail.length;
  }

  /** The sampled events in time order (out-of-order arrivals are sorted). */
  events(): EcsEvent[] {
    const all = this.head.concat(this.tail);
    all.sort((a, b) => a.ts - b.ts);
    return all.map((e) => e.event);
  }

  entries(): SampleEntry[] {
    return this.head.concat(this.tail);
  }

  /** Restores saved entries (from a snapshot), in saved order. */
  load(entries: readonly SampleEntry[]): void {
    this.clear();
    for (const e of entries) this.add(e.ts, [e.event]);
  }
}
