/** The per-value memo of literal scans: replaying a record must equal scanning the value. */
import { ANYWHERE, AT_END, AT_START, LiteralIndex, MarkSink, WHOLE } from './literal-index';
import { MEMO_BYPASS, MEMO_MAX_LENGTH, MEMO_MIN_LENGTH, MEMO_WINDOW, MemoBudget, sampledHash } from './literal-memo';

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const LITERALS = ['\\cmd.exe', 'c:\\windows\\', '\\system32\\', 'powershell', ' -enc', '.exe', 'temp\\', 'é\\x', 'İ', 'rundll32.exe,', 'a', 'exe'];
const POOL = [
  'C:\\Windows\\System32\\cmd.exe',
  'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  'powershell.exe -ENC SQBFAFgA',
  'C:\\Users\\Étienne\\AppData\\Local\\Temp\\x.exe',
  'C:\\İNSTALL\\setup.EXE',
  'rundll32.exe,#1 shell32.dll',
  'short',
  '.exe',
  'x'.repeat(MEMO_MAX_LENGTH + 5) + '.exe',
];

function build(memo: boolean): LiteralIndex {
  const index = new LiteralIndex(0, false);
  LITERALS.forEach((l, i) => index.addPosting(index.add(l), i, i % 3));
  index.seal(undefined, memo ? new MemoBudget() : null);
  return index;
}

/** Found literals with their position bits, and the marked (entry, groups) pairs, of one scan. */
function outcome(index: LiteralIndex, sink: MarkSink): string[] {
  const found = Array.from(index.found.subarray(0, index.foundCount), (id) => {
    const bits = [ANYWHERE, AT_START, AT_END, WHOLE].map((b) => (index.foundAt(id, b) ? 1 : 0)).join('');
    return `${LITERALS[id]}:${bits}`;
  });
  const marks = Array.from(sink.list.subarray(0, sink.count), (e) => `#${e}:${sink.groups[e]}`);
  return [...found.sort(), ...marks.sort()];
}

describe('ValueMemo', () => {
  it('replays what a scan finds: same literals, positions and rule marks as an index without memo', () => {
    const r = seeded(11);
    const plain = build(false);
    const memo = build(true);
    const sinkA = new MarkSink(LITERALS.length);
    const sinkB = new MarkSink(LITERALS.length);
    const flip = (v: string): string => Array.from(v, (c) => (r() < 0.3 ? c.toUpperCase() : c)).join('');
    for (let g = 1; g <= 3000; g++) {
      // One to three values per field (keyword slots scan several), mostly repeated ones.
      const values = Array.from({ length: 1 + Math.floor(r() * 3) }, () => (r() < 0.9 ? POOL[Math.floor(r() * POOL.length)] : flip(POOL[Math.floor(r() * POOL.length)])));
      sinkA.next();
      sinkB.next();
      plain.scan(values, 'view', g, sinkA);
      memo.scan(values, 'view', g, sinkB);
      expect(outcome(memo, sinkB)).toEqual(outcome(plain, sinkA));
    }
    expect(memo.memo?.hits).toBeGreaterThan(1000);
  });

  it('keeps values within its length bounds only, and records a value on its second sighting', () => {
    const index = build(true);
    const memo = index.memo;
    if (memo === null) throw new Error('memo expected');
    const long = 'c:\\windows\\'.repeat(30);
    let g = 0;
    for (const v of ['short', long, 'C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\cmd.exe']) index.scan([v], 'view', ++g);
    expect('short'.length).toBeLessThan(MEMO_MIN_LENGTH);
    expect(long.length).toBeGreaterThan(MEMO_MAX_LENGTH);
    // Only the path was looked up: missed twice (first sighting, then recorded), then found.
    expect(memo.misses).toBe(2);
    expect(memo.hits).toBe(1);
    expect(memo.size).toBe(1);
  });

  it('steps aside for a field whose values do not repeat, and tries again later', () => {
    const index = build(true);
    const memo = index.memo;
    if (memo === null) throw new Error('memo expected');
    let g = 0;
    for (let i = 0; i < MEMO_WINDOW; i++) index.scan([`C:\\Users\\u${i}\\AppData\\Local\\Temp\\${i}.exe`], 'view', ++g);
    expect(memo.misses).toBe(MEMO_WINDOW);
    for (let i = 0; i < MEMO_BYPASS; i++) index.scan(['C:\\Windows\\System32\\cmd.exe'], 'view', ++g);
    expect(memo.bypassed).toBe(MEMO_BYPASS);
    for (let i = 1; i <= 3; i++) index.scan(['C:\\Windows\\System32\\cmd.exe'], 'view', g + i);
    expect(memo.hits).toBe(1);
  });

  it('tells apart values that share a sampled hash (a lookup compares the whole string)', () => {
    // Only the first and last 16 characters and every 8th between are hashed: these two collide.
    const filler = '_'.repeat(40);
    const a = `C:\\Program Files\\qqq${filler}\\app.exe`;
    const b = `C:\\Program Files\\xyz${filler}\\app.exe`;
    expect(sampledHash(a)).toBe(sampledHash(b));
    expect(sampledHash('C:\\Windows\\System32\\cmd.exe')).not.toBe(sampledHash('C:\\Windows\\System32\\cme.exe'));
    const index = new LiteralIndex(0, false);
    const xyz = index.add('xyz');
    index.seal();
    let g = 0;
    for (let i = 0; i < 4; i++) {
      index.scan([a], 'view', ++g);
      expect(index.foundAt(xyz, ANYWHERE)).toBe(false);
      index.scan([b], 'view', ++g);
      expect(index.foundAt(xyz, ANYWHERE)).toBe(true);
    }
  });

  it('holds no more than its byte budget, shared by the indexes given the same one', () => {
    const budget = new MemoBudget(600);
    const a = new LiteralIndex(0, false);
    a.addPosting(a.add('exe'), 0);
    a.seal(undefined, budget);
    const b = new LiteralIndex(1, false);
    b.addPosting(b.add('dll'), 1);
    b.seal(undefined, budget);
    let g = 0;
    const values = Array.from({ length: 40 }, (_v, i) => `C:\\Windows\\System32\\tool${i}.exe`);
    for (let round = 0; round < 2; round++) for (const v of values) for (const idx of [a, b]) idx.scan([v], 'view', ++g);
    expect(budget.left).toBeGreaterThanOrEqual(0);
    const held = (a.memo?.size ?? 0) + (b.memo?.size ?? 0);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(2 * values.length);
    // Still correct for the values it could not keep.
    a.scan([values[39]], 'view', g + 1);
    expect(a.foundAt(0, AT_END)).toBe(true);
  });
});
