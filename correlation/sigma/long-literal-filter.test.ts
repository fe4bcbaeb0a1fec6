/** The sampled-gram filter never hides a literal that occurs, and lets few other values through. */
import { FILTER_MIN_LITERAL, LongLiteralFilter } from './long-literal-filter';
import { LiteralIndex } from './literal-index';
import { prng } from '../../core/testing/prng';


const HEX = '0123456789abcdef';

function hexString(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[Math.floor(r() * 16)];
  return s;
}

/** A Sysmon `Hashes` value: SHA1, MD5, SHA256 and IMPHASH, upper-case hex as Sysmon writes it. */
function hashesValue(r: () => number, md5 = hexString(r, 32)): string {
  return `SHA1=${hexString(r, 40)},MD5=${md5},SHA256=${hexString(r, 64)},IMPHASH=${hexString(r, 32)}`.toUpperCase();
}

describe('LongLiteralFilter', () => {
  it('is built only for long literals, and for ASCII ones when folded', () => {
    expect(LongLiteralFilter.build(['x'.repeat(FILTER_MIN_LITERAL - 1), 'y'.repeat(40)], true)).toBeNull();
    expect(LongLiteralFilter.build([], true)).toBeNull();
    expect(LongLiteralFilter.build(['c:\\programdata\\élévation\\payload.exe'], true)).toBeNull();
    expect(LongLiteralFilter.build(['c:\\programdata\\élévation\\payload.exe'], false)).not.toBeNull();
    expect(LongLiteralFilter.build(['{0cce9210-69ae-11d9-bed3-505054503030}'], true)?.minLength).toBe(38);
  });

  it('passes every value holding a literal, at every offset, in any case', () => {
    const r = prng(11);
    const literals = Array.from({ length: 400 }, () => `md5=${hexString(r, 32)}`);
    literals.push('imphash=' + hexString(r, 32), '{0cce9210-69ae-11d9-bed3-505054503030}');
    const filter = LongLiteralFilter.build(literals, true) as LongLiteralFilter;
    for (const lit of literals) {
      for (let before = 0; before < 40; before++) {
        const text = hexString(r, before) + (before % 2 === 0 ? lit.toUpperCase() : lit) + hexString(r, before % 7);
        expect(filter.mayContain(text)).toBe(true);
      }
    }
  });

  it('folds as String.toLowerCase does: KELVIN SIGN and U+0130 before and inside a literal', () => {
    const literal = 'c:\\windows\\temp\\kirbi-dump.kirbi';
    const filter = LongLiteralFilter.build([literal], true) as LongLiteralFilter;
    const kelvin = literal.replace(/k/g, '\u212a');
    // U+0130 lower-cases to two characters: the literal starts one position later in the lower-cased text.
    const variants = [kelvin, 'xx\u0130\u0130\u0130' + literal, 'zz' + literal.slice(0, -1) + '\u0130', 'é'.repeat(13) + literal.toUpperCase()];
    for (const text of variants) {
      expect(text.toLowerCase().includes(literal)).toBe(true);
      expect(filter.mayContain(text)).toBe(true);
    }
  });

  it('compares code units exactly when cased', () => {
    const literal = '|C:\\Windows\\System32\\KERNELBASE.dll+';
    const filter = LongLiteralFilter.build([literal], false) as LongLiteralFilter;
    expect(filter.mayContain(`C:\\Windows\\SYSTEM32\\ntdll.dll+9d4e4${literal}2c2a0`)).toBe(true);
    expect(filter.mayContain(`C:\\Windows\\SYSTEM32\\ntdll.dll+9d4e4${literal.toLowerCase()}2c2a0`)).toBe(false);
  });

  it('lets through few Hashes values that hold none of 5,000 MD5 literals', () => {
    const r = prng(5);
    const literals = Array.from({ length: 5000 }, () => `md5=${hexString(r, 32)}`);
    const filter = LongLiteralFilter.build(literals, true) as LongLiteralFilter;
    let passed = 0;
    for (let i = 0; i < 5000; i++) if (filter.mayContain(hashesValue(r))) passed++;
    expect(passed).toBeLessThan(100);
    expect(filter.mayContain(hashesValue(r, literals[1234].slice(4)))).toBe(true);
    // Shorter than the shortest literal: nothing can occur.
    expect(filter.mayContain(literals[0].slice(1))).toBe(false);
  });

  it('leaves what a literal index finds unchanged', () => {
    const r = prng(3);
    const literals = Array.from({ length: 300 }, () => `md5=${hexString(r, 32)}`);
    const index = new LiteralIndex(0, false);
    const ids = literals.map((l) => index.add(l));
    index.seal(undefined, null);
    let generation = 0;
    for (let i = 0; i < 600; i++) {
      const planted = i % 3 === 0 ? literals[i % literals.length].slice(4) : hexString(r, 32);
      const value = hashesValue(r, planted);
      index.scan([value, 'MD5=' + hexString(r, 8)], null, ++generation);
      const found = Array.from(index.found.subarray(0, index.foundCount));
      const expected = ids.filter((_id, k) => value.toLowerCase().includes(literals[k]));
      expect(found.sort((a, b) => a - b)).toEqual(expected);
    }
  });
});
