/**
 * Event time for correlation windows: ECS `@timestamp`, else the evtx_dump record time
 * (`Event.System.TimeCreated` carries it as the `SystemTime` attribute), else `event.created`.
 * Windows are measured in event time, never in arrival time, so a replayed file correlates the
 * same as live traffic.
 */
import { FieldAccessor } from '../event-view';

const TIME = new FieldAccessor(['@timestamp', 'Event.System.TimeCreated.#attributes.SystemTime', 'timestamp', 'event.created']);

/** Epoch milliseconds, or NaN when the event carries no usable time. */
export function eventTimeMs(event: unknown): number {
  const v = TIME.read(event);
  if (typeof v === 'string') return Date.parse(v);
  // Numbers are epoch milliseconds (what JSON producers that do not format dates write).
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return Number.NaN;
}
