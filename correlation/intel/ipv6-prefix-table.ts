/**
 * IPv6 addresses and prefixes in one hash table keyed by (prefix length, masked address). A lookup
 * masks the address once per prefix length present — feeds use few (/128, /64, /48, /32) — so it
 * neither formats the address as text nor walks 128 trie levels. Addresses are four 32-bit words,
 * most significant first.
 */

interface Slot {
  readonly w0: number;
  readonly w1: number;
  readonly w2: number;
  readonly w3: number;
  readonly prefix: number;
  value: number;
  /** Another key with the same hash. */
  next: Slot | undefined;
}

const masked = new Uint32Array(4);

/** Writes the address with the bits after `prefix` cleared into `masked`. */
function mask(words: ArrayLike<number>, prefix: number): void {
  for (let k = 0; k < 4; k++) {
    const bits = prefix - 32 * k;
    masked[k] = bits >= 32 ? words[k] : bits <= 0 ? 0 : words[k] & (0xffffffff << (32 - bits));
  }
}

function hashMasked(prefix: number): number {
  let h = Math.imul(masked[0] ^ prefix, 0x9e3779b1);
  h = Math.imul(h ^ masked[1], 0x85ebca6b);
  h = Math.imul(h ^ masked[2], 0xc2b2ae35);
  h = Math.imul(h ^ masked[3], 0x27d4eb2f);
  // 30 bits: a small integer to V8 whatever the pointer size, so Map keys are never boxed.
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

export class Ipv6PrefixTable {
  private readonly slots = new Map<number, Slot>();
  /** Prefix lengths stored, longest first. */
  private lengths: number[] = [];
  /** Keys stored. */
  size = 0;

  /** The value stored for exactly this prefix, or -1. */
  find(words: ArrayLike<number>, prefix: number): number {
    mask(words, prefix);
    const slot = this.slotOfMasked(prefix);
    return slot === undefined ? -1 : slot.value;
  }

  /** Stores `value` for the prefix, replacing what was stored for the same prefix. */
  set(words: ArrayLike<number>, prefix: number, value: number): void {
    mask(words, prefix);
    const existing = this.slotOfMasked(prefix);
    if (existing !== undefined) {
      existing.value = value;
      return;
    }
    const h = hashMasked(prefix);
    this.slots.set(h, { w0: masked[0], w1: masked[1], w2: masked[2], w3: masked[3], prefix, value, next: this.slots.get(h) });
    this.size++;
    if (!this.lengths.includes(prefix)) this.lengths = [...this.lengths, prefix].sort((a, b) => b - a);
  }

  /** Writes the values of every stored prefix containing the address to `out`, longest first; returns how many. */
  containing(words: ArrayLike<number>, out: Int32Array): number {
    const lengths = this.lengths;
    let n = 0;
    for (let i = 0; i < lengths.length; i++) {
      mask(words, lengths[i]);
      const slot = this.slotOfMasked(lengths[i]);
      if (slot !== undefined) out[n++] = slot.value;
    }
    return n;
  }

  private slotOfMasked(prefix: number): Slot | undefined {
    let slot = this.slots.get(hashMasked(prefix));
    while (slot !== undefined) {
      if (slot.prefix === prefix && slot.w3 === masked[3] && slot.w2 === masked[2] && slot.w1 === masked[1] && slot.w0 === masked[0]) return slot;
      slot = slot.next;
    }
    return undefined;
  }
}
