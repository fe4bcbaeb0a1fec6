import { parseSyslogLine } from './parse';
import type { SyslogMessage } from './parse/types';
import { buildBaseEvent, buildSyslogEvent } from './to-event';
import { FIXTURE_NOW, fixtureLines } from './normalize/testdata/fixtures';

const ctx = { original: 'the raw line', receivedAt: Date.UTC(2024, 2, 4, 12, 0, 0), peerAddress: '192.0.2.7', organization: { id: 'agency-a', name: 'Agency A' } };

describe('base syslog event', () => {
  it('fills time, ids, log.syslog, host, observer, process and organization', () => {
    const msg: SyslogMessage = {
      format: 'rfc5424', facility: 4, severity: 5, timestamp: Date.UTC(2024, 2, 4, 10, 0, 0, 250), hostname: 'web01', appName: 'sshd',
      procId: '2817', msgId: 'ID47', version: '1', structuredData: { 'origin@32473': { ip: '10.0.0.1' } }, message: 'hello',
    };
    const event = buildBaseEvent(msg, ctx);
    expect(event).toEqual({
      '@timestamp': '2024-03-04T10:00:00.250Z',
      message: 'hello',
      event: {
        id: event.event.id, created: '2024-03-04T12:00:00.000Z', ingested: '2024-03-04T12:00:00.000Z', original: 'the raw line',
        kind: 'event', dataset: 'syslog', severity: 5,
      },
      organization: { id: 'agency-a', name: 'Agency A' },
      log: {
        syslog: {
          facility: { code: 4, name: 'auth' }, severity: { code: 5, name: 'notice' }, priority: 37, hostname: 'web01', appname: 'sshd',
          procid: '2817', msgid: 'ID47', version: '1', structured_data: { 'origin@32473': { ip: '10.0.0.1' } },
        },
        source: { address: '192.0.2.7' },
      },
      observer: { ip: ['192.0.2.7'], hostname: 'web01' },
      host: { name: 'web01', hostname: 'web01' },
      process: { name: 'sshd', pid: 2817 },
    });
    expect(event.event.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('falls back to the receive time and leaves out what the header lacks', () => {
    const event = buildBaseEvent({ format: 'raw', message: 'bare line' }, ctx);
    expect(event['@timestamp']).toBe('2024-03-04T12:00:00.000Z');
    expect(event.host).toBeUndefined();
    expect(event.process).toBeUndefined();
    expect(event.event.severity).toBeUndefined();
    expect(event.log).toEqual({ syslog: {}, source: { address: '192.0.2.7' } });
    expect(event.observer).toEqual({ ip: ['192.0.2.7'] });
  });

  it('ignores a header time Date cannot hold and a non-numeric procid', () => {
    const event = buildBaseEvent({ format: 'rfc5424', timestamp: 9e15, appName: 'app', procId: 'worker-1', message: '' }, ctx);
    expect(event['@timestamp']).toBe('2024-03-04T12:00:00.000Z');
    expect(event.process).toEqual({ name: 'app' });
    expect(event.log?.syslog?.procid).toBe('worker-1');
  });

  it('gives every event its own id', () => {
    const msg: SyslogMessage = { format: 'raw', message: 'x' };
    expect(buildBaseEvent(msg, ctx).event.id).not.toBe(buildBaseEvent(msg, ctx).event.id);
  });
});

describe('buildSyslogEvent on raw lines (parser + normalizers)', () => {
  const files = ['linux-sshd.txt', 'cisco-asa.txt', 'fortigate.txt', 'panos.txt', 'pfsense.txt', 'cef.txt', 'windows.txt'];
  it.each(files)('normalizes the recognised lines of %s and keeps the raw line', (file) => {
    for (const line of fixtureLines(file)) {
      const msg = parseSyslogLine(line, { timezone: 'UTC', now: FIXTURE_NOW });
      const event = buildSyslogEvent(msg, { ...ctx, original: line });
      expect(event.event.original).toBe(line);
      expect(event.organization).toEqual({ id: 'agency-a', name: 'Agency A' });
      expect(event.event.dataset).not.toBe('syslog');
    }
  });

  it('keeps an unknown message as a plain syslog event', () => {
    const line = '<13>Mar  4 10:00:00 host01 myapp[42]: something happened';
    const event = buildSyslogEvent(parseSyslogLine(line, { timezone: 'UTC', now: FIXTURE_NOW }), { ...ctx, original: line });
    expect(event.event.dataset).toBe('syslog');
    expect(event.message).toBe('something happened');
    expect(event.process).toEqual({ name: 'myapp', pid: 42 });
    expect(event.log?.syslog?.facility).toEqual({ code: 1, name: 'user' });
  });
});
