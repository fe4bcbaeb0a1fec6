/**
 * Events turned into the columns the partition writer stores: done once per event, on the thread
 * that received the events, so a writer in a worker thread gets bytes and numbers (cheap to post)
 * and never a nested object to clone. One JSON.stringify per event; nothing else serialises.
 *
 * Ids, full-text inputs and documents travel as one UTF-8 buffer that is transferred to the writer
 * thread, not copied: posting strings means cloning each, and SQLite then needs each re-encoded to
 * UTF-8 when it is bound (measured: posting the documents as strings cost ~2.0 µs of CPU per event,
 * ~1.5 as a transferred buffer; ids and messages as strings a further ~1.3, packed ~0.7).
 */
import { newEventId, UNASSIGNED_AGENCY, type EcsEvent } from '../event';
import { daysInMonth, decimalDigits } from '../time-digits';

/**
 * A batch in columns; index i of every array is the same event. Everything variable-length is UTF-8
 * in one transferable buffer (`bytes`): a post then moves five buffers and clones two short arrays,
 * where arrays of id and message strings cost a structured clone on this thread, another on the
 * writer's, and a UTF-8 conversion when SQLite binds them (measured ~1.3 µs per event to serialise
 * as strings vs ~0.7 to pack).
 *
 * `message` and `event.original` travel (and are stored) beside the document, not in it: they are
 * the largest strings of an event and JSON.stringify scans every character of a string for escapes
 * (~1.8 ns a byte on Node 20, against ~0.1 for a UTF-8 copy), so leaving them out of the document
 * saves ~1.3 µs of the ~6.8 µs a syslog event took to serialise, and the full-text index reads the
 * same bytes as the message column.
 */
export interface EventRowBatch {
  /** @timestamp as epoch ms (the store's clock when @timestamp does not parse or is outside 1970-9999). */
  ts: Float64Array<ArrayBuffer>;
  /** The batch's distinct agencies; event i's is orgNames[orgIndex[i]]. */
  orgNames: string[];
  orgIndex: Uint32Array<ArrayBuffer>;
  /**
   * Per event, back to back: its id, its `message`, its `event.original` and the rest of the event
   * as JSON. `ends[4i]` … `ends[4i + 3]` are where each ends. A message or original that is not a
   * string stays in the JSON and its part is empty; `split[i]` says which parts hold a value.
   */
  bytes: Uint8Array<ArrayBuffer>;
  ends: Uint32Array<ArrayBuffer>;
  /** Per event: SPLIT_MESSAGE | SPLIT_ORIGINAL, the fields held in their own part instead of the JSON. */
  split: Uint8Array<ArrayBuffer>;
}

/** `split` bit: `message` is a string, in its own part and not in the JSON. */
export const SPLIT_MESSAGE = 1;
/** `split` bit: `event.original` is a string, in its own part and not in the JSON. */
export const SPLIT_ORIGINAL = 2;

/** Parts per event in `bytes`. */
const PARTS = 4;

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
  lastTsValue = isoMillis(text);
  lastTsText = text;
  return lastTsValue;
}

/** UTF-8 documents appended one after another into a buffer that grows by doubling. */
class DocumentBytes {
  private bytes: Buffer;
  used = 0;

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

/**
 * @timestamp back to epoch ms. Events from the collectors carry toISOString() output
 * (`YYYY-MM-DDTHH:MM:SS.mmmZ`), read here digit by digit (~20 ns against ~250 for Date.parse);
 * anything else goes to Date.parse.
 */
function isoMillis(text: string): number {
  if (text.length !== 24 || text.charCodeAt(23) !== 90 /* Z */ || text.charCodeAt(10) !== 84 /* T */) return Date.parse(text);
  const year = decimalDigits(text, 0, 4);
  const month = decimalDigits(text, 5, 2);
  const day = decimalDigits(text, 8, 2);
  const hour = decimalDigits(text, 11, 2);
  const minute = decimalDigits(text, 14, 2);
  const second = decimalDigits(text, 17, 2);
  const ms = decimalDigits(text, 20, 3);
  // Anything unusual (years Date.UTC would read as 19xx, 31 February, 24:00) is Date.parse's to judge.
  if ((month | day | hour | minute | second | ms) < 0 || year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return Date.parse(text);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}


export function encodeEventRows(events: readonly EcsEvent[], now: number = Date.now()): EventRowBatch {
  const n = events.length;
  const ts = new Float64Array(n);
  const orgNames: string[] = [];
  const orgIndex = new Uint32Array(n);
  const ends = new Uint32Array(PARTS * n);
  const split = new Uint8Array(n);
  const bytes = new DocumentBytes(n * EXPECTED_DOC_BYTES);
  let lastOrg = '';
  let lastOrgIndex = -1;
  for (let i = 0; i < n; i++) {
    const event = events[i];
    const time = parseTimestamp(event['@timestamp']);
    ts[i] = time >= 0 && time <= MAX_TS ? time : now;
    const meta = event.event as EcsEvent['event'] | undefined;
    const id = meta?.id;
    ends[PARTS * i] = bytes.add(typeof id === 'string' && id.length > 0 ? id : newEventId());
    const message = event.message;
    const original = meta?.original;
    let flags = 0;
    if (typeof message === 'string') {
      flags = SPLIT_MESSAGE;
      ends[PARTS * i + 1] = bytes.add(message);
    } else ends[PARTS * i + 1] = bytes.used;
    if (typeof original === 'string') {
      flags |= SPLIT_ORIGINAL;
      ends[PARTS * i + 2] = bytes.add(original);
    } else ends[PARTS * i + 2] = bytes.used;
    split[i] = flags;
    ends[PARTS * i + 3] = bytes.add(flags === 0 ? JSON.stringify(event) : stringifyWithout(event, flags));
    const orgId = event.organization?.id;
    const org = typeof orgId === 'string' && orgId.length > 0 ? orgId : UNASSIGNED_AGENCY;
    if (org !== lastOrg) {
      lastOrg = org;
      lastOrgIndex = orgNames.indexOf(org);
      if (lastOrgIndex < 0) lastOrgIndex = orgNames.push(org) - 1;
    }
    orgIndex[i] = lastOrgIndex;
  }
  return { ts, orgNames, orgIndex, bytes: bytes.view(), ends, split };
}

/**
 * The event as JSON without the fields `flags` names. They are set to undefined for the call (which
 * JSON.stringify leaves out) and put back: the caller's event is unchanged afterwards and keeps its
 * hidden class, where a copy or a replacer function would cost more than the saving.
 */
function stringifyWithout(event: EcsEvent, flags: number): string {
  // Events from outside (agents, the API, tests) may come without an `event` object: SPLIT_ORIGINAL
  // is only set when it exists.
  const meta = event.event as EcsEvent['event'] | undefined;
  const message = event.message;
  const original = meta?.original;
  if ((flags & SPLIT_MESSAGE) !== 0) event.message = undefined;
  if (meta !== undefined && (flags & SPLIT_ORIGINAL) !== 0) meta.original = undefined;
  try {
    return JSON.stringify(event);
  } finally {
    if ((flags & SPLIT_MESSAGE) !== 0) event.message = message;
    if (meta !== undefined && (flags & SPLIT_ORIGINAL) !== 0) meta.original = original;
  }
}

/** The buffers a post of `rows` can move to another thread instead of copying. */
export function transferablesOf(rows: EventRowBatch): ArrayBuffer[] {
  return [rows.ts.buffer, rows.orgIndex.buffer, rows.bytes.buffer, rows.ends.buffer, rows.split.buffer];
}

export function rowCount(rows: EventRowBatch): number {
  return rows.ts.length;
}

function part(rows: EventRowBatch, k: number): Uint8Array {
  return rows.bytes.subarray(k === 0 ? 0 : rows.ends[k - 1], rows.ends[k]);
}

/** Event i's id, UTF-8 (a view, not a copy). */
export function idBytesOf(rows: EventRowBatch, i: number): Uint8Array {
  return part(rows, PARTS * i);
}

/** Event i's message (UTF-8 view), or null when it is not a string (then it is in the document). */
export function messageBytesOf(rows: EventRowBatch, i: number): Uint8Array | null {
  return (rows.split[i] & SPLIT_MESSAGE) !== 0 ? part(rows, PARTS * i + 1) : null;
}

/** Event i's event.original (UTF-8 view), or null when it is not a string (then it is in the document). */
export function originalBytesOf(rows: EventRowBatch, i: number): Uint8Array | null {
  return (rows.split[i] & SPLIT_ORIGINAL) !== 0 ? part(rows, PARTS * i + 2) : null;
}

/** Event i's full-text index input, UTF-8 (a view): its message, else its event.original, else empty. */
export function textBytesOf(rows: EventRowBatch, i: number): Uint8Array {
  const flags = rows.split[i];
  return part(rows, (flags & SPLIT_MESSAGE) !== 0 || flags === 0 ? PARTS * i + 1 : PARTS * i + 2);
}

/** Event i's document bytes: the event as JSON without the split fields (a view, not a copy). */
export function docBytesOf(rows: EventRowBatch, i: number): Uint8Array {
  return part(rows, PARTS * i + 3);
}

const utf8 = new TextDecoder();

/** Event i's id as a string (for the rare paths that need it: duplicates, tests). */
export function idOf(rows: EventRowBatch, i: number): string {
  return utf8.decode(idBytesOf(rows, i));
}

/** Event i's full-text index input as a string. */
export function textOf(rows: EventRowBatch, i: number): string {
  return utf8.decode(textBytesOf(rows, i));
}

/** Event i as it was given: the document with its split fields put back (tests, rare paths). */
export function eventOf(rows: EventRowBatch, i: number): EcsEvent {
  const message = messageBytesOf(rows, i);
  const original = originalBytesOf(rows, i);
  return joinSplitFields(
    utf8.decode(docBytesOf(rows, i)),
    message === null ? null : utf8.decode(message),
    original === null ? null : utf8.decode(original),
  );
}

/**
 * An event read back from its stored parts: the JSON document plus `message` and `event.original`
 * when they were kept in their own columns (null: not split, the document holds whatever there was).
 */
export function joinSplitFields(doc: string, message: string | null, original: string | null): EcsEvent {
  const event = JSON.parse(doc) as EcsEvent;
  if (message !== null) event.message = message;
  if (original !== null) {
    const meta = event.event;
    if (meta !== null && typeof meta === 'object') meta.original = original;
    else (event as { event?: unknown }).event = { original };
  }
  return event;
}

export function orgOf(rows: EventRowBatch, i: number): string {
  return rows.orgNames[rows.orgIndex[i]];
}
