import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('linux-accounts.txt');

const iam = (type: string[], action: string) => ({ dataset: 'linux.accounts', category: ['iam'], type, action, outcome: 'success' });

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, { event: iam(['group', 'creation'], 'group-created'), group: { name: 'alice', id: '1002' } }],
  [true, { event: iam(['user', 'creation'], 'user-created'), user: { target: { name: 'alice', id: '1002' } }, group: { id: '1002' } }],
  [true, { event: iam(['group', 'change'], 'user-added-to-group'), user: { target: { name: 'alice' } }, group: { name: 'sudo' } }],
  [true, { event: iam(['group', 'change'], 'user-added-to-group'), user: { target: { name: 'alice' } }, group: { name: 'sudo' } }],
  [true, { event: iam(['user', 'change'], 'user-modified'), user: { target: { name: 'alice' } } }],
  [true, { event: iam(['user', 'change'], 'user-locked'), user: { target: { name: 'alice' } } }],
  [true, { event: iam(['group', 'creation'], 'group-created'), group: { name: 'devs', id: '1003' } }],
  [true, { event: { dataset: 'linux.accounts', category: ['iam'], type: ['user', 'change'], action: 'password-changed' }, user: { target: { name: 'alice' } }, pam: { service: 'passwd', type: 'chauthtok' } }],
  [true, { event: iam(['group', 'change'], 'user-added-to-group'), user: { name: 'root', target: { name: 'alice' } }, group: { name: 'devs' } }],
  [true, { event: iam(['user', 'deletion'], 'user-deleted'), user: { target: { name: 'alice' } } }],
  [true, { event: iam(['group', 'deletion'], 'group-deleted'), group: { name: 'alice' } }],
  [true, { event: iam(['group', 'deletion'], 'group-deleted'), group: { name: 'devs' } }],
];

describe('account management normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 90) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('does not invent an actor when the tool does not name one', () => {
    expect(results[1].event.user?.name).toBeUndefined();
  });
});
