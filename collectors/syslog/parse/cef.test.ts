import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCef } from './cef';
import { parseSyslogLine } from './index';

const lines = readFileSync(join(__dirname, 'testdata', 'cef.txt'), 'utf8').split('\n').filter((l) => l.length > 0);
const opts = { timezone: 'Asia/Ho_Chi_Minh', now: Date.UTC(2026, 10, 27, 3) };

describe('parseCef', () => {
  test('Check Point Log Exporter inside RFC 5424: string severity Unknown', () => {
    const msg = parseSyslogLine(lines[0], opts);
    expect(parseCef(msg.message)).toEqual({
      version: 0, vendor: 'Check Point', product: 'VPN-1 & FireWall-1', deviceVersion: 'Check Point',
      signatureId: 'Log', name: 'https', severity: 0,
      extensions: {
        act: 'Accept', deviceDirection: '0', rt: '1795716245000', spt: '55345', dpt: '443',
        src: '10.0.0.5', dst: '93.184.216.34', proto: '6', cs2Label: 'Rule Name', cs2: 'Allow outbound web',
      },
    });
  });

  test('Trend Micro Deep Security: labels with spaces, escaped backslashes in a Windows path', () => {
    expect(parseCef(lines[1])).toEqual({
      version: 0, vendor: 'Trend Micro', product: 'Deep Security Agent', deviceVersion: '20.0.1',
      signatureId: '4000000', name: 'Eicar_test_file', severity: 6,
      extensions: {
        cn1: '1', cn1Label: 'Host ID', dvchost: 'win-web-01', cn2: '205', cn2Label: 'Quarantine File Size',
        fileHash: '44D88612FEA8A8F36DE82E1278ABB02F', act: 'Delete', result: 'Delete', msg: 'Realtime',
        filePath: 'C:\\Users\\admin\\Downloads\\eicar.com',
      },
    });
  });

  test('Imperva after an RFC 3164 header: High severity, date with spaces, escaped = in a URL', () => {
    const msg = parseSyslogLine(lines[2], opts);
    expect(msg.hostname).toBe('imperva-gw');
    const cef = parseCef(msg.message);
    expect(cef).toMatchObject({ vendor: 'Imperva Inc.', product: 'SecureSphere', deviceVersion: '14.7.0', signatureId: 'Protocol Validation', name: 'Web Protocol Validation', severity: 8 });
    expect(cef?.extensions.rt).toBe('Nov 27 2026 01:04:05');
    expect(cef?.extensions.cs1).toBe('Default Web Policy');
    expect(cef?.extensions.request).toBe('/login.php?user=admin&pass=x');
    expect(cef?.extensions.requestMethod).toBe('POST');
  });

  test('ArcSight spec examples: escaped pipe and backslash in the header, \\= \\\\ \\n \\r in values', () => {
    expect(parseCef(lines[3])).toMatchObject({ name: 'detected a | in message', extensions: { src: '10.0.0.1', act: 'blocked a =', dst: '1.1.1.1' } });
    expect(parseCef(lines[4])).toMatchObject({ name: 'detected a \\ in packet', extensions: { act: 'blocked a \\' } });
    expect(parseCef(lines[5])?.extensions).toEqual({ src: '10.0.0.1', act: 'blocked a =', dst: '1.1.1.1', msg: 'line one\nline two\rend' });
  });

  test('CEF behind an unparsed syslog prefix', () => {
    expect(parseCef(lines[6])).toMatchObject({ signatureId: '100', name: 'worm successfully stopped', severity: 10, extensions: { src: '10.0.0.1', dst: '2.1.2.2', spt: '1232' } });
  });

  test('CEF:1, Very-High, an unescaped = inside a URL value', () => {
    expect(parseCef(lines[7])).toMatchObject({
      version: 1, deviceVersion: '7.2.5,build1517', signatureId: '0419016384', severity: 10,
      extensions: { request: 'http://portal.example.vn/index.php?id=1 UNION SELECT', cs1Label: 'attack', cs1: 'SQL.Injection' },
    });
  });

  test('severity words and numbers', () => {
    const sev = (s: string) => parseCef(`CEF:0|v|p|1|id|n|${s}|`)?.severity;
    expect([sev('Low'), sev('medium'), sev('HIGH'), sev('Very-High'), sev('Unknown'), sev('7'), sev('bogus')]).toEqual([3, 6, 8, 10, 0, 7, 0]);
  });

  test('leading whitespace, no extension, header-only without the last pipe, trailing newline', () => {
    expect(parseCef('  CEF:0|v|p|1|id|n|5|')).toEqual({ version: 0, vendor: 'v', product: 'p', deviceVersion: '1', signatureId: 'id', name: 'n', severity: 5, extensions: {} });
    expect(parseCef('CEF:0|v|p|1|id|n|5')?.severity).toBe(5);
    expect(parseCef('CEF:0|v|p|1|id|n|5|src=1.2.3.4 msg=done \r\n')?.extensions).toEqual({ src: '1.2.3.4', msg: 'done' });
  });

  test('keys: the first word before = starts a pair only after a space; __proto__ is data', () => {
    expect(parseCef('CEF:0|v|p|1|id|n|5|msg=a=b c d=e f?g=h')?.extensions).toEqual({ msg: 'a=b c', d: 'e f?g=h' });
    const ext = parseCef('CEF:0|v|p|1|id|n|5|__proto__=x y=1')?.extensions ?? {};
    expect(Object.prototype.hasOwnProperty.call(ext, '__proto__')).toBe(true);
    expect(ext.y).toBe('1');
  });

  test('not CEF', () => {
    expect(parseCef('hello')).toBeNull();
    expect(parseCef('CEF:0|only|four|fields')).toBeNull();
    expect(parseCef('CEF:x|v|p|1|id|n|5|')).toBeNull();
    expect(parseCef('xCEF:0|v|p|1|id|n|5|')).toBeNull();
  });
});
