import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessBus } from '../core/bus';
import type { EcsEvent } from '../core/event';
import { startHarness, type Harness } from '../core/http/testdata/harness';
import { createLogger } from '../core/logger';
import { Metrics } from '../core/metrics';
import { openSqlite, type SqliteDb } from '../core/store/sqlite';
import { correlationConfigSchema } from './config';
import { correlationHttpModule } from './http';
import { createDetectionEngine, type DetectionEngine } from './runtime';

const EVENTS: EcsEvent[] = readFileSync(join(__dirname, 'testdata', 'events.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as EcsEvent);

const RULES: Record<string, string> = {
  'firewall_deny_admin_port.yml': `title: Inbound connection denied to an administrative port
id: 6f1e2d3c-0001-4a4b-9c9d-000000000001
status: experimental
logsource:
  category: firewall
detection:
  selection:
    action: firewall-rule
    event.outcome: failure
    dst_port: [22, 23, 445, 3389, 5900]
  condition: selection
level: low
tags: [attack.discovery, attack.t1046]
socnoc:
  nist_csf: [DE.CM-01]
  iso27001: [A.8.20]
  decree85: [TCVN11930-7.2.4]
`,
  'web/web_path_traversal.yml': `title: Path traversal in a web request
id: 6f1e2d3c-0002-4a4b-9c9d-000000000002
logsource:
  category: webserver
detection:
  selection:
    cs-uri-query|contains: '../'
  condition: selection
level: high
tags: [attack.initial-access, attack.t1190]
`,
  'web/broken.yml': `title: Broken condition
id: 6f1e2d3c-0009-4a4b-9c9d-000000000009
logsource:
  category: webserver
detection:
  selection:
    cs-method: POST
  condition: selection and
level: low
`,
};

interface AlertJson {
  id: string;
  status: string;
  severity: string;
  rule: { id: string; name: string; tags: string[]; level: string; ruleset: string };
  organization: { id: string; name?: string };
  first_seen: string;
  last_seen: string;
  count: number;
  group_key: string;
  events: EcsEvent[];
}
interface Page {
  total: number;
  alerts: AlertJson[];
  next: string | null;
}
interface ErrorBody {
  error: { code: string; message: string; parameter?: string; position?: number };
}

describe('correlation HTTP routes', () => {
  let dir: string;
  let db: SqliteDb;
  let bus: InProcessBus;
  let engine: DetectionEngine;
  let h: Harness;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-http-rules-'));
    for (const [name, text] of Object.entries(RULES)) {
      const file = join(dir, name);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, text);
    }
    db = openSqlite(':memory:');
    bus = new InProcessBus();
    const config = correlationConfigSchema.parse({ sigma: { includeBuiltin: false, paths: [{ path: dir, ruleset: 'test-pack' }], watch: false } });
    engine = createDetectionEngine({ bus, db, metrics: new Metrics({ defaultMetrics: false }), logger: createLogger('silent') }, config);
    await engine.start();
    await bus.publish('events', structuredClone(EVENTS));
    h = await startHarness({ modules: [correlationHttpModule({ alerts: engine.alerts, catalog: engine })] });
    for (const u of ['admin', 'analyst.hn', 'analyst.dn', 'auditor', 'noc.hn'] as const) tokens[u] = (await h.login(u)).token;
    await h.users.create('agadmin.hn', 'Agency-admin-hn1', 'agency_admin', ['hanoi-doh']);
    const res = await fetch(`${h.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'agadmin.hn', password: 'Agency-admin-hn1' }),
    });
    tokens['agadmin.hn'] = ((await res.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await h.close();
    await engine.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function getJson<T>(path: string, user: string | undefined, status = 200): Promise<T> {
    const res = await h.get(path, user === undefined ? undefined : { token: tokens[user] });
    const body = (await res.json()) as T;
    expect({ path, status: res.status }).toEqual({ path, status });
    return body;
  }

  it('lists alerts in the contract shape, most recently seen first', async () => {
    const page = await getJson<Page>('/api/v1/alerts', 'admin');
    expect(page.total).toBe(5);
    expect(page.next).toBeNull();
    for (const a of page.alerts) {
      expect(Object.keys(a)).toEqual(expect.arrayContaining(['id', 'status', 'severity', 'rule', 'organization', 'first_seen', 'last_seen', 'count', 'events']));
      expect(Object.keys(a.rule)).toEqual(expect.arrayContaining(['id', 'name', 'tags']));
    }
    const seen = page.alerts.map((a) => Date.parse(a.last_seen));
    expect(seen).toEqual([...seen].sort((x, y) => y - x));
    const web = page.alerts.find((a) => a.rule.id === '6f1e2d3c-0002-4a4b-9c9d-000000000002')!;
    expect(web).toMatchObject({ status: 'new', severity: 'high', count: 2, organization: { id: 'hanoi-doh', name: 'Hanoi Department of Health' }, group_key: 'source.ip="203.0.113.45"' });
    expect(web.rule).toEqual({ id: '6f1e2d3c-0002-4a4b-9c9d-000000000002', name: 'Path traversal in a web request', tags: ['attack.initial-access', 'attack.t1190'], level: 'high', ruleset: 'test-pack' });
    expect(web.events.map((e) => e.event.id)).toEqual(['evt-008', 'evt-009']);
    expect(web.events[0]).toEqual(EVENTS.find((e) => e.event.id === 'evt-008'));

    const one = await getJson<AlertJson & { history: unknown[]; comments: unknown[] }>(`/api/v1/alerts/${web.id}`, 'analyst.hn');
    expect(one).toEqual({ ...web, history: [], comments: [] });
  });

  it('limits every user to their agencies; admin sees all', async () => {
    const orgs = async (user: string): Promise<string[]> => [...new Set((await getJson<Page>('/api/v1/alerts', user)).alerts.map((a) => a.organization.id))].sort();
    expect(await orgs('analyst.hn')).toEqual(['hanoi-doh']);
    expect(await orgs('noc.hn')).toEqual(['hanoi-doh']);
    expect(await orgs('agadmin.hn')).toEqual(['hanoi-doh']);
    expect(await orgs('analyst.dn')).toEqual(['danang-dof']);
    expect(await orgs('auditor')).toEqual(['danang-dof', 'hanoi-doh']);
    expect((await getJson<Page>('/api/v1/alerts', 'analyst.dn')).total).toBe(1);

    // Neither a query naming another agency nor a direct id reaches it.
    expect(await getJson<Page>('/api/v1/alerts?q=organization.id:danang-dof', 'analyst.hn')).toEqual({ total: 0, alerts: [], next: null });
    const danang = (await getJson<Page>('/api/v1/alerts', 'analyst.dn')).alerts[0];
    const hidden = await getJson<ErrorBody>(`/api/v1/alerts/${danang.id}`, 'analyst.hn', 404);
    expect(hidden.error.code).toBe('not_found');
    expect((await getJson<AlertJson>(`/api/v1/alerts/${danang.id}`, 'admin')).id).toBe(danang.id);

    // A cursor minted for admin does not widen an analyst's scope.
    const adminPage = await getJson<Page>('/api/v1/alerts?limit=1', 'admin');
    const reused = await getJson<Page>(`/api/v1/alerts?limit=100&cursor=${encodeURIComponent(adminPage.next!)}`, 'analyst.dn');
    for (const a of reused.alerts) expect(a.organization.id).toBe('danang-dof');
  });

  it('filters by status, severity, time and query, and pages with cursors', async () => {
    const count = async (qs: string): Promise<number> => (await getJson<Page>(`/api/v1/alerts?${qs}`, 'admin')).total;
    expect(await count('status=new')).toBe(5);
    expect(await count('status=resolved,false_positive')).toBe(0);
    expect(await count('severity=high')).toBe(1);
    expect(await count('severity=high,low')).toBe(5);
    expect(await count('severity=low&severity=high')).toBe(5);
    expect(await count('from=2025-03-01T01:30:00Z')).toBe(1);
    expect(await count('from=2025-03-01T01:00:00Z&to=2025-03-01T01:05:13Z')).toBe(1);
    expect(await count(`q=${encodeURIComponent('source.ip:203.0.113.45 and rule.name:*denied*')}`)).toBe(3);
    expect(await count(`q=${encodeURIComponent('mappings.attack.techniques:T1190')}`)).toBe(1);
    expect(await count('q=traversal')).toBe(1);

    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await getJson<Page>(`/api/v1/alerts?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, 'analyst.hn');
      expect(page.total).toBe(4);
      ids.push(...page.alerts.map((a) => a.id));
      cursor = page.next;
    } while (cursor !== null);
    expect(new Set(ids).size).toBe(4);
  });

  it.each([
    ['severity=urgent', 'severity', /unknown severity "urgent"/],
    ['status=open', 'status', /unknown status "open"/],
    ['limit=0', 'limit', /./],
    ['limit=1001', 'limit', /./],
    ['from=yesterday', 'from', /not a time/],
    ['from=2025-03-02&to=2025-03-01', 'from', /before "to"/],
    ['cursor=bm90IGEgY3Vyc29y', 'cursor', /invalid cursor/],
  ])('answers 400 naming the parameter for %s', async (qs, parameter, message) => {
    const body = await getJson<ErrorBody>(`/api/v1/alerts?${qs}`, 'analyst.hn', 400);
    expect(body.error.parameter).toBe(parameter);
    expect(body.error.message).toMatch(message);
  });

  it('answers 400 with the position of a query syntax error, 401 without credentials', async () => {
    const body = await getJson<ErrorBody>(`/api/v1/alerts?q=${encodeURIComponent('source.ip:(1.2.3.4')}`, 'analyst.hn', 400);
    expect(body.error).toMatchObject({ code: 'query_syntax', parameter: 'q' });
    expect(typeof body.error.position).toBe('number');
    const invalid = await getJson<ErrorBody>(`/api/v1/alerts?q=${encodeURIComponent('last_seen > "soon"')}`, 'analyst.hn', 400);
    expect(invalid.error).toMatchObject({ code: 'invalid_query', parameter: 'q' });
    await getJson<ErrorBody>('/api/v1/alerts', undefined, 401);
    await getJson<ErrorBody>('/api/v1/rules', undefined, 401);
  });

  it('lists loaded rules and load errors to those holding rules:read', async () => {
    const rules = await getJson<{ total: number; errors: number; rules: Array<Record<string, unknown>> }>('/api/v1/rules', 'auditor');
    expect(rules.total).toBe(2);
    expect(rules.errors).toBe(1);
    expect(rules.rules[0]).toEqual({
      kind: 'rule',
      id: '6f1e2d3c-0001-4a4b-9c9d-000000000001',
      name: null,
      title: 'Inbound connection denied to an administrative port',
      level: 'low',
      status: 'experimental',
      logsource: { category: 'firewall' },
      type: null,
      tags: ['attack.discovery', 'attack.t1046'],
      enabled: true,
      disabled_by: null,
      standalone: true,
      ruleset: 'test-pack',
      file: join(dir, 'firewall_deny_admin_port.yml'),
      line: 1,
      previous_version: false,
    });
    expect((await getJson<{ total: number }>('/api/v1/rules?search=T1190', 'noc.hn')).total).toBe(1);
    expect((await getJson<{ total: number }>('/api/v1/rules?level=critical', 'admin')).total).toBe(0);
    expect((await getJson<{ rules: unknown[] }>('/api/v1/rules?limit=1&offset=1', 'admin')).rules).toHaveLength(1);

    const errors = await getJson<{ total: number; files: number; errors: Array<Record<string, unknown>> }>('/api/v1/rules/errors', 'analyst.dn');
    expect(errors.total).toBe(1);
    expect(errors.files).toBe(3);
    expect(errors.errors[0]).toMatchObject({ file: join(dir, 'web', 'broken.yml'), kind: 'condition', document: 'Broken condition', ruleset: 'test-pack', kept_previous: false });
    expect(errors.errors[0].line).toBeGreaterThan(0);
    expect(String(errors.errors[0].reason)).toMatch(/./);

    const denied = await getJson<ErrorBody>('/api/v1/rules', 'agadmin.hn', 403);
    expect(denied.error.code).toBe('forbidden');
  });

  it('documents every route with its permission in the OpenAPI document', async () => {
    const doc = await getJson<{ paths: Record<string, Record<string, { 'x-permission'?: string; parameters: Array<{ name: string }> }>> }>('/api/v1/openapi.json', undefined);
    expect(doc.paths['/api/v1/alerts'].get['x-permission']).toBe('alerts:read');
    expect(doc.paths['/api/v1/alerts'].get.parameters.map((p) => p.name)).toEqual([
      'q',
      'status',
      'severity',
      'from',
      'to',
      'assignee',
      'rule',
      'agency',
      'tactic',
      'technique',
      'sort',
      'order',
      'limit',
      'cursor',
      'view',
    ]);
    expect(doc.paths['/api/v1/alerts/{id}'].patch['x-permission']).toBe('alerts:manage');
    expect(doc.paths['/api/v1/alerts/bulk'].post['x-permission']).toBe('alerts:manage');
    expect(doc.paths['/api/v1/alerts/suppressions'].get['x-permission']).toBe('alerts:read');
    expect(doc.paths['/api/v1/alerts/suppressions/{id}'].delete['x-permission']).toBe('alerts:manage');
    expect(doc.paths['/api/v1/alerts/{id}'].get['x-permission']).toBe('alerts:read');
    expect(doc.paths['/api/v1/rules'].get['x-permission']).toBe('rules:read');
    expect(doc.paths['/api/v1/rules/errors'].get['x-permission']).toBe('rules:read');
  });
});
