import type { EcsEvent } from '../event';
import type { InputStats } from '../metrics';

/**
 * Where an input hands its events. `offer` never blocks: it returns false when the queue is full,
 * so a UDP input counts a drop and a TCP input pauses its socket until `onDrain` fires.
 * `input` carries the per-input counters so that `stored` is counted per input once durable.
 * `pausable` says the input can wait (TCP, TLS): it is refused at a low queue depth, so that under
 * overload the backlog waits as bytes in the kernel's socket buffers instead of as event objects
 * on the heap, while lossy inputs (UDP) may still use the whole queue to ride out bursts.
 */
export interface IngestSink {
  offer(event: EcsEvent, input: InputStats, pausable?: boolean): boolean;
  /** Called once when space is available again after `offer` returned false. */
  onDrain(listener: () => void): void;
}

/** A synchronous step over each batch before it is published (agency, asset, GeoIP, intel lookups). */
export type Enricher = (batch: EcsEvent[]) => void;
