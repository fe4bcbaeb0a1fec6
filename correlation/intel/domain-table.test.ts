import { DomainTable, scanDomain, type DomainScan } from './domain-table';

const always = (): boolean => true;

function scan(name: string, hosts: DomainTable<string>, domains: DomainTable<string>, maxLabels = 10, accept: (v: string) => boolean = always): DomainScan<string> {
  const out: DomainScan<string> = { host: undefined, own: undefined, parent: undefined };
  scanDomain(name, hosts, domains, maxLabels, (v) => accept(v), 0, 0, out);
  return out;
}

function table(...keys: string[]): DomainTable<string> {
  const t = new DomainTable<string>();
  for (const k of keys) t.set(k, k);
  return t;
}

describe('DomainTable and scanDomain', () => {
  it('finds the name itself and its shortest listed parent, in any case and with a trailing dot', () => {
    const domains = table('example.vn', 'evil.example.vn', 'vn');
    const hosts = table('www.evil.example.vn');
    expect(scan('WWW.Evil.Example.VN.', hosts, domains)).toEqual({ host: 'www.evil.example.vn', own: undefined, parent: 'example.vn' });
    expect(scan('evil.example.vn', hosts, domains)).toEqual({ host: undefined, own: 'evil.example.vn', parent: 'example.vn' });
    // A one-label suffix (a top-level domain) is never a parent.
    expect(scan('other.vn', hosts, domains)).toEqual({ host: undefined, own: undefined, parent: undefined });
    expect(scan('vn', hosts, domains).own).toBe('vn');
  });

  it('skips parents the caller does not accept and stops at maxLabels', () => {
    const domains = table('example.vn', 'a.example.vn', 'b.a.example.vn');
    expect(scan('x.b.a.example.vn', table(), domains, 10, (v) => v !== 'example.vn').parent).toBe('a.example.vn');
    expect(scan('x.b.a.example.vn', table(), domains, 2, (v) => v !== 'example.vn').parent).toBeUndefined();
    expect(scan('x.b.a.example.vn', table(), domains, 4).parent).toBe('example.vn');
  });

  it('does not take a label that only ends the same way for a parent', () => {
    const domains = table('example.vn');
    expect(scan('badexample.vn', table(), domains).parent).toBeUndefined();
    expect(scan('bad.example.vn', table(), domains).parent).toBe('example.vn');
  });

  it('lowercases non-ASCII names by Unicode rules before comparing', () => {
    const domains = table('bộyté.vn');
    expect(scan('www.BỘYTÉ.vn', table(), domains).parent).toBe('bộyté.vn');
  });

  it('keeps many keys apart through growth, and replaces a value set twice', () => {
    const t = new DomainTable<number>();
    for (let i = 0; i < 20_000; i++) t.set(`host${i}.example.vn`, i);
    t.set('host7.example.vn', -7);
    expect(t.size).toBe(20_000);
    expect(t.get('host19999.example.vn')).toBe(19_999);
    expect(t.get('host7.example.vn')).toBe(-7);
    expect(t.get('host20000.example.vn')).toBeUndefined();
    expect([...t.values()].length).toBe(20_000);
  });
});
