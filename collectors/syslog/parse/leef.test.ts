import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLeef } from './leef';
import { parseSyslogLine } from './index';

const lines = readFileSync(join(__dirname, 'testdata', 'leef.txt'), 'utf8').split('\n').filter((l) => l.length > 0);
const opts = { timezone: 'UTC', now: Date.UTC(2026, 10, 27, 3) };

describe('parseLeef', () => {
  test('LEEF 1.0, tab-separated (QRadar guide example)', () => {
    expect(parseLeef(lines[0])).toEqual({
      version: '1.0', vendor: 'Microsoft', product: 'MSExchange', productVersion: '4.0 SP1', eventId: '15345',
      attributes: { src: '192.0.2.0', dst: '172.50.123.1', sev: '5', cat: 'anomaly', srcPort: '81', dstPort: '21', usrName: 'joe.black' },
    });
  });

  test('LEEF 2.0 with a caret delimiter', () => {
    expect(parseLeef(lines[1])).toEqual({
      version: '2.0', vendor: 'Lancope', product: 'StealthWatch', productVersion: '1.0', eventId: '41',
      attributes: { src: '10.0.1.8', dst: '10.0.0.5', sev: '5', srcPort: '81', dstPort: '21' },
    });
  });

  test('LEEF 2.0 with 0x09 after an RFC 3164 header; trailing delimiter ignored', () => {
    const msg = parseSyslogLine(lines[2], opts);
    expect(msg).toMatchObject({ hostname: '192.168.1.1', timestamp: Date.UTC(2026, 0, 18, 11, 7, 53) });
    expect(parseLeef(msg.message)).toEqual({
      version: '2.0', vendor: 'Vendor', product: 'Product', productVersion: 'Version', eventId: 'EventID',
      attributes: { src: '10.0.0.5', dst: '10.0.0.6', msg: 'tab separated via hex' },
    });
  });

  test('LEEF 2.0 with x5E (caret) after an RFC 5424 header; values with spaces, = and trailing ^', () => {
    const msg = parseSyslogLine(lines[3], opts);
    expect(parseLeef(msg.message)).toEqual({
      version: '2.0', vendor: 'ABC Company', product: 'SystemDefender', productVersion: '1.13', eventId: 'console_login',
      attributes: {
        devTimeFormat: "yyyy-MM-dd'T'HH:mm:ss.SSSZ", devTime: '2017-10-18T11:26:03.060+0200', usrName: 'flastname',
        name: 'Firstname Lastname', authType: 'interactivePassword', src: '192.168.0.1',
      },
    });
  });

  test('LEEF 1.0 whose tabs became spaces on the way', () => {
    expect(parseLeef(lines[4])?.attributes).toEqual({
      devTimeFormat: "yyyy-MM-dd'T'HH:mm:ss.SSSZ", devTime: '2017-10-18T11:26:03.060+0200', usrName: 'flastname',
      name: 'Firstname Lastname', authType: 'interactivePassword', src: '192.168.0.1',
    });
  });

  test('LEEF 2.0 without the delimiter field: tab, and a pipe inside a value', () => {
    expect(parseLeef(lines[5])).toEqual({
      version: '2.0', vendor: 'IBM', product: 'QRadar', productVersion: '7.5.0', eventId: 'NewEvent',
      attributes: { src: '203.0.113.66', dst: '192.0.2.30', cat: 'IPS', msg: 'a|b' },
    });
  });

  test('spaces inside a tab-separated value are kept', () => {
    expect(parseLeef(lines[6])?.attributes.msg).toBe('there are spaces in this message');
  });

  test('delimiter forms and degenerate input', () => {
    expect(parseLeef('LEEF:2.0|v|p|1|e|0x7C|a=1|b=2')?.attributes).toEqual({ a: '1', b: '2' });
    expect(parseLeef('LEEF:2.0|v|p|1|e|x3B|a=1;b=2;noequals;;c=')?.attributes).toEqual({ a: '1', b: '2', c: '' });
    expect(parseLeef('LEEF:2.0|v|p|1|e||a=1\tb=2')?.attributes).toEqual({ a: '1', b: '2' });
    expect(parseLeef('LEEF:1.0|v|p|1|e')).toEqual({ version: '1.0', vendor: 'v', product: 'p', productVersion: '1', eventId: 'e', attributes: {} });
    expect(parseLeef('LEEF:1.0|v|p|1|e|a=1\tb=2\r\n')?.attributes).toEqual({ a: '1', b: '2' });
  });

  test('not LEEF', () => {
    expect(parseLeef('LEEF:3.0|v|p|1|e|a=1')).toBeNull();
    expect(parseLeef('LEEF:1.0|v|p')).toBeNull();
    expect(parseLeef('CEF:0|v|p|1|id|n|5|')).toBeNull();
    expect(parseLeef('')).toBeNull();
  });
});
