import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, type SqliteDb } from '../store/sqlite';
import { UserStore } from './users';
import { ensureAdmin } from './bootstrap';

const FAST = { N: 1024, r: 8, p: 1 };

describe('ensureAdmin', () => {
  let dir: string;
  let db: SqliteDb;
  let users: UserStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-bootstrap-'));
    db = openSqlite(':memory:');
    users = new UserStore(db, { scrypt: FAST });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses SOCNOC_ADMIN_PASSWORD and writes no file', async () => {
    const result = await ensureAdmin(users, { dataDir: dir, env: { SOCNOC_ADMIN_PASSWORD: 'Vn-Soc-2025!' } });
    expect(result).toEqual({ created: true, username: 'admin' });
    expect(await users.verifyPassword('admin', 'Vn-Soc-2025!')).toMatchObject({ role: 'admin' });
    expect(existsSync(join(dir, 'admin-password.txt'))).toBe(false);
  });

  it('generates a strong password into a 0600 file once', async () => {
    const data = join(dir, 'data');
    const result = await ensureAdmin(users, { dataDir: data, env: {} });
    expect(result.created).toBe(true);
    expect(result.passwordFile).toBe(join(data, 'admin-password.txt'));
    const password = readFileSync(result.passwordFile!, 'utf8').trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(result.passwordFile!).mode & 0o777).toBe(0o600);
    expect(await users.verifyPassword('admin', password)).not.toBeNull();
    // Second start: an admin exists, nothing changes.
    expect(await ensureAdmin(users, { dataDir: data, env: { SOCNOC_ADMIN_PASSWORD: 'another-password' } })).toEqual({ created: false });
    expect(readFileSync(result.passwordFile!, 'utf8').trim()).toBe(password);
  });

  it('refuses a too-short SOCNOC_ADMIN_PASSWORD, naming the variable', async () => {
    await expect(ensureAdmin(users, { dataDir: dir, env: { SOCNOC_ADMIN_PASSWORD: 'admin' } })).rejects.toThrow(/SOCNOC_ADMIN_PASSWORD: password must be at least 8/);
    expect(users.hasAdmin()).toBe(false);
  });

  it('does nothing when some admin already exists', async () => {
    await users.create('chief', 'password-123', 'admin');
    expect(await ensureAdmin(users, { dataDir: dir, env: {} })).toEqual({ created: false });
    expect(users.get('admin')).toBeUndefined();
  });
});
