/**
 * DNS names looked up with their parent domains without building a string per label: one pass from
 * the end of the name hashes every suffix (FNV-1a over the characters read backwards, ASCII
 * lowercased on the way), and a stored name is compared only when a suffix that ends at a label
 * boundary has its hash and length. Keys are stored lowercase without a trailing dot (domainKey).
 */

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

/** The hash a scan computes for the whole of `key` (lowercase already). */
function hashKey(key: string): number {
  let h = FNV_OFFSET;
  for (let i = key.length - 1; i >= 0; i--) h = Math.imul(h ^ key.charCodeAt(i), FNV_PRIME);
  return h;
}

export class DomainTable<V> {
  private slots = new Int32Array(16).fill(-1);
  private keys: string[] = [];
  private hashes: number[] = [];
  private vals: V[] = [];

  get size(): number {
    return this.keys.length;
  }

  values(): IterableIterator<V> {
    return this.vals.values();
  }

  get(key: string): V | undefined {
    const at = this.find(key, 0, key.length, hashKey(key));
    return at < 0 ? undefined : this.vals[at];
  }

  set(key: string, value: V): void {
    const h = hashKey(key);
    const at = this.find(key, 0, key.length, h);
    if (at >= 0) {
      this.vals[at] = value;
      return;
    }
    if ((this.keys.length + 1) * 2 > this.slots.length) this.grow();
    this.keys.push(key);
    this.hashes.push(h);
    this.vals.push(value);
    this.place(this.keys.length - 1);
  }

  /** The value stored for `name[start, end)` (compared ASCII-case-insensitively) whose scan hash is `h`. */
  valueAt(name: string, start: number, end: number, h: number): V | undefined {
    const at = this.find(name, start, end, h);
    return at < 0 ? undefined : this.vals[at];
  }

  private find(name: string, start: number, end: number, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const len = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const e = slots[slot];
      if (e < 0) return -1;
      if (this.hashes[e] === h && this.keys[e].length === len && sameLowered(this.keys[e], name, start)) return e;
    }
  }

  private place(e: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[e] & mask;
    while (this.slots[slot] >= 0) slot = (slot + 1) & mask;
    this.slots[slot] = e;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let e = 0; e < this.keys.length; e++) this.place(e);
  }
}

function sameLowered(key: string, name: string, start: number): boolean {
  for (let k = 0; k < key.length; k++) {
    let c = name.charCodeAt(start + k);
    if (c >= 65 && c <= 90) c |= 32;
    if (c !== key.charCodeAt(k)) return false;
  }
  return true;
}

/** Whether a parent entry counts (an indicator active at `t0` with default expiry `t1`); two numbers rather than a closure per lookup. */
export type Accept<V> = (v: V, t0: number, t1: number) => boolean;

/** What one scan of a name found: the exact-name entries and the shortest parent domain entry that passed `accept`. */
export interface DomainScan<V> {
  host: V | undefined;
  own: V | undefined;
  parent: V | undefined;
}

/**
 * Scans `name` once from its end: `hosts` is checked for the whole name, `domains` for the whole
 * name and for each parent of 2 to `maxLabels` labels (shortest first; the first that `accept`s is
 * kept). A trailing dot is ignored. Names with non-ASCII letters are lowercased first (Unicode
 * rules); the rest are compared ASCII-case-insensitively in place.
 */
export function scanDomain<V>(name: string, hosts: DomainTable<V>, domains: DomainTable<V>, maxLabels: number, accept: Accept<V>, t0: number, t1: number, out: DomainScan<V>): void {
  let end = name.length;
  if (end > 0 && name.charCodeAt(end - 1) === 46) end--;
  if (!scanSuffixes(name, end, true, hosts, domains, maxLabels, accept, t0, t1, out)) {
    const lowered = name.slice(0, end).toLowerCase();
    scanSuffixes(lowered, lowered.length, false, hosts, domains, maxLabels, accept, t0, t1, out);
  }
}

/** False when `asciiOnly` and a non-ASCII character was met (the caller lowercases and scans again). */
function scanSuffixes<V>(
  name: string,
  end: number,
  asciiOnly: boolean,
  hosts: DomainTable<V>,
  domains: DomainTable<V>,
  maxLabels: number,
  accept: Accept<V>,
  t0: number,
  t1: number,
  out: DomainScan<V>,
): boolean {
  out.host = undefined;
  out.own = undefined;
  out.parent = undefined;
  if (end === 0) return true;
  let h = FNV_OFFSET;
  let labels = 1;
  for (let i = end - 1; i >= 0; i--) {
    const c = name.charCodeAt(i);
    if (c >= 128 && asciiOnly) return false;
    h = Math.imul(h ^ (c >= 65 && c <= 90 ? c | 32 : c), FNV_PRIME);
    if (i > 0 && name.charCodeAt(i - 1) === 46) {
      // [i, end) is a complete suffix of `labels` labels: a parent when there are 2 to maxLabels.
      if (out.parent === undefined && labels >= 2 && labels <= maxLabels && domains.size > 0) {
        const v = domains.valueAt(name, i, end, h);
        if (v !== undefined && accept(v, t0, t1)) out.parent = v;
      }
      labels++;
    }
  }
  if (hosts.size > 0) out.host = hosts.valueAt(name, 0, end, h);
  if (domains.size > 0) out.own = domains.valueAt(name, 0, end, h);
  return true;
}
