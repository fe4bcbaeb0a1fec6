import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('linux-pam.txt');

const expected: Array<[boolean, Record<string, unknown>]> = [
  // login opens the session for operator; LOGIN is the program's pseudo-user, not the actor.
  [true, { event: { dataset: 'linux.pam', category: ['session'], type: ['start'], outcome: 'success', action: 'session-opened' }, user: { name: 'operator', id: '1005' }, pam: { module: 'pam_unix', service: 'login', type: 'session' } }],
  [true, { event: { dataset: 'linux.pam', category: ['authentication'], outcome: 'failure', action: 'authentication-failure' }, user: { name: 'operator' }, pam: { logname: 'LOGIN', tty: '/dev/tty1' } }],
  [true, { event: { dataset: 'linux.pam', action: 'session-opened' }, user: { name: 'root', id: '0' }, pam: { service: 'cron' } }],
  [true, { event: { dataset: 'linux.sshd', category: ['authentication'], outcome: 'failure', action: 'account-locked' }, user: { name: 'root' }, pam: { module: 'pam_faillock' } }],
];

describe('PAM normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 90) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('keeps an empty rhost out of source.*', () => {
    expect(results[1].event.source).toBeUndefined();
    expect(results[0].event.user?.effective).toBeUndefined();
  });
});
