/** The class-run precondition: never rejects a value the regex matches, and rejects what it should. */
import { regexClassRun } from './regex-class-run';
import { compileSigmaRegex } from './regex';
import { fuzzPrefilter } from './regex-prefilter-fuzz';

const SNAKE = '\\s[a-fA-F0-9]{64}\\s[a-fA-F0-9]{16}';


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
    for (const o of fuzzPrefilter(source, example, alphabet, (ignoreCase) => {
      const run = regexClassRun(source, ignoreCase);
      return (v) => run === null || run.mayMatch(v);
    })) {
      expect({ ignoreCase: o.ignoreCase, exampleMatches: o.exampleMatches, rejected: o.rejected }).toEqual({ ignoreCase: o.ignoreCase, exampleMatches: true, rejected: [] });
      expect(o.matched).toBeGreaterThan(100);
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
