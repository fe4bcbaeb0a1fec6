/**
 * Processing hints carried in an event's `socnoc` namespace: instructions to socnoc itself, not part
 * of the observed data. `socnoc.store: false` publishes an event for detection without writing it to
 * the event store (flows kept for correlation only: their per-minute aggregates are stored instead);
 * every EventStore implementation leaves such events out of `append`.
 */
import type { EcsEvent } from './event';

export interface SocnocProcessingHints {
  /** false: publish for detection, do not write to the event store. */
  store?: boolean;
}

/** One shared object: the mark costs no allocation per event (consumers must not mutate it). */
export const NOT_STORED: Readonly<SocnocProcessingHints> = Object.freeze({ store: false });

export function isStorable(event: EcsEvent): boolean {
  const hints = event.socnoc as SocnocProcessingHints | undefined;
  return hints === undefined || hints.store !== false;
}

/** The batch without the events marked not to be stored; the same array when none is marked. */
export function storableEvents(batch: EcsEvent[]): EcsEvent[] {
  let i = 0;
  while (i < batch.length && isStorable(batch[i])) i++;
  if (i === batch.length) return batch;
  const out = batch.slice(0, i);
  for (i++; i < batch.length; i++) if (isStorable(batch[i])) out.push(batch[i]);
  return out;
}
