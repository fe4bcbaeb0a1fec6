import type { EcsEvent } from '../event';

/**
 * Where an input hands its events. `offer` never blocks: it returns false when the queue is full,
 * so a UDP input counts a drop and a TCP input pauses its socket until `onDrain` fires.
 */
export interface IngestSink {
  offer(event: EcsEvent): boolean;
  /** Called once when space is available again after `offer` returned false. */
  onDrain(listener: () => void): void;
}

/** Counters every input keeps, exported under /metrics with an `input` label. */
export interface InputCounters {
  received(n?: number): void;
  parsed(n?: number): void;
  failed(reason: string, n?: number): void;
  dropped(reason: string, n?: number): void;
}
