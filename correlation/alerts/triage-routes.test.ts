import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog, type AuditLog } from '../../core/audit/log';
import { auditHttpModule } from '../../core/audit/http';
import type { AuditRecord } from '../../core/audit/types';
import { startHarness, type Harness, type TestUser } from '../../core/http/testdata/harness';
import { openSqlite, type SqliteDb } from '../../core/store/sqlite';
import { correlationHttpModule } from '../http';
import type { RuleCatalog } from '../runtime/types';
import { AlertStore } from './store';
import { byId, DENY_RULE, hitOf, WEB_RULE } from './testdata/hits';

const EMPTY_CATALOG: RuleCatalog = {
  rules: () => [],
  loadErrors: () => [],
  loadInfo: () => ({ loadedAt: 0, durationMs: 0, files: 0, rules: 0, enabledRules: 0, correlations: 0, errors: 0, warnings: 0, reloads: 0, failedReloads: 0 }),
};

interface HistoryJson {
  id: number;
  actor: string;
  kind: string;
  from: string | null;
  to: string | null;
  text: string | null;
}
interface AlertJson {
  id: string;
  status: string;
  severity: string;
  assignee: string | null;
  updated_by: string | null;
  organization: { id: string };
  history: HistoryJson[];
  comments: HistoryJson[];
}
interface ErrorBody {
  error: { code: string; message: string; field?: string; parameter?: string };
}
interface SuppressionJson {
  id: string;
  rule_id: string;
  organization: string | null;
  hits: number;
  expired: boolean;
  owner: string;
}

describe('alert triage, bulk, suppression and audit routes', () => {
  let dir: string;
  let db: SqliteDb;
  let audit: AuditLog;
  let alerts: AlertStore;
  let h: Harness;
  const tokens: Record<string, string> = {};
  let hanoiScan: string;
  let hanoiWeb: string;
  let danangScan: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-triage-'));
    db = openSqlite(join(dir, 'alerts.db'));
    audit = openAuditLog(join(dir, 'audit.db'));
    alerts = new AlertStore(db, { dedupWindowMs: 600_000, maxSampleEvents: 2, maxEventIds: 5 });
    const changes = alerts.record([...['evt-001', 'evt-002', 'evt-005'].map((id) => hitOf(DENY_RULE, byId(id))), hitOf(WEB_RULE, byId('evt-008'))]);
    const orgOf = (id: string): string => alerts.get(id)!.organization.id;
    hanoiScan = changes.find((c) => orgOf(c.id) === 'hanoi-doh' && alerts.get(c.id)!.rule.id === DENY_RULE.rule.id)!.id;
    hanoiWeb = changes.find((c) => alerts.get(c.id)!.rule.id === 'web-1')!.id;
    danangScan = changes.find((c) => orgOf(c.id) === 'danang-dof')!.id;
    const late: { users?: Harness['users'] } = {};
    h = await startHarness({
      modules: [correlationHttpModule({ alerts, catalog: EMPTY_CATALOG, users: { get: (u) => late.users?.get(u) }, audit }), auditHttpModule({ audit })],
      audit: { sink: audit, skipPaths: ['/ingest'] },
    });
    late.users = h.users;
    for (const u of ['admin', 'analyst.hn', 'analyst.dn', 'auditor', 'noc.hn'] as TestUser[]) tokens[u] = (await h.login(u)).token;
  });
  afterAll(async () => {
    await h.close();
    audit.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function call<T>(method: string, path: string, user: string | undefined, body?: unknown, status = 200): Promise<T> {
    const res = method === 'GET' ? await h.get(path, user ? { token: tokens[user] } : undefined) : await h.send(method, path, body, user ? { token: tokens[user] } : undefined);
    const text = await res.text();
    expect({ method, path, status: res.status, text: res.status === status ? '' : text }).toEqual({ method, path, status, text: '' });
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Audit records appear once the response is finished: wait for the count to settle. */
  async function auditRecords(): Promise<AuditRecord[]> {
    await new Promise((r) => setTimeout(r, 20));
    return audit.list({ limit: 1000 }).records;
  }

  it('moves an alert through its lifecycle with comments, returning its history', async () => {
    const ack = await call<AlertJson>('PATCH', `/api/v1/alerts/${hanoiScan}`, 'analyst.hn', { status: 'acknowledged', assignee: 'analyst.hn' });
    expect(ack).toMatchObject({ status: 'acknowledged', assignee: 'analyst.hn', updated_by: 'analyst.hn' });
    const c = await call<HistoryJson>('POST', `/api/v1/alerts/${hanoiScan}/comments`, 'analyst.hn', { text: 'Source is a VPS; 3 admin ports probed.' }, 201);
    expect(c).toMatchObject({ kind: 'comment', actor: 'analyst.hn', text: 'Source is a VPS; 3 admin ports probed.' });
    const done = await call<AlertJson>('PATCH', `/api/v1/alerts/${hanoiScan}`, 'analyst.hn', { status: 'resolved', severity: 'medium', comment: 'Blocked at the edge.' });
    expect(done.history.map((x) => [x.kind, x.from, x.to])).toEqual([
      ['status', 'new', 'acknowledged'],
      ['assignee', null, 'analyst.hn'],
      ['comment', null, null],
      ['status', 'acknowledged', 'resolved'],
      ['severity', 'low', 'medium'],
      ['comment', null, null],
    ]);
    expect(done.comments.map((x) => x.text)).toEqual(['Source is a VPS; 3 admin ports probed.', 'Blocked at the edge.']);
    const got = await call<AlertJson>('GET', `/api/v1/alerts/${hanoiScan}`, 'auditor');
    expect(got.history).toEqual(done.history);

    // Back to acknowledged: 409 naming both statuses; reopening to in_progress works.
    const refused = await call<ErrorBody>('PATCH', `/api/v1/alerts/${hanoiScan}`, 'analyst.hn', { status: 'acknowledged' }, 409);
    expect(refused.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/from resolved to acknowledged/) });
    expect((await call<AlertJson>('PATCH', `/api/v1/alerts/${hanoiScan}`, 'analyst.hn', { status: 'in_progress', comment: 'It came back.' })).status).toBe('in_progress');
  });

  it('answers 404 for another agency, 403 without alerts:manage, 400 naming the field', async () => {
    const hidden = await call<ErrorBody>('PATCH', `/api/v1/alerts/${danangScan}`, 'analyst.hn', { status: 'acknowledged' }, 404);
    const missing = await call<ErrorBody>('PATCH', '/api/v1/alerts/no-such-alert', 'analyst.hn', { status: 'acknowledged' }, 404);
    expect(hidden.error.message.replace(danangScan, 'X')).toBe(missing.error.message.replace('no-such-alert', 'X'));
    await call<ErrorBody>('POST', `/api/v1/alerts/${danangScan}/comments`, 'analyst.hn', { text: 'peek' }, 404);
    expect((await call<ErrorBody>('PATCH', `/api/v1/alerts/${hanoiWeb}`, 'auditor', { status: 'acknowledged' }, 403)).error.code).toBe('forbidden');
    expect((await call<ErrorBody>('PATCH', `/api/v1/alerts/${hanoiWeb}`, 'analyst.hn', { status: 'closed' }, 400)).error.field).toBe('status');
    expect((await call<ErrorBody>('PATCH', `/api/v1/alerts/${hanoiWeb}`, 'analyst.hn', {}, 400)).error.message).toMatch(/give status, assignee, severity or comment/);
    expect((await call<ErrorBody>('PATCH', `/api/v1/alerts/${hanoiWeb}`, 'analyst.hn', { assignee: 'nobody.here' }, 400)).error).toMatchObject({ field: 'assignee', message: expect.stringMatching(/no active user "nobody.here"/) });
    expect((await call<ErrorBody>('PATCH', `/api/v1/alerts/${hanoiWeb}`, 'analyst.hn', { assignee: 'analyst.dn' }, 400)).error.message).toMatch(/cannot see agency hanoi-doh/);
    expect((await call<ErrorBody>('POST', `/api/v1/alerts/${hanoiWeb}/comments`, 'analyst.hn', { text: '   ' }, 400)).error.field).toBe('text');
    expect((await call<AlertJson>('GET', `/api/v1/alerts/${hanoiWeb}`, 'admin')).history).toEqual([]);
  });

  it('changes many alerts at once, each judged alone and scoped', async () => {
    const result = await call<{ updated: number; results: Array<{ id: string; ok: boolean; changed?: string[]; error?: { code: string } }> }>(
      'POST',
      '/api/v1/alerts/bulk',
      'analyst.hn',
      { ids: [hanoiWeb, danangScan, hanoiScan, 'nope'], set: { status: 'acknowledged', assignee: 'noc.hn' }, comment: 'triage sweep' },
    );
    expect(result.results.map((r) => [r.ok, r.error?.code ?? r.changed!.join('+')])).toEqual([
      [true, 'status+assignee+comment'],
      [false, 'not_found'],
      [false, 'conflict'],
      [false, 'not_found'],
    ]);
    expect(result.updated).toBe(1);
    const big = await call<ErrorBody>('POST', '/api/v1/alerts/bulk', 'analyst.hn', { ids: Array.from({ length: 1001 }, (_, i) => `a${i}`), set: { status: 'resolved' } }, 400);
    expect(big.error.field).toBe('ids');
    expect((await call<ErrorBody>('POST', '/api/v1/alerts/bulk', 'analyst.hn', { ids: [hanoiWeb], set: {} }, 400)).error.message).toMatch(/give status or assignee/);
  });

  it('filters the list by assignee, rule, tactic and technique, and sorts', async () => {
    type Page = { total: number; alerts: Array<{ id: string; count: number }>; next: string | null };
    expect((await call<Page>('GET', '/api/v1/alerts?assignee=noc.hn', 'admin')).alerts.map((a) => a.id)).toEqual([hanoiWeb]);
    expect((await call<Page>('GET', '/api/v1/alerts?assignee=-', 'admin')).alerts.map((a) => a.id)).toEqual([danangScan]);
    expect((await call<Page>('GET', `/api/v1/alerts?rule=${DENY_RULE.rule.id}`, 'analyst.hn')).total).toBe(1);
    expect((await call<Page>('GET', '/api/v1/alerts?tactic=initial-access', 'admin')).alerts.map((a) => a.id)).toEqual([hanoiWeb]);
    expect((await call<Page>('GET', '/api/v1/alerts?technique=T1595', 'admin')).total).toBe(2);
    expect((await call<Page>('GET', '/api/v1/alerts?agency=danang-dof', 'analyst.hn')).total).toBe(0);
    expect((await call<Page>('GET', '/api/v1/alerts?sort=count', 'admin')).alerts.map((a) => a.count)).toEqual([2, 1, 1]);
    const first = await call<Page>('GET', '/api/v1/alerts?sort=severity&limit=1', 'admin');
    expect(first.alerts[0].id).toBe(hanoiWeb);
    const bad = await call<ErrorBody>('GET', `/api/v1/alerts?limit=1&cursor=${encodeURIComponent(first.next!)}`, 'admin', undefined, 400);
    expect(bad.error).toMatchObject({ parameter: 'cursor', message: expect.stringMatching(/sorted by severity desc/) });
    expect((await call<ErrorBody>('GET', '/api/v1/alerts?sort=random', 'admin', undefined, 400)).error.parameter).toBe('sort');
  });

  it('manages suppressions scoped by agency, and a suppression mutes matching detections', async () => {
    const created = await call<SuppressionJson>(
      'POST',
      '/api/v1/alerts/suppressions',
      'analyst.hn',
      { rule_id: WEB_RULE.rule.id, match: { 'source.ip': '203.0.113.45' }, reason: 'pentest by VNCERT team, ticket PT-031', expires_at: 'now+7d' },
      201,
    );
    expect(created).toMatchObject({ rule_id: 'web-1', organization: 'hanoi-doh', owner: 'analyst.hn', hits: 0, expired: false });
    // evt-009 would fold into the web alert; it is muted and counted instead.
    const before = alerts.get(hanoiWeb)!.count;
    expect(alerts.record([hitOf(WEB_RULE, byId('evt-009'))])).toEqual([]);
    expect(alerts.get(hanoiWeb)!.count).toBe(before);
    expect((await call<SuppressionJson>('GET', `/api/v1/alerts/suppressions/${created.id}`, 'auditor')).hits).toBe(1);

    await call<ErrorBody>('GET', `/api/v1/alerts/suppressions/${created.id}`, 'analyst.dn', undefined, 404);
    await call<ErrorBody>('DELETE', `/api/v1/alerts/suppressions/${created.id}`, 'analyst.dn', undefined, 404);
    expect((await call<ErrorBody>('POST', '/api/v1/alerts/suppressions', 'analyst.hn', { rule_id: '*', organization: 'danang-dof', reason: 'x' }, 403)).error.code).toBe('forbidden');
    expect((await call<ErrorBody>('POST', '/api/v1/alerts/suppressions', 'analyst.hn', { rule_id: '*', reason: 'x', expires_at: 'tomorrow' }, 400)).error.field).toBe('expires_at');
    expect((await call<ErrorBody>('POST', '/api/v1/alerts/suppressions', 'analyst.hn', { rule_id: '*', reason: 'x', match: { 'bad field': 'y' } }, 400)).error.message).toMatch(/match.bad field: expected an ECS field name/);

    const global = await call<SuppressionJson>('POST', '/api/v1/alerts/suppressions', 'admin', { rule_id: '*', match: { 'source.ip': '192.0.2.1' }, reason: 'scanner' }, 201);
    expect(global.organization).toBeNull();
    const seenByDn = await call<{ suppressions: SuppressionJson[] }>('GET', '/api/v1/alerts/suppressions', 'analyst.dn');
    expect(seenByDn.suppressions.map((s) => s.id)).toEqual([global.id]);
    expect((await call<ErrorBody>('PATCH', `/api/v1/alerts/suppressions/${global.id}`, 'analyst.dn', { reason: 'mine now' }, 403)).error.code).toBe('forbidden');

    const expired = await call<SuppressionJson>('PATCH', `/api/v1/alerts/suppressions/${created.id}`, 'analyst.hn', { expires_at: 'now-1m' });
    expect(expired.expired).toBe(true);
    expect(alerts.record([hitOf(WEB_RULE, byId('evt-010'))])).toHaveLength(1);
    expect((await call<{ suppressions: SuppressionJson[] }>('GET', '/api/v1/alerts/suppressions?expired=false', 'analyst.hn')).suppressions.map((s) => s.id)).toEqual([global.id]);
    await call('DELETE', `/api/v1/alerts/suppressions/${created.id}`, 'analyst.hn', undefined, 204);
    await call<ErrorBody>('GET', `/api/v1/alerts/suppressions/${created.id}`, 'admin', undefined, 404);
  });

  it('records every mutating request in the audit log, with actor, object, agency and result, never secrets', async () => {
    const badLogin = await h.send('POST', '/api/v1/auth/login', { username: 'analyst.hn', password: 'wrong-password-123' });
    expect(badLogin.status).toBe(401);
    await h.send('PATCH', `/api/v1/alerts/${hanoiWeb}`, { status: 'new' }); // no credential
    const records = await auditRecords();
    const find = (pred: (r: AuditRecord) => boolean): AuditRecord | undefined => records.find(pred);

    const patch = find((r) => r.action === 'alert.update' && r.object?.id === hanoiScan && r.details.status !== undefined && (r.details.status as { to: string }).to === 'resolved')!;
    expect(patch).toMatchObject({
      actor: { type: 'user', id: 'analyst.hn' },
      object: { type: 'alert', id: hanoiScan },
      organization: 'hanoi-doh',
      result: 'ok',
      details: { method: 'PATCH', route: '/alerts/:id', http_status: 200, changed: ['status', 'severity', 'comment'], severity: { from: 'low', to: 'medium' } },
    });
    expect(find((r) => r.action === 'alert.update' && r.object?.id === danangScan && r.actor.id === 'analyst.hn')).toMatchObject({ result: 'error', organization: null, details: { http_status: 404 } });
    expect(find((r) => r.action === 'alert.update' && r.actor.id === 'auditor')).toMatchObject({ result: 'denied', details: { http_status: 403 } });
    expect(find((r) => r.action === 'alert.comment')).toMatchObject({ object: { type: 'alert', id: hanoiScan }, organization: 'hanoi-doh', details: { http_status: 201 } });
    expect(find((r) => r.action === 'alert.bulk_update')).toMatchObject({ details: { ids: 4, updated: 1, failed: 3 } });
    // The bulk change also left a per-alert record the Hanoi auditor can find by agency.
    expect(find((r) => r.action === 'alert.update' && r.object?.id === hanoiWeb && r.details.bulk === true)).toMatchObject({ organization: 'hanoi-doh' });
    expect(find((r) => r.action === 'alert.suppression.create' && r.actor.id === 'analyst.hn' && r.result === 'ok')).toMatchObject({ object: { type: 'alert_suppression' }, organization: 'hanoi-doh' });
    expect(find((r) => r.action === 'alert.suppression.delete' && r.result === 'ok')).toBeDefined();
    expect(find((r) => r.action === 'user.login' && r.result === 'ok' && r.actor.id === 'auditor')).toMatchObject({ object: { type: 'user', id: 'auditor' } });
    expect(find((r) => r.action === 'user.login' && r.result === 'denied')).toMatchObject({ actor: { type: 'user', id: 'analyst.hn' }, details: { http_status: 401 } });
    expect(find((r) => r.action === 'request.denied')).toMatchObject({ actor: { type: 'anonymous', id: expect.stringMatching(/127\.0\.0\.1/) }, result: 'denied', details: { path: `/alerts/${hanoiWeb}`, http_status: 401 } });
    // Reads are not recorded; nothing holds a password.
    expect(records.some((r) => r.details.method === 'GET')).toBe(false);
    expect(JSON.stringify(records)).not.toMatch(/wrong-password-123|Auditor-read-only|HaNoi-analyst-1/);
    expect(audit.verify()).toMatchObject({ ok: true, checked: records.length });
  });

  it('serves the audit log: admin sees all, an auditor their agencies, others nothing; verify reports the chain', async () => {
    type Page = { records: AuditRecord[]; next: number | null };
    const all = await call<Page>('GET', '/api/v1/audit?limit=1000', 'admin');
    expect(all.records.some((r) => r.organization === null)).toBe(true);
    const scoped = await call<Page>('GET', '/api/v1/audit?limit=1000', 'auditor');
    expect(scoped.records.length).toBeGreaterThan(0);
    for (const r of scoped.records) expect(['hanoi-doh', 'danang-dof']).toContain(r.organization);
    const alertOnly = await call<Page>(`GET`, `/api/v1/audit?action=alert.&object_id=${hanoiScan}`, 'auditor');
    expect(alertOnly.records.every((r) => r.action.startsWith('alert.') && r.object?.id === hanoiScan)).toBe(true);
    const paged = await call<Page>('GET', '/api/v1/audit?limit=2', 'admin');
    expect(paged.next).toBe(paged.records[1].seq);
    expect((await call<ErrorBody>('GET', '/api/v1/audit', 'analyst.hn', undefined, 403)).error.code).toBe('forbidden');
    const verdict = await call<{ ok: boolean; checked: number; first_bad: unknown }>('GET', '/api/v1/audit/verify', 'auditor');
    expect(verdict).toMatchObject({ ok: true, first_bad: null });
    expect(verdict.checked).toBe(all.records.length);
  });
});
