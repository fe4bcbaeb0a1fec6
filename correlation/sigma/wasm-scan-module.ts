/**
 * The WebAssembly scan of one ASCII value through a literal automaton (literal-automaton.ts),
 * emitted with wasm-binary.ts: the same transitions as LiteralIndex.scanValue, sparseRun and
 * step, and the same reporting as LiteralIndex.report (tails compared, stamps, position bits,
 * the found list, and the postings of each literal newly found marked in the sink).
 *
 * scan(text, n, desc, generation, foundCount, sink) -> foundCount. Addresses are byte offsets in
 * the imported memory: `text` holds n bytes, all < 128 (the caller checks); `desc` is the index's
 * descriptor (DESC_* below); `sink` is a mark sink's header (SINK_*: MarkSink's count, generation
 * and arrays, mark-sink.ts), or 0 to mark nothing (the testers' lazy scans). T is the dense rows
 * followed by the sparse records, so a state code's x (~code when negative) is T's element index
 * for dense rows and sparse records alike, and T[x] is the state's output pointer in both.
 */
import { EMPTY_BLOCK, op, signedLeb, wasmModule, type WasmFunction } from './wasm-binary';
import { ZERO_CLASS } from './literal-automaton';

/** Descriptor fields (byte offsets from `desc`): where an index's tables are. */
export const DESC_CLASSES = 0;
export const DESC_TABLE = 4;
export const DESC_DENSE_SIZE = 8;
export const DESC_OUTS = 12;
export const DESC_LITERAL_LENGTH = 16;
export const DESC_TAIL_AT = 20;
export const DESC_TAIL_LENGTH = 24;
export const DESC_STAMP = 28;
export const DESC_WHERE = 32;
export const DESC_FOUND = 36;
export const DESC_FOLDED = 40;
/** Per literal id, where its postings start in DESC_POSTINGS (m + 1 entries). */
export const DESC_POSTING_START = 44;
export const DESC_POSTINGS = 48;
export const DESC_BYTES = 52;
/** Sink header fields (byte offsets): MarkSink's count and generation, and where its arrays are. */
export const SINK_COUNT = 0;
export const SINK_GENERATION = 4;
export const SINK_MARKS = 8;
export const SINK_GROUPS = 12;
export const SINK_LIST = 16;
export const SINK_BYTES = 20;
/** A tail length no value reaches: the tail holds a non-ASCII character, so ASCII text never has it. */
export const NEVER_TAIL = 0x3fffffff;

const get = (l: number): number[] => [op.localGet, l];
const set = (l: number): number[] => [op.localSet, l];
const tee = (l: number): number[] => [op.localTee, l];
const i32 = (n: number): number[] => [op.i32Const, ...signedLeb(n)];
/** i32.load / store with alignment 4 and a byte offset. */
const load = (offset = 0): number[] => [op.i32Load, 2, offset];
const store = (offset = 0): number[] => [op.i32Store, 2, offset];
const load8u = (offset = 0): number[] => [op.i32Load8u, 0, offset];
const store8 = (): number[] => [op.i32Store8, 0, 0];
/** Address of element `index` of the i32 array at byte offset `array`: array + index * 4. */
const element = (array: number[], index: number[]): number[] => [...array, ...index, ...i32(2), op.i32Shl, op.i32Add];
const not = (code: number[]): number[] => [...code, ...i32(-1), op.i32Xor];
const descField = (desc: number, offset: number): number[] => [...get(desc), ...load(offset)];
const increment = (l: number, by = 1): number[] => [...get(l), ...i32(by), op.i32Add, ...set(l)];

/** Local indexes by name: the parameters first, in order, then the other locals. */
function localsOf<T extends string>(params: readonly T[], locals: readonly T[]): Record<T, number> {
  const out = {} as Record<T, number>;
  [...params, ...locals].forEach((name, i) => (out[name] = i));
  return out;
}

// report(text, n, desc, out, end, generation, foundCount, sink) -> foundCount
const REPORT_PARAMS = ['text', 'n', 'desc', 'out', 'end', 'g', 'fc', 'sink'] as const;
const REPORT_LOCALS = ['outs', 'o', 'to', 'k', 'id', 'i', 'tl', 'ta', 'j', 'c', 'bits', 'starts', 'tmp', 'folded', 'p', 'pe', 'gen', 'marks', 'groups', 'list', 'count', 'entry', 'code'] as const;
const R = localsOf<(typeof REPORT_PARAMS)[number] | (typeof REPORT_LOCALS)[number]>(REPORT_PARAMS, REPORT_LOCALS);

const compareTail: number[] = [
  // Only the prefix is in the trie: the rest must follow (LiteralIndex.report's startsWith).
  ...not(get(R.id)), ...set(R.id),
  ...element(descField(R.desc, DESC_TAIL_LENGTH), get(R.id)), ...load(), ...set(R.tl),
  ...get(R.end), ...i32(1), op.i32Add, ...get(R.tl), op.i32Add, ...get(R.n), op.i32GtS, op.brIf, 1,
  ...element(descField(R.desc, DESC_TAIL_AT), get(R.id)), ...load(), ...set(R.ta),
  ...i32(0), ...set(R.j),
  op.block, EMPTY_BLOCK, // $tailOk
  op.loop, EMPTY_BLOCK, // $tail
  ...get(R.j), ...get(R.tl), op.i32GeS, op.brIf, 1,
  // text[end + 1 + j] (the memarg offset adds the 1).
  ...get(R.text), ...get(R.end), op.i32Add, ...get(R.j), op.i32Add, ...load8u(1), ...set(R.c),
  // A folded index compares A-Z as a-z (its tails are lower-cased).
  ...get(R.c), ...i32(0x41), op.i32Sub, ...i32(26), op.i32LtU, ...get(R.folded), op.i32And,
  op.if, EMPTY_BLOCK, ...increment(R.c, 0x20), op.end,
  ...get(R.c), ...get(R.ta), ...get(R.j), op.i32Add, ...load8u(), op.i32Ne, op.brIf, 3,
  ...increment(R.j), op.br, 0,
  op.end, // $tail
  op.end, // $tailOk
  ...get(R.end), ...get(R.tl), op.i32Add, ...set(R.i),
];

/** A literal found for the first time: marks its postings in the sink, as MarkSink.mark does. */
const markPostings: number[] = [
  ...get(R.sink),
  op.if, EMPTY_BLOCK,
  ...element(descField(R.desc, DESC_POSTING_START), get(R.id)), ...tee(R.tmp), ...load(), ...set(R.p),
  ...get(R.tmp), ...load(4), ...set(R.pe),
  ...get(R.sink), ...load(SINK_COUNT), ...set(R.count),
  ...get(R.sink), ...load(SINK_GENERATION), ...set(R.gen),
  ...get(R.sink), ...load(SINK_MARKS), ...set(R.marks),
  ...get(R.sink), ...load(SINK_GROUPS), ...set(R.groups),
  ...get(R.sink), ...load(SINK_LIST), ...set(R.list),
  op.block, EMPTY_BLOCK,
  op.loop, EMPTY_BLOCK,
  ...get(R.p), ...get(R.pe), op.i32GeS, op.brIf, 1,
  ...element(descField(R.desc, DESC_POSTINGS), get(R.p)), ...load(), ...tee(R.code), ...i32(2), op.i32ShrS, ...set(R.entry),
  ...i32(1), ...get(R.code), ...i32(3), op.i32And, op.i32Shl, ...set(R.bits),
  ...element(get(R.marks), get(R.entry)), ...tee(R.tmp), ...load(), ...get(R.gen), op.i32Ne,
  op.if, EMPTY_BLOCK,
  ...get(R.tmp), ...get(R.gen), ...store(),
  ...get(R.groups), ...get(R.entry), op.i32Add, ...get(R.bits), ...store8(),
  ...element(get(R.list), get(R.count)), ...get(R.entry), ...store(),
  ...increment(R.count),
  op.else,
  ...get(R.groups), ...get(R.entry), op.i32Add, ...tee(R.tmp), ...get(R.tmp), ...load8u(), ...get(R.bits), op.i32Or, ...store8(),
  op.end,
  ...increment(R.p), op.br, 0,
  op.end,
  op.end,
  ...get(R.sink), ...get(R.count), ...store(SINK_COUNT),
  op.end,
];

const reportBody: number[] = [
  ...descField(R.desc, DESC_OUTS), ...set(R.outs),
  ...descField(R.desc, DESC_FOLDED), ...set(R.folded),
  ...get(R.out), ...set(R.o),
  op.block, EMPTY_BLOCK, // $doneOuts
  op.loop, EMPTY_BLOCK, // $outs: the state's output record, then its suffixes'
  ...get(R.o), op.i32Eqz, op.brIf, 1,
  ...get(R.o), ...i32(2), op.i32Add, ...set(R.k),
  ...get(R.k), ...element(get(R.outs), get(R.o)), ...load(4), op.i32Add, ...set(R.to),
  op.block, EMPTY_BLOCK, // $doneIds
  op.loop, EMPTY_BLOCK, // $ids
  ...get(R.k), ...get(R.to), op.i32GeS, op.brIf, 1,
  ...element(get(R.outs), get(R.k)), ...load(), ...set(R.id),
  ...get(R.end), ...set(R.i),
  op.block, EMPTY_BLOCK, // $next (br 0 here: this id does not occur)
  ...get(R.id), ...i32(0), op.i32LtS,
  op.if, EMPTY_BLOCK,
  ...compareTail,
  op.end,
  // Position bits as LiteralIndex.report sets them.
  ...get(R.i), ...i32(1), op.i32Add, ...element(descField(R.desc, DESC_LITERAL_LENGTH), get(R.id)), ...load(), op.i32Eq, ...set(R.starts),
  ...get(R.i), ...get(R.n), ...i32(1), op.i32Sub, op.i32Eq, ...set(R.tmp),
  ...i32(1), ...get(R.starts), ...i32(1), op.i32Shl, op.i32Or,
  ...get(R.tmp), ...i32(2), op.i32Shl, op.i32Or,
  ...get(R.tmp), ...get(R.starts), op.i32And, ...i32(3), op.i32Shl, op.i32Or, ...set(R.bits),
  ...element(descField(R.desc, DESC_STAMP), get(R.id)), ...tee(R.tmp), ...load(), ...get(R.g), op.i32Eq,
  op.if, EMPTY_BLOCK,
  ...descField(R.desc, DESC_WHERE), ...get(R.id), op.i32Add, ...tee(R.tmp), ...get(R.tmp), ...load8u(), ...get(R.bits), op.i32Or, ...store8(),
  op.else,
  ...get(R.tmp), ...get(R.g), ...store(),
  ...descField(R.desc, DESC_WHERE), ...get(R.id), op.i32Add, ...get(R.bits), ...store8(),
  ...element(descField(R.desc, DESC_FOUND), get(R.fc)), ...get(R.id), ...store(),
  ...increment(R.fc),
  ...markPostings,
  op.end,
  op.end, // $next
  ...increment(R.k), op.br, 0,
  op.end, // $ids
  op.end, // $doneIds
  ...element(get(R.outs), get(R.o)), ...load(), ...set(R.o),
  op.br, 0,
  op.end, // $outs
  op.end, // $doneOuts
  ...get(R.fc),
];

// scan(text, n, desc, generation, foundCount, sink) -> foundCount
const SCAN_PARAMS = ['text', 'n', 'desc', 'g', 'fc', 'sink'] as const;
const SCAN_LOCALS = ['i', 'k', 'code', 'x', 'e', 'end', 'tmp', 'cls', 'base', 'denseSize'] as const;
const S = localsOf<(typeof SCAN_PARAMS)[number] | (typeof SCAN_LOCALS)[number]>(SCAN_PARAMS, SCAN_LOCALS);
const REPORT_FUNCTION = 1;

/**
 * The transition from a state that is not a plain dense one (code < 0): x = ~code; a dense row
 * takes column k; a sparse record searches its (class, target) edges, else follows its failure
 * link (a state code) and tries again. Sets code.
 */
const slowStep: number[] = [
  ...not(get(S.code)), ...set(S.x),
  op.block, EMPTY_BLOCK, // $got
  op.loop, EMPTY_BLOCK, // $fail
  ...get(S.x), ...get(S.denseSize), op.i32LtU,
  op.if, EMPTY_BLOCK,
  ...element(get(S.base), [...get(S.x), ...get(S.k), op.i32Add]), ...load(), ...set(S.code), op.br, 2,
  op.end,
  // A character in no literal sends every state to the root.
  ...get(S.k), ...i32(ZERO_CLASS), op.i32Eq,
  op.if, EMPTY_BLOCK, ...i32(0), ...set(S.code), op.br, 2, op.end,
  ...get(S.x), ...i32(3), op.i32Add, ...set(S.e),
  ...get(S.e), ...element(get(S.base), get(S.x)), ...load(8), ...i32(1), op.i32Shl, op.i32Add, ...set(S.end),
  op.block, EMPTY_BLOCK, // $noEdge
  op.loop, EMPTY_BLOCK, // $edges
  ...get(S.e), ...get(S.end), op.i32GeU, op.brIf, 1,
  ...element(get(S.base), get(S.e)), ...tee(S.tmp), ...load(), ...get(S.k), op.i32Eq,
  op.if, EMPTY_BLOCK, ...get(S.tmp), ...load(4), ...set(S.code), op.br, 4, op.end,
  ...increment(S.e, 2), op.br, 0,
  op.end, // $edges
  op.end, // $noEdge
  // Failure link: a state code, dense (>= 0 or ~row) or sparse (~(denseSize + record)).
  ...element(get(S.base), get(S.x)), ...load(4), ...tee(S.code), ...set(S.x),
  ...get(S.code), ...i32(0), op.i32LtS,
  op.if, EMPTY_BLOCK, ...not(get(S.code)), ...set(S.x), op.end,
  op.br, 0,
  op.end, // $fail
  op.end, // $got
];

const scanBody: number[] = [
  ...descField(S.desc, DESC_CLASSES), ...set(S.cls),
  ...descField(S.desc, DESC_TABLE), ...set(S.base),
  ...descField(S.desc, DESC_DENSE_SIZE), ...set(S.denseSize),
  op.block, EMPTY_BLOCK, // $done
  op.loop, EMPTY_BLOCK, // $chars
  ...get(S.i), ...get(S.n), op.i32GeU, op.brIf, 1,
  ...get(S.text), ...get(S.i), op.i32Add, ...load8u(), ...get(S.cls), op.i32Add, ...load8u(), ...set(S.k),
  ...get(S.code), ...i32(0), op.i32GeS,
  op.if, EMPTY_BLOCK,
  // The hot path: a dense state without outputs, one transition load.
  ...element(get(S.base), [...get(S.code), ...get(S.k), op.i32Add]), ...load(), ...set(S.code),
  op.else,
  ...slowStep,
  op.end,
  ...get(S.code), ...i32(0), op.i32LtS,
  op.if, EMPTY_BLOCK,
  ...element(get(S.base), not(get(S.code))), ...load(), ...tee(S.tmp),
  op.if, EMPTY_BLOCK,
  ...get(S.text), ...get(S.n), ...get(S.desc), ...get(S.tmp), ...get(S.i), ...get(S.g), ...get(S.fc), ...get(S.sink), op.call, REPORT_FUNCTION, ...set(S.fc),
  op.end,
  op.end,
  ...increment(S.i),
  op.br, 0,
  op.end, // $chars
  op.end, // $done
  ...get(S.fc),
];

const functions: WasmFunction[] = [
  { name: 'scan', params: SCAN_PARAMS.length, results: 1, locals: SCAN_LOCALS.length, body: scanBody },
  { name: 'report', params: REPORT_PARAMS.length, results: 1, locals: REPORT_LOCALS.length, body: reportBody },
];

/** The scanner module's bytes. */
export function scanModuleBytes(): Uint8Array {
  return wasmModule(functions);
}
