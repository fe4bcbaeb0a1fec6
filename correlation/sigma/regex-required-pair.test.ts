/** The adjacent-pair precondition: never rejects a value the regex matches, and rejects what it should. */
import { compileSigmaRegex } from './regex';
import { fuzzPrefilter } from './regex-prefilter-fuzz';
import { containsAnyPair, regexRequiredPairs } from './regex-required-pair';

const RASPBERRY_ROBIN = '\\\\[a-zA-Z0-9]{1,32}\\.[a-zA-Z0-9]{1,6}\\.[ "\']{1}';


describe('regexRequiredPairs', () => {
  it('derives the dot and a quote or space for the Raspberry Robin rule', () => {
    const pairs = regexRequiredPairs(RASPBERRY_ROBIN, false);
    expect(pairs?.sort()).toEqual(['. ', '."', ".'"].sort());
    const sample = 'C:\\Windows\\System32\\odbcconf.exe  -a {regsvr \\\\10.0.0.5\\share\\xdf.ru. }';
    expect(containsAnyPair(sample, pairs ?? [])).toBe(true);
    const ordinary = '"C:\\Windows\\system32\\svchost.exe" -k netsvcs -p -s Schedule';
    expect(containsAnyPair(ordinary, pairs ?? [])).toBe(false);
  });

  it.each<[string, boolean, string[] | null]>([
    ['a|b\\.c', false, null],
    ['ab', false, ['ab']],
    ['ab', true, null],
    ['(?i)a\\.:', false, ['.:']],
    ['x(?i)ab', false, null],
    ['a+b', false, null],
    ['ab{1}', false, ['ab']],
    ['ab{1,}', false, null],
    ['a.b', false, null],
    ['a\\db', false, null],
    ['[^x]y', false, null],
    ['[a-c]d', false, null],
    ['[]a]b', false, null],
    ['\\x41b', false, null],
    ['\\1b', false, null],
    ['[-/]\\.[ab]', false, ['-.', '/.']],
    ['[0-9]{2}\\\\[ "]', false, ['\\ ', '\\"']],
    ['\\\\[ "]', false, ['\\ ', '\\"']],
    ['[abcd][efg]', false, null],
  ])('%s (ignore case %s) gives %j', (source, ignoreCase, expected) => {
    const pairs = regexRequiredPairs(source, ignoreCase);
    expect(pairs === null ? null : [...pairs].sort()).toEqual(expected === null ? null : [...expected].sort());
  });

  const patterns: [string, string][] = [
    [RASPBERRY_ROBIN, 'x\\abc.de." '],
    ['[-/]\\.[ab]', '/.a'],
    ['\\\\[ "]{1}x', 'a\\"x'],
    ['(?i)cmd\\.:[ -]', 'CMD.: '],
    ['q[.,]=', 'q.='],
  ];
  const alphabet = [...'aAbBcCdDeExXqQ0123456789 "\'.,:=-/\\\t\u212a\u0130é😀'];
  it.each(patterns)('never rejects a value RE2 matches: %s', (source, example) => {
    for (const o of fuzzPrefilter(source, example, alphabet, (ignoreCase) => {
      const pairs = regexRequiredPairs(source, ignoreCase);
      return (v) => pairs === null || containsAnyPair(v, pairs);
    })) {
      expect({ ignoreCase: o.ignoreCase, exampleMatches: o.exampleMatches, rejected: o.rejected }).toEqual({ ignoreCase: o.ignoreCase, exampleMatches: true, rejected: [] });
      expect(o.matched).toBeGreaterThan(100);
    }
  });

  it('SigmaRegex.mayMatch rejects a command line without the pair before RE2 runs', () => {
    const re = compileSigmaRegex(RASPBERRY_ROBIN, { ignoreCase: false, multiline: false, dotAll: false });
    expect(re.mayMatch('rundll32.exe \\\\srv\\x.dll.,Start')).toBe(false);
    expect(re.mayMatch('rundll32.exe \\\\srv\\x.dll. Start')).toBe(true);
    expect(re.test('rundll32.exe \\\\srv\\x.dll. Start')).toBe(true);
  });
});
