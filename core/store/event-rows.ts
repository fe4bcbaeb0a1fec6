/**
 * Events turned into the columns the partition writer stores: done once per event, on the thread
 * that received the events, so a writer in a worker thread gets plain strings and numbers (cheap to
 * post) and never a nested object to clone. One JSON.stringify per event; nothing else serialises.
 */
import { newEventId, UNASSIGNED_AGENCY, type EcsEvent } from '../event';

/** A batch in columns; index i of every array is the same event. */
export interface EventRowBatch {
  /** @timestamp as epoch ms (the store's clock when @timestamp does not parse or is outside 1970-9999). */
  ts: number[];
  ids: string[];
  orgs: string[];
  /** The whole event as JSON. */
  docs: string[];
  /** What the full-text index gets: message, else event.original, else ''. */
  texts: string[];
}

/** Partition files are named by a four-digit year: times outside 1970-9999 are device clock garbage. */
const MAX_TS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function encodeEventRows(events: readonly EcsEvent[], now: number = Date.now()): EventRowBatch {
  const n = events.length;
  const batch: EventRowBatch = { ts: new Array<number>(n), ids: new Array<string>(n), orgs: new Array<string>(n), docs: new Array<string>(n), texts: new Array<string>(n) };
  for (let i = 0; i < n; i++) {
    const event = events[i];
    const ts = Date.parse(event['@timestamp']);
    batch.ts[i] = ts >= 0 && ts <= MAX_TS ? ts : now;
    const meta = event.event as EcsEvent['event'] | undefined;
    const id = meta?.id;
    batch.ids[i] = typeof id === 'string' && id.length > 0 ? id : newEventId();
    const org = event.organization?.id;
    batch.orgs[i] = typeof org === 'string' && org.length > 0 ? org : UNASSIGNED_AGENCY;
    batch.docs[i] = JSON.stringify(event);
    const message = event.message;
    const original = meta?.original;
    batch.texts[i] = typeof message === 'string' ? message : typeof original === 'string' ? original : '';
  }
  return batch;
}
