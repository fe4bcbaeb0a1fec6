/** notify.syslog to real UDP and TCP listeners on 127.0.0.1. */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { playbooksConfig } from '../config';
import { actionContext, testServices } from '../testdata/fixtures';
import { formatRfc5424, notifySyslog } from './notify-syslog';

const RFC5424 = /^<(\d+)>1 (\S+) (\S+) (\S+) (\d+) (\S+) (\[.*?[^\\]\]|-) \uFEFF(.*)$/s;

describe('notify.syslog', () => {
  test('UDP: one RFC 5424 datagram with structured data naming the alert and run', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    const got = new Promise<string>((r) => socket.once('message', (m) => r(m.toString('utf8'))));
    try {
      const config = playbooksConfig({ syslog: { host: '127.0.0.1', port: (socket.address() as AddressInfo).port, hostname: 'socnoc-hn', appName: 'socnoc' } });
      const out = await notifySyslog.run(actionContext(testServices({ config })), notifySyslog.params.parse({ message: 'Blocked 198.51.100.30 after SSH brute force', severity: 'warning', msgid: 'BLOCK' }));
      expect(out.output).toMatchObject({ target: expect.stringMatching(/^udp:\/\/127\.0\.0\.1:\d+$/) });
      const m = RFC5424.exec(await got);
      expect(m).not.toBeNull();
      const [, pri, time, host, app, , msgid, sd, msg] = m as RegExpExecArray;
      expect(Number(pri)).toBe(13 * 8 + 4);
      expect(Number.isNaN(Date.parse(time))).toBe(false);
      expect([host, app, msgid]).toEqual(['socnoc-hn', 'socnoc', 'BLOCK']);
      expect(sd).toBe('[socnoc@32473 alert="a7f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b" rule="SSH Login After Repeated Failures From the Same Address" organization="hanoi-doh" playbook="test" run="run-1"]');
      expect(msg).toBe('Blocked 198.51.100.30 after SSH brute force');
    } finally {
      socket.close();
    }
  });

  test('TCP: octet-counted frame', async () => {
    let data = '';
    const server = createServer((s) => s.on('data', (c: Buffer) => (data += c.toString('utf8'))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const config = playbooksConfig({ syslog: { host: '127.0.0.1', port: (server.address() as AddressInfo).port, protocol: 'tcp' } });
      await notifySyslog.run(actionContext(testServices({ config })), notifySyslog.params.parse({ message: 'Đã cô lập máy web01' }));
      for (let i = 0; i < 100 && data === ''; i++) await new Promise((r) => setTimeout(r, 10));
      const space = data.indexOf(' ');
      const length = Number(data.slice(0, space));
      expect(Buffer.byteLength(data.slice(space + 1), 'utf8')).toBe(length);
      expect(data.slice(space + 1)).toMatch(/Đã cô lập máy web01$/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  test('structured-data values escape quote, backslash and bracket; header fields are sanitised', () => {
    const line = formatRfc5424({ facility: 4, severity: 'err', time: new Date('2026-11-27T04:05:00Z'), hostname: 'bad host', appName: '', msgid: 'X', sd: { rule: 'a "quoted" \\ [rule]' }, message: 'm' });
    expect(line).toBe(`<35>1 2026-11-27T04:05:00.000Z badhost - ${process.pid} X [socnoc@32473 rule="a \\"quoted\\" \\\\ [rule\\]"] \uFEFFm`);
  });

  test('no target configured is an error', async () => {
    await expect(notifySyslog.run(actionContext(testServices()), notifySyslog.params.parse({ message: 'x' }))).rejects.toThrow('no syslog target: set playbooks.syslog.host or give `host`');
  });
});
