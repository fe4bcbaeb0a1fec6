import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntelImportError } from '../types';
import { importMispEvents, parseMispManifest } from './misp';

const MISP = join(__dirname, '..', 'testdata', 'misp');
const read = (name: string): string => readFileSync(join(MISP, name), 'utf8');
const EMOTET = 'feed/5f6b2c1a-8d3e-4f7a-9b2c-1d0e3f4a5b6c.json';

describe('MISP import', () => {
  it('imports to_ids attributes of events and objects, splitting composite types', () => {
    const r = importMispEvents(read(EMOTET), 'emotet.json', { includeNonIds: false });
    expect(r.indicators.map((i) => [i.type, i.value])).toEqual([
      ['ipv4', '162.243.103.246'],
      ['ipv6', '2001:db8:e3::25'],
      ['domain', 'emotet-c2.example.biz'],
      ['ipv4', '192.0.2.150'],
      ['url', 'files.example.info/wp-content/uploads/INV-2024-0418.doc'],
      ['hostname', 'mail.example-phish.com'],
      ['sha256', '7d3a1b2c4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9'],
      ['md5', '5d41402abc4b2a76b9719d911017c592'],
    ]);
    const meta = r.indicators[0].meta;
    expect(meta).toMatchObject({
      source: 'misp-event:5f6b2c1a-8d3e-4f7a-9b2c-1d0e3f4a5b6c',
      name: 'OSINT - Emotet epoch 5 C2 and loader hashes',
      tlp: 'white',
      attack: ['attack.t1071.001'],
      labels: ['malware_classification:malware-category="Botnet"'],
    });
    // An attribute's own tags add to the event's.
    expect(r.indicators[5].meta.labels).toContain('kill-chain:Delivery');
    expect(r.indicators[4].firstSeen).toBe(Date.parse('2024-04-17T22:10:00Z'));
    // to_ids false (2: the victim address and the filename), deleted (1) are skipped; email-src is not matched.
    expect(r.skipped).toBe(3);
    expect(r.unsupported).toBe(1);
    expect(r.unsupportedList[0]).toEqual({ position: 'Event 5f6b2c1a-8d3e-4f7a-9b2c-1d0e3f4a5b6c/Attribute[6]', reason: 'attribute type "email-src" is not matched' });
    expect(r.errors).toEqual([{ position: 'Event 5f6b2c1a-8d3e-4f7a-9b2c-1d0e3f4a5b6c/Attribute[7]', reason: expect.stringContaining('"162.243.103" is not an IPv4 address') }]);
  });

  it('includes context attributes when asked', () => {
    const r = importMispEvents(read(EMOTET), 'emotet.json', { includeNonIds: true });
    expect(r.indicators.map((i) => i.value)).toContain('10.20.30.40');
  });

  it('counts damaged attributes one by one', () => {
    const r = importMispEvents(read('broken-event.json'), 'broken-event.json', { includeNonIds: false });
    expect(r.indicators.map((i) => i.value)).toEqual(['198.51.100.11']);
    expect(r.errors.map((e) => e.position)).toEqual([
      'Event 7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e/Attribute[0]',
      'Event 7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e/Attribute[1]',
      'Event 7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e/Attribute[2]',
      'Event 7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e/Attribute[3]',
    ]);
    expect(r.errors[0].reason).toMatch(/type/);
    expect(r.errors[3].reason).toMatch(/should have 2 parts/);
  });

  it('reads restSearch responses and rejects non-events', () => {
    const one = JSON.parse(read('feed/6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d.json')) as unknown;
    const r = importMispEvents(JSON.stringify({ response: [one, JSON.parse(read(EMOTET)) as unknown] }), 'rest', { includeNonIds: false });
    expect(r.indicators[0]).toMatchObject({ type: 'domain', value: 'dichvucong-gov.example.com', meta: { tlp: 'green', attack: ['attack.t1566.002'] } });
    expect(r.indicators).toHaveLength(10);
    expect(() => importMispEvents('{"type": "bundle", "objects": []}', 'x.json', { includeNonIds: false })).toThrow(/x.json: not a MISP event/);
  });

  it('parses a feed manifest and refuses keys that are not uuids', () => {
    const m = parseMispManifest(read('feed/manifest.json'), 'manifest.json');
    expect([...m]).toEqual([
      ['5f6b2c1a-8d3e-4f7a-9b2c-1d0e3f4a5b6c', '1713430000'],
      ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', '1714640000'],
    ]);
    expect(() => parseMispManifest('{"../../etc/passwd": {"timestamp": "1"}}', 'm.json')).toThrow(IntelImportError);
  });
});
