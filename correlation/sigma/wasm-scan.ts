/**
 * One WebAssembly.Memory per rule set holding the automata of its literal indexes, and the scan
 * of an ASCII value through one of them (wasm-scan-module.ts). Each index placed (at seal) gets
 * a descriptor, its tables (classes, T = dense rows then sparse records, output records, literal
 * lengths, tails, postings) and its scan results (stamps, position bits, found list), which the
 * index reads through views. The rule set's MarkSink is adopted at its first scan: its arrays
 * move here too, so the scan marks postings without returning to JS. After all of that, a
 * scratch area receives the value's characters.
 *
 * Memory grows only when an index or a sink is placed (views are rebuilt then; offsets stay),
 * never while a value is scanned: a value longer than MAX_WASM_VALUE is left to the JS scan.
 */
import { MarkSink } from './mark-sink';
import {
  DESC_BYTES,
  DESC_CLASSES,
  DESC_DENSE_SIZE,
  DESC_FOLDED,
  DESC_FOUND,
  DESC_LITERAL_LENGTH,
  DESC_OUTS,
  DESC_POSTING_START,
  DESC_POSTINGS,
  DESC_STAMP,
  DESC_TABLE,
  DESC_TAIL_AT,
  DESC_TAIL_LENGTH,
  DESC_WHERE,
  NEVER_TAIL,
  scanModuleBytes,
  SINK_BYTES,
  SINK_COUNT,
  SINK_GENERATION,
  SINK_GROUPS,
  SINK_LIST,
  SINK_MARKS,
} from './wasm-scan-module';

const PAGE = 65536;
/** Longest value scanned here (characters); longer ones keep the JS scan. */
export const MAX_WASM_VALUE = 65536;
/** Values shorter than this are copied by a charCodeAt loop, longer ones by a Buffer write. */
const SHORT_VALUE = 48;

/** The parts of the WebAssembly JS API used here (its types are in no lib this project compiles with). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null = null;

type ScanFunction = (text: number, n: number, desc: number, generation: number, foundCount: number, sink: number) => number;

/** What an index hands over to be scanned here (see LiteralAutomaton). */
export interface WasmAutomaton {
  asciiClass: Uint8Array;
  dense: Int32Array;
  sparse: Int32Array;
  outs: Int32Array;
  literalLength: Int32Array;
  /** Literal id → the characters after its trie prefix ('' when none). */
  tails: readonly string[];
  /** Case-folded index: A-Z of the text compare as a-z with tails. */
  folded: boolean;
  /** Literal id → the posting codes to mark when it is found (mark-sink.ts), or null. */
  postings: readonly (Int32Array | null)[];
}

/** An index's scan results, viewed in the memory (replaced after it grows). */
export interface WasmResults {
  stamp: Uint32Array;
  where: Uint8Array;
  found: Int32Array;
}

interface Placed {
  desc: number;
  stampAt: number;
  whereAt: number;
  foundAt: number;
  literals: number;
  rebind: (views: WasmResults) => void;
}

/** The arena, or null where WebAssembly cannot be instantiated (the JS scan is then used). */
export function createWasmScanArena(): WasmScanArena | null {
  if (wasmApi === undefined) return null;
  try {
    return new WasmScanArena(wasmApi);
  } catch {
    return null;
  }
}

export class WasmScanArena {
  private readonly memory: WasmMemory;
  private readonly scanFunction: ScanFunction;
  private bytes: Uint8Array;
  private words: Int32Array;
  private buffer: Buffer;
  private readonly placed: Placed[] = [];
  /** The adopted MarkSink and its header's address (0: none yet). */
  sink: MarkSink | null = null;
  /** The sink could not be placed (memory would not grow): not tried again. */
  private adoptFailed = false;
  private sinkAt = 0;
  /** The sink's rule entries (its arrays' length: a detached view's length reads 0). */
  private sinkEntries = 0;
  /** End of what indexes and the sink hold. */
  private used = 0;
  /** Scratch for the value's characters (3 bytes a character: see load), after everything else. */
  private textAt = 0;

  constructor(api: WasmApi) {
    compiled ??= new api.Module(scanModuleBytes());
    this.memory = new api.Memory({ initial: 1 });
    const instance = new api.Instance(compiled, { env: { memory: this.memory } });
    this.scanFunction = instance.exports.scan as ScanFunction;
    this.bytes = new Uint8Array(this.memory.buffer);
    this.words = new Int32Array(this.memory.buffer);
    this.buffer = Buffer.from(this.memory.buffer);
    this.reserve(0);
  }

  /** Copies an index's automaton in and reserves its results; `rebind` gets new views after growth. */
  place(a: WasmAutomaton, rebind: (views: WasmResults) => void): { desc: number; results: WasmResults } {
    const m = a.literalLength.length;
    const tailBytes = a.tails.map((t) => (isAscii(t) ? Buffer.from(t, 'latin1') : null));
    const postingCount = a.postings.reduce((n, p) => n + (p === null ? 0 : p.length), 0);
    // Layout: every i32 array 4-aligned, the byte arrays last.
    let at = align(this.used, 8);
    const desc = at;
    const take = (bytes: number): number => {
      const start = at;
      at += bytes;
      return start;
    };
    take(DESC_BYTES);
    const table = take(4 * (a.dense.length + a.sparse.length));
    const outs = take(4 * a.outs.length);
    const literalLength = take(4 * m);
    const tailAt = take(4 * m);
    const tailLength = take(4 * m);
    const stampAt = take(4 * m);
    const foundAt = take(4 * m);
    const postingStart = take(4 * (m + 1));
    const postings = take(4 * postingCount);
    const cls = take(a.asciiClass.length);
    const whereAt = take(m);
    const tailsAt = at;
    for (const t of tailBytes) at += t === null ? 0 : t.length;
    this.reserve(at);

    const w = this.words;
    const fields: [number, number][] = [
      [DESC_CLASSES, cls],
      [DESC_TABLE, table],
      [DESC_DENSE_SIZE, a.dense.length],
      [DESC_OUTS, outs],
      [DESC_LITERAL_LENGTH, literalLength],
      [DESC_TAIL_AT, tailAt],
      [DESC_TAIL_LENGTH, tailLength],
      [DESC_STAMP, stampAt],
      [DESC_WHERE, whereAt],
      [DESC_FOUND, foundAt],
      [DESC_FOLDED, a.folded ? 1 : 0],
      [DESC_POSTING_START, postingStart],
      [DESC_POSTINGS, postings],
    ];
    for (const [field, value] of fields) w[(desc + field) >> 2] = value;
    this.bytes.set(a.asciiClass, cls);
    w.set(a.dense, table >> 2);
    w.set(a.sparse, (table >> 2) + a.dense.length);
    w.set(a.outs, outs >> 2);
    w.set(a.literalLength, literalLength >> 2);
    let next = 0;
    a.postings.forEach((list, id) => {
      w[(postingStart >> 2) + id] = next;
      if (list !== null) w.set(list, (postings >> 2) + next);
      next += list === null ? 0 : list.length;
    });
    w[(postingStart >> 2) + m] = next;
    let tail = tailsAt;
    tailBytes.forEach((t, id) => {
      w[(tailAt >> 2) + id] = tail;
      w[(tailLength >> 2) + id] = t === null ? NEVER_TAIL : t.length;
      if (t !== null) {
        this.bytes.set(t, tail);
        tail += t.length;
      }
    });
    // Results start empty (the area may have held a value's characters).
    this.bytes.fill(0, stampAt, foundAt + 4 * m);
    this.bytes.fill(0, whereAt, whereAt + m);
    const entry: Placed = { desc, stampAt, whereAt, foundAt, literals: m, rebind };
    this.placed.push(entry);
    return { desc, results: this.views(entry) };
  }

  /**
   * Moves `sink`'s arrays into this memory (their contents kept) so that scans mark postings
   * themselves. One sink per arena (a rule set has one); false when another one already is.
   */
  adopt(sink: MarkSink): boolean {
    if (this.sink !== null) return this.sink === sink;
    if (this.adoptFailed) return false;
    const entries = sink.marks.length;
    let at = align(this.used, 8);
    const header = at;
    at += SINK_BYTES;
    const marks = at;
    at += 4 * entries;
    const list = at;
    at += 4 * entries;
    const groups = at;
    at += entries;
    try {
      this.reserve(at);
    } catch {
      // The memory cannot grow: scans with this sink stay in JS (same results).
      this.adoptFailed = true;
      return false;
    }
    const w = this.words;
    w[(header + SINK_MARKS) >> 2] = marks;
    w[(header + SINK_GROUPS) >> 2] = groups;
    w[(header + SINK_LIST) >> 2] = list;
    this.sink = sink;
    this.sinkAt = header;
    this.sinkEntries = entries;
    const old = { marks: sink.marks, groups: sink.groups, list: sink.list };
    this.rebindSink();
    sink.marks.set(old.marks);
    sink.groups.set(old.groups);
    sink.list.set(old.list);
    return true;
  }

  /**
   * Copies `s` into the scratch area; false when it holds a character >= 128 or is longer than
   * MAX_WASM_VALUE (the caller scans it in JS).
   */
  load(s: string): boolean {
    const n = s.length;
    if (n > MAX_WASM_VALUE) return false;
    if (n >= SHORT_VALUE) {
      // Room for 3 bytes a character: a value with a non-ASCII character is written whole (its
      // UTF-8 form is longer than its length), so exactly n bytes means all ASCII.
      return this.buffer.write(s, this.textAt, 3 * MAX_WASM_VALUE, 'utf8') === n;
    }
    // A short value: the Buffer write's fixed cost (a call into C++) exceeds a plain loop's.
    const bytes = this.bytes;
    const at = this.textAt;
    let any = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      any |= c;
      bytes[at + i] = c;
    }
    return any < 128;
  }

  /**
   * Scans the `n` loaded characters through the index at `desc`, stamping with `generation` and
   * listing newly found literals from `foundCount`; with the adopted sink, marks their postings
   * (its count and generation are passed through the header). Returns the new found count.
   */
  scan(desc: number, n: number, generation: number, foundCount: number, sink: MarkSink | undefined): number {
    if (sink === undefined) return this.scanFunction(this.textAt, n, desc, generation, foundCount, 0);
    const header = this.sinkAt >> 2;
    const w = this.words;
    w[header + (SINK_COUNT >> 2)] = sink.count;
    w[header + (SINK_GENERATION >> 2)] = sink.generation;
    const found = this.scanFunction(this.textAt, n, desc, generation, foundCount, this.sinkAt);
    sink.count = w[header + (SINK_COUNT >> 2)];
    return found;
  }

  /** Memory in use, in bytes (diagnostics). */
  get size(): number {
    return this.memory.buffer.byteLength;
  }

  private views(p: Placed): WasmResults {
    const buffer = this.memory.buffer;
    return {
      stamp: new Uint32Array(buffer, p.stampAt, p.literals),
      where: new Uint8Array(buffer, p.whereAt, p.literals),
      found: new Int32Array(buffer, p.foundAt, p.literals),
    };
  }

  private rebindSink(): void {
    if (this.sink === null) return;
    const w = this.words;
    const buffer = this.memory.buffer;
    const entries = this.sinkEntries;
    this.sink.useArrays(
      new Uint32Array(buffer, w[(this.sinkAt + SINK_MARKS) >> 2], entries),
      new Uint8Array(buffer, w[(this.sinkAt + SINK_GROUPS) >> 2], entries),
      new Int32Array(buffer, w[(this.sinkAt + SINK_LIST) >> 2], entries),
    );
  }

  /**
   * Marks [0, end) used, puts the scratch area after it and grows the memory to hold both. When
   * the memory cannot grow (RangeError), nothing changes: the caller keeps the JS scan.
   */
  private reserve(end: number): void {
    const textAt = align(end, 8);
    const needed = textAt + 3 * MAX_WASM_VALUE;
    const have = this.memory.buffer.byteLength;
    if (needed > have) {
      this.memory.grow(Math.ceil((needed - have) / PAGE));
      this.bytes = new Uint8Array(this.memory.buffer);
      this.words = new Int32Array(this.memory.buffer);
      this.buffer = Buffer.from(this.memory.buffer);
      for (const p of this.placed) p.rebind(this.views(p));
      this.rebindSink();
    }
    this.used = end;
    this.textAt = textAt;
  }
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return false;
  return true;
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
