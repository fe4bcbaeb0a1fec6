/**
 * Events turned into the columns the partition writer stores: done once per event, on the thread
 * that received the events, so a writer in a worker thread gets bytes, plain strings and numbers
 * (cheap to post) and never a nested object to clone. One JSON.stringify per event; nothing else
 * serialises.
 *
 * The documents travel as one UTF-8 buffer that is transferred to the writer thread, not copied:
 * posting 2000 strings of ~1.3 KB means cloning each, and SQLite then needs each re-encoded to
 * UTF-8 when it is bound (measured: the post alone cost ~2.0 µs of CPU per event as strings, ~1.5
 * as a transferred buffer, and the writer's UTF-8 conversions are gone).
 */
import { newEventId, UNASSIGNED_AGENCY, type EcsEvent } from '../event';

/** A batch in columns; index i of every array is the same event. */
export interface EventRowBatch {
  /** @timestamp as epoch ms (the store's clock when @timestamp does not parse or is outside 1970-9999). */
  ts: number[];
  ids: string[];
  orgs: string[];
  /** The events as JSON, UTF-8, back to back: event i is docBytes[docEnds[i - 1] (0 for i = 0), docEnds[i]). */
  docBytes: Uint8Array<ArrayBuffer>;
  docEnds: Uint32Array;
  /** What the full-text index gets: message, else event.original, else ''. */
  texts: string[];
}

/** Partition files are named by a four-digit year: times outside 1970-9999 are device clock garbage. */
const MAX_TS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The last @timestamp text parsed and its value: events arrive in bursts that share a header second,
 * so most Date.parse calls (~0.2 µs each) are skipped.
 */
let lastTsText = '';
let lastTsValue = NaN;

function parseTimestamp(text: unknown): number {
  if (text === lastTsText) return lastTsValue;
  if (typeof text !== 'string') return NaN;
  lastTsValue = Date.parse(text);
  lastTsText = text;
  return lastTsValue;
}

/** UTF-8 documents appended one after another into a buffer that grows by doubling. */
class DocumentBytes {
  private bytes: Buffer;
  private used = 0;

  constructor(expected: number) {
    // Its own ArrayBuffer (not a slice of Node's pool), so it can be transferred.
    this.bytes = Buffer.allocUnsafeSlow(Math.max(expected, 1024));
  }

  /** Appends `text`; returns the end offset. */
  add(text: string): number {
    // Up to 3 bytes per UTF-16 unit; the exact size is measured only when that bound does not fit.
    if (this.bytes.length - this.used < text.length * 3) {
      const needed = this.used + Buffer.byteLength(text);
      if (needed > this.bytes.length) {
        const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.bytes.length * 2));
        this.bytes.copy(grown, 0, 0, this.used);
        this.bytes = grown;
      }
    }
    this.used += this.bytes.write(text, this.used, 'utf8');
    return this.used;
  }

  /** A view of the written bytes (same ArrayBuffer). */
  view(): Uint8Array<ArrayBuffer> {
    // allocUnsafeSlow never hands out a SharedArrayBuffer.
    return new Uint8Array(this.bytes.buffer as ArrayBuffer, this.bytes.byteOffset, this.used);
  }
}

/** Bytes per event to reserve up front: a little over a typical normalized syslog event. */
const EXPECTED_DOC_BYTES = 1536;

export function encodeEventRows(events: readonly EcsEvent[], now: number = Date.now()): EventRowBatch {
  const n = events.length;
  const ts = new Array<number>(n);
  const ids = new Array<string>(n);
  const orgs = new Array<string>(n);
  const texts = new Array<string>(n);
  const docEnds = new Uint32Array(n);
  const docs = new DocumentBytes(n * EXPECTED_DOC_BYTES);
  for (let i = 0; i < n; i++) {
    const event = events[i];
    const time = parseTimestamp(event['@timestamp']);
    ts[i] = time >= 0 && time <= MAX_TS ? time : now;
    const meta = event.event as EcsEvent['event'] | undefined;
    const id = meta?.id;
    ids[i] = typeof id === 'string' && id.length > 0 ? id : newEventId();
    const org = event.organization?.id;
    orgs[i] = typeof org === 'string' && org.length > 0 ? org : UNASSIGNED_AGENCY;
    docEnds[i] = docs.add(JSON.stringify(event));
    const message = event.message;
    const original = meta?.original;
    texts[i] = typeof message === 'string' ? message : typeof original === 'string' ? original : '';
  }
  return { ts, ids, orgs, docBytes: docs.view(), docEnds, texts };
}

/** Event i's document bytes (a view, not a copy). */
export function docBytesOf(rows: EventRowBatch, i: number): Uint8Array {
  return rows.docBytes.subarray(i === 0 ? 0 : rows.docEnds[i - 1], rows.docEnds[i]);
}
