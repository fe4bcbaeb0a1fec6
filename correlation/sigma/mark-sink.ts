/** The rule entries a scan marks (the rule set's prefilter), and how a posting names one. */

/** A posting is (rule entry, prefilter group of the entry) in one number. */
const GROUP_BITS = 2;
const GROUP_MASK = (1 << GROUP_BITS) - 1;
export const MAX_POSTING_GROUPS = 1 << GROUP_BITS;

export function postingCode(entry: number, group: number): number {
  if (group < 0 || group >= MAX_POSTING_GROUPS) throw new Error(`prefilter group ${group} out of range`);
  return (entry << GROUP_BITS) | group;
}

/**
 * Rule entries marked during one event's scans (rule-set prefilter): each entry posted under a
 * found literal is recorded once in `list[0..count)`, so the rule set visits only those instead
 * of testing a mark per candidate, and `groups[entry]` collects which of its prefilter groups
 * (bits) were satisfied.
 */
export class MarkSink {
  // Not readonly: a WebAssembly scan arena moves them into its memory (useArrays).
  marks: Uint32Array;
  groups: Uint8Array;
  list: Int32Array;
  count = 0;
  generation = 0;

  constructor(entries: number) {
    this.marks = new Uint32Array(entries);
    this.groups = new Uint8Array(entries);
    this.list = new Int32Array(entries);
  }

  /** Records a posting (see postingCode): its entry satisfies one more group. */
  mark(code: number): void {
    const entry = code >> GROUP_BITS;
    const bit = 1 << (code & GROUP_MASK);
    if (this.marks[entry] !== this.generation) {
      this.marks[entry] = this.generation;
      this.groups[entry] = bit;
      this.list[this.count++] = entry;
    } else this.groups[entry] |= bit;
  }

  /**
   * Makes these arrays (one slot per rule entry each) the sink's storage, for a WebAssembly scan
   * that marks postings itself (wasm-scan.ts); the caller copies the contents over when they must
   * carry on. (The current arrays may be detached views of a memory that grew: length 0.)
   */
  useArrays(marks: Uint32Array, groups: Uint8Array, list: Int32Array): void {
    if (groups.length !== marks.length || list.length !== marks.length) throw new Error('mark sink arrays must have one slot per rule entry each');
    this.marks = marks;
    this.groups = groups;
    this.list = list;
  }

  /** Starts a new event: nothing is marked. */
  next(): void {
    let g = this.generation + 1;
    if (g === 0xffffffff) {
      this.marks.fill(0);
      g = 1;
    }
    this.generation = g;
    this.count = 0;
  }
}
