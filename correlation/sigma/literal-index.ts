/**
 * Shared literal prefilter for one field slot: every contains/startswith/endswith/equals literal
 * that any rule tests on the field goes into one Aho-Corasick automaton. Per event the field's
 * value is scanned once, and each literal found is stamped with where it occurred (anywhere, at
 * the start, at the end, the whole value). Rule testers then only read stamps, so the cost of a
 * field grows with its length, not with the number of rules testing it.
 */

const ASCII = 128;

export class LiteralIndex {
  private readonly ids = new Map<string, number>();
  private readonly literals: string[] = [];
  private sealed = false;
  /** Literal id → rule entries to mark when it occurs (rule-set prefilter). */
  private postingLists: number[][] = [];
  private postings: (Int32Array | null)[] = [];

  constructor(
    /** The field slot this index scans, and whether it scans the original (cased) strings. */
    readonly slot: number,
    readonly cased: boolean,
  ) {}

  // Automaton, flattened after seal().
  private rootAscii = new Int32Array(ASCII);
  private rootOther = new Map<number, number>();
  private edgeStart = new Int32Array(0);
  private edgeCount = new Int32Array(0);
  private edgeChar = new Uint16Array(0);
  private edgeTarget = new Int32Array(0);
  private fail = new Int32Array(0);
  /** Nearest state (itself or a suffix state) that ends a literal; 0 when none. */
  private outHead = new Int32Array(0);
  /** Next output state among the proper suffixes of an output state. */
  private outNext = new Int32Array(0);
  private outStart = new Int32Array(0);
  private outCount = new Int32Array(0);
  private outIds = new Int32Array(0);
  private literalLength = new Int32Array(0);

  /** Stamps: literal id → generation of the last scan that found it in that position. */
  anywhere = new Uint32Array(0);
  atStart = new Uint32Array(0);
  atEnd = new Uint32Array(0);
  whole = new Uint32Array(0);
  /** Generation of the last scan; stamps equal to it are current. */
  generation = 0;
  private scannedFor = -1;
  private scannedView: unknown = null;

  /** Registers a literal (already case-folded if the index is), returns its id. */
  add(literal: string): number {
    if (this.sealed) throw new Error('literal index already sealed');
    let id = this.ids.get(literal);
    if (id === undefined) {
      id = this.literals.length;
      this.literals.push(literal);
      this.ids.set(literal, id);
    }
    return id;
  }

  get size(): number {
    return this.literals.length;
  }

  /** Marks rule entry `entry` whenever literal `id` occurs (see scan's `marks`). */
  addPosting(id: number, entry: number): void {
    if (this.sealed) throw new Error('literal index already sealed');
    const list = (this.postingLists[id] ??= []);
    if (list[list.length - 1] !== entry) list.push(entry);
  }

  seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    // Trie with Map children while building.
    const children: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    this.literalLength = new Int32Array(this.literals.length);
    this.literals.forEach((lit, id) => {
      this.literalLength[id] = lit.length;
      let state = 0;
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        let next = children[state].get(c);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          ends.push([]);
          children[state].set(c, next);
        }
        state = next;
      }
      ends[state].push(id);
    });
    const n = children.length;
    const fail = new Int32Array(n);
    const outHead = new Int32Array(n);
    const outNext = new Int32Array(n);
    // Breadth-first: a state's failure link is computed from its parent's.
    const queue: number[] = [];
    for (const child of children[0].values()) {
      fail[child] = 0;
      queue.push(child);
    }
    for (let q = 0; q < queue.length; q++) {
      const state = queue[q];
      const f = fail[state];
      outNext[state] = outHead[f];
      outHead[state] = ends[state].length > 0 ? state : outHead[f];
      for (const [c, child] of children[state]) {
        let s = f;
        let target = children[s].get(c);
        while (target === undefined && s !== 0) {
          s = fail[s];
          target = children[s].get(c);
        }
        fail[child] = target !== undefined && target !== child ? target : 0;
        queue.push(child);
      }
    }
    // Flatten edges (sorted by char) and outputs.
    let edges = 0;
    for (const m of children) edges += m.size;
    this.edgeStart = new Int32Array(n);
    this.edgeCount = new Int32Array(n);
    this.edgeChar = new Uint16Array(edges);
    this.edgeTarget = new Int32Array(edges);
    let e = 0;
    for (let s = 0; s < n; s++) {
      const sorted = [...children[s].entries()].sort((a, b) => a[0] - b[0]);
      this.edgeStart[s] = e;
      this.edgeCount[s] = sorted.length;
      for (const [c, t] of sorted) {
        this.edgeChar[e] = c;
        this.edgeTarget[e] = t;
        e++;
      }
    }
    this.rootAscii.fill(0);
    for (const [c, t] of children[0]) {
      if (c < ASCII) this.rootAscii[c] = t;
      else this.rootOther.set(c, t);
    }
    let outs = 0;
    for (const list of ends) outs += list.length;
    this.outStart = new Int32Array(n);
    this.outCount = new Int32Array(n);
    this.outIds = new Int32Array(outs);
    let o = 0;
    for (let s = 0; s < n; s++) {
      this.outStart[s] = o;
      this.outCount[s] = ends[s].length;
      for (const id of ends[s]) this.outIds[o++] = id;
    }
    this.fail = fail;
    this.outHead = outHead;
    this.outNext = outNext;
    const m = this.literals.length;
    this.anywhere = new Uint32Array(m);
    this.atStart = new Uint32Array(m);
    this.atEnd = new Uint32Array(m);
    this.whole = new Uint32Array(m);
    this.postings = [];
    for (let id = 0; id < m; id++) {
      const list = this.postingLists[id];
      this.postings.push(list && list.length > 0 ? Int32Array.from(list) : null);
    }
    this.postingLists = [];
  }

  /**
   * Scans the values of one event field, once per (view, generation): `owner` and `generation`
   * identify the event the stamps belong to. With `marks`, every rule entry posted under a found
   * literal gets `marks[entry] = markGeneration`; the rule set scans with marks before any rule
   * runs, so the lazy scans of the testers then return at once.
   */
  scan(values: readonly string[], owner: unknown, viewGeneration: number, marks?: Uint32Array, markGeneration = 0): void {
    if (this.scannedFor === viewGeneration && this.scannedView === owner) return;
    this.scannedFor = viewGeneration;
    this.scannedView = owner;
    let g = this.generation + 1;
    if (g === 0xffffffff) {
      this.anywhere.fill(0);
      this.atStart.fill(0);
      this.atEnd.fill(0);
      this.whole.fill(0);
      g = 1;
    }
    this.generation = g;
    if (this.literals.length === 0) return;
    // Locals: the loop runs once per character of every scanned field value.
    const rootAscii = this.rootAscii;
    const rootOther = this.rootOther;
    const edgeStart = this.edgeStart;
    const edgeCount = this.edgeCount;
    const edgeChar = this.edgeChar;
    const edgeTarget = this.edgeTarget;
    const fail = this.fail;
    const outHead = this.outHead;
    const outNext = this.outNext;
    const outStart = this.outStart;
    const outCount = this.outCount;
    const outIds = this.outIds;
    const literalLength = this.literalLength;
    const anywhere = this.anywhere;
    const atStart = this.atStart;
    const atEnd = this.atEnd;
    const whole = this.whole;
    const postings = this.postings;
    for (let v = 0; v < values.length; v++) {
      const s = values[v];
      const last = s.length - 1;
      let state = 0;
      for (let i = 0; i <= last; i++) {
        const c = s.charCodeAt(i);
        // Goto with failure links: follow fail until a state has an edge on c, or the root.
        for (;;) {
          if (state === 0) {
            state = c < ASCII ? rootAscii[c] : (rootOther.get(c) ?? 0);
            break;
          }
          const from = edgeStart[state];
          const to = from + edgeCount[state];
          let target = -1;
          for (let e = from; e < to; e++) {
            const ec = edgeChar[e];
            if (ec === c) {
              target = edgeTarget[e];
              break;
            }
            if (ec > c) break;
          }
          if (target >= 0) {
            state = target;
            break;
          }
          state = fail[state];
        }
        for (let o = outHead[state]; o !== 0; o = outNext[o]) {
          const to = outStart[o] + outCount[o];
          for (let k = outStart[o]; k < to; k++) {
            const id = outIds[k];
            if (marks !== undefined && anywhere[id] !== g) {
              const posted = postings[id];
              if (posted !== null) for (let p = 0; p < posted.length; p++) marks[posted[p]] = markGeneration;
            }
            anywhere[id] = g;
            const startsAtZero = i + 1 === literalLength[id];
            if (startsAtZero) atStart[id] = g;
            if (i === last) {
              atEnd[id] = g;
              if (startsAtZero) whole[id] = g;
            }
          }
        }
      }
    }
  }
}
