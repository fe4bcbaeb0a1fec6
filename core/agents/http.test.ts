/**
 * The agent routes of the user API on a real HTTP server, with the agent service's real channel
 * (HTTPS on loopback) and agents enrolled over it: the list contract, agency scoping (another
 * agency's agent is a 404), revocation, enrolment tokens, commands by role, configuration per
 * agency and group.
 */
import { startHarness, type Harness } from '../http/testdata/harness';
import { agentsHttpModule } from './http';
import { enrollOverChannel, startInProcessAgentServer, type ChannelAgent, type InProcessAgentServer } from './testing/in-process';

let server: InProcessAgentServer;
let h: Harness;
const tokens: Record<string, string> = {};
let web01: ChannelAgent;
let web02: ChannelAgent;
let dn01: ChannelAgent;

const ADMINS = { 'admin.hn': ['Agency-admin-hn1', 'hanoi-doh'], 'admin.dn': ['Agency-admin-dn1', 'danang-dof'] } as const;

async function login(user: string, password: string): Promise<string> {
  const r = await fetch(`${h.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password }) });
  expect(r.status).toBe(200);
  return ((await r.json()) as { token: string }).token;
}

async function as(user: string): Promise<{ token: string }> {
  if (tokens[user] === undefined) {
    const admin = ADMINS[user as keyof typeof ADMINS];
    tokens[user] = admin !== undefined ? await login(user, admin[0]) : (await h.login(user as Parameters<Harness['login']>[0])).token;
  }
  return { token: tokens[user] };
}

async function json<T>(r: Response, status: number): Promise<T> {
  const text = await r.text();
  expect(`${r.status} ${text}`).toMatch(new RegExp(`^${status} `));
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

interface AgentJson {
  id: string;
  hostname: string;
  status: string;
  last_seen: string;
  version: string;
  organization: { id: string };
  group: string;
  revoked: boolean;
}

async function createToken(user: string, body: Record<string, unknown>): Promise<{ id: string; token: string; agency: string; group: string }> {
  return json(await h.send('POST', '/api/v1/agents/enrollment-tokens', body, await as(user)), 201);
}

beforeAll(async () => {
  server = await startInProcessAgentServer();
  h = await startHarness({ modules: [agentsHttpModule(server.service)] });
  for (const [name, [password, agency]] of Object.entries(ADMINS)) await h.users.create(name, password, 'agency_admin', [agency]);
  // Enrolment tokens made through the API, used over the agent channel.
  const hn = await createToken('admin.hn', { agency: 'hanoi-doh', uses: 2, expires: '1h' });
  const hnWeb = await createToken('admin.hn', { agency: 'hanoi-doh', group: 'web', uses: 1 });
  const dn = await createToken('admin', { agency: 'danang-dof' });
  web01 = await enrollOverChannel(server.url, hnWeb.token, 'hn-web-01');
  web02 = await enrollOverChannel(server.url, hn.token, 'hn-db-02', '0.1.1');
  dn01 = await enrollOverChannel(server.url, dn.token, 'dn-web-01');
});

afterAll(async () => {
  for (const a of [web01, web02, dn01]) a?.client.close();
  await h?.close();
  await server?.close();
});

describe('GET /agents', () => {
  it('lists every agent for admin in the contract shape, by host name', async () => {
    const body = await json<{ agents: AgentJson[] }>(await h.get('/api/v1/agents', await as('admin')), 200);
    expect(body.agents.map((a) => a.hostname)).toEqual(['dn-web-01', 'hn-db-02', 'hn-web-01']);
    const db02 = body.agents.find((a) => a.hostname === 'hn-db-02') as AgentJson;
    expect(db02).toMatchObject({ id: web02.id, status: 'online', version: '0.1.1', organization: { id: 'hanoi-doh' }, group: '', revoked: false });
    expect(Date.parse(db02.last_seen)).toBeGreaterThan(Date.now() - 60_000);
    expect(body.agents.find((a) => a.hostname === 'hn-web-01')?.group).toBe('web');
  });

  it("shows an agency admin only its own agency's agents, and another agency's agent as missing", async () => {
    const body = await json<{ agents: AgentJson[] }>(await h.get('/api/v1/agents', await as('admin.hn')), 200);
    expect(body.agents.map((a) => a.id).sort()).toEqual([web01.id, web02.id].sort());
    expect(body.agents.every((a) => a.organization.id === 'hanoi-doh')).toBe(true);
    const other = await h.get(`/api/v1/agents/${dn01.id}`, await as('admin.hn'));
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { message: string } }).error.message).toContain(dn01.id);
    await json(await h.send('POST', `/api/v1/agents/${dn01.id}/revoke`, undefined, await as('admin.hn')), 404);
    const own = await json<AgentJson & { stats: Record<string, unknown> }>(await h.get(`/api/v1/agents/${web01.id}`, await as('admin.hn')), 200);
    expect(own.hostname).toBe('hn-web-01');
  });

  it('filters by status', async () => {
    const offline = await json<{ agents: AgentJson[] }>(await h.get('/api/v1/agents?status=offline', await as('admin')), 200);
    expect(offline.agents).toEqual([]);
    await json(await h.get('/api/v1/agents?status=lost', await as('admin')), 400);
  });

  it('needs a login', async () => {
    expect((await h.get('/api/v1/agents')).status).toBe(401);
  });
});

describe('enrolment tokens', () => {
  it("are created for one's own agency only, shown once, listed without secrets and revocable", async () => {
    const made = await createToken('admin.hn', { agency: 'hanoi-doh', uses: 5, expires: '7d' });
    expect(made.token.split('.')).toHaveLength(3);
    expect(made.token.split('.')[2]).toBe(server.service.caFingerprint);
    const forbidden = await h.send('POST', '/api/v1/agents/enrollment-tokens', { agency: 'danang-dof' }, await as('admin.hn'));
    expect(forbidden.status).toBe(403);
    await json(await h.send('POST', '/api/v1/agents/enrollment-tokens', { agency: 'hanoi-doh', expires: 'soon' }, await as('admin.hn')), 400);
    // Analysts run commands but do not hand out enrolment tokens.
    await json(await h.send('POST', '/api/v1/agents/enrollment-tokens', { agency: 'hanoi-doh' }, await as('analyst.hn')), 403);

    const list = await json<{ tokens: Array<Record<string, unknown>> }>(await h.get('/api/v1/agents/enrollment-tokens', await as('admin.hn')), 200);
    expect(list.tokens.every((t) => t.agency === 'hanoi-doh')).toBe(true);
    expect(list.tokens.map((t) => t.id)).toContain(made.id);
    expect(JSON.stringify(list)).not.toContain(made.token.split('.')[1]);
    expect(list.tokens.find((t) => t.id === made.id)).toMatchObject({ max_uses: 5, uses: 0, revoked: false });

    const dnTokens = await json<{ tokens: Array<{ id: string }> }>(await h.get('/api/v1/agents/enrollment-tokens', await as('admin.dn')), 200);
    expect(dnTokens.tokens.length).toBeGreaterThan(0);
    await json(await h.send('DELETE', `/api/v1/agents/enrollment-tokens/${dnTokens.tokens[0].id}`, undefined, await as('admin.hn')), 404);

    await json(await h.send('DELETE', `/api/v1/agents/enrollment-tokens/${made.id}`, undefined, await as('admin.hn')), 204);
    await expect(enrollOverChannel(server.url, made.token, 'hn-late-01')).rejects.toThrow(/HTTP 403: enrolment refused: enrolment token revoked/);
    expect(server.audit.some((a) => a.action === 'agent.token.revoked' && a.target === made.id && a.actor === 'user:admin.hn')).toBe(true);
  });
});

describe('commands', () => {
  it('are sent by roles holding agents:command, within their agencies, validated and audited', async () => {
    await json(await h.send('POST', `/api/v1/agents/${web01.id}/commands`, { type: 'yara_scan', args: {} }, await as('noc.hn')), 403);
    await json(await h.send('POST', `/api/v1/agents/${web01.id}/commands`, { type: 'yara_scan', args: {} }, await as('auditor')), 403);
    await json(await h.send('POST', `/api/v1/agents/${web01.id}/commands`, { type: 'yara_scan', args: {} }, await as('analyst.dn')), 404);
    const bad = await h.send('POST', `/api/v1/agents/${web01.id}/commands`, { type: 'file_hash', args: { path: 'etc/passwd' } }, await as('analyst.hn'));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('body.args.path: must be an absolute path');
    await json(await h.send('POST', `/api/v1/agents/${web01.id}/commands`, { type: 'format_disk' }, await as('analyst.hn')), 400);

    const cmd = await json<{ id: string; status: string; created_by: string; organization: { id: string } }>(
      await h.send('POST', `/api/v1/agents/${web01.id}/commands`, { type: 'file_hash', args: { path: '/etc/passwd' } }, await as('analyst.hn')),
      201,
    );
    expect(cmd).toMatchObject({ status: 'pending', created_by: 'user:analyst.hn', organization: { id: 'hanoi-doh' } });

    // The agent takes it on its poll and answers.
    const polled = await web01.client.json<{ commands: Array<{ id: string; type: string; args: Record<string, unknown> }> }>({ method: 'GET', path: '/agent/v1/commands?wait=1' });
    expect(polled.commands).toEqual([{ id: cmd.id, type: 'file_hash', args: { path: '/etc/passwd' }, created_at: expect.any(String) }]);
    await web01.client.json({ method: 'POST', path: `/agent/v1/commands/${cmd.id}/result`, body: { ok: true, result: { sha256: 'ab'.repeat(32) } } });

    const done = await json<{ status: string; result: Record<string, unknown> }>(await h.get(`/api/v1/agents/${web01.id}/commands/${cmd.id}`, await as('noc.hn')), 200);
    expect(done).toMatchObject({ status: 'succeeded', result: { sha256: 'ab'.repeat(32) } });
    const listed = await json<{ commands: Array<{ id: string }> }>(await h.get(`/api/v1/agents/${web01.id}/commands`, await as('admin.hn')), 200);
    expect(listed.commands.map((c) => c.id)).toContain(cmd.id);
    await json(await h.get(`/api/v1/agents/${dn01.id}/commands/${cmd.id}`, await as('admin')), 404);
    expect(server.audit.filter((a) => a.target === web01.id || a.target === cmd.id).map((a) => a.action)).toEqual(['agent.enrolled', 'agent.command.created', 'agent.command.completed']);
  });
});

describe('configuration per agency and group', () => {
  const configOf = async (a: ChannelAgent): Promise<{ version: string; config: { fim: { paths: string[] }; heartbeatSeconds: number } }> =>
    a.client.json({ method: 'GET', path: '/agent/v1/config' });

  it('applies agency overrides to its agents and group overrides to the group only; heartbeats announce the new version', async () => {
    const before = await configOf(web02);
    await json(await h.send('PUT', '/api/v1/agents/configs/hanoi-doh', { fim: { paths: ['/etc'] } }, await as('admin.dn')), 403);
    await json(await h.send('PUT', '/api/v1/agents/configs/hanoi-doh', { fim: { paths: ['/etc'] } }, await as('analyst.hn')), 403);
    await json(await h.send('PUT', '/api/v1/agents/configs/hanoi-doh', { fim: { paths: ['relative'] }, bogus: 1 }, await as('admin.hn')), 400);
    const stored = await json<{ organization: { id: string }; group: string; updated_by: string }>(
      await h.send('PUT', '/api/v1/agents/configs/hanoi-doh', { fim: { paths: ['/etc', '/root/.ssh'] }, heartbeatSeconds: 60 }, await as('admin.hn')),
      200,
    );
    expect(stored).toMatchObject({ organization: { id: 'hanoi-doh' }, group: '', updated_by: 'user:admin.hn' });
    await json(await h.send('PUT', '/api/v1/agents/configs/hanoi-doh/groups/web', { fim: { paths: ['/var/www'] } }, await as('admin.hn')), 200);

    const db02 = await configOf(web02);
    expect(db02.version).not.toBe(before.version);
    expect(db02.config.fim.paths).toEqual(['/etc', '/root/.ssh']);
    expect(db02.config.heartbeatSeconds).toBe(60);
    const w01 = await configOf(web01);
    expect(w01.config.fim.paths).toEqual(['/var/www']); // the group's section replaces the agency's
    expect(w01.config.heartbeatSeconds).toBe(60); // sections the group leaves alone come from the agency
    expect((await configOf(dn01)).config.fim.paths).toEqual([]);

    const hb = await web02.client.json<{ config_version: string }>({ method: 'POST', path: '/agent/v1/heartbeat', body: { hostname: 'hn-db-02', version: '0.1.1', stats: {} } });
    expect(hb.config_version).toBe(db02.version);

    const listed = await json<{ overrides: Array<{ organization: { id: string }; group: string }> }>(await h.get('/api/v1/agents/configs', await as('admin.dn')), 200);
    expect(listed.overrides).toEqual([]);
    await json(await h.send('DELETE', '/api/v1/agents/configs/hanoi-doh/groups/web', undefined, await as('admin.hn')), 204);
    await json(await h.send('DELETE', '/api/v1/agents/configs/hanoi-doh/groups/web', undefined, await as('admin.hn')), 404);
    expect((await configOf(web01)).config.fim.paths).toEqual(['/etc', '/root/.ssh']);
  });
});

describe('revocation', () => {
  it("refuses the agent's next request, publishes agent-revoked and is audited", async () => {
    const revoked = await json<AgentJson>(await h.send('POST', `/api/v1/agents/${web02.id}/revoke`, undefined, await as('admin.hn')), 200);
    expect(revoked).toMatchObject({ id: web02.id, revoked: true });
    const reply = await web02.client.send({ method: 'POST', path: '/agent/v1/heartbeat', body: { hostname: 'hn-db-02', version: '0.1.1' } });
    expect(reply.status).toBe(403);
    const status = server.stored.find((e) => e.event.action === 'agent-revoked');
    expect(status).toMatchObject({ event: { dataset: 'agent.status' }, organization: { id: 'hanoi-doh' }, agent: { id: web02.id } });
    expect(server.audit.some((a) => a.action === 'agent.revoked' && a.target === web02.id && a.actor === 'user:admin.hn')).toBe(true);
    await json(await h.send('POST', `/api/v1/agents/${web02.id}/commands`, { type: 'isolate' }, await as('analyst.hn')), 409);
    const list = await json<{ agents: AgentJson[] }>(await h.get('/api/v1/agents?revoked=true', await as('admin.hn')), 200);
    expect(list.agents.map((a) => a.id)).toEqual([web02.id]);
  });
});
