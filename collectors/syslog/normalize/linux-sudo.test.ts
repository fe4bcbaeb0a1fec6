import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('linux-sudo.txt');

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, {
    event: { dataset: 'linux.sudo', category: ['process'], type: ['start'], outcome: 'success', action: 'sudo-command' },
    user: { name: 'bob', effective: { name: 'root' } },
    process: { name: 'apt', executable: '/usr/bin/apt', command_line: '/usr/bin/apt update', parent: { name: 'sudo' } },
    sudo: { tty: 'pts/0', pwd: '/home/bob', command: '/usr/bin/apt update' },
  }],
  [true, {
    event: { dataset: 'linux.sudo', category: ['authentication'], outcome: 'failure', action: 'sudo-command', reason: '3 incorrect password attempts' },
    user: { name: 'eve', effective: { name: 'root' } },
    sudo: { command: '/bin/cat /etc/shadow' },
  }],
  [true, {
    event: { category: ['authentication'], outcome: 'failure', reason: 'user NOT in sudoers' },
    user: { name: 'mallory', effective: { name: 'root' } },
    sudo: { tty: 'pts/2', pwd: '/tmp', command: '/bin/bash' },
  }],
  [true, {
    event: { dataset: 'linux.sudo', category: ['authentication'], outcome: 'failure', action: 'authentication-failure' },
    user: { name: 'eve' },
    pam: { service: 'sudo', type: 'auth', logname: 'eve', ruser: 'eve', tty: '/dev/pts/1' },
  }],
  [true, {
    event: { category: ['session'], type: ['start'], action: 'session-opened' },
    user: { name: 'bob', id: '1000', effective: { name: 'root', id: '0' } },
  }],
  [true, { event: { dataset: 'linux.su', category: ['authentication'], outcome: 'success', action: 'su' }, user: { name: 'bob', effective: { name: 'root' } }, su: { tty: 'pts/0' } }],
  [true, { event: { dataset: 'linux.su', category: ['authentication'], outcome: 'failure', action: 'su' }, user: { name: 'eve', effective: { name: 'root' } }, su: { tty: 'pts/1' } }],
  [true, { event: { dataset: 'linux.su', action: 'session-opened' }, user: { name: 'bob', effective: { name: 'root' } } }],
  [true, { event: { dataset: 'linux.su', category: ['session'], type: ['end'], action: 'session-closed' }, user: { name: 'root' } }],
];

describe('sudo and su normalizers', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 90) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('does not describe a refused command as a started process', () => {
    expect(results[1].event.process).toEqual({ name: 'sudo' });
  });
});
