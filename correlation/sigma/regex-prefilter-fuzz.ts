/**
 * Test support for the regex prefilters (regex-class-run.ts, regex-required-pair.ts): mutations of a
 * value a pattern matches (characters inserted, deleted, replaced, case flipped, random ends), each
 * checked against RE2 and the prefilter. A prefilter may let non-matches through, never reject a match.
 */
import RE2 from 're2';
import { prng } from '../../core/testing/prng';

export interface PrefilterFuzzOutcome {
  ignoreCase: boolean;
  /** RE2 matches the example the mutations start from (else the case proves nothing). */
  exampleMatches: boolean;
  /** Mutations RE2 matched. */
  matched: number;
  /** Mutations RE2 matched and the prefilter rejected: must stay empty. */
  rejected: string[];
}

/** Both case modes, 3,000 mutations each, seeded by the pattern so a failure reproduces. */
export function fuzzPrefilter(
  source: string,
  example: string,
  alphabet: readonly string[],
  prefilterFor: (ignoreCase: boolean) => (value: string) => boolean,
): PrefilterFuzzOutcome[] {
  const r = prng(source.length * 7919);
  const pick = (): string => alphabet[Math.floor(r() * alphabet.length)];
  const outcomes: PrefilterFuzzOutcome[] = [];
  for (const ignoreCase of [false, true]) {
    const accepts = prefilterFor(ignoreCase);
    const re = new RE2(source, ignoreCase ? 'ui' : 'u');
    const outcome: PrefilterFuzzOutcome = { ignoreCase, exampleMatches: re.test(example), matched: 0, rejected: [] };
    for (let k = 0; k < 3000; k++) {
      const chars = [...example];
      const edits = Math.floor(r() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(r() * (chars.length + 1));
        const op = r();
        if (op < 0.3) chars.splice(at, 0, pick());
        else if (op < 0.55) chars.splice(at, 1);
        else if (op < 0.8) chars[at] = pick();
        else if (chars[at] !== undefined) chars[at] = r() < 0.5 ? chars[at].toUpperCase() : chars[at].toLowerCase();
      }
      const v = (r() < 0.5 ? pick() + pick() : '') + chars.join('') + (r() < 0.5 ? pick() : '');
      if (!re.test(v)) continue;
      outcome.matched++;
      if (!accepts(v)) outcome.rejected.push(v);
    }
    outcomes.push(outcome);
  }
  return outcomes;
}
