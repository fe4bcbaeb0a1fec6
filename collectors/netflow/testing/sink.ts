/**
 * Test double for the pipeline: records offered events, can be made full, and fires onDrain when emptied.
 * Like the pipeline once it has published a batch, it counts each taken event as `stored` on the stats
 * it was offered with.
 */
import type { EcsEvent } from '../../../core/event';
import type { InputStats } from '../../../core/metrics';
import type { IngestSink } from '../../../core/pipeline/types';

export class RecordingSink implements IngestSink {
  readonly events: EcsEvent[] = [];
  /** Offers refused since creation. */
  refused = 0;
  private drainListeners: Array<() => void> = [];

  /** `capacity`: how many events it holds before refusing (Infinity: never full). */
  constructor(public capacity = Infinity) {}

  offer(event: EcsEvent, input: InputStats): boolean {
    if (this.events.length >= this.capacity) {
      this.refused++;
      return false;
    }
    this.events.push(event);
    input.stored++;
    return true;
  }

  onDrain(listener: () => void): void {
    this.drainListeners.push(listener);
  }

  /** Raises the capacity (as a draining pipeline frees room) and wakes paused inputs. */
  grow(by: number): void {
    this.capacity += by;
    const listeners = this.drainListeners;
    this.drainListeners = [];
    for (const l of listeners) l();
  }
}

/** Counts only (the benchmark's sink): no memory growth. */
export class CountingSink implements IngestSink {
  count = 0;
  bytes = 0;
  offer(event: EcsEvent): boolean {
    this.count++;
    const n = event.network?.bytes;
    if (n !== undefined) this.bytes += n;
    return true;
  }
  onDrain(): void {}
}
