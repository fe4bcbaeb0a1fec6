/** Glob against a regular expression built from the same pattern, on random patterns and texts. */
import { prng } from '../../core/testing/prng';
import { Glob } from './glob';
import { ANY, ONE, normalizePattern, type PatternPart } from './sigma-string';

function reference(parts: readonly PatternPart[]): RegExp {
  const body = parts.map((p) => (p === ANY ? '[\\s\\S]*' : p === ONE ? '[\\s\\S]' : p.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

describe('Glob', () => {
  it('matches exactly what the equivalent regular expression matches (random patterns with * and ?)', () => {
    const r = prng(20261127);
    const alphabet = 'ab%\\>';
    const word = (max: number): string => Array.from({ length: Math.floor(r() * (max + 1)) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    let checked = 0;
    for (let k = 0; k < 3000; k++) {
      const raw: PatternPart[] = [];
      const pieces = 1 + Math.floor(r() * 5);
      for (let i = 0; i < pieces; i++) {
        const roll = r();
        raw.push(roll < 0.3 ? ANY : roll < 0.55 ? ONE : word(4) || 'a');
      }
      const parts = normalizePattern(raw);
      const glob = new Glob(parts);
      const re = reference(parts);
      for (let t = 0; t < 20; t++) {
        const text = word(14);
        expect([parts.map((p) => (p === ANY ? '*' : p === ONE ? '?' : p)).join(''), text, glob.test(text)]).toEqual([parts.map((p) => (p === ANY ? '*' : p === ONE ? '?' : p)).join(''), text, re.test(text)]);
        checked++;
      }
    }
    expect(checked).toBe(60_000);
  });

  it('finds a ? segment after earlier occurrences of its literal run that do not fit', () => {
    const glob = new Glob(normalizePattern([ANY, '>', ONE, '%appdata%\\', ANY]));
    expect(glob.test('echo %appdata%\\ x >"%appdata%\\out.txt')).toBe(true);
    expect(glob.test('echo %appdata%\\ x >%appdata%')).toBe(false);
    expect(glob.test('>%appdata%\\')).toBe(false);
    // The run found again inside its own previous occurrence.
    const overlapping = new Glob(normalizePattern([ANY, 'aba', ONE, 'b', ANY]));
    expect(overlapping.test('ababaxb')).toBe(true);
    expect(overlapping.test('ababax')).toBe(false);
  });
});
