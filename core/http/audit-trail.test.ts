import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog, type AuditLog } from '../audit/log';
import type { AuditRecord } from '../audit/types';
import { auditActionOf, auditObjectOf, auditResultOf, routeParamsOf } from './audit-trail';
import { startHarness, type Harness } from './testdata/harness';

describe('audit trail naming', () => {
  it.each([
    ['PATCH', '/alerts/:id', 'alert.update'],
    ['POST', '/alerts/:id/comments', 'alert.comment.create'],
    ['DELETE', '/alerts/suppressions/:id', 'alert.suppression.delete'],
    ['POST', '/users', 'user.create'],
    ['PUT', '/policies/:id', 'policy.replace'],
    ['POST', '/incidents/:id/tasks', 'incident.task.create'],
    ['POST', '/auth/login', 'user.login'],
    ['POST', '/auth/password', 'user.password_change'],
    ['DELETE', '/tokens/:id', 'token.revoke'],
  ])('%s %s → %s', (method, route, action) => {
    expect(auditActionOf(method, route)).toBe(action);
  });

  it('finds the object and its id from the route and the path', () => {
    expect(auditObjectOf('/alerts/:id/comments', routeParamsOf('/alerts/:id/comments', '/alerts/a%201/comments'))).toEqual({ type: 'alert', id: 'a 1' });
    expect(auditObjectOf('/alerts/suppressions/:id', { id: 's1' })).toEqual({ type: 'alert_suppression', id: 's1' });
    expect(auditObjectOf('/users', {})).toEqual({ type: 'user', id: null });
    expect(routeParamsOf('/a/:x', '/a/b/c')).toEqual({});
    expect([200, 201, 204, 401, 403, 404, 409, 500].map(auditResultOf)).toEqual(['ok', 'ok', 'ok', 'denied', 'denied', 'error', 'error', 'error']);
  });
});

describe('audit trail on the core routes', () => {
  let dir: string;
  let audit: AuditLog;
  let h: Harness;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-trail-'));
    audit = openAuditLog(join(dir, 'audit.db'));
    h = await startHarness({ audit: { sink: audit, skipPaths: ['/auth/logout'] } });
  });
  afterAll(async () => {
    await h.close();
    audit.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function records(): Promise<AuditRecord[]> {
    await new Promise((r) => setTimeout(r, 20));
    return audit.list({ limit: 1000 }).records.reverse();
  }

  it('records user management, tokens and logins without bodies or secrets; skips reads and skipped paths', async () => {
    const admin = await h.login('admin');
    const auth = { token: admin.token };
    expect((await h.send('POST', '/api/v1/users', { username: 'analyst.hue', password: 'Hue-analyst-2025!', role: 'soc_analyst', agencies: ['hue-doh'] }, auth)).status).toBe(201);
    expect((await h.send('PATCH', '/api/v1/users/analyst.hue', { role: 'auditor' }, auth)).status).toBe(200);
    const created = (await (await h.send('POST', '/api/v1/tokens', { name: 'grafana' }, auth)).json()) as { id: string; token: string };
    const viaToken = { token: created.token };
    expect((await h.get('/api/v1/users', viaToken)).status).toBe(200);
    expect((await h.send('DELETE', '/api/v1/users/nobody', undefined, viaToken)).status).toBe(404);
    expect((await h.send('DELETE', `/api/v1/tokens/${created.id}`, undefined, auth)).status).toBe(204);
    expect((await h.send('POST', '/api/v1/auth/logout', undefined, auth)).status).toBe(204);

    const rows = await records();
    expect(rows.map((r) => [r.action, r.actor.type, r.actor.id, r.object?.type, r.object?.id, r.result])).toEqual([
      ['user.login', 'user', 'admin', 'user', 'admin', 'ok'],
      ['user.create', 'user', 'admin', 'user', 'analyst.hue', 'ok'],
      ['user.update', 'user', 'admin', 'user', 'analyst.hue', 'ok'],
      ['token.create', 'user', 'admin', 'token', 'grafana', 'ok'],
      ['user.delete', 'token', 'admin', 'user', 'nobody', 'error'],
      ['token.revoke', 'user', 'admin', 'token', created.id, 'ok'],
    ]);
    expect(rows[4].details).toMatchObject({ token_id: created.id, http_status: 404, method: 'DELETE', route: '/users/:username' });
    const text = JSON.stringify(rows);
    expect(text).not.toContain('Hue-analyst-2025!');
    expect(text).not.toContain(created.token);
    expect(text).not.toContain(admin.token);
    expect(audit.verify()).toMatchObject({ ok: true, checked: 6 });
  });
});
