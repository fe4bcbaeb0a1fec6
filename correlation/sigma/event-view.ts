/**
 * Per-event field access for matchers. Every distinct candidate-path list used by a rule set gets
 * a slot; during one event each slot is read, stringified and lower-cased at most once, however
 * many rules test it (a generation stamp invalidates the caches for the next event, so nothing is
 * allocated per rule).
 */
import { ABSENT, ContainerCache, ContainerPaths, RESOLVED } from './event-containers';
import { LiteralIndex } from './literal-index';
import { MemoBudget } from './literal-memo';
import { NumberIndex } from './number-index';
import { createWasmScanArena } from './wasm-scan';

const EMPTY: readonly string[] = Object.freeze([]);

/**
 * Reads one dotted path through nested objects. On a miss it also tries the rest of the path as
 * one flat dotted key at each level walked (`{"winlog.event_data.Image": …}` from Winlogbeat JSON,
 * or `{"winlog": {"event_data.Image": …}}`), with keys precomputed so a miss allocates nothing.
 */
class PathReader {
  private readonly segments: string[];
  /** rests[i] = segments i..end joined by dots. */
  private readonly rests: string[];

  /** The object holding the field (see event-containers.ts), -1 for a top-level field; its key. */
  readonly containerId: number;
  readonly key: string;

  constructor(
    readonly path: string,
    containers?: ContainerPaths,
  ) {
    this.segments = path.split('.');
    this.rests = this.segments.map((_s, i) => this.segments.slice(i).join('.'));
    this.key = this.segments[this.segments.length - 1];
    this.containerId = containers !== undefined && this.segments.length > 1 ? containers.id(this.segments.slice(0, -1)) : -1;
  }

  /** read() through the view's per-event container walks. */
  readIn(view: EventView): unknown {
    if (this.containerId >= 0) {
      const state = view.container(this.containerId);
      if (state === ABSENT) return undefined;
      if (state === RESOLVED) {
        const v = view.containerValue(this.containerId)[this.key];
        return v === undefined || typeof v === 'function' ? undefined : unwrap(v);
      }
    }
    return this.read(view.event, view.dotted);
  }

  /** `dotted` (per event) lets a miss skip the flat-key lookups when no object walked has a dotted key. */
  read(doc: unknown, dotted?: DottedKeys): unknown {
    let cur = doc;
    const segs = this.segments;
    for (let i = 0; i < segs.length; i++) {
      if (cur === null || typeof cur !== 'object') return this.missed(doc, i, dotted);
      if (Array.isArray(cur)) return readFromArray(cur, this.rests[i]);
      const next = (cur as Record<string, unknown>)[segs[i]];
      if (next === undefined || typeof next === 'function') return this.missed(doc, i, dotted);
      cur = next;
    }
    return unwrap(cur);
  }

  private missed(doc: unknown, failedAt: number, dotted: DottedKeys | undefined): unknown {
    if (dotted !== undefined && !this.walksDottedKey(doc, failedAt, dotted)) return undefined;
    return this.flat(doc, failedAt);
  }

  /** Whether an object flat() would search has a key with a dot (Winlogbeat's flat JSON). */
  private walksDottedKey(doc: unknown, failedAt: number, dotted: DottedKeys): boolean {
    const last = this.segments.length - 1;
    let cur = doc;
    for (let j = 0; j <= failedAt && j < last; j++) {
      if (cur === null || typeof cur !== 'object') return false;
      if (dotted.has(cur)) return true;
      cur = (cur as Record<string, unknown>)[this.segments[j]];
    }
    return false;
  }

  /** Looks for rests[j] as a flat key in each object walked before the miss at `failedAt`. */
  private flat(doc: unknown, failedAt: number): unknown {
    const last = this.segments.length - 1;
    let cur = doc;
    for (let j = 0; j <= failedAt && j < last; j++) {
      if (cur === null || typeof cur !== 'object') return undefined;
      const obj = cur as Record<string, unknown>;
      const v = obj[this.rests[j]];
      if (v !== undefined) return unwrap(v);
      cur = obj[this.segments[j]];
    }
    return undefined;
  }
}

/**
 * Per event: which objects have a key containing a dot. Most events have none, and then a field
 * missing under one of its candidate paths needs no flat-key lookups (each a slow keyed miss).
 */
export class DottedKeys {
  private readonly objects: object[] = [];
  private readonly answers: boolean[] = [];
  private count = 0;

  reset(): void {
    for (let i = 0; i < this.count; i++) this.objects[i] = EMPTY;
    this.count = 0;
  }

  has(obj: object): boolean {
    for (let i = 0; i < this.count; i++) if (this.objects[i] === obj) return this.answers[i];
    let found = false;
    for (const key in obj) {
      if (key.indexOf('.') >= 0) {
        found = true;
        break;
      }
    }
    if (this.count < MAX_REMEMBERED_OBJECTS) {
      this.objects[this.count] = obj;
      this.answers[this.count++] = found;
    }
    return found;
  }
}

/** Objects remembered per event by DottedKeys (the walk passes through a handful). */
const MAX_REMEMBERED_OBJECTS = 8;

/** ECS arrays of objects (`dns.answers.data`): collect the path from every element. */
function readFromArray(items: unknown[], rest: string): unknown {
  const out: unknown[] = [];
  const reader = new PathReader(rest);
  for (const item of items) {
    const v = reader.read(item);
    if (Array.isArray(v)) out.push(...v);
    else if (v !== undefined) out.push(v);
  }
  return out.length > 0 ? out : undefined;
}

/** evtx_dump JSON writes values that carry XML attributes as `{"#attributes": …, "#text": v}`. */
function unwrap(v: unknown): unknown {
  if (typeof v === 'function') return undefined;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && '#text' in v) return (v as Record<string, unknown>)['#text'];
  return v;
}

/** A list of candidate paths: the first one present in the event supplies the value. */
export class FieldAccessor {
  private readonly readers: PathReader[];
  constructor(
    readonly paths: readonly string[],
    containers?: ContainerPaths,
  ) {
    this.readers = paths.map((p) => new PathReader(p, containers));
  }
  /** read() for the view's current event, sharing its container walks. */
  readIn(view: EventView): unknown {
    const readers = this.readers;
    for (let i = 0; i < readers.length; i++) {
      const v = readers[i].readIn(view);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  read(event: unknown, dotted?: DottedKeys): unknown {
    const readers = this.readers;
    for (let i = 0; i < readers.length; i++) {
      const v = readers[i].read(event, dotted);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}

/**
 * Interns candidate-path lists into slots shared by every rule bound to the table, and holds
 * each slot's literal prefilters (case-folded and case-sensitive) and numeric one. Seal it once
 * all rules are bound.
 */
export class FieldTable {
  readonly accessors: FieldAccessor[] = [];
  /** Objects that hold fields, walked once per event (event-containers.ts). */
  readonly containers = new ContainerPaths();
  private readonly index = new Map<string, number>();
  private readonly folded = new Map<number, LiteralIndex>();
  private readonly cased = new Map<number, LiteralIndex>();
  private readonly numbers = new Map<number, NumberIndex>();

  numberIndex(slot: number): NumberIndex {
    let idx = this.numbers.get(slot);
    if (idx === undefined) this.numbers.set(slot, (idx = new NumberIndex(slot)));
    return idx;
  }

  literalIndex(slot: number, cased: boolean): LiteralIndex {
    const map = cased ? this.cased : this.folded;
    let idx = map.get(slot);
    if (idx === undefined) map.set(slot, (idx = new LiteralIndex(slot, cased)));
    return idx;
  }

  /**
   * Builds the literal automata; call after every rule is bound. With `wasmScans`, the indexes
   * share one WebAssembly memory and scan ASCII values there (wasm-scan.ts; where WebAssembly
   * cannot be instantiated they keep the JS scan).
   */
  seal(wasmScans = false): void {
    // One memo budget and one arena for every index of the table (literal-memo.ts, wasm-scan.ts).
    const budget = new MemoBudget();
    const arena = wasmScans ? createWasmScanArena() : null;
    for (const idx of this.folded.values()) idx.seal(undefined, budget, arena);
    for (const idx of this.cased.values()) idx.seal(undefined, budget, arena);
  }

  slot(paths: readonly string[]): number {
    const key = paths.join('\u0000');
    let slot = this.index.get(key);
    if (slot === undefined) {
      slot = this.accessors.length;
      this.accessors.push(new FieldAccessor(paths, this.containers));
      this.index.set(key, slot);
    }
    return slot;
  }

  get size(): number {
    return this.accessors.length;
  }
}

/** Nested objects are searched to this depth (keyword fields such as winlog.event_data). */
const MAX_OBJECT_DEPTH = 4;

function pushStrings(v: unknown, out: string[], depth = 0): void {
  if (typeof v === 'string') out.push(v);
  else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') out.push(String(v));
  else if (Array.isArray(v)) for (const e of v) pushStrings(e, out, depth);
  else if (v !== null && typeof v === 'object' && depth < MAX_OBJECT_DEPTH) {
    for (const key in v) pushStrings((v as Record<string, unknown>)[key], out, depth + 1);
  }
}

/** String forms of a field value: scalars stringified, arrays flattened, objects by their leaf values. */
export function stringForms(v: unknown): readonly string[] {
  if (v === undefined || v === null) return EMPTY;
  const out: string[] = [];
  pushStrings(v, out);
  return out.length === 0 ? EMPTY : out;
}

export class EventView {
  event: unknown = undefined;
  /** Changes with every reset: caches stamped with another value are stale. */
  generation = 0;
  private rawGen: Uint32Array = new Uint32Array(0);
  private rawVal: unknown[] = [];
  private strGen: Uint32Array = new Uint32Array(0);
  private strVal: (readonly string[])[] = [];
  private lowGen: Uint32Array = new Uint32Array(0);
  private lowVal: (readonly string[])[] = [];
  private utfGen: Uint32Array = new Uint32Array(0);
  private readonly utfBuf: Buffer[][] = [];
  private readonly strBuf: string[][] = [];
  private readonly lowBuf: string[][] = [];
  readonly dotted = new DottedKeys();
  private readonly walks: ContainerCache;

  constructor(private readonly table: FieldTable) {
    this.walks = new ContainerCache(table.containers);
    this.grow();
  }

  private grow(): void {
    const n = this.table.size;
    if (this.rawGen.length >= n) return;
    const size = Math.max(n, this.rawGen.length * 2, 16);
    const copy = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(size);
      b.set(a);
      return b;
    };
    this.rawGen = copy(this.rawGen);
    this.strGen = copy(this.strGen);
    this.lowGen = copy(this.lowGen);
    this.utfGen = copy(this.utfGen);
  }

  reset(event: unknown): void {
    this.event = event;
    this.dotted.reset();
    if (this.rawGen.length < this.table.size) this.grow();
    this.generation++;
    if (this.generation === 0xffffffff) {
      // Wrapped: clear stamps so an old slot cannot look current.
      this.rawGen.fill(0);
      this.strGen.fill(0);
      this.lowGen.fill(0);
      this.utfGen.fill(0);
      this.walks.clear();
      this.generation = 1;
    }
  }

  raw(slot: number): unknown {
    if (this.rawGen[slot] === this.generation) return this.rawVal[slot];
    const v = this.table.accessors[slot].readIn(this);
    this.rawVal[slot] = v;
    this.rawGen[slot] = this.generation;
    return v;
  }

  /** State of a container walk for the current event (event-containers.ts). */
  container(id: number): number {
    return this.walks.resolve(id, this.event, this.generation, this.dotted);
  }

  containerValue(id: number): Record<string, unknown> {
    return this.walks.value(id);
  }

  /**
   * String forms of a slot's value (see stringForms). The returned array is reused for the
   * slot on the next event: read it, do not keep it.
   */
  strings(slot: number): readonly string[] {
    if (this.strGen[slot] === this.generation) return this.strVal[slot];
    const v = this.raw(slot);
    let out: readonly string[];
    if (v === undefined || v === null) out = EMPTY;
    else {
      const buf = (this.strBuf[slot] ??= []);
      if (typeof v === 'string') {
        // The common case, one string: no length reset and push (each a builtin call).
        if (buf.length !== 1) buf.length = 1;
        buf[0] = v;
      } else {
        buf.length = 0;
        pushStrings(v, buf);
      }
      out = buf.length === 0 ? EMPTY : buf;
    }
    this.strVal[slot] = out;
    this.strGen[slot] = this.generation;
    return out;
  }

  /** Lower-cased string forms (reused like `strings`). */
  lower(slot: number): readonly string[] {
    if (this.lowGen[slot] === this.generation) return this.lowVal[slot];
    const s = this.strings(slot);
    let out: readonly string[];
    if (s.length === 0) out = EMPTY;
    else {
      const buf = (this.lowBuf[slot] ??= []);
      buf.length = s.length;
      for (let i = 0; i < s.length; i++) buf[i] = s[i].toLowerCase();
      out = buf;
    }
    this.lowVal[slot] = out;
    this.lowGen[slot] = this.generation;
    return out;
  }

  /** UTF-8 bytes of the string forms, for regexes (reused like `strings`). */
  utf8(slot: number): readonly Buffer[] {
    const buf = (this.utfBuf[slot] ??= []);
    if (this.utfGen[slot] === this.generation) return buf;
    const s = this.strings(slot);
    buf.length = s.length;
    for (let i = 0; i < s.length; i++) buf[i] = Buffer.from(s[i], 'utf8');
    this.utfGen[slot] = this.generation;
    return buf;
  }
}
