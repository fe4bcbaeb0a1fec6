/**
 * Per field value memo of a LiteralIndex scan. Real Sysmon/Security streams repeat most field
 * values (Image, ParentImage, OriginalFileName, IntegrityLevel, CurrentDirectory, Company…), and
 * what a scan finds in a value depends on the value alone: the literals found and where (ANYWHERE,
 * AT_START, AT_END, WHOLE bits), and so the rule postings they mark. A repeated value then costs a
 * Map lookup and a replay of that record instead of a scan and its match reports.
 *
 * Admission: a value enters the memo on its second sighting (a doorkeeper table of the hashes of
 * values seen once, which keeps no strings alive), so values that never repeat (command lines
 * with temp file names, GUIDs, hashes) cost a lookup, never a record. The record table is
 * direct-mapped by a sampled hash (sampledHash): bounded, no eviction pass, a newer value takes a
 * slot over. Values shorter than MEMO_MIN_LENGTH scan faster than they hash; longer than
 * MEMO_MAX_LENGTH are rarely repeated and would hold memory. The indexes of a rule set share a
 * byte budget (MemoBudget).
 */

/** Values shorter than this are scanned (a few transitions cost less than a lookup). */
export const MEMO_MIN_LENGTH = 8;
/** Values longer than this are scanned and never kept. */
export const MEMO_MAX_LENGTH = 256;
/** Slots of the direct-mapped record table (power of 2): at most this many values kept per index. */
export const MEMO_SLOTS = 2048;
/** Slots of the doorkeeper (power of 2): hashes of values seen once. */
export const SEEN_SLOTS = 4096;
/** Memo lookups per trial window of an index. */
export const MEMO_WINDOW = 1024;
/** A window with fewer hits than this turns the memo off for the index for MEMO_BYPASS values. */
export const MEMO_MIN_HITS = MEMO_WINDOW / 2;
export const MEMO_BYPASS = 32 * MEMO_WINDOW;

/**
 * A value's scan: `[count, id0, bits0, id1, bits1, …, posting codes…]`, each literal once with
 * the OR of its positions, then the union of the postings of those literals.
 */
export type MemoRecord = Int32Array;

/** The record of every value that found nothing. */
export const NOTHING_FOUND: MemoRecord = new Int32Array(1);

/** Bytes of memo keys and records all the indexes of one rule set may hold together. */
export const MEMO_BUDGET_BYTES = 32 * 1024 * 1024;

/**
 * What the memos of one rule set may still hold (keys at 2 bytes a character, records at 4 per
 * entry): a bound on memory whatever the number of indexes (a few hundred for all of SigmaHQ).
 */
export class MemoBudget {
  constructor(public left = MEMO_BUDGET_BYTES) {}
}

function heldBytes(key: string | undefined, record: MemoRecord): number {
  return key === undefined ? 0 : 2 * key.length + (record === NOTHING_FOUND ? 0 : record.byteLength);
}

/**
 * A hash of a value from its length, its first and last 16 characters and every 8th between:
 * a fresh string's own hash (what a Map computes) reads every character. Values that share the
 * sampled characters only share a slot: the lookup compares the whole string.
 */
export function sampledHash(s: string): number {
  const n = s.length;
  let h = Math.imul(n, 0x9e3779b1);
  if (n <= 32) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  } else {
    for (let i = 0; i < 16; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    for (let i = 16; i < n - 16; i += 8) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    for (let i = n - 16; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  h ^= h >>> 15;
  return h >>> 0;
}

export class ValueMemo {
  constructor(private readonly budget: MemoBudget = new MemoBudget()) {}

  /** Direct-mapped: a value's slot is its hash's low bits; a newer value takes the slot over. */
  private readonly keys: (string | undefined)[] = new Array<string | undefined>(MEMO_SLOTS).fill(undefined);
  private readonly records: MemoRecord[] = new Array<MemoRecord>(MEMO_SLOTS).fill(NOTHING_FOUND);
  /** Doorkeeper: the hash (+1, 0 is empty) of a value seen once, by its hash's low bits. */
  private readonly seen = new Uint32Array(SEEN_SLOTS);
  /** Hash of the value of the last get(), for admit() and put(). */
  private hash = 0;
  /** Counters for diagnostics and tests. */
  hits = 0;
  misses = 0;
  bypassed = 0;
  private windowLookups = 0;
  private windowHits = 0;
  /** Values still to scan without the memo (its last window hit too rarely). */
  private bypass = 0;

  /**
   * Whether to look the next value up. A field whose values rarely repeat (command lines,
   * hashes, GUIDs) would pay a lookup and a doorkeeper entry per value for nothing: after a window
   * of lookups with few hits the memo steps aside for a while, then tries another window.
   */
  use(): boolean {
    if (this.bypass === 0) return true;
    this.bypass--;
    this.bypassed++;
    return false;
  }

  /** The record of `value`, or undefined (then `admit` tells whether to record its scan). */
  get(value: string): MemoRecord | undefined {
    const h = sampledHash(value);
    this.hash = h;
    const slot = h & (MEMO_SLOTS - 1);
    const hit = this.keys[slot] === value;
    if (hit) {
      this.hits++;
      this.windowHits++;
    } else this.misses++;
    if (++this.windowLookups === MEMO_WINDOW) {
      if (this.windowHits < MEMO_MIN_HITS) this.bypass = MEMO_BYPASS;
      this.windowLookups = 0;
      this.windowHits = 0;
    }
    return hit ? this.records[slot] : undefined;
  }

  /** After a missed get(value): whether the value was seen before (record its scan and `put` it). */
  admit(): boolean {
    const h = this.hash;
    const at = h & (SEEN_SLOTS - 1);
    const mark = (h >>> 1) + 1;
    if (this.seen[at] === mark) return true;
    this.seen[at] = mark;
    return false;
  }

  /** Keeps the record of the value of the last get(), if the budget allows. */
  put(value: string, record: MemoRecord): void {
    const slot = this.hash & (MEMO_SLOTS - 1);
    const freed = heldBytes(this.keys[slot], this.records[slot]);
    const cost = heldBytes(value, record);
    if (this.budget.left + freed < cost) return;
    this.budget.left += freed - cost;
    // A copy: a value sliced from a larger string (a parser's field of a raw line) would keep all
    // of that string alive. UTF-16LE carries every code unit, lone surrogates included.
    this.keys[slot] = Buffer.from(value, 'utf16le').toString('utf16le');
    this.records[slot] = record;
  }

  get size(): number {
    let n = 0;
    for (const k of this.keys) if (k !== undefined) n++;
    return n;
  }
}

/**
 * The record of one value's scan from the (literal id, position bits) pairs its reports produced
 * (`pairs[0..2 * count)`, a literal possibly more than once) and each literal's postings.
 */
export function buildMemoRecord(pairs: Int32Array, count: number, postings: readonly (Int32Array | null)[]): MemoRecord {
  if (count === 0) return NOTHING_FOUND;
  const bitsOf = new Map<number, number>();
  for (let k = 0; k < 2 * count; k += 2) bitsOf.set(pairs[k], (bitsOf.get(pairs[k]) ?? 0) | pairs[k + 1]);
  const codes = new Set<number>();
  for (const id of bitsOf.keys()) {
    const posted = postings[id];
    if (posted !== null) for (let p = 0; p < posted.length; p++) codes.add(posted[p]);
  }
  const record = new Int32Array(1 + 2 * bitsOf.size + codes.size);
  record[0] = bitsOf.size;
  let at = 1;
  for (const [id, bits] of bitsOf) {
    record[at++] = id;
    record[at++] = bits;
  }
  for (const code of codes) record[at++] = code;
  return record;
}
