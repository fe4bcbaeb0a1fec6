/**
 * One minute's aggregate rows of IPv4 flows, found by a hash of the key's numbers (addresses as 32-bit
 * values, ports, protocol, interfaces) in an open-addressing table, collisions resolved by comparing those
 * numbers and the exporter and agency strings (the same string objects flow after flow, so === is a pointer
 * compare). Replaces two Map lookups by address text per flow; rows keep insertion order.
 */

/** The fields a row must have for the table to find it again. */
export interface V4KeyedRow {
  readonly srcV4: number;
  readonly dstV4: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly protocol: number;
  readonly inIf: number;
  readonly outIf: number;
  readonly org: string;
  readonly exporter: string;
  /** What the row's agency was classified with (findClassified); rows without one are never found by it. */
  readonly fallback?: unknown;
}

const INITIAL_SLOTS = 1024;

/** Mixes the numeric key fields into 32 bits (murmur3-style multiply-xorshift rounds). */
export function v4KeyHash(srcV4: number, dstV4: number, srcPort: number, dstPort: number, protocol: number, inIf: number, outIf: number): number {
  let h = Math.imul(srcV4 | 0, 0xcc9e2d51);
  h = Math.imul((h << 15) | (h >>> 17), 0x1b873593) ^ Math.imul(dstV4 | 0, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ ((srcPort << 16) | dstPort);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) ^ Math.imul(protocol ^ (inIf << 8) ^ (outIf << 20), 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

export class V4RowTable<R extends V4KeyedRow> {
  /** Insertion order. */
  readonly rows: R[] = [];
  /** Slot -> row index + 1; 0 empty. Power-of-two sized, at most half full. */
  private slots = new Int32Array(INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;

  get size(): number {
    return this.rows.length;
  }

  /** The row of this key, or null. `hash` is v4KeyHash of the same numbers. */
  find(hash: number, srcV4: number, dstV4: number, srcPort: number, dstPort: number, protocol: number, inIf: number, outIf: number, org: string, exporter: string): R | null {
    const slots = this.slots;
    const mask = this.mask;
    const rows = this.rows;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const at = slots[s];
      if (at === 0) return null;
      const r = rows[at - 1];
      if (
        r.srcV4 === srcV4 &&
        r.dstV4 === dstV4 &&
        r.srcPort === srcPort &&
        r.dstPort === dstPort &&
        r.protocol === protocol &&
        r.inIf === inIf &&
        r.outIf === outIf &&
        r.org === org &&
        r.exporter === exporter
      ) {
        return r;
      }
    }
  }

  /**
   * The row of this key whose agency was classified with `fallback` (so the flow's agency is the row's),
   * or null: find() by the agency then.
   */
  findClassified(hash: number, srcV4: number, dstV4: number, srcPort: number, dstPort: number, protocol: number, inIf: number, outIf: number, fallback: unknown, exporter: string): R | null {
    const slots = this.slots;
    const mask = this.mask;
    const rows = this.rows;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const at = slots[s];
      if (at === 0) return null;
      const r = rows[at - 1];
      if (
        r.srcV4 === srcV4 &&
        r.dstV4 === dstV4 &&
        r.srcPort === srcPort &&
        r.dstPort === dstPort &&
        r.protocol === protocol &&
        r.inIf === inIf &&
        r.outIf === outIf &&
        r.fallback === fallback &&
        r.exporter === exporter
      ) {
        return r;
      }
    }
  }

  /** Adds a row not in the table (find returned null for its key). */
  insert(hash: number, row: R): void {
    this.rows.push(row);
    if (this.rows.length * 2 > this.slots.length) this.grow();
    else this.place(hash, this.rows.length);
  }

  private place(hash: number, index1: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let s = hash & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = index1;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    const rows = this.rows;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      this.place(v4KeyHash(r.srcV4, r.dstV4, r.srcPort, r.dstPort, r.protocol, r.inIf, r.outIf), i + 1);
    }
  }
}
