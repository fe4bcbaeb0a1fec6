import { startHarness, type Harness } from './testdata/harness';

type ErrorBody = { error: { code: string; message: string } };

describe('user administration', () => {
  let h: Harness;
  let admin: string;
  let analyst: string;
  beforeEach(async () => {
    h = await startHarness({ agencies: [{ id: 'hanoi-doh', name: 'Hanoi DoH', cidrs: [] }, { id: 'danang-dof', name: 'Da Nang DoF', cidrs: [] }] });
    admin = (await h.login('admin')).token;
    analyst = (await h.login('analyst.hn')).token;
  });
  afterEach(async () => {
    await h.close();
  });

  it('is admin only: 403 for every other role', async () => {
    for (const user of ['analyst.hn', 'noc.hn', 'auditor'] as const) {
      const token = (await h.login(user)).token;
      const list = await h.get('/api/v1/users', { token });
      expect(list.status).toBe(403);
      expect(((await list.json()) as ErrorBody).error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('users:manage') });
      expect((await h.send('POST', '/api/v1/users', { username: 'x1', password: 'password-123', role: 'admin' }, { token })).status).toBe(403);
      expect((await h.send('PATCH', '/api/v1/users/admin', { disabled: true }, { token })).status).toBe(403);
      expect((await h.send('DELETE', '/api/v1/users/admin', undefined, { token })).status).toBe(403);
    }
    expect(h.users.get('admin')?.disabled).toBe(false);
  });

  it('lists, creates, reads, updates and deletes users', async () => {
    const list = (await (await h.get('/api/v1/users', { token: admin })).json()) as { users: Array<{ username: string }> };
    expect(list.users.map((u) => u.username)).toEqual(['admin', 'analyst.dn', 'analyst.hn', 'auditor', 'noc.hn']);
    expect(JSON.stringify(list)).not.toMatch(/scrypt|password/);

    const created = await h.send('POST', '/api/v1/users', { username: 'tran.thi.b', password: 'Da-Nang-2025', role: 'agency_admin', agencies: ['danang-dof'] }, { token: admin });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ username: 'tran.thi.b', role: 'agency_admin', agencies: ['danang-dof'] });
    expect((await h.send('POST', '/api/v1/auth/login', { username: 'tran.thi.b', password: 'Da-Nang-2025' })).status).toBe(200);

    const dup = await h.send('POST', '/api/v1/users', { username: 'TRAN.THI.B', password: 'Da-Nang-2025', role: 'auditor', agencies: ['danang-dof'] }, { token: admin });
    expect(dup.status).toBe(409);

    const one = await h.get('/api/v1/users/tran.thi.b', { token: admin });
    expect(((await one.json()) as { role: string }).role).toBe('agency_admin');

    const patched = await h.send('PATCH', '/api/v1/users/tran.thi.b', { role: 'auditor', agencies: ['danang-dof', 'hanoi-doh'] }, { token: admin });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ role: 'auditor', agencies: ['danang-dof', 'hanoi-doh'] });

    expect((await h.send('DELETE', '/api/v1/users/tran.thi.b', undefined, { token: admin })).status).toBe(204);
    expect((await h.get('/api/v1/users/tran.thi.b', { token: admin })).status).toBe(404);
    expect((await h.send('DELETE', '/api/v1/users/tran.thi.b', undefined, { token: admin })).status).toBe(404);
  });

  it('validates input: 400 naming the problem', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ username: 'bad name', password: 'password-123', role: 'auditor', agencies: ['hanoi-doh'] }, /username "bad name"/],
      [{ username: 'ok', password: 'short', role: 'auditor', agencies: ['hanoi-doh'] }, /at least 8/],
      [{ username: 'ok', password: 'password-123', role: 'root', agencies: ['hanoi-doh'] }, /^body\.role: /],
      [{ username: 'ok', password: 'password-123', role: 'auditor' }, /needs at least one agency/],
      [{ username: 'ok', password: 'password-123', role: 'auditor', agencies: ['hanoi-doh-typo'] }, /unknown agency "hanoi-doh-typo"/],
      [{ username: 'ok', password: 'password-123', role: 'auditor', agencies: 'hanoi-doh' }, /^body\.agencies: /],
    ];
    for (const [body, message] of cases) {
      const res = await h.send('POST', '/api/v1/users', body, { token: admin });
      const json = (await res.json()) as ErrorBody;
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(json.error.message).toMatch(message);
    }
    const unknownField = await h.send('PATCH', '/api/v1/users/auditor', { rol: 'admin' }, { token: admin });
    expect(unknownField.status).toBe(400);
  });

  it('disabling a user ends their sessions; resetting the password too', async () => {
    const session = (await h.login('analyst.dn')).token;
    expect((await h.send('PATCH', '/api/v1/users/analyst.dn', { disabled: true }, { token: admin })).status).toBe(200);
    expect((await h.get('/api/v1/auth/me', { token: session })).status).toBe(401);
    await h.send('PATCH', '/api/v1/users/analyst.dn', { disabled: false }, { token: admin });
    expect((await h.get('/api/v1/auth/me', { token: session })).status).toBe(401);

    const again = (await h.login('analyst.dn')).token;
    expect((await h.send('PATCH', '/api/v1/users/analyst.dn', { password: 'Reset-by-admin-1' }, { token: admin })).status).toBe(200);
    expect((await h.get('/api/v1/auth/me', { token: again })).status).toBe(401);
    expect((await h.send('POST', '/api/v1/auth/login', { username: 'analyst.dn', password: 'Reset-by-admin-1' })).status).toBe(200);
  });

  it('role changes apply to live sessions at once', async () => {
    expect((await h.get('/api/v1/users', { token: analyst })).status).toBe(403);
    await h.send('PATCH', '/api/v1/users/analyst.hn', { role: 'admin' }, { token: admin });
    expect((await h.get('/api/v1/users', { token: analyst })).status).toBe(200);
  });

  it('refuses to remove the last enabled admin with 409', async () => {
    for (const [method, body] of [['PATCH', { disabled: true }], ['PATCH', { role: 'auditor', agencies: ['hanoi-doh'] }], ['DELETE', undefined]] as const) {
      const res = await h.send(method, '/api/v1/users/admin', body, { token: admin });
      expect(res.status).toBe(409);
      expect(((await res.json()) as ErrorBody).error.message).toMatch(/last enabled admin/);
    }
  });
});

describe('token routes', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  type TokenJson = { id: string; username: string; kind: string; name: string | null; token?: string };

  it('creates an API token shown once, usable as bearer, listed without its secret, revocable', async () => {
    const session = (await h.login('noc.hn')).token;
    const res = await h.send('POST', '/api/v1/tokens', { name: 'prometheus', ttlDays: 365 }, { token: session });
    expect(res.status).toBe(201);
    const created = (await res.json()) as TokenJson & { expiresAt: string };
    expect(created).toMatchObject({ username: 'noc.hn', kind: 'api', name: 'prometheus' });
    expect(created.token).toMatch(/^snc_/);
    expect(Date.parse(created.expiresAt) - Date.now()).toBeGreaterThan(364 * 86_400_000);

    const me = await h.get('/api/v1/auth/me', { token: created.token });
    expect(((await me.json()) as { credential: { kind: string } }).credential.kind).toBe('api');

    const list = (await (await h.get('/api/v1/tokens', { token: created.token })).json()) as { tokens: TokenJson[] };
    expect(list.tokens.map((t) => t.kind).sort()).toEqual(['api', 'session']);
    expect(JSON.stringify(list)).not.toContain(created.token!);
    expect(JSON.stringify(list)).not.toContain(session);

    expect((await h.send('DELETE', `/api/v1/tokens/${created.id}`, undefined, { token: session })).status).toBe(204);
    expect((await h.get('/api/v1/auth/me', { token: created.token })).status).toBe(401);
  });

  it('keeps users to their own tokens; admin may manage anyone\'s', async () => {
    const other = (await h.login('analyst.dn')).token;
    const mine = (await (await h.send('POST', '/api/v1/tokens', { name: 'script' }, { token: (await h.login('analyst.hn')).token })).json()) as TokenJson;

    expect((await h.get('/api/v1/tokens?username=analyst.hn', { token: other })).status).toBe(403);
    expect((await h.send('POST', '/api/v1/tokens', { name: 'x', username: 'analyst.hn' }, { token: other })).status).toBe(403);
    // Another user's token id looks like a missing one.
    expect((await h.send('DELETE', `/api/v1/tokens/${mine.id}`, undefined, { token: other })).status).toBe(404);
    expect((await h.get('/api/v1/auth/me', { token: mine.token })).status).toBe(200);

    const admin = (await h.login('admin')).token;
    const listed = (await (await h.get('/api/v1/tokens?username=analyst.hn', { token: admin })).json()) as { tokens: TokenJson[] };
    expect(listed.tokens.some((t) => t.id === mine.id)).toBe(true);
    const forAgent = await h.send('POST', '/api/v1/tokens', { name: 'agent hn-web01', username: 'analyst.hn' }, { token: admin });
    expect(((await forAgent.json()) as TokenJson).username).toBe('analyst.hn');
    expect((await h.send('DELETE', `/api/v1/tokens/${mine.id}`, undefined, { token: admin })).status).toBe(204);
    expect((await h.get('/api/v1/auth/me', { token: mine.token })).status).toBe(401);
    expect((await h.get('/api/v1/tokens?username=ghost', { token: admin })).status).toBe(404);
  });

  it('validates the token body', async () => {
    const token = (await h.login('auditor')).token;
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 'ok', ttlDays: 0 }, { name: 'ok', ttlDays: 1.5 }]) {
      const res = await h.send('POST', '/api/v1/tokens', body, { token });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
  });
});
