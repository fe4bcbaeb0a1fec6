import { parseRepeat } from './repeat';
import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('repeat.txt');

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, { event: { dataset: 'linux.sshd', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'ssh-login' }, user: { name: 'root' }, source: { ip: '203.0.113.9', port: 40122 }, log: { syslog: { repeat_count: 5, appname: 'sshd' } }, message: 'Failed password for root from 203.0.113.9 port 40122 ssh2' }],
  [true, { event: { dataset: 'linux.sshd', outcome: 'failure', reason: 'invalid user' }, user: { name: 'admin' }, log: { syslog: { repeat_count: 2 } } }],
  [true, { event: { dataset: 'linux.sudo', category: ['authentication'], outcome: 'failure' }, user: { name: 'bob' }, log: { syslog: { repeat_count: 3 } } }],
  [false, { event: { dataset: 'syslog' }, log: { syslog: { repeat_count: 12 } }, message: '[UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.5 DST=10.0.0.1' }],
  [false, { event: { dataset: 'syslog' }, log: { syslog: { repeat_count: 5 } }, message: 'last message repeated 5 times' }],
  [false, { event: { dataset: 'syslog' }, log: { syslog: { repeat_count: 40 } } }],
  [false, { event: { dataset: 'syslog' }, log: { syslog: { repeat_count: 7 } } }],
  [false, { event: { dataset: 'linux.sshd' } }],
  [false, { event: { dataset: 'syslog' }, log: { syslog: { repeat_count: 5 } } }],
];

describe('repeat summaries', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 90) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('keeps the summary line in event.original', () => {
    expect(results[0].event.event.original).toContain('message repeated 5 times: [ Failed password');
  });

  it('records no count for a summary without a number and unwraps nothing', () => {
    expect(results[7].event.log?.syslog).not.toHaveProperty('repeat_count');
    expect(results[7].event.user).toBeUndefined();
  });

  it('reads a bracketless rsyslog summary as a count alone', () => {
    expect(parseRepeat('message repeated 5 times: [ Failed password for root from 203.0.113.9 port 40122 ssh2')).toEqual({ count: 5 });
    expect(parseRepeat('message repeated 3 times: [ message repeated 2 times: [ x]]')).toEqual({ count: 3, inner: 'message repeated 2 times: [ x]' });
    expect(parseRepeat('messages repeated 3 times')).toBeUndefined();
  });
});
