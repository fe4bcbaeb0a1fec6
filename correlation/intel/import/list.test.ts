import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importCsvList, importTextList } from './list';

const LISTS = join(__dirname, '..', 'testdata', 'lists');
const read = (name: string): string => readFileSync(join(LISTS, name), 'utf8');

describe('plain list import', () => {
  it('reads a TXT list with ; and # comments, trailing remarks and defanged values', () => {
    const r = importTextList(read('drop.txt'), 'drop.txt', {});
    expect(r.indicators.map((i) => [i.type, i.value])).toEqual([
      ['ipv4', '1.10.16.0/20'],
      ['ipv4', '2.56.192.0/22'],
      ['url', 'evil.example.com/login.php'],
      ['domain', 'bad-c2.example.com'],
      ['ipv6', '2001:db8:dead::1'],
      ['sha256', 'e3b4f0c7a5d2b1c8f9e6d3a0b7c4e1f8a5d2c9b6e3f0a7d4c1b8e5f2a9c6d3b0'],
    ]);
    expect(r.errors).toEqual([{ position: 'drop.txt:9', reason: expect.stringContaining('"999.1.1.1"') }]);
  });

  it('reads abuse.ch CSV with its commented, quoted header', () => {
    const r = importCsvList(read('feodo-ipblocklist.csv'), 'feodo.csv', { delimiter: ',' });
    expect(r.indicators.map((i) => i.value)).toEqual(['162.243.103.246', '50.16.16.211', '185.117.73.115']);
    expect(r.indicators[0]).toMatchObject({ firstSeen: Date.parse('2021-01-17T07:30:05Z'), meta: { labels: ['Emotet'] } });
    // Rows with the same tags share their meta object.
    expect(r.indicators[1].meta).not.toBe(r.indicators[0].meta);
    expect(r.errors).toEqual([{ position: 'feodo.csv:13', reason: expect.stringContaining('not-an-ip') }]);
  });

  it('reads a CSV with type, confidence and expiry columns', () => {
    const r = importCsvList(read('iocs.csv'), 'iocs.csv', { delimiter: ',' });
    expect(r.indicators.map((i) => [i.type, i.value, i.confidence])).toEqual([
      ['ipv4', '198.51.100.44', 90],
      ['domain', 'login-microsoftonline.example.net', 85],
      ['url', '203.0.113.88:8080/gate.php?id=1', 70],
      ['md5', '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 40],
      ['ipv6', 'fe80::/10', 20],
      ['domain', 'evil.example.org', undefined],
    ]);
    expect(r.indicators[0]).toMatchObject({ validUntil: Date.parse('2099-12-31T00:00:00Z'), meta: { description: 'Cobalt Strike team server', labels: ['cobaltstrike', 'c2'] } });
    expect(r.indicators[2].meta.description).toBe('Loader gate, "v2" panel');
    expect(r.errors).toEqual([{ position: 'iocs.csv:6', reason: expect.stringContaining('confidence "abc"') }]);
    expect(r.unsupportedList).toEqual([{ position: 'iocs.csv:9', reason: 'type "email" is not matched' }]);
  });

  it('names the missing column when the header has no value column', () => {
    expect(() => importCsvList('a,b\n1,2\n', 'x.csv', { delimiter: ',' })).toThrow(/x.csv: line 1: no value column/);
    expect(() => importCsvList('ioc,kind\n1.2.3.4,ip\n', 'y.csv', { delimiter: ',', valueColumn: 'indicator' })).toThrow(/"indicator" not found/);
    expect(importCsvList('ioc;kind\n1.2.3.4;ip\n', 'z.csv', { delimiter: ';' }).indicators).toHaveLength(1);
  });
});
