/**
 * A minimal WebAssembly binary writer (core spec 1.0, binary format chapter 5): enough for one
 * module importing its memory and exporting i32 functions. Emitting the bytes here means no
 * native toolchain is needed to build or test the scanner (wasm-scan-module.ts).
 */

/** Opcodes used by the scanner (spec 5.4). */
export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  call: 0x10,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i32Load8u: 0x2d,
  i32Store: 0x36,
  i32Store8: 0x3a,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtS: 0x4a,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32And: 0x71,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrS: 0x75,
} as const;

export const I32 = 0x7f;
/** Block type of a block without results. */
export const EMPTY_BLOCK = 0x40;

export function unsignedLeb(n: number): number[] {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`unsigned LEB128 of ${n}: expected a u32`);
  const out: number[] = [];
  let v = n;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function signedLeb(n: number): number[] {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw new Error(`signed LEB128 of ${n}: expected an i32`);
  const out: number[] = [];
  let v = n;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function name(s: string): number[] {
  const bytes = [...Buffer.from(s, 'utf8')];
  return [...unsignedLeb(bytes.length), ...bytes];
}

function section(id: number, body: number[]): number[] {
  return [id, ...unsignedLeb(body.length), ...body];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

export interface WasmFunction {
  /** Export name. */
  name: string;
  params: number;
  results: number;
  /** Extra i32 locals after the parameters. */
  locals: number;
  /** The body's instructions, without the final `end`. */
  body: number[];
}

/** A module importing `env.memory` (at least `minPages` pages) and exporting `functions`, all i32. */
export function wasmModule(functions: readonly WasmFunction[], minPages = 1): Uint8Array {
  const types = functions.map((f) => [0x60, ...unsignedLeb(f.params), ...new Array<number>(f.params).fill(I32), ...unsignedLeb(f.results), ...new Array<number>(f.results).fill(I32)]);
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, ...unsignedLeb(minPages)];
  const codes = functions.map((f) => {
    const locals = f.locals > 0 ? vector([[...unsignedLeb(f.locals), I32]]) : vector([]);
    const body = [...locals, ...f.body, op.end];
    return [...unsignedLeb(body.length), ...body];
  });
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_f, i) => unsignedLeb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...unsignedLeb(i)]))),
    ...section(10, vector(codes)),
  ];
  return Uint8Array.from(bytes);
}
