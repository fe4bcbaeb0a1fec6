/** Regex compilation: RE2 first, bounded JS fallback, and PCRE inline-flag translation. */
import { compileSigmaRegex, hasNestedQuantifier, MAX_FALLBACK_INPUT, translateInlineFlags } from './regex';

const none = { ignoreCase: false, multiline: false, dotAll: false };

describe('compileSigmaRegex', () => {
  it('runs SigmaHQ-style patterns in RE2, including (?i), (?P<n>) and escaped quotes', () => {
    for (const source of ['(?i)echo.*clip.*&&.*(Clipboard|i`?n`?v`?o`?k`?e`?)', '(?P<cmd>cmd)\\.exe', 'clipboard]::\\(\\s\\\\\\"\\{\\d\\}', '\\Afoo\\Z']) {
      expect(compileSigmaRegex(source, none).engine).toBe('re2');
    }
    expect(compileSigmaRegex('(?i)ECHO x clip && invoke', none).test('echo x clip && invoke')).toBe(true);
    expect(compileSigmaRegex('foo\\Z', none).test('a foo\n')).toBe(true);
  });

  it('stays linear on inputs that make backtracking engines exponential', () => {
    const re = compileSigmaRegex('^(a+)+$', none);
    const start = Date.now();
    expect(re.test('a'.repeat(50_000) + '!')).toBe(false);
    expect(Date.now() - start).toBeLessThan(1000);
  });

  it('uses a JS RegExp for lookaround, with leading inline flags translated, on bounded input', () => {
    const re = compileSigmaRegex('(?i)cmd(?!\\.exe)', none);
    expect(re.engine).toBe('js');
    expect(re.test('CMD /c')).toBe(true);
    expect(re.test('CMD.EXE /c')).toBe(false);
    const tail = compileSigmaRegex('x(?=y)', none);
    expect(tail.test('.'.repeat(MAX_FALLBACK_INPUT) + 'xy')).toBe(false);
  });
});

describe('translateInlineFlags', () => {
  it('turns leading flag groups into RegExp flags and (?P< into (?<', () => {
    expect(translateInlineFlags('(?i)(?s)a.b')).toEqual({ source: 'a.b', flags: 'is' });
    expect(translateInlineFlags('(?P<x>a)')).toEqual({ source: '(?<x>a)', flags: '' });
  });
  it('rejects flags it cannot express in JavaScript', () => {
    expect(() => translateInlineFlags('a(?i)b')).toThrow(/inline flags inside the pattern/);
    expect(() => translateInlineFlags('(?x)a b')).toThrow(/extended mode/);
  });
});

describe('hasNestedQuantifier', () => {
  it.each<[string, boolean]>([
    ['(a+)+', true],
    ['(a|aa)*', true],
    ['(?:\\d+\\.)*x', true],
    ['(ab)+', false],
    ['(a+)?', false],
    ['[(+)]+', false],
    ['a+b*c{2,}', false],
  ])('%s → %s', (source, expected) => {
    expect(hasNestedQuantifier(source)).toBe(expected);
  });
});
