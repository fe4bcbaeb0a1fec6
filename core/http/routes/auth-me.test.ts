import { startHarness, type Harness } from '../testdata/harness';

interface MeJson {
  user: { username: string; locale: 'vi' | 'en' | null };
  agencies: 'all' | string[];
  permissions: string[];
}

describe('PATCH /api/v1/auth/me (console language)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ agencies: [{ id: 'hanoi-doh', name: 'Sở Y tế Hà Nội', cidrs: [] }] });
  });
  afterAll(async () => {
    await h.close();
  });

  it('stores the language on the caller only and returns it from GET /auth/me and after a new login', async () => {
    const analyst = await h.login('analyst.hn');
    const first = (await (await h.get('/api/v1/auth/me', analyst)).json()) as MeJson;
    expect(first.user.locale).toBeNull();

    const res = await h.send('PATCH', '/api/v1/auth/me', { locale: 'vi' }, { cookie: analyst.cookie });
    expect(res.status).toBe(200);
    const changed = (await res.json()) as MeJson;
    expect(changed.user).toMatchObject({ username: 'analyst.hn', locale: 'vi' });
    expect(changed.agencies).toEqual(['hanoi-doh']);
    expect(changed.permissions).toContain('alerts:read');

    // A fresh session (another browser) sees the choice.
    const again = await h.login('analyst.hn');
    expect(((await (await h.get('/api/v1/auth/me', again)).json()) as MeJson).user.locale).toBe('vi');
    // Nobody else changed.
    expect(h.users.get('analyst.dn')?.locale).toBeNull();
    expect(h.users.get('admin')?.locale).toBeNull();

    // The admin's own PATCH touches only the admin, whatever the body names.
    const admin = await h.login('admin');
    expect((await h.send('PATCH', '/api/v1/auth/me', { locale: 'en', username: 'analyst.hn' }, admin)).status).toBe(400);
    expect((await h.send('PATCH', '/api/v1/auth/me', { locale: 'en' }, admin)).status).toBe(200);
    expect(h.users.get('admin')?.locale).toBe('en');
    expect(h.users.get('analyst.hn')?.locale).toBe('vi');

    const cleared = (await (await h.send('PATCH', '/api/v1/auth/me', { locale: null }, analyst)).json()) as MeJson;
    expect(cleared.user.locale).toBeNull();
  });

  it('answers 400 naming the field for a language it does not have, and 401 without a session', async () => {
    const analyst = await h.login('analyst.dn');
    for (const body of [{ locale: 'fr' }, { locale: 'VI' }, {}, { locale: 1 }]) {
      const res = await h.send('PATCH', '/api/v1/auth/me', body, analyst);
      const answer = (await res.json()) as { error: { code: string; message: string } };
      expect({ body, status: res.status, code: answer.error.code }).toEqual({ body, status: 400, code: 'invalid_body' });
      expect(answer.error.message).toMatch(/^body(\.locale)?: /);
    }
    expect(h.users.get('analyst.dn')?.locale).toBeNull();
    expect((await h.send('PATCH', '/api/v1/auth/me', { locale: 'vi' })).status).toBe(401);
  });
});
