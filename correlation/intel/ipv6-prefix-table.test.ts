import { Ipv6PrefixTable } from './ipv6-prefix-table';
import { parseIpv6 } from './ip';

function words(text: string): Uint32Array {
  const g = new Uint16Array(8);
  if (!parseIpv6(text, g)) throw new Error(`bad address ${text}`);
  const w = new Uint32Array(4);
  for (let k = 0; k < 4; k++) w[k] = ((g[2 * k] << 16) | g[2 * k + 1]) >>> 0;
  return w;
}

function containing(table: Ipv6PrefixTable, text: string): number[] {
  const out = new Int32Array(129);
  return Array.from(out.subarray(0, table.containing(words(text), out)));
}

describe('Ipv6PrefixTable', () => {
  it('returns every containing prefix longest first, including /0 and /128', () => {
    const t = new Ipv6PrefixTable();
    t.set(words('::'), 0, 0);
    t.set(words('2001:db8::'), 32, 1);
    t.set(words('2001:db8:bad::'), 48, 2);
    t.set(words('2001:db8:bad::1'), 128, 3);
    t.set(words('2001:db8:bad:8000::'), 49, 4);
    expect(containing(t, '2001:db8:bad::1')).toEqual([3, 2, 1, 0]);
    expect(containing(t, '2001:db8:bad:8000::1')).toEqual([4, 2, 1, 0]);
    expect(containing(t, '2001:db8:bad:7fff:ffff:ffff:ffff:ffff')).toEqual([2, 1, 0]);
    expect(containing(t, '2001:db9::')).toEqual([0]);
  });

  it('masks host bits on insert and lookup, and replaces the value of an existing key', () => {
    const t = new Ipv6PrefixTable();
    t.set(words('2001:db8:0:1:ffff::'), 63, 7);
    expect(t.find(words('2001:db8::'), 63)).toBe(7);
    expect(t.find(words('2001:db8::'), 64)).toBe(-1);
    t.set(words('2001:db8::1'), 63, 9);
    expect(t.size).toBe(1);
    expect(containing(t, '2001:db8:0:1::42')).toEqual([9]);
  });

  it('keeps keys apart whatever their hash (many neighbours, last bit different)', () => {
    const t = new Ipv6PrefixTable();
    for (let i = 0; i < 5000; i++) t.set(words(`2001:db8::${i.toString(16)}`), 128, i);
    expect(t.size).toBe(5000);
    for (let i = 0; i < 5000; i += 97) expect(t.find(words(`2001:db8::${i.toString(16)}`), 128)).toBe(i);
    expect(t.find(words('2001:db8::1:0'), 128)).toBe(-1);
  });
});
