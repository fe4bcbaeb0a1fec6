/**
 * The playbooks API on a real socnoc HTTP server, with the shipped playbooks, a real SMTP server
 * for the brute-force playbook's email, approvals by users of two agencies, and manual dry runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { startHarness, type Harness } from '../core/http/testdata/harness';
import { Metrics } from '../core/metrics';
import { openSqlite, type SqliteDb } from '../core/store/sqlite';
import type { Alert } from '../correlation/alerts/types';
import { playbooksConfig, smtpConfigSchema } from './config';
import { createPlaybooks, type Playbooks } from './index';
import type { AlertSource } from './ports';
import { RecordingAudit, silentLogger, sshAlert } from './testdata/fixtures';

interface RunJson {
  id: string;
  playbook_id: string;
  status: string;
  dry_run: boolean;
  error: string | null;
  organization: { id: string };
  steps: Array<{ step_id: string; status: string; input: Record<string, unknown> | null; output: Record<string, unknown> | null; error: string | null }>;
}

class MemoryAlerts implements AlertSource {
  readonly byId = new Map<string, Alert>();
  get(id: string, organizations?: readonly string[]): Alert | undefined {
    const a = this.byId.get(id);
    return a && (organizations === undefined || organizations.includes(a.organization.id)) ? a : undefined;
  }
}

let harness: Harness;
let playbooks: Playbooks;
let db: SqliteDb;
let dir: string;
let smtp: SMTPServer;
const mails: Array<{ to: string[]; raw: string }> = [];
const alerts = new MemoryAlerts();
const audit = new RecordingAudit();

beforeAll(async () => {
  smtp = new SMTPServer({
    authMethods: ['PLAIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (auth, _s, cb) => (auth.password === 'Relay-pass-9' ? cb(null, { user: auth.username }) : cb(new Error('bad auth'))),
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  dir = mkdtempSync(join(tmpdir(), 'socnoc-playbooks-http-'));
  db = openSqlite(join(dir, 'playbooks.db'));
  playbooks = createPlaybooks(
    { db, logger: silentLogger, metrics: new Metrics({ defaultMetrics: false }), ports: { alerts, audit } },
    {
      playbooks: playbooksConfig({}),
      smtp: smtpConfigSchema.parse({ host: '127.0.0.1', port: (smtp.server.address() as AddressInfo).port, auth: { user: 'socnoc', pass: 'Relay-pass-9' }, from: 'socnoc@so-yte.hanoi.gov.vn' }),
      socEmail: ['soc@so-yte.hanoi.gov.vn'],
    },
  );
  harness = await startHarness({ modules: [playbooks.http] });
});

afterAll(async () => {
  await playbooks.stop();
  await harness.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((r) => smtp.close(() => r()));
});

async function until(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('playbooks HTTP API', () => {
  test('lists the shipped playbooks with no load errors; one playbook with its definition', async () => {
    const { token } = await harness.login('analyst.hn');
    const res = await harness.get('/api/v1/playbooks', { token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; playbooks: Array<{ id: string; triggers: boolean; source: string }>; errors: unknown[] };
    expect(body.errors).toEqual([]);
    expect(body.playbooks.map((p) => p.id).sort()).toEqual(['brute-force', 'ddos', 'device-down', 'malware-endpoint', 'threat-intel-hit']);
    expect(body.playbooks.every((p) => p.triggers && p.source === 'builtin')).toBe(true);
    const one = (await (await harness.get('/api/v1/playbooks/brute-force', { token })).json()) as { definition: { steps: Array<{ action: string }> } };
    expect(one.definition.steps.map((s) => s.action)).toEqual(['notify.email', 'enrich.geoip', 'approval.request', 'contain.block_ip']);
    expect((await harness.get('/api/v1/playbooks/nope', { token })).status).toBe(404);
    const noc = await harness.login('noc.hn');
    expect((await harness.get('/api/v1/playbooks', { token: noc.token })).status).toBe(403);
    const openapi = (await (await harness.get('/api/v1/openapi.json', { token })).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths).filter((p) => p.includes('playbooks')).sort()).toEqual([
      '/api/v1/playbooks',
      '/api/v1/playbooks/runs',
      '/api/v1/playbooks/runs/{id}',
      '/api/v1/playbooks/runs/{id}/approvals',
      '/api/v1/playbooks/{id}',
      '/api/v1/playbooks/{id}/run',
    ]);
  });

  test('brute force: the alert emails soc_email over SMTP, waits for approval, then blocks in dry-run', async () => {
    const alert = sshAlert();
    alerts.byId.set(alert.id, alert);
    expect(playbooks.runner.onAlert(alert, 'created')).toBe(1);
    await playbooks.runner.whenIdle();
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toEqual(['soc@so-yte.hanoi.gov.vn']);
    // Unfold long header lines (RFC 5322 §2.2.3) before reading the subject.
    const headers = mails[0].raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n(?=[ \t])/g, '');
    expect(headers).toMatch(/^Subject: \[socnoc\] HIGH: SSH Login After Repeated Failures From the Same Address from 198\.51\.100\.30\r?$/m);
    expect(mails[0].raw).toContain('Users tried:   root');

    const analyst = await harness.login('analyst.hn');
    const list = (await (await harness.get(`/api/v1/playbooks/runs?alert_id=${alert.id}`, { token: analyst.token })).json()) as { total: number; runs: RunJson[] };
    expect(list.total).toBe(1);
    const runId = list.runs[0].id;
    expect(list.runs[0].status).toBe('waiting_approval');

    // Another agency's analyst cannot see or decide; a NOC operator is not an approver of this request.
    const other = await harness.login('analyst.dn');
    expect((await harness.get(`/api/v1/playbooks/runs/${runId}`, { token: other.token })).status).toBe(404);
    expect((await harness.send('POST', `/api/v1/playbooks/runs/${runId}/approvals`, { decision: 'approve' }, { token: other.token })).status).toBe(404);
    const noc = await harness.login('noc.hn');
    const refused = await harness.send('POST', `/api/v1/playbooks/runs/${runId}/approvals`, { decision: 'approve' }, { token: noc.token });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/not an approver/);

    const approved = await harness.send('POST', `/api/v1/playbooks/runs/${runId}/approvals`, { decision: 'approve', comment: 'confirmed' }, { token: analyst.token });
    expect(approved.status).toBe(200);
    await until(async () => ((await (await harness.get(`/api/v1/playbooks/runs/${runId}`, { token: analyst.token })).json()) as RunJson).status === 'succeeded');
    const run = (await (await harness.get(`/api/v1/playbooks/runs/${runId}`, { token: analyst.token })).json()) as RunJson;
    expect(run.steps.map((s) => [s.step_id, s.status])).toEqual([
      ['notify-soc', 'succeeded'],
      ['geo', 'failed'],
      ['approve-block', 'succeeded'],
      ['block-source', 'succeeded'],
    ]);
    expect(run.steps[1].error).toMatch(/no GeoIP database is configured/);
    expect(run.steps[3].input).toMatchObject({ ip: '198.51.100.30', duration: 86_400_000, dry_run: true });
    expect(run.steps[3].output).toMatchObject({ ip: '198.51.100.30', dry_run: true, executed: false, duration: '1d' });
    expect(audit.records.some((r) => r.action === 'playbook.approval.decision' && r.actor === 'user:analyst.hn')).toBe(true);
    expect(audit.records.filter((r) => r.object === `playbook_run:${runId}` && r.action === 'playbook.step.finish')).toHaveLength(4);
  });

  test('manual dry run against an existing alert reports every step without side effects', async () => {
    const alert = sshAlert({ id: 'b1c2d3e4-0000-4000-8000-000000000002' });
    alerts.byId.set(alert.id, alert);
    const { token } = await harness.login('analyst.hn');
    const before = mails.length;
    const res = await harness.send('POST', '/api/v1/playbooks/brute-force/run', { alert_id: alert.id, dry_run: true }, { token });
    expect(res.status).toBe(202);
    const run = (await res.json()) as RunJson;
    expect(run).toMatchObject({ playbook_id: 'brute-force', dry_run: true, status: 'succeeded', organization: { id: 'hanoi-doh' } });
    expect(run.steps.map((s) => s.status)).toEqual(['simulated', 'failed', 'simulated', 'simulated']);
    expect(run.steps[0].output).toMatchObject({ simulated: true, to: ['soc@so-yte.hanoi.gov.vn'] });
    expect(run.steps[2].output).toMatchObject({ simulated: true, approved: true });
    expect(run.steps[3].output).toMatchObject({ simulated: true, executed: false, command: ['nft', 'add', 'element', 'inet', 'socnoc', 'blocklist', '{ 198.51.100.30 timeout 1d }'] });
    expect(mails.length).toBe(before);

    // The alert of another agency does not exist for this analyst; an auditor may not run.
    const foreign = sshAlert({ id: 'c0000000-0000-4000-8000-000000000003', organization: { id: 'danang-dof' } });
    alerts.byId.set(foreign.id, foreign);
    expect((await harness.send('POST', '/api/v1/playbooks/brute-force/run', { alert_id: foreign.id, dry_run: true }, { token })).status).toBe(404);
    const auditor = await harness.login('auditor');
    expect((await harness.send('POST', '/api/v1/playbooks/brute-force/run', { alert_id: alert.id, dry_run: true }, { token: auditor.token })).status).toBe(403);
    const bad = await harness.send('POST', '/api/v1/playbooks/brute-force/run', { alert: alert.id }, { token });
    expect(bad.status).toBe(400);
  });

  test('a deny through the API ends the run as denied', async () => {
    const alert = sshAlert({ id: 'd0000000-0000-4000-8000-000000000004', group: { 'source.ip': '203.0.113.50' } });
    alerts.byId.set(alert.id, alert);
    playbooks.runner.onAlert(alert, 'created');
    await playbooks.runner.whenIdle();
    const { token } = await harness.login('analyst.hn');
    const list = (await (await harness.get(`/api/v1/playbooks/runs?alert_id=${alert.id}&status=waiting_approval`, { token })).json()) as { runs: RunJson[] };
    const res = await harness.send('POST', `/api/v1/playbooks/runs/${list.runs[0].id}/approvals`, { decision: 'deny', comment: 'internal scanner' }, { token });
    const run = (await res.json()) as RunJson;
    expect(run.status).toBe('denied');
    expect(run.error).toMatch(/denied by analyst\.hn: internal scanner/);
    expect(run.steps.map((s) => s.step_id)).not.toContain('block-source');
  });
});
