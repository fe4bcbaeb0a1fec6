/** Wildcards and the backslash escape, case by case from the spec's "Escape Character" section. */
import { Glob } from './glob';
import { ANY, ONE, normalizePattern, parseSigmaString, type PatternPart } from './sigma-string';
import { matches } from './testdata/inline';

describe('parseSigmaString', () => {
  it.each<[string, unknown[]]>([
    ['abc', ['abc']],
    ['a*b?c', ['a', ANY, 'b', ONE, 'c']],
    // A plain backslash not followed by a wildcard: single or double, both are one backslash.
    ['C:\\Windows\\System32', ['C:\\Windows\\System32']],
    ['C:\\\\Windows', ['C:\\Windows']],
    // An escaped wildcard is a plain character.
    ['\\*', ['*']],
    ['\\?', ['?']],
    // An escaped backslash before a wildcard: backslash, then the wildcard.
    ['\\\\*', ['\\', ANY]],
    // Three backslashes: backslash and a plain wildcard character.
    ['\\\\\\*', ['\\*']],
    // Three or four backslashes are a double backslash.
    ['\\\\\\\\', ['\\\\']],
    ['\\\\\\', ['\\\\']],
    // A trailing backslash stays.
    ['\\Temp\\', ['\\Temp\\']],
  ])('%j', (text, expected) => {
    expect(parseSigmaString(text)).toEqual(expected);
  });

  it('recognises placeholders only with expand, and \\% escapes a percent sign', () => {
    expect(parseSigmaString('%Servers%')).toEqual(['%Servers%']);
    expect(parseSigmaString('%Servers%', true)).toEqual([{ placeholder: 'Servers' }]);
    expect(parseSigmaString('\\%plain%name%', true)).toEqual(['%plain', { placeholder: 'name' }]);
    expect(parseSigmaString('100%', true)).toEqual(['100%']);
  });
});

describe('wildcard matching', () => {
  const glob = (text: string): Glob => new Glob(normalizePattern(parseSigmaString(text) as PatternPart[]));
  it('? is exactly one character, * any run', () => {
    expect(glob('prog?.exe').test('prog1.exe')).toBe(true);
    expect(glob('prog?.exe').test('prog.exe')).toBe(false);
    expect(glob('prog?.exe').test('prog12.exe')).toBe(false);
    expect(glob('antivirus_V*.exe').test('antivirus_V21.2.1.exe')).toBe(true);
    expect(glob('a*b*c').test('abc')).toBe(true);
    expect(glob('a*b*c').test('axxbyyc')).toBe(true);
    expect(glob('a*b*c').test('axxcyyb')).toBe(false);
    expect(glob('*a?c*').test('zzabcxx')).toBe(true);
    expect(glob('a*a').test('a')).toBe(false);
    expect(glob('?').test('')).toBe(false);
  });

  it('escaped wildcards match themselves in rules', () => {
    expect(matches("sel:\n    CommandLine: 'echo \\*'\ncondition: sel", { CommandLine: 'echo *' })).toBe(true);
    expect(matches("sel:\n    CommandLine: 'echo \\*'\ncondition: sel", { CommandLine: 'echo x' })).toBe(false);
    expect(matches("sel:\n    Path: 'C:\\Users\\\\*'\ncondition: sel", { Path: 'C:\\Users\\alice' })).toBe(true);
    expect(matches("sel:\n    Path: 'C:\\Users\\\\\\*'\ncondition: sel", { Path: 'C:\\Users\\*' })).toBe(true);
    expect(matches("sel:\n    Path: 'C:\\Users\\\\\\*'\ncondition: sel", { Path: 'C:\\Users\\alice' })).toBe(false);
    expect(matches("sel:\n    Path|contains: 'what\\?'\ncondition: sel", { Path: 'so what?' })).toBe(true);
    expect(matches("sel:\n    Path|contains: 'what\\?'\ncondition: sel", { Path: 'so whatx' })).toBe(false);
    expect(matches("sel:\n    Share: '\\\\\\\\server\\share'\ncondition: sel", { Share: '\\\\server\\share' })).toBe(true);
  });
});
