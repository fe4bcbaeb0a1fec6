/**
 * "Correlate but do not store": with raw flows off (netflow.rawFlows.enabled false) and
 * netflow.toCorrelation on, each normalized flow still goes through the pipeline and bus so detection sees
 * it, carrying `socnoc.store: false`. The bus and pipeline have no such notion (core/bus.ts publishes one
 * batch to every consumer group), so the store's subscription must leave these events out; app/ does it
 * with `storableEvents` until core grows the flag (proposal in docs/flows.md).
 */
import type { EcsEvent } from '../../core/event';

/** The `socnoc` namespace: processing hints for socnoc itself, not part of the observed data. */
export interface SocnocProcessingHints {
  /** false: publish for detection, do not write to the event store. */
  store?: boolean;
}

/** One shared object: the mark costs no allocation per flow (consumers must not mutate it). */
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
