import { join } from 'node:path';
import { permissionsOf } from '../core/auth/roles';
// Grants agents:read as a running socnoc does when the agent routes load.
import '../core/agents/http';
import { createLogger } from '../core/logger';
import { startHarness, type Harness } from '../core/http/testdata/harness';
import { consoleConfigSchema } from './config';
import { agencyCounter, consoleHttpModule, tallyPerAgency } from './http';
import { CONSOLE_CSP } from './static-console';

const BUILT = join(__dirname, 'testdata', 'built-console');
const AGENCIES = [
  { id: 'hanoi-doh', name: 'Sở Y tế Hà Nội', cidrs: ['10.10.0.0/16', '2001:db8:10::/48'] },
  { id: 'danang-dof', name: 'Sở Tài chính Đà Nẵng', cidrs: [] },
];

describe('console HTTP module', () => {
  let h: Harness;

  beforeAll(async () => {
    const config = consoleConfigSchema.parse({ dir: BUILT, refreshSeconds: 7 });
    // The harness creates the user store; the module reads it at request time.
    const users = { list: () => h.users.list() };
    h = await startHarness({ agencies: AGENCIES, modules: [consoleHttpModule({ config, agencies: AGENCIES, logger: createLogger('silent'), users })] });
  });

  afterAll(async () => {
    await h.close();
  });

  it('serves index.html at / and for deep links, never cached, with a strict CSP', async () => {
    for (const path of ['/', '/alerts', '/alerts/3f2a-9c', '/noc/devices/sw-core-01?tab=if']) {
      const res = await h.get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(await res.text()).toContain('<div id="root">');
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('serves hashed assets with a year-long immutable cache and 404s missing ones', async () => {
    const res = await h.get('/assets/index-Test1234.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('cache-control')).toContain('max-age=31536000');
    expect(await res.text()).toContain('socnoc console test bundle');
    const missing = await h.get('/assets/index-Gone0000.js');
    expect(missing.status).toBe(404);
  });

  it('leaves /api and /metrics to the server: unknown API paths stay JSON 404s', async () => {
    const res = await h.get('/api/v1/no-such-thing');
    expect(res.status).toBe(401);
    const { token } = await h.login('admin');
    const authed = await h.get('/api/v1/no-such-thing', { token });
    expect(authed.status).toBe(404);
    expect(((await authed.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const outside = await h.get('/api/v2/alerts');
    expect(outside.status).toBe(404);
    expect(outside.headers.get('content-type')).toMatch(/json/);
    const metrics = await h.get('/metrics');
    expect(metrics.status).toBe(401);
  });

  it('lists every configured agency for admin and only their own for an agency user', async () => {
    const admin = await h.login('admin');
    const all = (await (await h.get('/api/v1/console/agencies', admin)).json()) as { agencies: Array<{ id: string; name: string }> };
    // Harness users: analyst.hn, noc.hn and auditor in hanoi-doh; analyst.dn and auditor in danang-dof.
    expect(all.agencies).toEqual([
      { id: 'hanoi-doh', name: 'Sở Y tế Hà Nội', cidrs: ['10.10.0.0/16', '2001:db8:10::/48'], users: 3 },
      { id: 'danang-dof', name: 'Sở Tài chính Đà Nẵng', cidrs: [], users: 2 },
    ]);
    const analyst = await h.login('analyst.hn');
    const own = (await (await h.get('/api/v1/console/agencies', analyst)).json()) as { agencies: Array<{ id: string }> };
    expect(own.agencies).toEqual([{ id: 'hanoi-doh', name: 'Sở Y tế Hà Nội', cidrs: ['10.10.0.0/16', '2001:db8:10::/48'], users: 3 }]);
    // A user watching every agency is not counted in any one of them.
    await h.users.create('soc.all', 'Central-soc-2025', 'soc_analyst', ['*']);
    const after = (await (await h.get('/api/v1/console/agencies', admin)).json()) as { agencies: Array<{ users: number }> };
    expect(after.agencies.map((a) => a.users)).toEqual([3, 2]);
    const anonymous = await h.get('/api/v1/console/agencies');
    expect(anonymous.status).toBe(401);
    // The agencies page is for admins and agency admins (agencies:read); the list is for everyone.
    expect(permissionsOf('agency_admin')).toContain('agencies:read');
    expect(permissionsOf('soc_analyst')).not.toContain('agencies:read');
    const settings = (await (await h.get('/api/v1/console/settings', analyst)).json()) as { refreshSeconds: number };
    expect(settings.refreshSeconds).toBe(7);
  });
});

describe('agency counts of devices and agents', () => {
  let h: Harness;
  const calls = { devices: 0, agents: 0 };

  beforeAll(async () => {
    const config = consoleConfigSchema.parse({ dir: BUILT });
    // Agents as their registry holds them in memory; devices as a store's GROUP BY answers.
    const agents = [
      { id: 'a1', agency: 'hanoi-doh' },
      { id: 'a2', agency: 'hanoi-doh' },
      { id: 'a3', agency: 'danang-dof' },
    ];
    const counts = {
      devices: agencyCounter('devices', () => {
        calls.devices++;
        return new Map([['hanoi-doh', 12]]);
      }),
      agents: agencyCounter('agents', () => {
        calls.agents++;
        return tallyPerAgency(agents, (a) => a.agency);
      }),
    };
    h = await startHarness({ agencies: AGENCIES, modules: [consoleHttpModule({ config, agencies: AGENCIES, logger: createLogger('silent'), counts })] });
  });

  afterAll(async () => {
    await h.close();
  });

  it('answers each agency with its devices and agents, zero for none', async () => {
    const admin = await h.login('admin');
    const body = (await (await h.get('/api/v1/console/agencies', admin)).json()) as { agencies: Array<{ id: string; devices?: number; agents?: number }> };
    expect(body.agencies.map((a) => [a.id, a.devices, a.agents])).toEqual([
      ['hanoi-doh', 12, 2],
      ['danang-dof', 0, 1],
    ]);
    expect(calls).toEqual({ devices: 1, agents: 1 });
  });

  it('leaves out a count the user may not read, without asking its store', async () => {
    await h.users.create('agency.admin.dn', 'Agency-admin-2025', 'agency_admin', ['danang-dof']);
    const before = { ...calls };
    const res = await fetch(`${h.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agency.admin.dn', password: 'Agency-admin-2025' }) });
    const token = ((await res.json()) as { token: string }).token;
    const own = (await (await h.get('/api/v1/console/agencies', { token })).json()) as { agencies: unknown[] };
    // agency_admin reads its agents (agents:read, granted by core/agents) but not devices.
    expect(own.agencies).toEqual([{ id: 'danang-dof', name: 'Sở Tài chính Đà Nẵng', cidrs: [], agents: 1 }]);
    expect(calls).toEqual({ devices: before.devices, agents: before.agents + 1 });
  });
});

describe('console HTTP module without a built console', () => {
  it('answers / with 503 and a hint to build, and leaves the API alone', async () => {
    const config = consoleConfigSchema.parse({ dir: join(__dirname, 'testdata', 'no-such-folder') });
    const h = await startHarness({ modules: [consoleHttpModule({ config, agencies: [], logger: createLogger('silent') })] });
    try {
      const res = await h.get('/');
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build');
      const health = await h.get('/api/v1/health');
      expect(health.status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('mounts nothing at / when disabled', async () => {
    const config = consoleConfigSchema.parse({ enabled: false, dir: BUILT });
    const h = await startHarness({ modules: [consoleHttpModule({ config, agencies: [], logger: createLogger('silent') })] });
    try {
      expect((await h.get('/')).status).toBe(404);
    } finally {
      await h.close();
    }
  });
});

describe('console config', () => {
  it('defaults every key and rejects unknown ones', () => {
    expect(consoleConfigSchema.parse(undefined)).toEqual({ enabled: true, dir: '', refreshSeconds: 5 });
    expect(() => consoleConfigSchema.parse({ refreshSecs: 3 })).toThrow(/refreshSecs/);
  });
});
