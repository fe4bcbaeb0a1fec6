/**
 * Routes added for the console. PATCH /api/v1/rules/{id}: a rule switched off stops raising alerts
 * at once, stays off across a restart (the switch is in SQLite), is audited, and a rule disabled in
 * socnoc.yaml stays off. GET /api/v1/alerts?view=summary: the queue's light listing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../core/audit/types';
import { InProcessBus } from '../core/bus';
import type { EcsEvent } from '../core/event';
import { startHarness, type Harness } from '../core/http/testdata/harness';
import { createLogger } from '../core/logger';
import { Metrics } from '../core/metrics';
import { openSqlite, type SqliteDb } from '../core/store/sqlite';
import { correlationConfigSchema } from './config';
import { correlationHttpModule } from './http';
import { createDetectionEngine, type DetectionEngine } from './runtime';

const SSH_ROOT = `title: Direct SSH login as root
id: 0d1c3a52-5c3b-4c56-9b5e-3f6c1a2b0001
logsource:
  product: linux
  service: sshd
detection:
  selection:
    user.name: root
    event.outcome: success
  condition: selection
level: high
tags: [attack.initial-access, attack.t1078.003]
`;
const WEB_SCAN = `title: Web scanner user agent
id: 0d1c3a52-5c3b-4c56-9b5e-3f6c1a2b0002
logsource:
  category: webserver
detection:
  selection:
    user_agent.original|contains: sqlmap
  condition: selection
level: medium
`;
const SSH_ID = '0d1c3a52-5c3b-4c56-9b5e-3f6c1a2b0001';
const WEB_ID = '0d1c3a52-5c3b-4c56-9b5e-3f6c1a2b0002';

function sshLogin(id: string): EcsEvent {
  return {
    '@timestamp': '2026-11-27T01:04:05.000Z',
    message: 'Accepted password for root from 198.51.100.23 port 50122 ssh2',
    event: { id, dataset: 'linux.sshd', kind: 'event', category: ['authentication'], outcome: 'success' },
    log: { syslog: { appname: 'sshd' } },
    source: { ip: '198.51.100.23' },
    user: { name: 'root' },
    host: { name: 'web-01' },
    organization: { id: 'hanoi-doh' },
  } as EcsEvent;
}

interface RuleJson {
  id: string;
  title: string;
  enabled: boolean;
  disabled_by: 'config' | 'api' | null;
}

describe('switching rules on and off through the API', () => {
  let dir: string;
  let db: SqliteDb;
  let bus: InProcessBus;
  let engine: DetectionEngine;
  let h: Harness;
  let audit: AuditEntry[];
  const tokens: Record<string, string> = {};

  async function start(disabled: string[] = []): Promise<void> {
    bus = new InProcessBus();
    const config = correlationConfigSchema.parse({ sigma: { includeBuiltin: false, paths: [{ path: dir, ruleset: 'local' }], watch: false, disabled } });
    engine = createDetectionEngine({ bus, db, metrics: new Metrics({ defaultMetrics: false }), logger: createLogger('silent') }, config);
    await engine.start();
    audit = [];
    h = await startHarness({
      modules: [correlationHttpModule({ alerts: engine.alerts, catalog: engine })],
      audit: { sink: { append: (e) => audit.push(e) } },
    });
    for (const u of ['admin', 'analyst.hn', 'auditor'] as const) tokens[u] = (await h.login(u)).token;
  }

  async function stop(): Promise<void> {
    await h.close();
    await engine.stop();
    await bus.close();
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-rule-switch-'));
    writeFileSync(join(dir, 'ssh_root.yml'), SSH_ROOT);
    writeFileSync(join(dir, 'web_scan.yml'), WEB_SCAN);
    db = openSqlite(join(dir, 'socnoc.db'));
  });

  afterEach(async () => {
    await stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const patch = (id: string, body: unknown, token = tokens['analyst.hn']): Promise<Response> => h.send('PATCH', `/api/v1/rules/${encodeURIComponent(id)}`, body, { token });

  it('stops a rule at once, keeps it off after a restart, and turns it back on', async () => {
    await start();
    await bus.publish('events', [sshLogin('evt-1')]);
    expect(engine.alerts.search({ limit: 10 }).total).toBe(1);

    const off = await patch(SSH_ID, { enabled: false });
    expect(off.status).toBe(200);
    expect((await off.json()) as RuleJson).toMatchObject({ id: SSH_ID, enabled: false, disabled_by: 'api' });
    expect(engine.loadInfo()).toMatchObject({ rules: 2, enabledRules: 1 });
    await bus.publish('events', [sshLogin('evt-2')]);
    expect(engine.alerts.search({ limit: 10 }).alerts.flatMap((a) => a.event_ids)).toEqual(['evt-1']);
    expect(audit.find((e) => e.action === 'rule.update')).toMatchObject({ actor: { id: 'analyst.hn' }, object: { type: 'rule', id: SSH_ID }, result: 'ok', details: { enabled: { from: true, to: false } } });

    // The switch is in the database: a restarted engine starts with the rule off.
    await stop();
    await start();
    const listed = (await (await h.get('/api/v1/rules?enabled=false', { token: tokens.auditor })).json()) as { rules: RuleJson[] };
    expect(listed.rules.map((r) => [r.id, r.disabled_by])).toEqual([[SSH_ID, 'api']]);

    const on = await patch(SSH_ID, { enabled: true });
    expect(((await on.json()) as RuleJson).enabled).toBe(true);
    await bus.publish('events', [sshLogin('evt-3')]);
    expect(engine.alerts.search({ limit: 10 }).alerts.flatMap((a) => a.event_ids).sort()).toEqual(['evt-1', 'evt-3']);
  });

  it('lists alerts without their sample events for the console queue (view=summary)', async () => {
    await start();
    await bus.publish('events', [sshLogin('evt-9')]);
    type Page = { total: number; alerts: Array<{ id: string; events: unknown[]; event_ids: string[]; rule: { id: string } }> };
    const full = (await (await h.get('/api/v1/alerts', { token: tokens['analyst.hn'] })).json()) as Page;
    const summary = (await (await h.get('/api/v1/alerts?view=summary', { token: tokens['analyst.hn'] })).json()) as Page;
    expect(full.alerts[0]).toMatchObject({ rule: { id: SSH_ID }, event_ids: ['evt-9'] });
    expect(full.alerts[0].events).toHaveLength(1);
    expect(summary).toMatchObject({ total: 1, alerts: [{ id: full.alerts[0].id, rule: { id: SSH_ID }, events: [], event_ids: [] }] });
    expect((await h.get('/api/v1/alerts?view=brief', { token: tokens['analyst.hn'] })).status).toBe(400);
  });

  it('refuses to enable a rule disabled in socnoc.yaml, unknown rules, bad bodies and read-only roles', async () => {
    await start([WEB_ID]);
    const conflict = await patch(WEB_ID, { enabled: true });
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as { error: { message: string } }).error.message).toContain('correlation.sigma.disabled');
    expect(engine.rules().find((r) => r.id === WEB_ID)?.enabled).toBe(false);
    // Switching it off through the API as well is harmless.
    expect((await patch(WEB_ID, { enabled: false })).status).toBe(200);
    expect((await patch('no-such-rule', { enabled: false })).status).toBe(404);
    expect((await patch(SSH_ID, { enabled: 'no' })).status).toBe(400);
    expect((await patch(SSH_ID, { enabled: false, extra: 1 })).status).toBe(400);
    expect((await patch(SSH_ID, { enabled: false }, tokens.auditor)).status).toBe(403);
    expect(engine.rules().find((r) => r.id === SSH_ID)?.enabled).toBe(true);
  });
});
