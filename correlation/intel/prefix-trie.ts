/**
 * A binary trie of address prefixes (CIDR ranges) in flat Int32Arrays: one node per bit, so a
 * lookup walks at most 32 (IPv4) or 128 (IPv6) nodes and usually stops far earlier, where the
 * address leaves every range. Addresses are given as 32-bit words, most significant first.
 */

const INITIAL_NODES = 1024;

export class PrefixTrie {
  /** Child node for bit 0 / bit 1 (0: none; node 0 is the root and never a child). */
  private zero: Int32Array;
  private one: Int32Array;
  /** Value stored at the node (an index into the caller's list), -1 for none. */
  private value: Int32Array;
  private nodes = 1;
  /** Ranges stored. */
  size = 0;

  constructor(readonly bits: 32 | 128) {
    this.zero = new Int32Array(INITIAL_NODES);
    this.one = new Int32Array(INITIAL_NODES);
    this.value = new Int32Array(INITIAL_NODES).fill(-1);
  }

  /** Stores `value` for the range; returns the value already stored for the same range, or -1 (the caller decides which wins). */
  insert(words: ArrayLike<number>, prefix: number, value: number): number {
    let node = 0;
    for (let bit = 0; bit < prefix; bit++) {
      const set = (words[bit >>> 5] >>> (31 - (bit & 31))) & 1;
      const children = set === 1 ? this.one : this.zero;
      let next = children[node];
      if (next === 0) {
        next = this.newNode();
        (set === 1 ? this.one : this.zero)[node] = next;
      }
      node = next;
    }
    const previous = this.value[node];
    if (previous < 0) this.size++;
    this.value[node] = value;
    return previous;
  }

  /**
   * Writes the values of every range containing the address to `out`, shortest prefix first;
   * returns how many. `out` must hold bits + 1 entries.
   */
  containing(words: ArrayLike<number>, out: Int32Array): number {
    const zero = this.zero;
    const one = this.one;
    const value = this.value;
    let n = 0;
    let node = 0;
    if (value[0] >= 0) out[n++] = value[0];
    for (let bit = 0; bit < this.bits; bit++) {
      node = ((words[bit >>> 5] >>> (31 - (bit & 31))) & 1) === 1 ? one[node] : zero[node];
      if (node === 0) break;
      if (value[node] >= 0) out[n++] = value[node];
    }
    return n;
  }

  /** Approximate bytes held (3 Int32 per allocated node slot). */
  bytes(): number {
    return this.zero.length * 12;
  }

  private newNode(): number {
    if (this.nodes === this.zero.length) {
      const size = this.zero.length * 2;
      const zero = new Int32Array(size);
      zero.set(this.zero);
      const one = new Int32Array(size);
      one.set(this.one);
      const value = new Int32Array(size).fill(-1);
      value.set(this.value);
      this.zero = zero;
      this.one = one;
      this.value = value;
    }
    return this.nodes++;
  }
}
