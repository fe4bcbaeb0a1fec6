import { openSqlite, type SqliteDb } from '../store/sqlite';
import { UserStore } from './users';
import { TokenStore } from './tokens';

const FAST = { N: 1024, r: 8, p: 1 };
const HOUR = 3_600_000;

describe('TokenStore', () => {
  let db: SqliteDb;
  let users: UserStore;
  let tokens: TokenStore;
  let clock: number;
  let userId: number;

  beforeEach(async () => {
    db = openSqlite(':memory:');
    users = new UserStore(db, { scrypt: FAST });
    clock = Date.parse('2025-03-01T08:00:00Z');
    tokens = new TokenStore(db, users, { sessionTtlMs: 8 * HOUR, now: () => clock });
    userId = (await users.create('analyst', 'password-123', 'soc_analyst', ['hanoi'])).id;
  });
  afterEach(() => db.close());

  it('issues prefixed random tokens and stores only their SHA-256', () => {
    const token = tokens.issue(userId, { kind: 'api', name: 'grafana' });
    expect(token).toMatch(/^snc_[A-Za-z0-9_-]{43}$/);
    expect(tokens.issue(userId, { kind: 'api' })).not.toBe(token);
    const dump = JSON.stringify(db.prepare('SELECT * FROM auth_tokens').all());
    expect(dump).not.toContain(token.slice(4));
    const resolved = tokens.resolve(token);
    expect(resolved?.user.username).toBe('analyst');
    expect(resolved?.token).toMatchObject({ kind: 'api', name: 'grafana', expiresAt: null, userId });
  });

  it('rejects unknown and malformed tokens', () => {
    tokens.issue(userId, { kind: 'api' });
    expect(tokens.resolve('snc_' + 'A'.repeat(43))).toBeNull();
    expect(tokens.resolve('')).toBeNull();
    expect(tokens.resolve('Bearer x')).toBeNull();
  });

  it('expires sessions a fixed time after issue, however often they are used', () => {
    const session = tokens.issue(userId, { kind: 'session' });
    expect(tokens.resolve(session)?.token.expiresAt).toBe('2025-03-01T16:00:00.000Z');
    clock += 7 * HOUR;
    expect(tokens.resolve(session)).not.toBeNull();
    clock += HOUR - 1;
    expect(tokens.resolve(session)).not.toBeNull();
    clock += 1;
    expect(tokens.resolve(session)).toBeNull();
    expect(tokens.list(userId)).toHaveLength(0);
  });

  it('honours an explicit ttl for API tokens', () => {
    const token = tokens.issue(userId, { kind: 'api', ttlMs: 24 * HOUR });
    clock += 24 * HOUR;
    expect(tokens.resolve(token)).toBeNull();
    expect(() => tokens.issue(userId, { kind: 'api', ttlMs: 0 })).toThrow(/ttl/);
  });

  it('revokes one token or all of a user', () => {
    const a = tokens.issue(userId, { kind: 'session' });
    const b = tokens.issue(userId, { kind: 'api', name: 'script' });
    const idA = tokens.resolve(a)!.token.id;
    expect(tokens.revoke(idA)).toBe(true);
    expect(tokens.revoke(idA)).toBe(false);
    expect(tokens.resolve(a)).toBeNull();
    expect(tokens.resolve(b)).not.toBeNull();
    tokens.issue(userId, { kind: 'session' });
    expect(tokens.revokeAllForUser(userId, 'session')).toBe(1);
    expect(tokens.resolve(b)).not.toBeNull();
    expect(tokens.revokeAllForUser(userId)).toBe(1);
    expect(tokens.resolve(b)).toBeNull();
  });

  it('stops resolving when the user is disabled, and again when re-enabled', () => {
    const token = tokens.issue(userId, { kind: 'api' });
    users.update('analyst', { disabled: true });
    expect(tokens.resolve(token)).toBeNull();
    users.update('analyst', { disabled: false });
    expect(tokens.resolve(token)).not.toBeNull();
  });

  it('resolves the user as it is now (role changes apply at once)', () => {
    const token = tokens.issue(userId, { kind: 'session' });
    users.update('analyst', { role: 'auditor', agencies: ['danang'] });
    expect(tokens.resolve(token)?.user).toMatchObject({ role: 'auditor', agencies: ['danang'] });
  });

  it('deletes tokens with their user', () => {
    const token = tokens.issue(userId, { kind: 'api' });
    users.delete('analyst');
    expect(tokens.resolve(token)).toBeNull();
    expect(db.prepare('SELECT COUNT(*) AS n FROM auth_tokens').get()).toEqual({ n: 0 });
  });

  it('writes last_used at most once a minute', () => {
    const token = tokens.issue(userId, { kind: 'api' });
    const lastUsed = (): number | null => (db.prepare('SELECT last_used_at AS t FROM auth_tokens').get() as { t: number | null }).t;
    expect(lastUsed()).toBeNull();
    tokens.resolve(token);
    const first = clock;
    expect(lastUsed()).toBe(first);
    clock += 59_000;
    tokens.resolve(token);
    expect(lastUsed()).toBe(first);
    clock += 1_000;
    tokens.resolve(token);
    expect(lastUsed()).toBe(first + 60_000);
  });

  it('lists live tokens newest first with metadata only, and purges dead ones', () => {
    const old = tokens.issue(userId, { kind: 'api', name: 'old' });
    clock += 1000;
    tokens.issue(userId, { kind: 'api', name: 'new' });
    clock += 1000;
    const session = tokens.issue(userId, { kind: 'session', ttlMs: 500 });
    const listed = tokens.list(userId);
    expect(listed.map((t) => t.name)).toEqual([null, 'new', 'old']);
    expect(JSON.stringify(listed)).not.toContain(old);
    expect(Object.keys(listed[0]).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'kind', 'lastUsedAt', 'name', 'userId']);
    clock += 500;
    expect(tokens.resolve(session)).toBeNull();
    tokens.revoke(tokens.resolve(old)!.token.id);
    expect(tokens.purge()).toBe(2);
    expect(tokens.list(userId).map((t) => t.name)).toEqual(['new']);
  });

  it('refuses tokens for unknown users', () => {
    expect(() => tokens.issue(9999, { kind: 'api' })).toThrow(/user id 9999/);
  });
});

describe('createAuthStores', () => {
  it('gives sessions the configured lifetime', async () => {
    const { createAuthStores } = await import('./stores');
    const db = openSqlite(':memory:');
    const { users, tokens } = createAuthStores(db, { sessionTtlMinutes: 30, scrypt: FAST });
    const user = await users.create('ops', 'password-123', 'noc_operator', ['dc1']);
    const { meta } = tokens.issueWithMeta(user.id, { kind: 'session' });
    expect(Date.parse(meta.expiresAt!) - Date.parse(meta.createdAt)).toBe(30 * 60_000);
    db.close();
  });
});
