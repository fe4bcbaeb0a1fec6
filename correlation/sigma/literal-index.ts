/**
 * Shared literal prefilter for one field slot: every contains/startswith/endswith/equals literal
 * that any rule tests on the field goes into one Aho-Corasick automaton (literal-automaton.ts).
 * Per event the field's value is scanned once, and each literal found is stamped with where it
 * occurred (anywhere, at the start, at the end, the whole value). Rule testers then only read
 * stamps, so the cost of a field grows with its length, not with the number of rules testing it.
 */
import { ASCII, buildLiteralAutomaton, RECORD_COLUMN, ZERO_CLASS } from './literal-automaton';
import { MarkSink, postingCode } from './mark-sink';
import { LongLiteralFilter } from './long-literal-filter';
import { buildMemoRecord, MEMO_MAX_LENGTH, MEMO_MIN_LENGTH, MemoBudget, ValueMemo, type MemoRecord } from './literal-memo';
import type { WasmResults, WasmScanArena } from './wasm-scan';

const NO_OUTS = new Int32Array(1);

/**
 * A case-sensitive index with this few literals is searched with indexOf (a native search, well
 * under a nanosecond a character) instead of the automaton (3-4 ns a character even with two
 * states: each transition waits for the previous one). Case-folded ones would need a lower-cased copy.
 */
export const FEW_LITERALS = 3;

export { MarkSink, MAX_POSTING_GROUPS, postingCode } from './mark-sink';

/** Where a found literal occurred (bits of `where`). */
export const ANYWHERE = 1;
export const AT_START = 2;
export const AT_END = 4;
export const WHOLE = 8;

/**
 * `text.startsWith(tail, from)` with ASCII letters of `text` folded (tail is lower-cased). Other
 * characters compare as they are: a non-ASCII character that lower-cases differently makes the
 * scan rescan the lower-cased value anyway, where this comparison is then exact.
 */
function foldedStartsWith(text: string, tail: string, from: number): boolean {
  if (from + tail.length > text.length) return false;
  for (let j = 0; j < tail.length; j++) {
    let c = text.charCodeAt(from + j);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== tail.charCodeAt(j)) return false;
  }
  return true;
}

export class LiteralIndex {
  private readonly ids = new Map<string, number>();
  private readonly literals: string[] = [];
  private sealed = false;
  /** Literal id → postings (postingCode) to mark when it occurs (rule-set prefilter). */
  private postingLists: number[][] = [];
  private postings: (Int32Array | null)[] = [];

  constructor(
    /** The field slot this index scans, and whether it scans the original (cased) strings. */
    readonly slot: number,
    readonly cased: boolean,
  ) {}

  // Automaton (see literal-automaton.ts), set by seal().
  private asciiClass: Uint8Array = new Uint8Array(ASCII).fill(ZERO_CLASS);
  private otherClass = new Map<number, number>();
  private dense: Int32Array = new Int32Array(ZERO_CLASS + 1);
  private denseSize = ZERO_CLASS + 1;
  private sparse: Int32Array = new Int32Array(3);
  private outs: Int32Array = NO_OUTS;
  private tails: string[] = [];
  /** Dense row length: ASCII classes are below it, non-ASCII ones at or above. */
  private stride = ZERO_CLASS + 1;
  private literalLength = new Int32Array(0);
  /** State code where sparseRun left off. */
  private resumeState = 0;
  /** The literals of a case-sensitive index with at most FEW_LITERALS of them (scanFew), else null. */
  private few: string[] | null = null;
  /** Skips values no literal can occur in, for indexes of long literals only (long-literal-filter.ts). */
  private filter: LongLiteralFilter | null = null;
  /** Scan results per repeated value (literal-memo.ts); null when off or before seal(). */
  memo: ValueMemo | null = null;
  /** While recording a value for the memo: every (literal id, position bits) reported. */
  private capturing = false;
  private capture = new Int32Array(64);
  private captureCount = 0;
  /** The arena holding the WebAssembly copy of the automaton (wasm-scan.ts) and the results; null: JS only. */
  private wasm: WasmScanArena | null = null;
  private wasmDesc = 0;
  /** Scan in JS although placed in an arena: for comparisons (tests, bench/sigma-wasm.ts). */
  scanInJs = false;
  /** Automaton size, for diagnostics. */
  states = 1;
  denseStates = 1;

  /**
   * Results of the last scan: the literals found, in `found[0..foundCount)`, each once; `stamp`
   * (literal id → generation of the last scan that found it) and `where` (ANYWHERE | AT_START |
   * AT_END | WHOLE bits, current when the stamp is). Testers walk the short found list rather
   * than probing a stamp per literal they test: fewer scattered reads.
   */
  // Typed over any buffer: with a WebAssembly scan they view its memory (useWasm).
  found: Int32Array = new Int32Array(0);
  foundCount = 0;
  stamp: Uint32Array = new Uint32Array(0);
  where: Uint8Array = new Uint8Array(0);
  /** Generation of the last scan; stamps equal to it are current. */
  generation = 0;
  private scannedFor = -1;
  private scannedView: unknown = null;

  /** Whether the last scan found literal `id` at a position in `position` (a mask of ANYWHERE…). */
  foundAt(id: number, position: number): boolean {
    return this.stamp[id] === this.generation && (this.where[id] & position) !== 0;
  }

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

  /** Marks group `group` of rule entry `entry` whenever literal `id` occurs (see scan's `sink`). */
  addPosting(id: number, entry: number, group = 0): void {
    if (this.sealed) throw new Error('literal index already sealed');
    const code = postingCode(entry, group);
    const list = (this.postingLists[id] ??= []);
    if (!list.includes(code)) list.push(code);
  }

  /**
   * Builds the automaton. With `memo` (default: a budget of its own; null: off) the scans of
   * repeated values are remembered, held within that budget (shared by a rule set's indexes).
   * With `wasm` (a rule set's one arena, see FieldTable.seal), ASCII values are scanned there.
   */
  seal(denseBudget?: number, memo: MemoBudget | null = new MemoBudget(), wasm: WasmScanArena | null = null): void {
    if (this.sealed) return;
    this.sealed = true;
    this.memo = memo !== null && this.literals.length > 0 ? new ValueMemo(memo) : null;
    const a = buildLiteralAutomaton(this.literals, denseBudget, !this.cased);
    this.asciiClass = a.asciiClass;
    this.otherClass = a.otherClass;
    this.dense = a.dense;
    this.denseSize = a.denseSize;
    this.sparse = a.sparse;
    this.outs = a.outs;
    this.tails = a.tails;
    this.stride = a.stride;
    this.states = a.states;
    this.denseStates = a.denseStates;
    const m = this.literals.length;
    this.literalLength = Int32Array.from(this.literals, (l) => l.length);
    this.found = new Int32Array(m);
    this.stamp = new Uint32Array(m);
    this.where = new Uint8Array(m);
    this.postings = [];
    for (let id = 0; id < m; id++) {
      const list = this.postingLists[id];
      this.postings.push(list && list.length > 0 ? Int32Array.from(list) : null);
    }
    this.postingLists = [];
    if (this.cased && m <= FEW_LITERALS) {
      this.few = this.literals.slice();
      this.memo = null;
    } else this.filter = LongLiteralFilter.build(this.literals, !this.cased);
    if (wasm !== null && this.few === null && m > 0) {
      try {
        this.useWasm(wasm);
      } catch {
        // The arena's memory cannot grow (address space or a ulimit): this index keeps the JS scan.
      }
    }
  }

  /**
   * Scans the values of one event field, once per (view, generation): `owner` and `generation`
   * identify the event the stamps belong to. Values are the original strings: a case-folded
   * index folds ASCII letters itself, and lower-cases a value only when it holds other
   * characters. With `sink`, every rule entry posted under a found literal is marked in it; the
   * rule set scans with a sink before any rule runs, so the lazy scans of the testers then
   * return at once.
   */
  scan(values: readonly string[], owner: unknown, viewGeneration: number, sink?: MarkSink): void {
    if (this.scannedFor === viewGeneration && this.scannedView === owner) return;
    this.scannedFor = viewGeneration;
    this.scannedView = owner;
    let g = this.generation + 1;
    if (g === 0xffffffff) {
      this.stamp.fill(0);
      g = 1;
    }
    this.generation = g;
    this.foundCount = 0;
    if (this.literals.length === 0) return;
    if (this.few !== null) {
      for (let v = 0; v < values.length; v++) this.scanFew(values[v], g, sink);
      return;
    }
    const memo = this.memo;
    const filter = this.filter;
    for (let v = 0; v < values.length; v++) {
      const s = values[v];
      if (filter !== null && !filter.mayContain(s)) continue;
      if (memo !== null && s.length >= MEMO_MIN_LENGTH && s.length <= MEMO_MAX_LENGTH && memo.use()) {
        const record = memo.get(s);
        if (record !== undefined) {
          this.replay(record, g, sink);
          continue;
        }
        if (memo.admit()) {
          this.capturing = true;
          this.captureCount = 0;
          this.scanValue(s, g, sink);
          this.capturing = false;
          memo.put(s, buildMemoRecord(this.capture, this.captureCount, this.postings));
          continue;
        }
      }
      this.scanValue(s, g, sink);
    }
  }

  /** A case-sensitive index of FEW_LITERALS or fewer: each literal found by indexOf, no automaton. */
  private scanFew(s: string, g: number, sink: MarkSink | undefined): void {
    const few = this.few as string[];
    for (let id = 0; id < few.length; id++) {
      const lit = few[id];
      // An empty literal is no occurrence (as in the automaton, whose root never reports).
      if (lit.length === 0) continue;
      const at = s.indexOf(lit);
      if (at < 0) continue;
      const atEnd = at + lit.length === s.length || s.endsWith(lit);
      const bits = ANYWHERE | (at === 0 ? AT_START : 0) | (atEnd ? (s.length === lit.length ? AT_END | WHOLE : AT_END) : 0);
      if (this.stamp[id] === g) {
        this.where[id] |= bits;
        continue;
      }
      this.stamp[id] = g;
      this.where[id] = bits;
      this.found[this.foundCount++] = id;
      const posted = this.postings[id];
      if (sink !== undefined && posted !== null) for (let p = 0; p < posted.length; p++) sink.mark(posted[p]);
    }
  }

  /** Stamps (and marks the postings of) the literals of a memo record, as scanning its value would. */
  private replay(record: MemoRecord, g: number, sink: MarkSink | undefined): void {
    const stamp = this.stamp;
    const where = this.where;
    const end = 1 + 2 * record[0];
    for (let k = 1; k < end; k += 2) {
      const id = record[k];
      if (stamp[id] === g) {
        where[id] |= record[k + 1];
        continue;
      }
      stamp[id] = g;
      where[id] = record[k + 1];
      this.found[this.foundCount++] = id;
    }
    // Marking is idempotent: postings of literals another value already found may repeat.
    if (sink !== undefined) for (let k = end; k < record.length; k++) sink.mark(record[k]);
  }

  /**
   * Scans ASCII values in `arena` from now on (seal does this): the automaton is copied there and
   * the scan results (found, stamp, where) move there, for good. Throws, with nothing changed,
   * when the arena's memory cannot grow; an index is placed in one arena only.
   */
  useWasm(arena: WasmScanArena): void {
    if (!this.sealed) throw new Error('literal index not sealed yet: its automaton is built by seal()');
    if (this.wasm !== null) {
      if (this.wasm === arena) return;
      throw new Error('literal index already placed in another WebAssembly arena');
    }
    const automaton = {
      asciiClass: this.asciiClass,
      dense: this.dense,
      sparse: this.sparse,
      outs: this.outs,
      literalLength: this.literalLength,
      tails: this.tails,
      folded: !this.cased,
      postings: this.postings,
    };
    // After the memory grows the old views are detached: the arena hands over new ones.
    const placed = arena.place(automaton, (views) => this.useResults(views));
    placed.results.found.set(this.found);
    placed.results.stamp.set(this.stamp);
    placed.results.where.set(this.where);
    this.useResults(placed.results);
    this.wasmDesc = placed.desc;
    this.wasm = arena;
  }

  private useResults(r: WasmResults): void {
    this.found = r.found;
    this.stamp = r.stamp;
    this.where = r.where;
  }

  /** Scans one value (see scan). */
  private scanValue(s: string, g: number, sink: MarkSink | undefined): void {
    const arena = this.wasm;
    // The memo records every occurrence (captured), which only the JS report does. A sink is
    // adopted before the value is loaded: adopting may move the scratch area.
    if (arena !== null && !this.capturing && !this.scanInJs && (sink === undefined || arena.adopt(sink)) && arena.load(s)) {
      this.foundCount = arena.scan(this.wasmDesc, s.length, g, this.foundCount, sink);
      return;
    }
    // The hot loop: one class load and one transition load per ASCII character while the codes
    // stay >= 0 (a dense state without outputs). Outputs, deep states and non-ASCII text leave it.
    const asciiClass = this.asciiClass;
    const dense = this.dense;
    const denseSize = this.denseSize;
    const n = s.length;
    let state = 0;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= ASCII) break;
      state = dense[state + asciiClass[c]];
      if (state < 0) {
        const x = ~state;
        if (x < denseSize) {
          this.report(s, dense[x], i, n - 1, g, sink);
          state = x;
        } else {
          i = this.sparseRun(s, x - denseSize, i, g, sink);
          state = this.resumeState;
          if (state < 0) {
            // Still deep: the string ended, or a non-ASCII character follows.
            i++;
            break;
          }
        }
      }
    }
    if (i < n) this.slowScan(s, i, state, g, sink);
  }

  /**
   * From sparse record `p`, entered on character `i` of `s`: reports, then steps through the
   * deep states until a dense state is reached (returns that character's position, the state in
   * resumeState), the text ends or a non-ASCII character comes (resumeState < 0).
   */
  private sparseRun(s: string, p: number, i: number, g: number, sink: MarkSink | undefined): number {
    const dense = this.dense;
    const sparse = this.sparse;
    const denseSize = this.denseSize;
    const last = s.length - 1;
    if (sparse[p] !== 0) this.report(s, sparse[p], i, last, g, sink);
    let code = ~(denseSize + p);
    for (let j = i + 1; j <= last; j++) {
      const c = s.charCodeAt(j);
      if (c >= ASCII) {
        this.resumeState = code;
        return j - 1;
      }
      code = this.step(code, this.asciiClass[c]);
      const x = code >= 0 ? code : ~code;
      if (x < denseSize) {
        if (code < 0) this.report(s, dense[x], j, last, g, sink);
        this.resumeState = x;
        return j;
      }
      if (sparse[x - denseSize] !== 0) this.report(s, sparse[x - denseSize], j, last, g, sink);
    }
    this.resumeState = code;
    return last;
  }

  /**
   * The general scan from character `from` in state `state`, for text with non-ASCII characters:
   * a case-folded index rescans the lower-cased value when lower-casing changes it (it may even
   * change its length; the ASCII prefix scanned so far is found again, harmlessly).
   */
  private slowScan(s: string, from: number, state: number, g: number, sink: MarkSink | undefined): void {
    const asciiClass = this.asciiClass;
    const otherClass = this.otherClass;
    const dense = this.dense;
    const sparse = this.sparse;
    const denseSize = this.denseSize;
    let text = s;
    let last = text.length - 1;
    let lowered = this.cased;
    for (let i = from; i <= last; i++) {
      const c = text.charCodeAt(i);
      if (c >= ASCII && !lowered) {
        lowered = true;
        const lower = text.toLowerCase();
        if (lower !== text) {
          text = lower;
          last = text.length - 1;
          state = 0;
          i = -1;
          continue;
        }
      }
      state = this.step(state, c < ASCII ? asciiClass[c] : (otherClass.get(c) ?? ZERO_CLASS));
      if (state < 0) {
        const x = ~state;
        const out = x < denseSize ? dense[x] : sparse[x - denseSize];
        if (out !== 0) this.report(text, out, i, last, g, sink);
      }
    }
  }

  /** The state after class `k` from state `code`: dense columns, else record edges and failure links. */
  private step(code: number, k: number): number {
    if (k === ZERO_CLASS) return 0;
    const dense = this.dense;
    const sparse = this.sparse;
    const denseSize = this.denseSize;
    const stride = this.stride;
    for (;;) {
      const x = code >= 0 ? code : ~code;
      let p: number;
      if (x < denseSize) {
        if (k < stride) return dense[x + k];
        p = dense[x + RECORD_COLUMN];
      } else p = x - denseSize;
      const end = p + 3 + 2 * sparse[p + 2];
      for (let e = p + 3; e < end; e += 2) if (sparse[e] === k) return sparse[e + 1];
      if (x === 0) return 0;
      code = sparse[p + 1];
    }
  }

  /** Stamps the literals of output record `out` (and its suffixes') whose trie part ends at `end` of `s`. */
  private report(s: string, out: number, end: number, last: number, g: number, sink: MarkSink | undefined): void {
    const outs = this.outs;
    const literalLength = this.literalLength;
    const stamp = this.stamp;
    for (let o = out; o !== 0; o = outs[o]) {
      const to = o + 2 + outs[o + 1];
      for (let k = o + 2; k < to; k++) {
        let id = outs[k];
        let i = end;
        if (id < 0) {
          // Only the prefix is in the trie: the rest must follow.
          id = ~id;
          const tail = this.tails[id];
          if (!(this.cased ? s.startsWith(tail, end + 1) : foldedStartsWith(s, tail, end + 1))) continue;
          i = end + tail.length;
        }
        const startsAtZero = i + 1 === literalLength[id];
        const bits = ANYWHERE | (startsAtZero ? AT_START : 0) | (i === last ? (startsAtZero ? AT_END | WHOLE : AT_END) : 0);
        if (this.capturing) this.captured(id, bits);
        if (stamp[id] === g) {
          this.where[id] |= bits;
          continue;
        }
        stamp[id] = g;
        this.where[id] = bits;
        this.found[this.foundCount++] = id;
        if (sink === undefined) continue;
        const posted = this.postings[id];
        if (posted === null) continue;
        for (let p = 0; p < posted.length; p++) sink.mark(posted[p]);
      }
    }
  }

  private captured(id: number, bits: number): void {
    if (2 * this.captureCount + 2 > this.capture.length) {
      const bigger = new Int32Array(this.capture.length * 2);
      bigger.set(this.capture);
      this.capture = bigger;
    }
    this.capture[2 * this.captureCount] = id;
    this.capture[2 * this.captureCount + 1] = bits;
    this.captureCount++;
  }
}
