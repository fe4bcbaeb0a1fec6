/**
 * The `socnoc` command as users run it: the built CLI in a child process, with a config file,
 * real signals and the data folder on disk.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freeTcpPort, logger } from '../collectors/syslog/listen/testing/peers';

const CLI = join(__dirname, '..', 'dist', 'app', 'cli.js');

function cli(args: string[], env: Record<string, string>, input?: string): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm test builds it first (npm run build)`);
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, input, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('socnoc CLI', () => {
  let dir: string;
  let configFile: string;
  let httpPort: number;
  let tcpPort: number;
  let children: ChildProcess[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-cli-'));
    httpPort = await freeTcpPort();
    tcpPort = await freeTcpPort();
    configFile = join(dir, 'socnoc.yaml');
    writeFileSync(
      configFile,
      [
        `dataDir: ${join(dir, 'data')}`,
        'log: { level: warn }',
        `http: { host: 127.0.0.1, port: ${httpPort} }`,
        'syslog:',
        '  listeners:',
        `    - { name: tcp, protocol: tcp, host: 127.0.0.1, port: ${tcpPort} }`,
        'netflow: { enabled: false }',
        'snmp: { traps: { enabled: false } }',
        'agents: { listen: { host: 127.0.0.1, port: 0 } }',
        'agencies:',
        '  - { id: ubnd-q1, name: UBND Quận 1, cidrs: [127.0.0.0/8] }',
        '',
      ].join('\n'),
    );
  });

  afterEach(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    children = [];
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>): Promise<ChildProcess> {
    const child = spawn(process.execPath, [CLI, 'start', '--config', configFile], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`socnoc start exited ${child.exitCode}: ${output}`);
      try {
        const res = await fetch(`http://127.0.0.1:${httpPort}/api/v1/health`);
        if (res.ok) return child;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`socnoc start did not answer /api/v1/health: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function stop(child: ChildProcess): Promise<number | null> {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    return exited;
  }

  async function login(username: string, password: string): Promise<Response> {
    return fetch(`http://127.0.0.1:${httpPort}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  }

  it('starts, stores syslog, flushes on SIGTERM and keeps it across a restart', async () => {
    const env = { SOCNOC_ADMIN_PASSWORD: 'cli-admin-password' };
    let child = await start(env);
    await logger('127.0.0.1', tcpPort, ['--tcp', '--octet-count', '--rfc5424', '-t', 'clitest', 'persisted across restart']);
    // Stop at once: the event may still be queued, and SIGTERM must flush it.
    await new Promise((r) => setTimeout(r, 50));
    expect(await stop(child)).toBe(0);
    child = await start(env);
    const token = ((await (await login('admin', 'cli-admin-password')).json()) as { token: string }).token;
    const res = await fetch(`http://127.0.0.1:${httpPort}/api/v1/events?q=log.syslog.appname:clitest`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { total: number; events: Array<{ message: string; organization: { id: string } }> };
    expect(body.total).toBe(1);
    expect(body.events[0].message).toBe('persisted across restart');
    expect(body.events[0].organization.id).toBe('ubnd-q1');
    expect(await stop(child)).toBe(0);
  }, 60_000);

  it('generates the first admin password into the data folder when none is given', async () => {
    const child = await start({ SOCNOC_ADMIN_PASSWORD: '' });
    const file = join(dir, 'data', 'admin-password.txt');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect((await login('admin', password)).status).toBe(200);
    expect((await login('admin', 'wrong-password')).status).toBe(401);
    await stop(child);
  }, 60_000);

  it('adds a user with the password from stdin and creates a token printed alone on stdout', async () => {
    const env = { SOCNOC_ADMIN_PASSWORD: 'cli-admin-password' };
    const add = cli(['user', 'add', '--config', configFile, '--username', 'analyst1', '--role', 'soc_analyst', '--agency', 'ubnd-q1'], env, 'analyst-password-1\n');
    expect(add.stderr).toContain('created user analyst1');
    expect(add.status).toBe(0);
    const tok = cli(['token', 'create', '--config', configFile, '--username', 'analyst1', '--name', 'scripts'], env);
    expect(tok.status).toBe(0);
    expect(tok.stdout).toMatch(/^snc_[A-Za-z0-9_-]+\n$/);
    const child = await start(env);
    expect((await login('analyst1', 'analyst-password-1')).status).toBe(200);
    const me = await fetch(`http://127.0.0.1:${httpPort}/api/v1/auth/me`, { headers: { authorization: `Bearer ${tok.stdout.trim()}` } });
    expect(me.status).toBe(200);
    expect(JSON.stringify(await me.json())).toContain('analyst1');
    await stop(child);

    const dup = cli(['user', 'add', '--config', configFile, '--username', 'analyst1', '--role', 'soc_analyst', '--agency', 'ubnd-q1'], env, 'another-password\n');
    const noAgency = cli(['user', 'add', '--config', configFile, '--username', 'analyst2', '--role', 'soc_analyst'], env, 'another-password\n');
    expect(noAgency.status).toBe(1);
    expect(noAgency.stderr).toMatch(/needs at least one agency/);
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/analyst1/);
    const badRole = cli(['user', 'add', '--config', configFile, '--username', 'x', '--role', 'root'], env, 'whatever-password\n');
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of/);
  }, 60_000);

  it('verifies the audit chain of what the server recorded, and names the first tampered record', async () => {
    const env = { SOCNOC_ADMIN_PASSWORD: 'cli-admin-password' };
    const child = await start(env);
    const token = ((await (await login('admin', 'cli-admin-password')).json()) as { token: string }).token;
    for (const name of ['ops-a', 'ops-b']) {
      const res = await fetch(`http://127.0.0.1:${httpPort}/api/v1/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ username: name, password: 'ops-password-123', role: 'noc_operator', agencies: ['ubnd-q1'] }),
      });
      expect(res.status).toBe(201);
    }
    expect(await stop(child)).toBe(0);

    const ok = cli(['audit', 'verify', '--config', configFile], env);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const checked = Number(/(\d+) records checked, chain intact/.exec(ok.stdout)?.[1]);
    expect(checked).toBeGreaterThanOrEqual(3); // login and two user creations

    // An insider edits a record in place (after removing the write guards): the chain must say which.
    const db = new Database(join(dir, 'data', 'audit.db'));
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as Array<{ name: string }>) db.exec(`DROP TRIGGER "${t.name}"`);
    const victim = db.prepare("SELECT seq FROM audit_log WHERE action LIKE 'user.%' ORDER BY seq LIMIT 1").get() as { seq: number };
    db.prepare("UPDATE audit_log SET result = 'denied' WHERE seq = ?").run(victim.seq);
    db.close();
    const bad = cli(['audit', 'verify', '--config', configFile], env);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`record ${victim.seq} is bad`);
  }, 60_000);

  it('creates an agent enrolment token printed alone on stdout', () => {
    const env = { SOCNOC_ADMIN_PASSWORD: 'cli-admin-password' };
    const created = cli(['agent', 'token', 'create', '--config', configFile, '--agency', 'ubnd-q1', '--uses', '3', '--expires', '2h'], env);
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(created.stdout.split('\n')).toHaveLength(2);
    expect(created.stdout.trim()).not.toMatch(/\s/);
    const refused = cli(['agent', 'token', 'create', '--config', configFile, '--uses', '3'], env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--agency is required/);
  });

  it('refuses a bad configuration naming the key', () => {
    writeFileSync(configFile, 'http:\n  port: 99999\nsyslog:\n  listners: []\n');
    const r = cli(['start', '--config', configFile], {});
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/http\.port/);
    expect(r.stderr).toMatch(/listners/);
  });

  it('validates rule trees and tests rules over raw syslog lines', () => {
    const pack = join(__dirname, '..', 'rules', 'sigma', 'socnoc');
    const ok = cli(['rules', 'validate', '--quiet', pack], {});
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/rejected documents:\s+0/);
    const broken = join(dir, 'broken.yml');
    writeFileSync(broken, 'title: broken\nlogsource: { product: linux }\ndetection:\n  sel: { a: b }\n  condition: sel and missing\n');
    const bad = cli(['rules', 'validate', broken], {});
    expect(bad.status).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/broken\.yml:\d+/);

    const lines = join(dir, 'auth.log');
    writeFileSync(lines, ['<38>Nov 27 10:15:01 web-01 sshd[2211]: Accepted password for root from 198.51.100.7 port 52144 ssh2', '<38>Nov 27 10:15:02 web-01 sshd[2212]: Connection closed by 10.0.0.5 port 40222'].join('\n') + '\n');
    const run = cli(['rules', 'test', '--rules', pack, '--events', lines], {});
    expect(run.status).toBe(0);
    const matches = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { rule_title: string; event_index: number; event: { user?: { name?: string } } });
    expect(matches.some((m) => /root/i.test(m.rule_title) && m.event_index === 0 && m.event.user?.name === 'root')).toBe(true);
    expect(matches.every((m) => m.event_index === 0)).toBe(true);
  });
});

