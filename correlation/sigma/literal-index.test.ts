/** The Aho-Corasick literal index against a naive search, and the rule prefilter against none. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LiteralIndex } from './literal-index';
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

describe('LiteralIndex', () => {
  it('finds every literal anywhere, at the start, at the end and as the whole value, like indexOf', () => {
    const r = seeded(1);
    const alphabet = 'ab\\.-éx';
    const word = (n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    const literals = [...new Set(Array.from({ length: 300 }, () => word(1 + Math.floor(r() * 5))))];
    const index = new LiteralIndex(0, false);
    const ids = literals.map((l) => index.add(l));
    index.seal();
    let generation = 0;
    for (let round = 0; round < 300; round++) {
      const values = [word(Math.floor(r() * 30)), word(Math.floor(r() * 8))];
      index.scan(values, null, ++generation);
      const g = index.generation;
      literals.forEach((lit, i) => {
        const id = ids[i];
        expect([lit, index.anywhere[id] === g]).toEqual([lit, values.some((v) => v.includes(lit))]);
        expect([lit, index.atStart[id] === g]).toEqual([lit, values.some((v) => v.startsWith(lit))]);
        expect([lit, index.atEnd[id] === g]).toEqual([lit, values.some((v) => v.endsWith(lit))]);
        expect([lit, index.whole[id] === g]).toEqual([lit, values.some((v) => v === lit)]);
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
    expect(index.anywhere[id]).toBe(g);
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
