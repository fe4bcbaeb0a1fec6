import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('linux-sshd.txt');

const auth = (outcome: string) => ({ category: ['authentication'], type: ['start'], outcome, dataset: 'linux.sshd', module: 'linux' });

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, { event: { ...auth('success'), action: 'ssh-login' }, user: { name: 'bob' }, source: { ip: '10.0.0.5', port: 51234 }, ssh: { method: 'password' }, host: { hostname: 'web01' } }],
  [true, { event: { ...auth('success'), action: 'ssh-login' }, user: { name: 'deploy' }, source: { ip: '10.0.0.6', port: 51240 }, ssh: { method: 'publickey', key: { type: 'ED25519', fingerprint: 'SHA256:4Wk2n1xG5W0dP7jRk3QY1q2zvJ1mP0m9oQ2JcL6t8aE' } } }],
  [true, { event: { ...auth('failure'), action: 'ssh-login' }, user: { name: 'root' }, source: { ip: '203.0.113.9', port: 40122 } }],
  [true, { event: { ...auth('failure'), action: 'ssh-login', reason: 'invalid user' }, user: { name: 'admin' }, source: { ip: '203.0.113.9', port: 40124 } }],
  [true, { event: { category: ['authentication'], type: ['info'], outcome: 'failure', action: 'ssh-invalid-user' }, user: { name: 'oracle' }, source: { ip: '203.0.113.9', port: 40130 } }],
  [true, { event: { category: ['session'], type: ['end'], action: 'ssh-disconnect', reason: 'invalid user' }, user: { name: 'oracle' }, source: { ip: '203.0.113.9', port: 40130 }, ssh: { preauth: true } }],
  [true, { event: { category: ['session'], type: ['end'], action: 'ssh-disconnect' }, user: { name: 'root' }, source: { ip: '203.0.113.9', port: 40140 }, ssh: { preauth: true } }],
  [true, { event: { category: ['authentication'], outcome: 'failure', action: 'ssh-max-auth-attempts' }, user: { name: 'root' }, source: { ip: '203.0.113.9', port: 40150 } }],
  [true, { event: { category: ['network'], type: ['connection'], outcome: 'failure', action: 'ssh-no-identification' }, source: { ip: '198.51.100.23', port: 61000 } }],
  [true, { event: { category: ['network'], action: 'ssh-negotiation-failed', reason: 'no matching key exchange method found. Their offer: diffie-hellman-group1-sha1' }, source: { ip: '198.51.100.24', port: 61010 } }],
  [true, { event: { category: ['session'], type: ['end'], action: 'ssh-disconnect', reason: 'disconnected by user' }, source: { ip: '10.0.0.5', port: 51234 } }],
  [true, { event: { category: ['session'], type: ['end'], action: 'ssh-disconnect' }, user: { name: 'bob' }, source: { ip: '10.0.0.5', port: 51234 } }],
  [true, { event: { category: ['session'], type: ['start'], outcome: 'success', action: 'session-opened', dataset: 'linux.sshd' }, user: { name: 'bob', id: '1000' }, pam: { module: 'pam_unix', service: 'sshd', type: 'session' } }],
  [true, { event: { ...auth('failure'), action: 'authentication-failure' }, user: { name: 'root' }, source: { ip: '203.0.113.9' }, pam: { service: 'sshd', type: 'auth', tty: 'ssh' } }],
  [true, { event: { category: ['authentication'], outcome: 'failure', action: 'authentication-failure' }, user: { name: 'root' }, source: { ip: '203.0.113.9' } }],
  [true, { '@timestamp': '2024-03-04T03:21:00.512Z', event: { ...auth('success'), action: 'ssh-login' }, user: { name: 'ops' }, source: { ip: '2001:db8::15', port: 60022 }, process: { name: 'sshd-session', pid: 4412 } }],
  [false, { event: { dataset: 'linux.sshd' }, message: 'Server listening on 0.0.0.0 port 22.' }],
];

describe('linux sshd normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 90) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('takes the remote host from a PAM failure, which carries no port', () => {
    expect(results[13].event.source).toEqual({ ip: '203.0.113.9', address: '203.0.113.9' });
  });

  it('does not categorise an sshd line it does not know', () => {
    expect(results[16].event.event.category).toBeUndefined();
    expect(results[16].event.user).toBeUndefined();
  });
});
