import { openSqlite, type SqliteDb } from '../store/sqlite';
import { UserStore, UserStoreError } from './users';
import * as password from './password';
import { hashPassword } from './password';
import { canSeeAgency, organizationsOf, principalFor } from './principal';
import type { ResolvedToken } from './tokens';

const FAST = { N: 1024, r: 8, p: 1 };

describe('UserStore', () => {
  let db: SqliteDb;
  let users: UserStore;

  beforeEach(() => {
    db = openSqlite(':memory:');
    users = new UserStore(db, { scrypt: FAST });
  });
  afterEach(() => db.close());

  it('creates a user whose password verifies, and never returns the hash', async () => {
    const created = await users.create('nguyen.van.a', 'correct horse battery', 'soc_analyst', ['hanoi-doh', 'bacninh-dof', 'hanoi-doh']);
    expect(created).toMatchObject({ username: 'nguyen.van.a', role: 'soc_analyst', agencies: ['bacninh-dof', 'hanoi-doh'], disabled: false });
    expect(JSON.stringify(created)).not.toContain('scrypt');
    const verified = await users.verifyPassword('nguyen.van.a', 'correct horse battery');
    expect(verified?.id).toBe(created.id);
    expect(await users.verifyPassword('nguyen.van.a', 'correct horse batterY')).toBeNull();
  });

  it('stores the password as a salted scrypt hash, different for equal passwords', async () => {
    await users.create('alice', 'same password 1', 'auditor', ['a']);
    await users.create('bob', 'same password 1', 'auditor', ['a']);
    const rows = db.prepare('SELECT password_hash AS h FROM auth_users').all() as Array<{ h: string }>;
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.h).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(rows[0].h).not.toBe(rows[1].h);
    expect(rows.map((r) => r.h).join()).not.toContain('same password');
  });

  it('looks usernames up case-insensitively and refuses duplicates', async () => {
    await users.create('Operator1', 'password-123', 'noc_operator', ['dc1']);
    expect(users.get('operator1')?.username).toBe('Operator1');
    await expect(users.create('OPERATOR1', 'password-123', 'noc_operator', ['dc1'])).rejects.toMatchObject({ code: 'exists' });
    expect(await users.verifyPassword('OPERATOR1', 'password-123')).not.toBeNull();
  });

  it('validates usernames, passwords, roles and agencies', async () => {
    await expect(users.create('bad name', 'password-123', 'auditor', ['a'])).rejects.toThrow(/username "bad name"/);
    await expect(users.create('-lead', 'password-123', 'auditor', ['a'])).rejects.toThrow(UserStoreError);
    await expect(users.create('x'.repeat(65), 'password-123', 'auditor', ['a'])).rejects.toThrow(/username/);
    await expect(users.create('carol', 'short', 'auditor', ['a'])).rejects.toThrow(/at least 8/);
    // @ts-expect-error deliberately wrong role from untyped input
    await expect(users.create('carol', 'password-123', 'root', ['a'])).rejects.toThrow(/role "root"/);
    await expect(users.create('carol', 'password-123', 'auditor', [])).rejects.toThrow(/needs at least one agency/);
    await expect(users.create('carol', 'password-123', 'auditor', ['a b'])).rejects.toThrow(/agency "a b"/);
    expect(users.list()).toHaveLength(0);
  });

  it('gives admins no agency list (they see all)', async () => {
    const admin = await users.create('root-admin', 'password-123', 'admin', ['ignored']);
    expect(admin.agencies).toEqual([]);
    expect(users.hasAdmin()).toBe(true);
  });

  it('gives central staff every agency with "*", which scopes them like admin, but never an agency admin', async () => {
    const central = await users.create('soc-central', 'password-123', 'soc_analyst', ['hanoi-doh', '*']);
    expect(central.agencies).toEqual(['*']);
    const principal = principalFor({ user: central, token: { id: 1, kind: 'session', name: 'web', createdAt: '', expiresAt: null, lastUsedAt: null } as unknown as ResolvedToken['token'] });
    expect(principal.agencies).toBe('all');
    expect(organizationsOf(principal)).toBeUndefined();
    expect(canSeeAgency(principal, 'any-agency')).toBe(true);
    const local = await users.create('soc-local', 'password-123', 'soc_analyst', ['hanoi-doh']);
    const localPrincipal = principalFor({ user: local, token: principal.token });
    expect(organizationsOf(localPrincipal)).toEqual(['hanoi-doh']);
    expect(canSeeAgency(localPrincipal, 'any-agency')).toBe(false);
    await expect(users.create('agency-adm', 'password-123', 'agency_admin', ['*'])).rejects.toThrow(/agency_admin cannot be given every agency/);
  });

  it('updates role, agencies and disabled; a disabled user cannot log in', async () => {
    await users.create('dave', 'password-123', 'soc_analyst', ['a']);
    const updated = users.update('dave', { role: 'agency_admin', agencies: ['b', 'c'] });
    expect(updated).toMatchObject({ role: 'agency_admin', agencies: ['b', 'c'], disabled: false });
    users.update('dave', { disabled: true });
    expect(await users.verifyPassword('dave', 'password-123')).toBeNull();
    users.update('dave', { disabled: false });
    expect(await users.verifyPassword('dave', 'password-123')).not.toBeNull();
    expect(() => users.update('nobody', { disabled: true })).toThrow(/user "nobody" does not exist/);
    // Promoting to admin drops the agency list; demoting needs one again.
    users.update('dave', { role: 'admin' });
    expect(() => users.update('dave', { role: 'auditor', agencies: [] })).toThrow(/needs at least one agency/);
  });

  it('changes the password', async () => {
    await users.create('erin', 'old password', 'auditor', ['a']);
    await users.setPassword('erin', 'new password');
    expect(await users.verifyPassword('erin', 'old password')).toBeNull();
    expect(await users.verifyPassword('erin', 'new password')).not.toBeNull();
    await expect(users.setPassword('erin', 'short')).rejects.toThrow(/at least 8/);
  });

  it('never removes the last enabled admin', async () => {
    await users.create('admin', 'password-123', 'admin');
    expect(() => users.update('admin', { disabled: true })).toThrow(expect.objectContaining({ code: 'last_admin' }));
    expect(() => users.update('admin', { role: 'auditor', agencies: ['a'] })).toThrow(/last enabled admin/);
    expect(() => users.delete('admin')).toThrow(/last enabled admin/);
    await users.create('admin2', 'password-123', 'admin');
    users.update('admin', { disabled: true });
    expect(() => users.delete('admin2')).toThrow(/last enabled admin/);
    users.delete('admin');
    expect(users.get('admin')).toBeUndefined();
  });

  it('answers null for unknown and malformed usernames after doing the same work', async () => {
    await users.create('frank', 'password-123', 'auditor', ['a']);
    expect(await users.verifyPassword('ghost', 'password-123')).toBeNull();
    expect(await users.verifyPassword('bad name', 'password-123')).toBeNull();
    expect(await users.verifyPassword('', '')).toBeNull();
  });

  it('spends a full scrypt on unknown users, with the store\'s own cost, so timing does not reveal names', async () => {
    const params = { N: 1 << 12, r: 8, p: 1 };
    const store = new UserStore(db, { scrypt: params });
    await store.create('timing', 'password-123', 'auditor', ['a']);
    const burn = jest.spyOn(password, 'burnVerificationTime');
    const verify = jest.spyOn(password, 'verifyPasswordHash');
    try {
      await store.verifyPassword('nobody-here', 'wrong password');
      await store.verifyPassword('bad name', 'wrong password');
      expect(burn).toHaveBeenCalledTimes(2);
      expect(burn).toHaveBeenLastCalledWith('wrong password', params);
      expect(verify).not.toHaveBeenCalled();
      await store.verifyPassword('timing', 'wrong password');
      expect(verify).toHaveBeenCalledTimes(1);
      expect(burn).toHaveBeenCalledTimes(2);
    } finally {
      burn.mockRestore();
      verify.mockRestore();
    }
  });

  it('upgrades a hash made with other parameters at the next successful login', async () => {
    await users.create('gina', 'password-123', 'auditor', ['a']);
    db.prepare('UPDATE auth_users SET password_hash = ? WHERE username = ?').run(await hashPassword('password-123', { N: 512, r: 8, p: 1 }), 'gina');
    expect(await users.verifyPassword('gina', 'password-123')).not.toBeNull();
    const row = db.prepare('SELECT password_hash AS h FROM auth_users WHERE username = ?').get('gina') as { h: string };
    expect(row.h).toMatch(/^scrypt\$1024\$/);
  });

  it('keeps users across reopening the database file', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'socnoc-users-'));
    try {
      const file = join(dir, 'auth.db');
      const first = openSqlite(file);
      await new UserStore(first, { scrypt: FAST }).create('henry', 'password-123', 'noc_operator', ['dc1']);
      first.close();
      const second = openSqlite(file);
      const reopened = new UserStore(second, { scrypt: FAST });
      expect(reopened.get('henry')?.agencies).toEqual(['dc1']);
      expect(await reopened.verifyPassword('henry', 'password-123')).not.toBeNull();
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
