import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('linux-login.txt');

const failed = { dataset: 'linux.login', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'login-failed' };
const loggedIn = { dataset: 'linux.login', category: ['authentication'], type: ['start'], outcome: 'success', action: 'logged-in' };

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, { event: { ...failed, reason: 'Authentication failure' }, user: { name: 'root' }, login: { tty: '/dev/tty1', failures: 1 } }],
  [true, { event: { ...failed, reason: 'User not known to the underlying authentication module' }, login: { tty: '/dev/ttyS0', failures: 2 } }],
  // util-linux login names the remote host (telnet, rlogin).
  [true, { event: failed, user: { name: 'alice' }, source: { ip: '10.1.5.20' }, login: { failures: 3 } }],
  [true, { event: loggedIn, user: { name: 'root' }, login: { tty: '/dev/tty1' } }],
  [true, { event: loggedIn, user: { name: 'alice' }, login: { tty: 'tty2' } }],
  // Its PAM lines are PAM's.
  [true, { event: { dataset: 'linux.pam', category: ['authentication'], outcome: 'failure' }, user: { name: 'root' } }],
  [true, { event: { dataset: 'linux.pam', category: ['session'], type: ['start'] } }],
  [false, { event: { dataset: 'linux.login' } }],
];

describe('login normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 110) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('takes no user from UNKNOWN', () => {
    expect(results[1].event.user).toBeUndefined();
  });
});
