import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startHarness, type Harness } from '../../core/http/testdata/harness';
import { createLogger } from '../../core/logger';
import { Metrics } from '../../core/metrics';
import { openSqlite, type SqliteDb } from '../../core/store/sqlite';
import { AlertStore } from '../alerts/store';
import { incidentsConfigSchema } from './config';
import { createIncidents, type Incidents } from './index';
import { eventsById, hit, RULES } from './testdata/fixtures';

interface IncidentJson {
  id: string;
  status: string;
  severity: string;
  title: string;
  organization: { id: string };
  alert_ids: string[];
  opened_at: string;
  due: Array<{ key: string; status: string; due_at: string | null; recipient: string | null; reference: string | null }>;
  timeline?: Array<{ kind: string; actor: string; message: string }>;
  tasks?: Array<{ id: number; title: string; status: string; assignee: string | null; due: string | null }>;
}

describe('incidents HTTP API', () => {
  let dir: string;
  let db: SqliteDb;
  let alerts: AlertStore;
  let incidents: Incidents;
  let h: Harness;
  let hn: { token: string };
  let dn: { token: string };
  let auditor: { token: string };
  let noc: { token: string };
  let hanoiIncident: string;
  let danangIncident: string;
  let freeHanoiAlert: string;
  let danangAlert: string;
  const metrics = new Metrics({ defaultMetrics: false });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-incidents-http-'));
    db = openSqlite(join(dir, 'alerts.db'));
    alerts = new AlertStore(db, { dedupWindowMs: 600_000, maxSampleEvents: 10, maxEventIds: 100 });
    const sink = new Writable({ write: (_c, _e, done) => done() });
    incidents = createIncidents({ db, logger: createLogger('error', sink), metrics, alerts }, incidentsConfigSchema.parse({}));
    // Hanoi brute force and Da Nang brute force open one incident each; a low Hanoi alert stays alone.
    const changes = alerts.record([
      hit(RULES.sshFailures, eventsById('evt-ssh-001', 'evt-ssh-002', 'evt-ssh-003'), { 'source.ip': '203.0.113.45' }),
      hit(RULES.sshFailures, eventsById('evt-ssh-008', 'evt-ssh-009'), { 'source.ip': '203.0.113.45' }),
      hit(RULES.asaDenyTelnet, eventsById('evt-asa-001'), { 'source.ip': '198.51.100.7' }),
    ]);
    const outcomes = incidents.onAlerts(changes);
    expect(outcomes.map((o) => o.result)).toEqual(['opened', 'opened', 'alone']);
    hanoiIncident = outcomes[0].incidentId!;
    danangIncident = outcomes[1].incidentId!;
    freeHanoiAlert = changes[2].id;
    danangAlert = alerts.record([hit(RULES.sshDeployLogin, eventsById('evt-ssh-010'), { 'user.name': 'admin' })])[0].id;

    h = await startHarness({ modules: [incidents.http] });
    hn = await h.login('analyst.hn');
    dn = await h.login('analyst.dn');
    auditor = await h.login('auditor');
    noc = await h.login('noc.hn');
  });

  afterAll(async () => {
    await h.close();
    await incidents.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists incidents in the contract shape, limited to the caller\'s agencies', async () => {
    const res = await h.get('/api/v1/incidents?status=open&limit=10', hn);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; incidents: IncidentJson[] };
    expect(body.total).toBe(1);
    const inc = body.incidents[0];
    expect(inc).toMatchObject({ id: hanoiIncident, status: 'open', severity: 'high', organization: { id: 'hanoi-doh' } });
    expect(inc.id).toMatch(/^INC-\d{4}-\d{6}$/);
    expect(inc.alert_ids).toHaveLength(1);
    expect(typeof inc.title).toBe('string');
    expect(Number.isNaN(Date.parse(inc.opened_at))).toBe(false);
    expect(inc.due.map((d) => d.key)).toEqual(['sla.acknowledge', 'sla.resolve', 'report.form03', 'report.form04']);

    const all = (await (await h.get('/api/v1/incidents', auditor)).json()) as { total: number };
    expect(all.total).toBe(2);
    const byIp = (await (await h.get('/api/v1/incidents?q=203.0.113.45', dn)).json()) as { total: number; incidents: IncidentJson[] };
    expect(byIp.incidents.map((i) => i.id)).toEqual([danangIncident]);
    expect((await h.get('/api/v1/incidents?status=bogus', hn)).status).toBe(400);
  });

  it('answers 404 for another agency\'s incident and 403 without the permission', async () => {
    expect((await h.get(`/api/v1/incidents/${hanoiIncident}`, dn)).status).toBe(404);
    expect((await h.send('PATCH', `/api/v1/incidents/${hanoiIncident}`, { status: 'investigating' }, dn)).status).toBe(404);
    expect((await h.get(`/api/v1/incidents/${hanoiIncident}/reports/form03`, dn)).status).toBe(404);
    expect((await h.get('/api/v1/incidents', noc)).status).toBe(403);
    expect((await h.send('PATCH', `/api/v1/incidents/${hanoiIncident}`, { status: 'investigating' }, auditor)).status).toBe(403);
    expect((await h.get(`/api/v1/incidents/${hanoiIncident}`, auditor)).status).toBe(200);
    expect((await h.get('/api/v1/incidents')).status).toBe(401);
  });

  it('creates an incident from alert ids, refusing other agencies\' and already-grouped alerts', async () => {
    expect((await h.send('POST', '/api/v1/incidents', { alert_ids: [danangAlert] }, hn)).status).toBe(404);
    const taken = await h.send('POST', '/api/v1/incidents', { alert_ids: [(await incidentJson(hanoiIncident)).alert_ids[0]] }, hn);
    expect(taken.status).toBe(409);
    const res = await h.send('POST', '/api/v1/incidents', { alert_ids: [freeHanoiAlert], title: 'Telnet scanning from 198.51.100.7', category: 'intrusion' }, hn);
    expect(res.status).toBe(201);
    const created = (await res.json()) as IncidentJson;
    expect(created).toMatchObject({ status: 'open', severity: 'low', title: 'Telnet scanning from 198.51.100.7', organization: { id: 'hanoi-doh' }, alert_ids: [freeHanoiAlert] });
    expect(created.timeline!.map((e) => [e.kind, e.actor])).toEqual([
      ['created', 'analyst.hn'],
      ['alert_added', 'analyst.hn'],
    ]);
    expect((await h.send('POST', '/api/v1/incidents', { title: 'no agency' }, hn)).status).toBe(400);
  });

  it('moves the status along, refuses a move that is not allowed, and records comments and alerts', async () => {
    const patched = await h.send('PATCH', `/api/v1/incidents/${hanoiIncident}`, { status: 'investigating', assignee: 'analyst.hn', serious: true }, hn);
    expect(patched.status).toBe(200);
    const body = (await patched.json()) as IncidentJson;
    expect(body.status).toBe('investigating');
    expect(body.due.find((d) => d.key === 'sla.acknowledge')!.status).toBe('met');
    expect(body.due.map((d) => d.key)).toContain('report.nd331-notice');
    const bad = await h.send('PATCH', `/api/v1/incidents/${hanoiIncident}`, { status: 'open' }, hn);
    expect(bad.status).toBe(409);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('cannot go from investigating to open');
    expect((await h.send('PATCH', `/api/v1/incidents/${hanoiIncident}`, { status: 'done' }, hn)).status).toBe(400);

    expect((await h.send('POST', `/api/v1/incidents/${hanoiIncident}/comments`, { text: 'Attacker IP belongs to a VPS provider; asked the ISP for logs.' }, hn)).status).toBe(201);
    const more = alerts.record([hit(RULES.sshSuccessAfterFailures, eventsById('evt-ssh-006'), { 'source.ip': '203.0.113.45', 'user.name': 'deploy' })])[0].id;
    const added = await h.send('POST', `/api/v1/incidents/${hanoiIncident}/alerts`, { alert_ids: [more] }, hn);
    expect(added.status).toBe(200);
    const detail = await incidentJson(hanoiIncident);
    expect(detail.alert_ids).toContain(more);
    expect(detail.severity).toBe('critical');
    expect(detail.timeline!.map((e) => e.kind)).toEqual(['created', 'alert_added', 'status_change', 'field_change', 'field_change', 'comment', 'alert_added']);
  });

  it('manages tasks', async () => {
    const created = await h.send('POST', `/api/v1/incidents/${hanoiIncident}/tasks`, { title: 'Reset the deploy account password', assignee: 'analyst.hn', due: '2026-11-27T10:00:00+07:00' }, hn);
    expect(created.status).toBe(201);
    const task = (await created.json()) as { id: number; status: string; due: string };
    expect(task).toMatchObject({ status: 'open', due: '2026-11-27T03:00:00.000Z' });
    const done = await h.send('PATCH', `/api/v1/incidents/${hanoiIncident}/tasks/${task.id}`, { status: 'done' }, hn);
    expect(((await done.json()) as { status: string }).status).toBe('done');
    const list = (await (await h.get(`/api/v1/incidents/${hanoiIncident}/tasks`, hn)).json()) as { tasks: unknown[] };
    expect(list.tasks).toHaveLength(1);
    expect((await h.send('DELETE', `/api/v1/incidents/${hanoiIncident}/tasks/${task.id}`, undefined, hn)).status).toBe(204);
    expect((await h.send('DELETE', `/api/v1/incidents/${hanoiIncident}/tasks/${task.id}`, undefined, hn)).status).toBe(404);
    expect((await h.send('PATCH', `/api/v1/incidents/${danangIncident}/tasks/1`, { status: 'done' }, hn)).status).toBe(404);
    const timeline = (await incidentJson(hanoiIncident)).timeline!.filter((e) => e.kind === 'task_change').map((e) => e.message);
    expect(timeline).toEqual([
      `task #${task.id} added: Reset the deploy account password`,
      `task #${task.id} status open → done: Reset the deploy account password`,
      `task #${task.id} removed: Reset the deploy account password`,
    ]);
  });

  it('serves the report documents and records a submission', async () => {
    const html = await h.get(`/api/v1/incidents/${hanoiIncident}/reports/form03?lang=vi&format=html`, auditor);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await html.text();
    expect(page).toContain('BÁO CÁO BAN ĐẦU SỰ CỐ AN TOÀN THÔNG TIN MẠNG');
    expect(page).toContain(hanoiIncident);
    const txt = await h.get(`/api/v1/incidents/${hanoiIncident}/reports/nd331-notice?lang=en&format=txt`, hn);
    expect(txt.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await txt.text()).toContain('INITIAL NOTICE OF A SERIOUS CYBERSECURITY INCIDENT');
    expect((await h.get(`/api/v1/incidents/${hanoiIncident}/reports/form99`, hn)).status).toBe(404);
    expect((await h.get(`/api/v1/incidents/${hanoiIncident}/reports/form03?lang=fr`, hn)).status).toBe(400);

    const submit = await h.send('POST', `/api/v1/incidents/${hanoiIncident}/reports/nd331-notice/submit`, { reference: '77/SYT-CNTT' }, hn);
    expect(submit.status).toBe(200);
    const { due } = (await submit.json()) as { due: IncidentJson['due'] };
    expect(due.find((d) => d.key === 'report.nd331-notice')).toMatchObject({ status: 'submitted', reference: '77/SYT-CNTT' });
    expect((await h.send('POST', `/api/v1/incidents/${hanoiIncident}/reports/nd331-notice/submit`, { reference: 'x' }, hn)).status).toBe(409);
    const reports = (await (await h.get(`/api/v1/incidents/${hanoiIncident}/reports`, hn)).json()) as { reports: IncidentJson['due'] };
    expect(reports.reports.map((r) => r.key)).toEqual(['report.form03', 'report.form04', 'report.nd331-notice', 'report.nd331-report']);
  });

  it('documents every route in the OpenAPI document', async () => {
    const doc = (await (await h.get('/api/v1/openapi.json', hn)).json()) as { paths: Record<string, unknown> };
    for (const p of ['/api/v1/incidents', '/api/v1/incidents/{id}', '/api/v1/incidents/{id}/tasks/{taskId}', '/api/v1/incidents/{id}/reports/{kind}/submit']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });

  async function incidentJson(id: string): Promise<IncidentJson> {
    const res = await h.get(`/api/v1/incidents/${id}`, hn);
    expect(res.status).toBe(200);
    return (await res.json()) as IncidentJson;
  }
});
