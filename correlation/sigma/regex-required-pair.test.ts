/** The adjacent-pair precondition: never rejects a value the regex matches, and rejects what it should. */
import RE2 from 're2';
import { compileSigmaRegex } from './regex';
import { containsAnyPair, regexRequiredPairs } from './regex-required-pair';

const RASPBERRY_ROBIN = '\\\\[a-zA-Z0-9]{1,32}\\.[a-zA-Z0-9]{1,6}\\.[ "\']{1}';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

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
    const r = rng(source.length * 7919);
    const pick = (): string => alphabet[Math.floor(r() * alphabet.length)];
    for (const ignoreCase of [false, true]) {
      const pairs = regexRequiredPairs(source, ignoreCase);
      const re = new RE2(source, ignoreCase ? 'ui' : 'u');
      expect(re.test(example)).toBe(true);
      let matched = 0;
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
        if (re.test(v)) {
          matched++;
          expect([source, ignoreCase, v, pairs === null || containsAnyPair(v, pairs)]).toEqual([source, ignoreCase, v, true]);
        }
      }
      expect(matched).toBeGreaterThan(100);
    }
  });

  it('SigmaRegex.mayMatch rejects a command line without the pair before RE2 runs', () => {
    const re = compileSigmaRegex(RASPBERRY_ROBIN, { ignoreCase: false, multiline: false, dotAll: false });
    expect(re.mayMatch('rundll32.exe \\\\srv\\x.dll.,Start')).toBe(false);
    expect(re.mayMatch('rundll32.exe \\\\srv\\x.dll. Start')).toBe(true);
    expect(re.test('rundll32.exe \\\\srv\\x.dll. Start')).toBe(true);
  });
});
