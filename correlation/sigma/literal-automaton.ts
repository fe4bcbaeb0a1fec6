/**
 * The Aho-Corasick automaton behind a LiteralIndex, laid out for the per-character scan loop
 * (which runs for every character of every scanned field value, ~600 characters per Windows
 * event over a dozen indexes). Small tables matter more than anything: the automata of 3,000
 * rules stay mostly in cache only if they are compact.
 *   - Characters map to classes, most frequent first (0 = a character no literal contains, which
 *     always returns to the root; classes start at 2).
 *   - Tails: once only one literal continues below a state (at depth >= MIN_TAIL_DEPTH), the
 *     trie stops there and the rest of the literal is compared with startsWith when the state is
 *     reached (rare by then). Long unique literals (hashes, command lines) cost a few states
 *     instead of one per character.
 *   - The shallow states (breadth-first prefix, within DENSE_BUDGET) are dense DFA rows over the
 *     first MAX_DENSE_CLASSES classes, failure links already resolved: one indexed load per
 *     character. Text spends most of its time near the root, and a small index is all dense.
 *   - Every other state is a sparse record [out, fail, edge count, (class, target)…] in one
 *     Int32Array; a miss follows the failure link, which ends in the dense part after a step or
 *     two. Dense states have a record too, holding only their edges on rare classes.
 * A state is encoded as its row offset in `dense` (>= 0) or as ~offset of its record in
 * `sparse` (< 0); the root is 0. Dense row: [out, ~record, class 2, class 3, …].
 * Outputs: a record [next, count, ids…] in `outs` (pointer 0 = none); `next` chains the outputs
 * of the state's suffixes. An id < 0 is ~id of a literal whose tail must still be verified.
 */

export const ASCII = 128;
/** Dense table entries per index (4 bytes each). */
export const DENSE_BUDGET = 1 << 15;
/** Columns of a dense row beyond this many classes go through the sparse records. */
export const MAX_DENSE_CLASSES = 96;
/** Tails start no shallower than this: a shorter prefix would be verified too often. */
export const MIN_TAIL_DEPTH = 6;
/** First class of a character (0: in no literal; 1: unused, the dense row's record column). */
export const FIRST_CLASS = 2;

export interface LiteralAutomaton {
  /** Class of each ASCII character (0: in no literal). */
  asciiClass: Uint16Array;
  /** Class of the other characters found in literals. */
  otherClass: Map<number, number>;
  /** Dense row length: classes below it have a dense column. */
  stride: number;
  dense: Int32Array;
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
function cutTails(trie: Trie, literals: readonly string[], tails: string[]): Map<number, number> {
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
  return tailAt;
}

/**
 * Builds the automaton over `literals` (ids are positions); `denseBudget` caps the dense table.
 * With `foldAscii` (literals already lower-cased), A-Z share the classes of a-z so the scan can
 * read original ASCII text: for ASCII, String.toLowerCase changes exactly those characters.
 */
export function buildLiteralAutomaton(literals: readonly string[], denseBudget = DENSE_BUDGET, foldAscii = false): LiteralAutomaton {
  const frequency = new Map<number, number>();
  for (const lit of literals) for (let i = 0; i < lit.length; i++) frequency.set(lit.charCodeAt(i), (frequency.get(lit.charCodeAt(i)) ?? 0) + 1);
  const asciiClass = new Uint16Array(ASCII);
  const otherClass = new Map<number, number>();
  const chars = [...frequency.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c]) => c);
  chars.forEach((c, i) => {
    if (c < ASCII) asciiClass[c] = i + FIRST_CLASS;
    else otherClass.set(c, i + FIRST_CLASS);
  });
  if (foldAscii) for (let c = 0x41; c <= 0x5a; c++) if (asciiClass[c] === 0) asciiClass[c] = asciiClass[c + 0x20];
  const classOf = (c: number): number => (c < ASCII ? asciiClass[c] : (otherClass.get(c) ?? 0));
  const stride = Math.min(chars.length, MAX_DENSE_CLASSES) + FIRST_CLASS;

  const trie = buildTrie(literals, classOf);
  const tails: string[] = literals.map(() => '');
  const tailAt = cutTails(trie, literals, tails);
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

  // Dense prefix (at least the root), then every state's record: all edges for sparse states,
  // the rare-class edges for dense ones.
  const states = order.length;
  const denseStates = Math.max(1, Math.min(states, Math.floor(denseBudget / stride)));
  const isDense = (q: number): boolean => q < denseStates;
  const recordEdges = (s: number, q: number): [number, number][] =>
    [...children[s].entries()].filter(([k]) => !isDense(q) || k >= stride).sort((a, b) => a[0] - b[0]);
  const code = new Int32Array(n);
  const recordAt = new Int32Array(n);
  let sparseSize = 0;
  for (let q = 0; q < states; q++) {
    const s = order[q];
    recordAt[s] = sparseSize;
    sparseSize += 3 + 2 * recordEdges(s, q).length;
    code[s] = isDense(q) ? q * stride : ~recordAt[s];
  }
  const dense = new Int32Array(denseStates * stride);
  const sparse = new Int32Array(sparseSize);
  for (let q = 0; q < states; q++) {
    const s = order[q];
    if (isDense(q)) {
      const row = q * stride;
      dense[row] = outPointer(s);
      dense[row + 1] = ~recordAt[s];
      // Full transitions: an edge, else the failure state's (already filled: it is shallower).
      const failRow = code[fail[s]];
      for (let k = FIRST_CLASS; k < stride; k++) {
        const child = children[s].get(k);
        dense[row + k] = child !== undefined ? code[child] : s === 0 ? 0 : dense[failRow + k];
      }
    }
    let p = recordAt[s];
    const edges = recordEdges(s, q);
    sparse[p++] = outPointer(s);
    sparse[p++] = code[fail[s]];
    sparse[p++] = edges.length;
    for (const [k, child] of edges) {
      sparse[p++] = k;
      sparse[p++] = code[child];
    }
  }
  return { asciiClass, otherClass, stride, dense, sparse, outs, tails, denseStates, states };
}
