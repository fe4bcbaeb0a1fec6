/**
 * Entries keyed by one IPv4 address as an unsigned 32-bit number (the per-minute source and destination
 * activity), in an open-addressing table: one multiply and usually one probe per flow, where a Map by
 * address text needed the text built (or found in a cache) and hashed first. Each address holds the head
 * of a chain (entries of the same address from other exporters or agencies); heads keep insertion order.
 */

export interface V4Keyed {
  readonly v4: number;
}

const INITIAL_BITS = 10;

export class V4AddressTable<E extends V4Keyed> {
  /** Chain heads in the order their address first appeared. */
  readonly heads: E[] = [];
  /** Slot -> head index + 1; 0 empty. At most half full. */
  private slots = new Int32Array(1 << INITIAL_BITS);
  private shift = 32 - INITIAL_BITS;

  get size(): number {
    return this.heads.length;
  }

  /** Index of the address's head in `heads`, or -1. */
  indexOf(v4: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const heads = this.heads;
    // Fibonacci hashing: the top bits of v4 * 2^32/phi spread neighbouring addresses.
    for (let s = Math.imul(v4 | 0, 0x9e3779b1) >>> this.shift; ; s = (s + 1) & mask) {
      const at = slots[s];
      if (at === 0) return -1;
      if (heads[at - 1].v4 === v4) return at - 1;
    }
  }

  /** Adds the first entry of an address not in the table (indexOf returned -1). */
  add(head: E): void {
    this.heads.push(head);
    if (this.heads.length * 2 > this.slots.length) this.grow();
    else this.place(head.v4, this.heads.length);
  }

  private place(v4: number, index1: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let s = Math.imul(v4 | 0, 0x9e3779b1) >>> this.shift;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = index1;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.shift--;
    const heads = this.heads;
    for (let i = 0; i < heads.length; i++) this.place(heads[i].v4, i + 1);
  }
}
