/** The class-run precondition: never rejects a value the regex matches, and rejects what it should. */
import RE2 from 're2';
import { regexClassRun } from './regex-class-run';
import { compileSigmaRegex } from './regex';

const SNAKE = '\\s[a-fA-F0-9]{64}\\s[a-fA-F0-9]{16}';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('regexClassRun', () => {
  it('derives a run of 64 hex characters for the SNAKE installer rule', () => {
    const run = regexClassRun(SNAKE, false);
    // hex-or-whitespace for all 82 characters scores above hex alone for 64.
    expect(run?.length).toBe(82);
    const hash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(run?.mayMatch(`C:\\Users\\Public\\jpsetup.exe ${hash} 0123456789abcdef0011`)).toBe(true);
    expect(run?.mayMatch('"C:\\Windows\\system32\\svchost.exe" -k netsvcs -p -s Schedule {9E3B0C44-298F-C1C1-49AF-BF4C8996FB92}')).toBe(false);
    expect(run?.mayMatch(hash.slice(1))).toBe(false);
  });

  it.each<[string, boolean]>([
    ['a|[0-9]{20}', false],
    ['(?i)x[a-f]{9}', true],
    ['\\Q[0-9]{20}\\E', false],
    ['.{1000,}', false],
    ['[[:alpha:]]{40}', false],
    ['cmd\\.exe', true],
    ['(ab|cd)[0-9]{12}', true],
    ['[0-9]{2}', true],
    ['[a-z]{2}', false],
  ])('%s gives a condition: %s', (source, expected) => {
    expect(regexClassRun(source, false) !== null).toBe(expected);
  });

  it('finds a run at the start, the end or across a failed window of the value', () => {
    const run = regexClassRun('[0-9]{8}', false);
    expect(run?.length).toBe(8);
    expect(run?.mayMatch('12345678 abc def ghi')).toBe(true);
    expect(run?.mayMatch('abc def ghi 12345678')).toBe(true);
    expect(run?.mayMatch('1234x5678901234')).toBe(true);
    expect(run?.mayMatch('1234567x1234567x1234567')).toBe(false);
    expect(run?.mayMatch('1234567')).toBe(false);
  });

  it('reads case-insensitive classes with both cases and non-ASCII characters', () => {
    const run = regexClassRun('(?i)[a-f]{8}', false);
    expect(run?.mayMatch('ABCDEFAB')).toBe(true);
    const kelvin = regexClassRun('[\u212a]{8}', true);
    expect(kelvin?.mayMatch('kkkkkkkk')).toBe(true);
  });

  // The property that matters: a value the regex matches is never rejected.
  const patterns: [string, string][] = [
    [SNAKE, ` ${'0a'.repeat(32)} ${'F'.repeat(16)}`],
    ['[a-f0-9]{16}', 'ab01'.repeat(4)],
    ['\\d{6,}x', '1234567x'],
    ['[^\\s]{12}', 'aé😀bcdefghijk'],
    ['\\S{10}\\s\\w{8}', 'a-c.e]gh:j\tabcd_123'],
    ['[a-z-]{5}[\\-.]{3}\\x41{4}', 'ab-cd.-.AAAA'],
    ['(?i)[k-s]{6}', 'KlMnOs'],
    ['[\u00e9a]{6}', 'aéaéaé'],
    ['(x|y)z{7}\\.[^a]{5}', 'yzzzzzzz.bcdé😀'],
    ['[\\d.]{9}:?\\d{2,}', '192.168.0.1:8080'],
    ['^[A-Z]{3}$', 'ABC'],
    ['\\W{6}', ' .-:é😀'],
    ['ab{2,5}c{3}', 'abbbccc'],
    ['[]a]{6}', 'a]a]a]'],
    ['[^]a]{6}', 'bcdefé'],
    ['\\t[\\t ]{6}', '\t \t  \t '],
  ];
  const alphabet = [...'aAbBcCdDeEfFkKsSxyz0123456789 \t\n\u000b.-]:_é\u212a\u017f😀\u00a0٣'];
  it.each(patterns)('never rejects a value RE2 matches: %s', (source, example) => {
    const r = rng(source.length * 7919);
    const pick = (): string => alphabet[Math.floor(r() * alphabet.length)];
    for (const ignoreCase of [false, true]) {
      const run = regexClassRun(source, ignoreCase);
      const re = new RE2(source, ignoreCase ? 'ui' : 'u');
      expect(re.test(example)).toBe(true);
      let matched = 0;
      for (let k = 0; k < 3000; k++) {
        // Mutations of a matching example: replaced, inserted and deleted characters, case flips.
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
        if (re.test(v)) {
          matched++;
          expect([source, ignoreCase, v, run === null || run.mayMatch(v)]).toEqual([source, ignoreCase, v, true]);
        }
      }
      expect(matched).toBeGreaterThan(100);
    }
  });

  it('SigmaRegex.mayMatch combines the length bound and the class run', () => {
    const re = compileSigmaRegex(SNAKE, { ignoreCase: false, multiline: false, dotAll: false });
    const line = `jpsetup.exe ${'ab'.repeat(32)} ${'c'.repeat(16)}`;
    expect(re.mayMatch(line)).toBe(true);
    expect(re.test(line)).toBe(true);
    expect(re.mayMatch(`jpsetup.exe ${'ab'.repeat(31)}x ${'c'.repeat(16)}`)).toBe(false);
  });
});
