import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../store/sqlite';
import { UserStore, UserStoreError, type Locale } from './users';

const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };

describe('user locale', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-locale-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the column to a database created by the first auth migration, keeping its users', () => {
    const file = join(dir, 'socnoc.db');
    const old = openSqlite(file);
    // The database as the first release left it: migration 1 only.
    old.exec(`CREATE TABLE schema_migrations (namespace TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (namespace, version));
      CREATE TABLE auth_users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE COLLATE NOCASE, password_hash TEXT NOT NULL, role TEXT NOT NULL,
        agencies TEXT NOT NULL DEFAULT '[]', disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, last_login_at TEXT);
      CREATE TABLE auth_tokens (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE, token_hash BLOB NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('session', 'api')), name TEXT, created_at INTEGER NOT NULL, expires_at INTEGER, last_used_at INTEGER, revoked_at INTEGER);
      INSERT INTO schema_migrations VALUES ('auth', 1, '2025-01-01T00:00:00.000Z');
      INSERT INTO auth_users (username, password_hash, role, agencies, created_at, updated_at)
        VALUES ('analyst.hcm', 'scrypt$x', 'soc_analyst', '["ubnd-q1"]', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');`);
    old.close();

    const db = openSqlite(file);
    const users = new UserStore(db, { scrypt: FAST_SCRYPT });
    const before = users.get('analyst.hcm');
    expect(before).toMatchObject({ username: 'analyst.hcm', agencies: ['ubnd-q1'], locale: null });
    const after = users.setLocale(before!.id, 'vi');
    expect(after.locale).toBe('vi');
    // A preference is not an account change.
    expect(after.updatedAt).toBe('2025-01-01T00:00:00.000Z');
    const versions = db.prepare("SELECT version FROM schema_migrations WHERE namespace = 'auth' ORDER BY version").all() as Array<{ version: number }>;
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    db.close();

    const reopened = new UserStore(openSqlite(file), { scrypt: FAST_SCRYPT });
    expect(reopened.get('analyst.hcm')?.locale).toBe('vi');
  });

  it('sets, clears and rejects locales', async () => {
    const db = openSqlite(':memory:');
    const users = new UserStore(db, { scrypt: FAST_SCRYPT });
    const u = await users.create('noc.q3', 'Noc-operator-q3', 'noc_operator', ['ubnd-q3']);
    expect(u.locale).toBeNull();
    expect(users.setLocale(u.id, 'en').locale).toBe('en');
    expect(users.list()[0].locale).toBe('en');
    expect(users.setLocale(u.id, null).locale).toBeNull();
    expect(() => users.setLocale(u.id, 'fr' as Locale)).toThrow(/locale "fr": expected one of vi, en/);
    expect(() => users.setLocale(u.id + 100, 'vi')).toThrow(UserStoreError);
    // The CHECK constraint holds even for writes that bypass the store.
    expect(() => db.prepare('UPDATE auth_users SET locale = ? WHERE id = ?').run('de', u.id)).toThrow(/CHECK/);
    db.close();
  });
});
