import { startHarness, PASSWORDS, type Harness } from './testdata/harness';

interface OpenApiDoc {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
}

/** Every documented route that needs credentials, with path parameters filled in. */
async function protectedRoutes(h: Harness): Promise<Array<{ method: string; path: string }>> {
  const doc = (await (await h.get('/api/v1/openapi.json')).json()) as OpenApiDoc;
  const out: Array<{ method: string; path: string }> = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (Array.isArray(op.security) && op.security.length === 0) continue;
      out.push({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'analyst.hn') });
    }
  }
  return out;
}

describe('authentication routes', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('logs in: session cookie with the right attributes, bearer token and user in the body', async () => {
    const { token, cookie, response } = await h.login('analyst.hn');
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^socnoc_session=snc_[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('Max-Age=3600');
    expect(setCookie).not.toContain('Secure');
    expect(cookie).toBe(`socnoc_session=${token}`);
    const body = (await h.send('POST', '/api/v1/auth/login', { username: 'analyst.hn', password: PASSWORDS['analyst.hn'] }).then((r) => r.json())) as Record<string, unknown>;
    expect(body.user).toEqual(expect.objectContaining({ username: 'analyst.hn', role: 'soc_analyst', agencies: ['hanoi-doh'], disabled: false }));
    expect(JSON.stringify(body.user)).not.toMatch(/scrypt|password/);
  });

  it('me works with the cookie and with the bearer token, and reports scope and permissions', async () => {
    const { token, cookie } = await h.login('analyst.hn');
    for (const auth of [{ cookie }, { token }]) {
      const res = await h.get('/api/v1/auth/me', auth);
      expect(res.status).toBe(200);
      const me = (await res.json()) as { user: { username: string }; agencies: unknown; permissions: string[]; credential: { via: string; kind: string } };
      expect(me.user.username).toBe('analyst.hn');
      expect(me.agencies).toEqual(['hanoi-doh']);
      expect(me.permissions).toContain('events:read');
      expect(me.permissions).not.toContain('users:manage');
      expect(me.credential).toMatchObject({ kind: 'session', via: auth.cookie ? 'cookie' : 'bearer' });
    }
    const admin = await h.login('admin');
    const me = (await (await h.get('/api/v1/auth/me', { token: admin.token })).json()) as { agencies: unknown; permissions: string[] };
    expect(me.agencies).toBe('all');
    expect(me.permissions).toContain('users:manage');
  });

  it('answers 401 with the same message for a wrong password and an unknown user', async () => {
    const wrong = await h.send('POST', '/api/v1/auth/login', { username: 'analyst.hn', password: 'not-the-password' });
    const unknown = await h.send('POST', '/api/v1/auth/login', { username: 'nobody', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = (await wrong.json()) as { error: { code: string; message: string } };
    const b = (await unknown.json()) as { error: { code: string; message: string } };
    expect(a.error).toMatchObject({ code: 'invalid_credentials', message: 'invalid username or password' });
    expect(b.error.message).toBe(a.error.message);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a disabled user at login and ends their existing sessions', async () => {
    const { token } = await h.login('analyst.dn');
    h.users.update('analyst.dn', { disabled: true });
    expect((await h.get('/api/v1/auth/me', { token })).status).toBe(401);
    const res = await h.send('POST', '/api/v1/auth/login', { username: 'analyst.dn', password: PASSWORDS['analyst.dn'] });
    expect(res.status).toBe(401);
  });

  it('expires a session after sessionTtlMinutes', async () => {
    const { token, cookie } = await h.login('auditor');
    h.advance(59 * 60_000);
    expect((await h.get('/api/v1/auth/me', { cookie })).status).toBe(200);
    h.advance(60_000);
    const res = await h.get('/api/v1/auth/me', { cookie });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/session expired/);
    expect((await h.get('/api/v1/auth/me', { token })).status).toBe(401);
  });

  it('logs out: the session is revoked and the cookie cleared', async () => {
    const { token, cookie } = await h.login('noc.hn');
    const res = await h.send('POST', '/api/v1/auth/logout', undefined, { cookie });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/^socnoc_session=; .*Max-Age=0/);
    expect((await h.get('/api/v1/auth/me', { cookie })).status).toBe(401);
    expect((await h.get('/api/v1/auth/me', { token })).status).toBe(401);
    expect((await h.send('POST', '/api/v1/auth/logout', undefined, {})).status).toBe(401);
  });

  it('logging out with an API token leaves the token valid', async () => {
    const user = h.users.get('noc.hn')!;
    const apiToken = h.tokens.issue(user.id, { kind: 'api', name: 'prometheus' });
    expect((await h.send('POST', '/api/v1/auth/logout', undefined, { token: apiToken })).status).toBe(204);
    expect((await h.get('/api/v1/auth/me', { token: apiToken })).status).toBe(200);
  });

  it('answers 401 on every protected route without credentials or with bad ones', async () => {
    const routes = await protectedRoutes(h);
    expect(routes.length).toBeGreaterThanOrEqual(12);
    for (const { method, path } of routes) {
      for (const headers of <Array<Record<string, string>>>[{}, { authorization: 'Bearer snc_' + 'x'.repeat(43) }, { cookie: 'socnoc_session=snc_forged' }, { authorization: 'Basic YWRtaW46YWRtaW4=' }]) {
        const res = await fetch(h.base + path, { method, headers });
        expect({ method, path, headers, status: res.status }).toEqual({ method, path, headers, status: 401 });
        const body = (await res.json()) as { error: { code: string } };
        expect(body.error.code).toBe('unauthorized');
      }
    }
    // Unknown routes under /api/v1 are not revealed to anonymous callers either.
    expect((await h.get('/api/v1/no-such-route')).status).toBe(401);
  });

  it('keeps health and openapi.json public', async () => {
    const health = await h.get('/api/v1/health');
    expect(health.status).toBe(200);
    const body = (await health.json()) as { status: string; version: string; uptime: number };
    expect(body).toEqual({ status: 'ok', version: '0.1.0-test', uptime: expect.any(Number) });
    expect((await h.get('/api/v1/openapi.json')).status).toBe(200);
  });

  it('rejects a malformed login body with 400 naming the field, and non-JSON with 415', async () => {
    const missing = await h.send('POST', '/api/v1/auth/login', { username: 'admin' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'invalid_body', message: expect.stringMatching(/^body\.password: /) });
    const broken = await h.send('POST', '/api/v1/auth/login', '{"username": "admin", ');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    const form = await fetch(`${h.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=x' });
    expect(form.status).toBe(415);
  });

  it('slows down password guessing with 429 and Retry-After', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await h.send('POST', '/api/v1/auth/login', { username: 'auditor', password: `guess-${i}-wrong` })).status).toBe(401);
    }
    const blocked = await h.send('POST', '/api/v1/auth/login', { username: 'auditor', password: PASSWORDS.auditor });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user from the same address is not locked out.
    expect((await h.send('POST', '/api/v1/auth/login', { username: 'noc.hn', password: PASSWORDS['noc.hn'] })).status).toBe(200);
  });

  it('changes one\'s own password, ending other sessions', async () => {
    const first = await h.login('analyst.hn');
    const second = await h.login('analyst.hn');
    const wrong = await h.send('POST', '/api/v1/auth/password', { currentPassword: 'nope-nope', newPassword: 'Brand-new-pass-1' }, { token: second.token });
    expect(wrong.status).toBe(403);
    const short = await h.send('POST', '/api/v1/auth/password', { currentPassword: PASSWORDS['analyst.hn'], newPassword: 'short' }, { token: second.token });
    expect(short.status).toBe(400);
    const ok = await h.send('POST', '/api/v1/auth/password', { currentPassword: PASSWORDS['analyst.hn'], newPassword: 'Brand-new-pass-1' }, { token: second.token });
    expect(ok.status).toBe(204);
    expect((await h.get('/api/v1/auth/me', { token: first.token })).status).toBe(401);
    expect((await h.get('/api/v1/auth/me', { token: second.token })).status).toBe(200);
    expect((await h.send('POST', '/api/v1/auth/login', { username: 'analyst.hn', password: 'Brand-new-pass-1' })).status).toBe(200);
  });

  it('refuses cookie-authenticated writes from another origin', async () => {
    const { cookie, token } = await h.login('admin');
    const body = JSON.stringify({ name: 'x' });
    const foreign = await fetch(`${h.base}/api/v1/tokens`, { method: 'POST', headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' }, body });
    expect(foreign.status).toBe(403);
    const same = await fetch(`${h.base}/api/v1/tokens`, { method: 'POST', headers: { cookie, origin: h.base, 'content-type': 'application/json' }, body });
    expect(same.status).toBe(201);
    // Bearer tokens are not sent by browsers on their own, so no origin check applies.
    const bearer = await fetch(`${h.base}/api/v1/tokens`, { method: 'POST', headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example', 'content-type': 'application/json' }, body });
    expect(bearer.status).toBe(201);
  });
});

describe('secure cookies', () => {
  it('marks the session cookie Secure when http.secureCookies is set', async () => {
    const h = await startHarness({ http: { secureCookies: true, sessionTtlMinutes: 480 } });
    try {
      const { response } = await h.login('auditor');
      const setCookie = response.headers.get('set-cookie')!;
      expect(setCookie).toContain('; Secure');
      expect(setCookie).toContain('Max-Age=28800');
    } finally {
      await h.close();
    }
  });
});
