/** Case-folded fieldref comparison without lower-casing, and regexes over UTF-8 bytes. */
import { compileSigmaRegex } from './regex';
import { foldedCompare } from './value-testers';

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function lowered(a: string, b: string, mode: 'eq' | 'startswith' | 'endswith'): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return mode === 'eq' ? x === y : mode === 'startswith' ? x.startsWith(y) : x.endsWith(y);
}

describe('foldedCompare', () => {
  it('answers like comparing the lower-cased strings, or says it cannot (non-ASCII text)', () => {
    const r = seeded(5);
    // İ lower-cases to two characters, ß and É to one: lengths may change.
    const alphabet = 'aAbB\\.xXİßÉé';
    const word = (n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    let decided = 0;
    for (let i = 0; i < 8000; i++) {
      const a = word(Math.floor(r() * 6));
      // Often a prefix, suffix or case variant of `a`, so that equal answers occur.
      const pick = r();
      const b = pick < 0.25 ? a.toUpperCase() : pick < 0.5 ? a.slice(0, Math.floor(r() * (a.length + 1))) : pick < 0.75 ? a.slice(Math.floor(r() * (a.length + 1))) : word(Math.floor(r() * 6));
      for (const mode of ['eq', 'startswith', 'endswith'] as const) {
        const got = foldedCompare(a, b, mode);
        if (got === 2) continue;
        decided++;
        expect([a, b, mode, got === 1]).toEqual([a, b, mode, lowered(a, b, mode)]);
      }
    }
    expect(decided).toBeGreaterThan(8000);
  });

  it('compares Windows paths of any case without lower-casing them', () => {
    expect(foldedCompare('C:\\Windows\\System32\\CMD.EXE', 'c:\\windows\\system32\\cmd.exe', 'eq')).toBe(1);
    expect(foldedCompare('C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\explorer.exe', 'eq')).toBe(0);
    expect(foldedCompare('C:\\Windows\\System32\\cmd.exe', 'c:\\WINDOWS\\', 'startswith')).toBe(1);
    expect(foldedCompare('C:\\Windows\\System32\\cmd.exe', '\\CMD.exe', 'endswith')).toBe(1);
    expect(foldedCompare('cmd.exe', 'C:\\Windows\\System32\\cmd.exe', 'endswith')).toBe(0);
    expect(foldedCompare('C:\\Users\\Étienne\\a.exe', 'c:\\users\\étienne\\a.exe', 'eq')).toBe(2);
  });
});

describe('SigmaRegex.testEncoded', () => {
  it('gives what test gives on the value, given its UTF-8 bytes', () => {
    const values = ['C:\\Windows\\System32\\cmd.exe /c whoami', 'ÉCHO café', 'x\ny', 'İstanbul', '😀 emoji', 'a\ud800b'];
    const sources = ['(?i)cmd\\.exe', 'caf[ée]', '^y$', '(?m)^y$', '\\bwhoami\\b', '.{3}', 'i̇stanbul', '(?i)i̇stanbul', 'emoji$', '\ufffd'];
    for (const source of sources) {
      for (const flags of [{ ignoreCase: false, multiline: false, dotAll: false }, { ignoreCase: true, multiline: true, dotAll: true }]) {
        const re = compileSigmaRegex(source, flags);
        for (const v of values) expect([source, v, re.testEncoded(v, Buffer.from(v, 'utf8'))]).toEqual([source, v, re.test(v)]);
      }
    }
    // The JS fallback (lookaround) ignores the bytes.
    const js = compileSigmaRegex('cmd(?!\\.exe)', { ignoreCase: false, multiline: false, dotAll: false });
    expect(js.engine).toBe('js');
    expect(js.testEncoded('cmd /c', Buffer.from('unrelated'))).toBe(true);
  });
});
