/** The Aho-Corasick literal index against a naive search, and the rule prefilter against none. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANYWHERE, AT_END, AT_START, FEW_LITERALS, LiteralIndex, MarkSink, WHOLE } from './literal-index';
import { loadSigmaRules } from './load';
import { loadLogsourceTable } from './logsource';
import { SigmaRuleSet } from './ruleset';

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** Checks every literal's stamps against includes/startsWith/endsWith/=== over random values. */
function compareWithNaive(opts: { alphabet: string; literals: number; minLength: number; maxLength: number; valueLength: number; denseBudget?: number; mixedCase?: boolean }): void {
  const r = seeded(opts.literals + opts.maxLength);
  const word = (n: number): string => Array.from({ length: n }, () => opts.alphabet[Math.floor(r() * opts.alphabet.length)]).join('');
  const literals = [...new Set(Array.from({ length: opts.literals }, () => word(opts.minLength + Math.floor(r() * (opts.maxLength - opts.minLength + 1))).toLowerCase()))];
  // A case-folded index scans original strings: it must find what indexOf finds in the lower-cased ones.
  const upper = (v: string): string => (opts.mixedCase ? Array.from(v, (c) => (r() < 0.5 ? c.toUpperCase() : c)).join('') : v);
  const index = new LiteralIndex(0, false);
  const ids = literals.map((l) => index.add(l));
  index.seal(opts.denseBudget);
  let generation = 0;
  for (let round = 0; round < 300; round++) {
    // Values built partly from literals so that long ones (cut into trie prefix + tail) occur.
    const piece = (): string => (r() < 0.5 ? literals[Math.floor(r() * literals.length)].slice(0, Math.floor(r() * opts.maxLength) + 1) : word(3));
    const originals = [word(Math.floor(r() * opts.valueLength)) + piece() + piece(), piece(), word(Math.floor(r() * 8))].map(upper);
    const values = originals.map((v) => v.toLowerCase());
    index.scan(originals, null, ++generation);
    const found = Array.from(index.found.subarray(0, index.foundCount)).sort((x, y) => x - y);
    const expectedFound: number[] = [];
    const wrong: string[] = [];
    literals.forEach((lit, i) => {
      const id = ids[i];
      if (values.some((v) => v.includes(lit))) expectedFound.push(id);
      const checks: [number, (v: string) => boolean][] = [
        [ANYWHERE, (v) => v.includes(lit)],
        [AT_START, (v) => v.startsWith(lit)],
        [AT_END, (v) => v.endsWith(lit)],
        [WHOLE, (v) => v === lit],
      ];
      for (const [position, naive] of checks) {
        if (index.foundAt(id, position) !== values.some(naive)) wrong.push(`${JSON.stringify(lit)} at ${position} in ${JSON.stringify(values)}`);
      }
    });
    expect(wrong).toEqual([]);
    expect(found).toEqual(expectedFound.sort((x, y) => x - y));
  }
}

describe('LiteralIndex', () => {
  it('finds every literal anywhere, at the start, at the end and as the whole value, like indexOf', () => {
    compareWithNaive({ alphabet: 'ab\\.-éx', literals: 300, minLength: 1, maxLength: 5, valueLength: 30 });
  });

  it('finds long literals whose trie stops early and whose tail is compared (hashes, command lines)', () => {
    compareWithNaive({ alphabet: 'ab\\c', literals: 200, minLength: 6, maxLength: 24, valueLength: 40 });
  });

  it('folds case itself: ASCII letters by class, other characters by lower-casing the value', () => {
    compareWithNaive({ alphabet: 'abc\\.éİßk', literals: 200, minLength: 1, maxLength: 8, valueLength: 20, mixedCase: true });
    compareWithNaive({ alphabet: 'abc\\.éİßk', literals: 200, minLength: 6, maxLength: 20, valueLength: 20, mixedCase: true });
  });

  it('handles non-ASCII characters (classes only in sparse records) and sparse-only states', () => {
    const wide = Array.from({ length: 140 }, (_v, i) => String.fromCharCode(0x21 + i)).join('') + 'ÀÉ€ệ';
    compareWithNaive({ alphabet: wide, literals: 400, minLength: 1, maxLength: 9, valueLength: 30 });
    compareWithNaive({ alphabet: 'abc\\', literals: 300, minLength: 1, maxLength: 12, valueLength: 30, denseBudget: 16 });
  });

  it('moves between dense rows (states many literals pass through) and sparse records mid-value', () => {
    // A budget of a few dozen rows: shared prefixes are dense, the rest sparse, so scans cross
    // from one to the other and back, with outputs on both sides.
    compareWithNaive({ alphabet: 'ab\\c', literals: 400, minLength: 1, maxLength: 14, valueLength: 40, denseBudget: 300 });
    compareWithNaive({ alphabet: 'aB\\é.', literals: 300, minLength: 2, maxLength: 10, valueLength: 30, denseBudget: 120, mixedCase: true });
  });

  it('searches a case-sensitive index of a few literals with indexOf, finding what the naive search finds', () => {
    const r = seeded(3);
    const alphabet = 'aAb\\.é';
    const word = (n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    for (let round = 0; round < 200; round++) {
      const literals = [...new Set(Array.from({ length: 1 + Math.floor(r() * FEW_LITERALS) }, () => word(1 + Math.floor(r() * 3))))];
      const index = new LiteralIndex(0, true);
      const ids = literals.map((l, i) => {
        const id = index.add(l);
        index.addPosting(id, i);
        return id;
      });
      index.seal();
      const sink = new MarkSink(literals.length);
      sink.next();
      const values = [word(Math.floor(r() * 12)), literals[0] + word(2), word(2) + literals[literals.length - 1]];
      index.scan(values, null, round + 1, sink);
      literals.forEach((lit, i) => {
        const checks: [number, (v: string) => boolean][] = [
          [ANYWHERE, (v) => v.includes(lit)],
          [AT_START, (v) => v.startsWith(lit)],
          [AT_END, (v) => v.endsWith(lit)],
          [WHOLE, (v) => v === lit],
        ];
        for (const [position, naive] of checks) expect([lit, position, values, index.foundAt(ids[i], position)]).toEqual([lit, position, values, values.some(naive)]);
        const marked = Array.from(sink.list.subarray(0, sink.count)).includes(i);
        expect(marked).toBe(values.some((v) => v.includes(lit)));
      });
    }
  });

  it('scans once per event: a second scan with the same generation changes nothing', () => {
    const index = new LiteralIndex(0, false);
    const id = index.add('abc');
    index.seal();
    index.scan(['xabcx'], 'view', 7);
    const g = index.generation;
    index.scan(['nothing'], 'view', 7);
    expect(index.generation).toBe(g);
    expect(index.foundAt(id, ANYWHERE)).toBe(true);
  });
});

describe('rule prefilter', () => {
  it('never drops a match: with and without prefilter the rule set matches the same rules', () => {
    const testdata = join(__dirname, 'testdata');
    const { cases } = JSON.parse(readFileSync(join(testdata, 'sigmahq-cases.json'), 'utf8')) as { cases: { match: object[]; nomatch: object[] }[] };
    const rules = loadSigmaRules([join(testdata, 'sigmahq')]).rules;
    const logsources = loadLogsourceTable(join(__dirname, '../../rules/sigma/logsources.yaml'));
    const fast = new SigmaRuleSet(rules, { logsources });
    const slow = new SigmaRuleSet(rules, { logsources, prefilter: false });
    const events = cases.flatMap((c) => [...c.match, ...c.nomatch]) as Record<string, unknown>[];
    let matched = 0;
    for (const event of events) {
      const expected = slow.match(event).map((r) => r.title);
      expect(fast.match(event).map((r) => r.title)).toEqual(expected);
      matched += expected.length;
    }
    // Every positive event of the cases matches (at least) its rule.
    expect(matched).toBeGreaterThanOrEqual(cases.reduce((n, c) => n + c.match.length, 0));
  });
});
