/** The WebAssembly literal scan against the JS scan: same literals, position bits and marks. */
import { join } from 'node:path';
import { prng } from '../../core/testing/prng';
import { LiteralIndex, MarkSink } from './literal-index';
import { loadSigmaRules } from './load';
import { loadLogsourceTable } from './logsource';
import { SigmaRuleSet } from './ruleset';
import { signedLeb, unsignedLeb } from './wasm-binary';
import { scanModuleBytes } from './wasm-scan-module';
import { createWasmScanArena, MAX_WASM_VALUE, WasmScanArena } from './wasm-scan';

interface IndexInternals {
  literals: string[];
  postings: (Int32Array | null)[];
}

interface TestWasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface TestWasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => TestWasmMemory;
}
const wasmApi = (globalThis as unknown as { WebAssembly: TestWasmApi }).WebAssembly;

/** The WebAssembly API with memories that refuse to grow past `maxBytes()` (a ulimit, an exhausted address space). */
function limitedApi(maxBytes: () => number): TestWasmApi {
  // A subclass: the instance's memory import must be a real WebAssembly.Memory.
  class LimitedMemory extends wasmApi.Memory {
    override grow(pages: number): number {
      if (this.buffer.byteLength + pages * 65536 > maxBytes()) throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
      return super.grow(pages);
    }
  }
  return { validate: wasmApi.validate, Module: wasmApi.Module, Instance: wasmApi.Instance, Memory: LimitedMemory };
}

function newArena(): WasmScanArena {
  const arena = createWasmScanArena();
  if (arena === null) throw new Error('WebAssembly is not available in this Node');
  return arena;
}

/** What one scan of `value` found: literal ids with position bits, and the marks with their group bits. */
function outcome(index: LiteralIndex, value: string, sink: MarkSink, generation: number): string {
  sink.next();
  index.scan([value], sink, generation, sink);
  const found = Array.from(index.found.subarray(0, index.foundCount), (id) => `${id}:${index.where[id]}`).sort();
  const marks = Array.from(sink.list.subarray(0, sink.count), (e) => `${e}/${sink.groups[e]}`).sort();
  return `${found.join(',')} | ${marks.join(',')}`;
}

/** Scans every value with the JS scan and then the WebAssembly one; returns the values that differ. */
function differences(index: LiteralIndex, values: readonly string[], arena: WasmScanArena, sink: MarkSink): string[] {
  index.memo = null;
  index.useWasm(arena);
  const wrong: string[] = [];
  let generation = 0;
  for (const v of values) {
    index.scanInJs = true;
    const js = outcome(index, v, sink, ++generation);
    index.scanInJs = false;
    const wasm = outcome(index, v, sink, ++generation);
    if (js !== wasm) wrong.push(`${JSON.stringify(v.slice(0, 200))}: JS ${js}, WASM ${wasm}`);
  }
  return wrong;
}

/** Values made of an index's literals, mutated: case flips, cut literals (tails), inserted and dropped characters. */
function mutatedValues(literals: readonly string[], count: number, seed: number): string[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const noise = Array.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \\/.-_:"\'=%$*');
  const values: string[] = [];
  for (let v = 0; v < count; v++) {
    let s = '';
    const pieces = 1 + Math.floor(r() * 4);
    for (let p = 0; p < pieces; p++) {
      const lit = literals.length > 0 ? pick(literals) : 'x';
      const roll = r();
      if (roll < 0.4) s += lit;
      else if (roll < 0.6) s += lit.slice(0, Math.max(1, Math.floor(r() * lit.length)));
      else if (roll < 0.7) s += lit.slice(Math.floor(r() * lit.length));
      else for (let k = Math.floor(r() * 12); k > 0; k--) s += pick(noise);
    }
    let chars = Array.from(s, (c) => (r() < 0.2 ? (r() < 0.5 ? c.toUpperCase() : c.toLowerCase()) : c));
    if (r() < 0.3 && chars.length > 0) chars.splice(Math.floor(r() * chars.length), 1);
    if (r() < 0.3) chars.splice(Math.floor(r() * (chars.length + 1)), 0, pick(noise));
    // Some values leave the WebAssembly path (a non-ASCII character): the JS scan must take over.
    if (r() < 0.05) chars.splice(Math.floor(r() * (chars.length + 1)), 0, pick(['é', 'İ', 'K', '\u{1F600}']));
    chars = chars.slice(0, 400);
    values.push(chars.join(''));
  }
  return values;
}

/** An index of random literals over a small alphabet: with a small dense budget most states are sparse records. */
function syntheticIndex(cased: boolean, seed: number, denseBudget: number): LiteralIndex {
  const r = prng(seed);
  const alphabet = cased ? 'abAB\\.-: c' : 'ab\\.-: c';
  const index = new LiteralIndex(0, cased);
  for (let i = 0; i < 3000; i++) {
    const n = 1 + Math.floor(r() * (r() < 0.2 ? 40 : 8));
    const lit = Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    const id = index.add(lit);
    index.addPosting(id, i % 500, i % 4);
  }
  index.seal(denseBudget, null);
  return index;
}

describe('wasm-binary', () => {
  it('writes LEB128 as the WebAssembly spec examples give it', () => {
    expect(unsignedLeb(0)).toEqual([0]);
    expect(unsignedLeb(127)).toEqual([127]);
    expect(unsignedLeb(128)).toEqual([0x80, 0x01]);
    expect(unsignedLeb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(signedLeb(-1)).toEqual([0x7f]);
    expect(signedLeb(63)).toEqual([0x3f]);
    expect(signedLeb(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb(-64)).toEqual([0x40]);
    expect(signedLeb(-65)).toEqual([0xbf, 0x7f]);
    expect(signedLeb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(() => unsignedLeb(-1)).toThrow(/u32/);
  });

  it('emits a module the engine validates', () => {
    expect(wasmApi.validate(scanModuleBytes())).toBe(true);
  });
});

describe('WebAssembly literal scan', () => {
  it('finds what the JS scan finds in every index of the SigmaHQ fixtures, on mutated values', () => {
    const folders = [join(__dirname, 'testdata', 'sigmahq'), join(__dirname, '..', '..', 'rules', 'sigma', 'testdata', 'sigmahq')];
    const loaded = loadSigmaRules(folders);
    expect(loaded.rules.length).toBeGreaterThan(20);
    // Without arenas of its own: the indexes are placed in the test's arena, beside the test's sink.
    const set = new SigmaRuleSet(loaded.rules, { logsources: loadLogsourceTable(join(__dirname, '..', '..', 'rules', 'sigma', 'logsources.yaml')), wasmScans: false });
    const table = (set as unknown as { table: { folded: Map<number, LiteralIndex>; cased: Map<number, LiteralIndex> } }).table;
    const indexes = [...table.folded.values(), ...table.cased.values()].filter((i) => i.size > 0);
    expect(indexes.length).toBeGreaterThan(5);
    const arena = newArena();
    const sink = new MarkSink(loaded.rules.length);
    let seed = 1;
    for (const index of indexes) {
      const literals = (index as unknown as IndexInternals).literals;
      expect(differences(index, mutatedValues(literals, 300, seed++), arena, sink)).toEqual([]);
    }
  });

  it('finds what the JS scan finds through sparse records, failure links and tails, folded and cased', () => {
    for (const cased of [false, true]) {
      for (const denseBudget of [256, 1 << 15]) {
        const index = syntheticIndex(cased, cased ? 11 : 12, denseBudget);
        expect(index.states).toBeGreaterThan(index.denseStates);
        const values = mutatedValues((index as unknown as IndexInternals).literals, 1500, denseBudget + (cased ? 1 : 0));
        expect(differences(index, values, newArena(), new MarkSink(500))).toEqual([]);
      }
    }
  });

  it('handles values at the edges: empty, one character, the longest scanned here and one more', () => {
    const index = syntheticIndex(false, 21, 1 << 15);
    const r = prng(5);
    const long = (n: number): string => Array.from({ length: n }, () => 'ab\\.-: cAB'[Math.floor(r() * 10)]).join('');
    const values = ['', 'a', 'A', ':', 'é', long(MAX_WASM_VALUE), long(MAX_WASM_VALUE + 1), `${long(1000)}é${long(1000)}`];
    expect(differences(index, values, newArena(), new MarkSink(500))).toEqual([]);
  });

  it('keeps results and the adopted sink right after the memory grows', () => {
    const arena = newArena();
    const sink = new MarkSink(500);
    const first = syntheticIndex(false, 31, 1 << 15);
    const values = mutatedValues((first as unknown as IndexInternals).literals, 200, 7);
    first.memo = null;
    first.useWasm(arena);
    const before = values.map((v, i) => outcome(first, v, sink, 10 + i));
    const size = arena.size;
    // Each index placed after it moves the scratch area and grows the memory.
    for (let k = 0; k < 4; k++) syntheticIndex(true, 40 + k, 1 << 15).useWasm(arena);
    expect(arena.size).toBeGreaterThan(size);
    expect(sink.marks.buffer.byteLength).toBe(arena.size);
    const after = values.map((v, i) => outcome(first, v, sink, 1000 + i));
    expect(after).toEqual(before);
    expect(differences(first, values, arena, sink)).toEqual([]);
  });

  it('keeps the JS scan, with the same results, for what a memory that cannot grow does not hold', () => {
    const values = mutatedValues((syntheticIndex(false, 61, 1 << 15) as unknown as IndexInternals).literals, 300, 9);
    // Room for the first index and the scratch area, not for the second index nor the sink.
    let cap = Infinity;
    const arena = new WasmScanArena(limitedApi(() => cap));
    const placed = syntheticIndex(false, 61, 1 << 15);
    placed.memo = null;
    placed.useWasm(arena);
    cap = arena.size;
    const refused = syntheticIndex(true, 62, 1 << 15);
    refused.memo = null;
    expect(() => refused.useWasm(arena)).toThrow(RangeError);
    // Twins never placed anywhere: the JS scan's results to compare with.
    const twin = (index: LiteralIndex, seal: (i: LiteralIndex) => void): LiteralIndex => {
      const t = new LiteralIndex(0, index.cased);
      for (const lit of (index as unknown as IndexInternals).literals) t.add(lit);
      const postings = (index as unknown as IndexInternals).postings;
      postings.forEach((list, id) => list?.forEach((code) => t.addPosting(id, code >> 2, code & 3)));
      seal(t);
      t.memo = null;
      return t;
    };
    const refusedJs = twin(refused, (t) => t.seal(1 << 15, null));
    const placedJs = twin(placed, (t) => t.seal(1 << 15, null));
    // Without a sink (the testers' lazy scans) and with one.
    const found = (index: LiteralIndex, v: string, generation: number): string => {
      index.scan([v], index, generation);
      return Array.from(index.found.subarray(0, index.foundCount), (id) => `${id}:${index.where[id]}`).sort().join(',');
    };
    const sink = new MarkSink(500_000);
    const js = new MarkSink(500_000);
    for (const [i, v] of values.entries()) {
      expect(found(refused, v, 9000 + i)).toBe(found(refusedJs, v, 9000 + i));
      expect(found(placed, v, 9000 + i)).toBe(found(placedJs, v, 9000 + i));
      // The refused index scans in JS; the placed one in WebAssembly without the sink it could not take.
      expect(outcome(refused, v, sink, 2 * i + 1)).toBe(outcome(refusedJs, v, js, 2 * i + 1));
      expect(outcome(placed, v, sink, 2 * i + 2)).toBe(outcome(placedJs, v, js, 2 * i + 2));
    }
    expect(arena.sink).toBeNull();
    // Sealed with that arena, an index that does not fit keeps the JS scan instead of throwing.
    const sealed = twin(refused, (t) => expect(() => t.seal(1 << 15, null, arena)).not.toThrow());
    for (const [i, v] of values.slice(0, 50).entries()) expect(outcome(sealed, v, sink, 5000 + i)).toBe(outcome(refusedJs, v, js, 5000 + i));
  });

  it('marks nothing when scanning without a sink (the lazy scans of rule testers)', () => {
    const arena = newArena();
    const sink = new MarkSink(500);
    const index = syntheticIndex(false, 51, 1 << 15);
    index.memo = null;
    index.useWasm(arena);
    const value = (index as unknown as IndexInternals).literals.slice(0, 20).join(' ');
    outcome(index, value, sink, 1);
    expect(sink.count).toBeGreaterThan(0);
    sink.next();
    index.scan([value], null, 2);
    expect(index.foundCount).toBeGreaterThan(0);
    expect(sink.count).toBe(0);
  });
});
