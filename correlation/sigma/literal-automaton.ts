/**
 * The Aho-Corasick automaton behind a LiteralIndex, laid out for the per-character scan loop
 * (which runs for every character of every scanned field value, ~650 characters per Windows
 * event over a dozen indexes). The hot loop must be one class load, one transition load and one
 * sign test per ASCII character; everything else (outputs, deep states, non-ASCII text) leaves it.
 *   - ASCII characters map to classes, most frequent first; an ASCII character in no literal is
 *     ZERO_CLASS, whose column is 0 (the root) in every row. Non-ASCII characters of literals get
 *     classes >= stride, kept only in the sparse records (the scan leaves the hot loop for them).
 *   - Tails: once only one literal continues below a state (at depth >= MIN_TAIL_DEPTH), the
 *     trie stops there and the rest of the literal is compared with startsWith when the state is
 *     reached (rare by then). Long unique literals (hashes, command lines) cost a few states
 *     instead of one per character.
 *   - The shallow states (breadth-first prefix, within the dense budget) are dense DFA rows over
 *     every ASCII class, failure links already resolved. Text spends most of its time near the
 *     root, and a small index is all dense.
 *   - Every other state is a sparse record [out, fail, edge count, (class, target)…] in one
 *     Int32Array; a miss follows the failure link, which ends in the dense part after a step or
 *     two. Dense states have a record too, holding only their non-ASCII edges.
 * Transition codes: a dense state is its row offset x in `dense`, as x when it reports nothing
 * and ~x when it has outputs; a sparse state with record p is ~(denseSize + p). So the hot loop
 * continues while codes are >= 0. Dense row: [out, record offset, ZERO_CLASS column (0), class 3, …].
 * Outputs: a record [next, count, ids…] in `outs` (pointer 0 = none); `next` chains the outputs
 * of the state's suffixes. An id < 0 is ~id of a literal whose tail must still be verified.
 */

export const ASCII = 128;
/** Dense table entries per index (4 bytes each). */
export const DENSE_BUDGET = 1 << 15;
/** Tails start no shallower than this: a shorter prefix would be verified too often. */
export const MIN_TAIL_DEPTH = 6;
/** Dense row columns: the state's output pointer, its record offset, then the classes. */
export const OUT_COLUMN = 0;
export const RECORD_COLUMN = 1;
/** Class of an ASCII character in no literal: every state goes to the root. */
export const ZERO_CLASS = 2;
/** First class of a character found in literals. */
export const FIRST_CLASS = 3;

export interface LiteralAutomaton {
  /** Class of each ASCII character (ZERO_CLASS: in no literal). */
  asciiClass: Uint8Array;
  /** Class of the non-ASCII characters found in literals (all >= stride). */
  otherClass: Map<number, number>;
  /** Dense row length: every ASCII class has a column. */
  stride: number;
  dense: Int32Array;
  /** dense.length: sparse codes start after it. */
  denseSize: number;
  sparse: Int32Array;
  outs: Int32Array;
  /** Literal id → the characters after its trie prefix ('' when the trie holds all of it). */
  tails: string[];
  /** Dense and total state counts, for diagnostics and tests. */
  denseStates: number;
  states: number;
}

interface Trie {
  children: Map<number, number>[];
  ends: number[][];
  depth: number[];
  parent: number[];
}

function buildTrie(literals: readonly string[], classOf: (c: number) => number): Trie {
  const trie: Trie = { children: [new Map()], ends: [[]], depth: [0], parent: [0] };
  literals.forEach((lit, id) => {
    let state = 0;
    for (let i = 0; i < lit.length; i++) {
      const k = classOf(lit.charCodeAt(i));
      let next = trie.children[state].get(k);
      if (next === undefined) {
        next = trie.children.length;
        trie.children.push(new Map());
        trie.ends.push([]);
        trie.depth.push(i + 1);
        trie.parent.push(state);
        trie.children[state].set(k, next);
      }
      state = next;
    }
    trie.ends[state].push(id);
  });
  return trie;
}

/** Cuts the trie below the first deep-enough state that only one literal continues through. */
function cutTails(trie: Trie, literals: readonly string[], tails: string[]): { tailAt: Map<number, number>; count: Int32Array } {
  const n = trie.children.length;
  // Children are created after their parents: a reverse sweep sums literal counts bottom-up.
  const count = new Int32Array(n);
  const someLiteral = new Int32Array(n);
  for (let s = n - 1; s >= 0; s--) {
    count[s] += trie.ends[s].length;
    if (trie.ends[s].length > 0) someLiteral[s] = trie.ends[s][0];
    if (s > 0) {
      count[trie.parent[s]] += count[s];
      someLiteral[trie.parent[s]] = someLiteral[s];
    }
  }
  const tailAt = new Map<number, number>();
  const stack = [0];
  while (stack.length > 0) {
    const s = stack.pop() as number;
    if (trie.depth[s] >= MIN_TAIL_DEPTH && count[s] === 1 && trie.ends[s].length === 0) {
      const id = someLiteral[s];
      tails[id] = literals[id].slice(trie.depth[s]);
      tailAt.set(s, id);
      trie.children[s] = new Map();
      continue;
    }
    for (const child of trie.children[s].values()) stack.push(child);
  }
  return { tailAt, count };
}

/**
 * Builds the automaton over `literals` (ids are positions); `denseBudget` caps the dense table.
 * With `foldAscii` (literals already lower-cased), A-Z share the classes of a-z so the scan can
 * read original ASCII text: for ASCII, String.toLowerCase changes exactly those characters.
 */
export function buildLiteralAutomaton(literals: readonly string[], denseBudget = DENSE_BUDGET, foldAscii = false): LiteralAutomaton {
  const frequency = new Map<number, number>();
  for (const lit of literals) for (let i = 0; i < lit.length; i++) frequency.set(lit.charCodeAt(i), (frequency.get(lit.charCodeAt(i)) ?? 0) + 1);
  const asciiClass = new Uint8Array(ASCII).fill(ZERO_CLASS);
  const otherClass = new Map<number, number>();
  const byFrequency = [...frequency.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c]) => c);
  const asciiChars = byFrequency.filter((c) => c < ASCII);
  asciiChars.forEach((c, i) => (asciiClass[c] = i + FIRST_CLASS));
  const stride = asciiChars.length + FIRST_CLASS;
  byFrequency.filter((c) => c >= ASCII).forEach((c, i) => otherClass.set(c, stride + i));
  if (foldAscii) for (let c = 0x41; c <= 0x5a; c++) if (asciiClass[c] === ZERO_CLASS) asciiClass[c] = asciiClass[c + 0x20];
  const classOf = (c: number): number => (c < ASCII ? asciiClass[c] : (otherClass.get(c) ?? ZERO_CLASS));

  const trie = buildTrie(literals, classOf);
  const tails: string[] = literals.map(() => '');
  const { tailAt, count } = cutTails(trie, literals, tails);
  const { children, ends } = trie;

  // Breadth-first order over what remains; failure links and output heads from the parent's.
  const n = children.length;
  const fail = new Int32Array(n);
  const outHead = new Int32Array(n);
  const outNext = new Int32Array(n);
  const order: number[] = [0];
  const reports = (s: number): boolean => ends[s].length > 0 || tailAt.has(s);
  for (let q = 0; q < order.length; q++) {
    const state = order[q];
    const f = fail[state];
    if (state !== 0) {
      outNext[state] = outHead[f];
      outHead[state] = reports(state) ? state : outHead[f];
    }
    for (const [k, child] of children[state]) {
      let target: number | undefined;
      if (state !== 0) {
        let s = f;
        target = children[s].get(k);
        while (target === undefined && s !== 0) {
          s = fail[s];
          target = children[s].get(k);
        }
      }
      fail[child] = target !== undefined && target !== child ? target : 0;
      order.push(child);
    }
  }

  // Output records; the root never reports (an empty literal is not an occurrence).
  const outAt = new Int32Array(n);
  const outList: number[] = [0];
  for (const s of order) {
    if (s === 0 || !reports(s)) continue;
    outAt[s] = outList.length;
    const ids = [...ends[s]];
    const tail = tailAt.get(s);
    if (tail !== undefined) ids.push(~tail);
    outList.push(0, ids.length, ...ids);
  }
  const outs = Int32Array.from(outList);
  for (const s of order) if (outAt[s] !== 0) outs[outAt[s]] = outAt[outNext[s]];
  const outPointer = (s: number): number => outAt[outHead[s]];

  // Dense rows for the states text reaches most (the root first; then by the literals below a
  // state, divided by 4 per level of depth): text like "c:\\windows\\system32\\" walks deep but
  // shared prefixes, which breadth-first order would leave sparse in a large index, while every
  // text reaches the shallow states, where a sparse record costs an edge search and a failure hop
  // per character (by literal count alone, 2/3 of a command line's characters ran in sparse states
  // of the 10,900-literal CommandLine index). Then every state's record: all edges for sparse
  // states, the non-ASCII edges for dense ones.
  const states = order.length;
  const denseStates = Math.max(1, Math.min(states, Math.floor(denseBudget / stride)));
  const denseSize = denseStates * stride;
  const bfsPosition = new Int32Array(n);
  order.forEach((s, q) => (bfsPosition[s] = q));
  const traffic = new Float64Array(n);
  for (const s of order) traffic[s] = count[s] / Math.pow(4, trie.depth[s]);
  const byTraffic = [...order].sort((a, b) => (a === 0 ? -1 : b === 0 ? 1 : traffic[b] - traffic[a] || bfsPosition[a] - bfsPosition[b]));
  const rowOf = new Int32Array(n).fill(-1);
  for (let r = 0; r < denseStates; r++) rowOf[byTraffic[r]] = r * stride;
  const recordEdges = (s: number): [number, number][] =>
    [...children[s].entries()].filter(([k]) => rowOf[s] < 0 || k >= stride).sort((a, b) => a[0] - b[0]);
  const code = new Int32Array(n);
  const recordAt = new Int32Array(n);
  let sparseSize = 0;
  for (const s of order) {
    recordAt[s] = sparseSize;
    sparseSize += 3 + 2 * recordEdges(s).length;
    if (rowOf[s] >= 0) code[s] = outPointer(s) !== 0 ? ~rowOf[s] : rowOf[s];
    else code[s] = ~(denseSize + recordAt[s]);
  }
  const dense = new Int32Array(denseSize);
  const sparse = new Int32Array(sparseSize);
  // The transition of state t on class k through its failure links; dense states met on the
  // way are already filled (breadth-first: failure states are shallower).
  const transition = (t: number, k: number): number => {
    for (;;) {
      const child = children[t].get(k);
      if (child !== undefined) return code[child];
      if (t === 0) return 0;
      if (rowOf[t] >= 0) return dense[rowOf[t] + k];
      t = fail[t];
    }
  };
  for (const s of order) {
    const row = rowOf[s];
    if (row >= 0) {
      dense[row + OUT_COLUMN] = outPointer(s);
      dense[row + RECORD_COLUMN] = recordAt[s];
      dense[row + ZERO_CLASS] = 0;
      for (let k = FIRST_CLASS; k < stride; k++) {
        const child = children[s].get(k);
        dense[row + k] = child !== undefined ? code[child] : s === 0 ? 0 : transition(fail[s], k);
      }
    }
    let p = recordAt[s];
    const edges = recordEdges(s);
    sparse[p++] = outPointer(s);
    sparse[p++] = code[fail[s]];
    sparse[p++] = edges.length;
    for (const [k, child] of edges) {
      sparse[p++] = k;
      sparse[p++] = code[child];
    }
  }
  return { asciiClass, otherClass, stride, dense, denseSize, sparse, outs, tails, denseStates, states };
}
