/** The least match length of rule regexes: exact where it can be, 0 where it cannot tell. */
import { compileSigmaRegex } from './regex';
import { regexMinLength } from './regex-min-length';

const FLAGS = { ignoreCase: false, multiline: false, dotAll: false };

describe('regexMinLength', () => {
  it.each<[string, number]>([
    // SigmaHQ patterns
    ['.{1000,}', 1000],
    ['\\s[a-fA-F0-9]{64}\\s[a-fA-F0-9]{16}', 82],
    ['\\\\[a-zA-Z0-9]{1,32}\\.[a-zA-Z0-9]{1,6}\\.[ "\']{1}', 6],
    ['(Get-Item|gci|Get-ChildItem).{1,64}-Path.{1,64}\\\\(currentcontrolset\\\\services|CurrentVersion\\\\Run)\\\\', 3 + 1 + 5 + 1 + 1 + 18 + 1],
    ['(?i)^[a-z]{8}\\.exe$', 12],
    ['(?i:abc)d', 4],
    ['(?P<name>ab)+c?', 2],
    ['(?<=x)ab(?!c)', 2],
    // quantifiers, classes, escapes
    ['a*b+c?d{2}e{3,}f{0,4}', 1 + 2 + 3],
    ['a+?b*+', 1],
    ['[]a]x', 2],
    ['[^\\]]{2}', 2],
    ['[[:alpha:]]{3}', 3],
    ['\\x41\\x{263a}\\u0041\\pL\\p{Greek}', 5],
    ['\\bword\\B\\A\\z', 4],
    ['a|bc|', 0],
    ['(a|bc)(de|f)', 2],
    ['x{', 2],
    ['\\Qa.b\\E', 0],
  ])('%s → %d', (source, expected) => {
    expect(regexMinLength(source)).toBe(expected);
  });

  it('gives 0 (no shortcut) for what it cannot size', () => {
    for (const source of ['\\1', '\\k<n>', '(?x) a b c', '(abc', '[abc', 'a**', '\\C\\C']) expect(regexMinLength(source)).toBe(0);
    // A backreference counts as empty: the rest still bounds the match.
    expect(regexMinLength('(ab)\\1')).toBe(2);
  });

  it('never rejects a value the engine matches', () => {
    const cases: [string, string[]][] = [
      ['.{5,}', ['abcde', 'ééééé', '😀😀😀😀😀']],
      ['\\s[a-fA-F0-9]{4}\\s', [' abcd ', 'x\tABCD\ny']],
      ['(?i)^c:\\\\windows\\\\[a-z]+\\.exe$', ['C:\\Windows\\cmd.exe']],
      ['(foo|x)?bar', ['bar', 'xbar']],
    ];
    for (const [source, values] of cases) {
      const re = compileSigmaRegex(source, FLAGS);
      for (const v of values) expect(re.test(v)).toBe(true);
    }
    const long = compileSigmaRegex('.{1000,}', FLAGS);
    expect(long.test('x'.repeat(999))).toBe(false);
    expect(long.test('x'.repeat(1000))).toBe(true);
  });
});
