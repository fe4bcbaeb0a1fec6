/**
 * FIM, YARA, response commands and revocation with real processes: the agent and a server on
 * loopback, YARA results compared with the `yara` command line tool, isolation applied and released
 * inside a network namespace made for the test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgentToken } from '../core/agents';
import { AgentProcess, buildAgent, REPO, ServerProcess, waitFor } from '../core/agents/testing/harness';
import { AgentClient } from '../agents/src/transport';

jest.setTimeout(180_000);

const NETNS = `socnoc-agent-test-${process.pid}`;
let dist: string;
let dir: string;
let server: ServerProcess;
let agent: AgentProcess;
let agentId: string;

interface StoredEvent {
  message: string;
  event: { action?: string; type?: string[]; dataset: string; reason?: string };
  file?: { path: string; hash?: { sha256: string }; mode?: string; uid?: string };
  fim?: { previous: { hash: { sha256: string }; mode: string }; changes: string[] };
  rule?: { name: string };
}

async function events(q: string): Promise<StoredEvent[]> {
  return (await server.control<{ events: StoredEvent[] }>({ op: 'events', q, limit: 1000 })).events;
}

async function runCommand(type: string, args: Record<string, unknown> = {}): Promise<{ status: string; result: Record<string, unknown> }> {
  const cmd = await server.control<{ id: string }>({ op: 'command', agent: agentId, type, args });
  return waitFor(`command ${type}`, async () => {
    const c = await server.control<{ status: string; result: Record<string, unknown> } | null>({ op: 'command_get', id: cmd.id });
    return c !== null && (c.status === 'succeeded' || c.status === 'failed') ? c : undefined;
  });
}

const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
/** A rule this project does not ship, as the acceptance check uses one. */
const UNSEEN_RULE = `rule Unseen_Test_Marker { strings: $a = "socnoc-unseen-marker-7f3a" $b = { 4D 5A 90 00 } condition: $a or $b at 0 }`;

beforeAll(async () => {
  dist = buildAgent();
  dir = mkdtempSync(join(tmpdir(), 'socnoc-agent-resp-'));
  for (const d of ['fim', 'scan', 'rules']) mkdirSync(join(dir, d));
  copyFileSync(join(REPO, 'rules/yara/eicar.yar'), join(dir, 'rules/eicar.yar'));
  copyFileSync(join(REPO, 'rules/yara/php-webshell.yar'), join(dir, 'rules/php-webshell.yar'));
  writeFileSync(join(dir, 'rules/unseen.yar'), UNSEEN_RULE);
  writeFileSync(join(dir, 'fim/sshd_config'), 'PermitRootLogin no\nPasswordAuthentication no\n');
  server = new ServerProcess(join(dir, 'data'), {
    listen: { host: '127.0.0.1', port: 0 },
    yaraRulesDir: join(dir, 'rules'),
    defaultConfig: {
      heartbeatSeconds: 1,
      fim: { paths: [join(dir, 'fim')], scanIntervalSeconds: 0, watch: true },
      yara: { enabled: true, scanPaths: [join(dir, 'scan')], scheduleSeconds: 0, onFimChange: true },
      inventory: { intervalSeconds: 3600 },
    },
  });
  await server.start();
  spawnSync('ip', ['netns', 'add', NETNS]);
  agent = new AgentProcess(dist, join(dir, 'home'), { SOCNOC_AGENT_NFT_NETNS: NETNS });
  const token = await createAgentToken(server.dataDir, { agency: 'danang', uses: 2 });
  expect(agent.cli(['enroll', '--server', `https://127.0.0.1:${server.port}`, '--token', token]).status).toBe(0);
  agent.start();
  agentId = (JSON.parse(readFileSync(join(dir, 'home/identity.json'), 'utf8')) as { agentId: string }).agentId;
  // The baseline exists once the agent has written it.
  await waitFor('FIM baseline', () => (readFileSync(join(dir, 'home/fim-baseline.json'), 'utf8').includes('sshd_config') ? true : undefined));
});

afterAll(async () => {
  await agent?.kill();
  await server?.kill();
  spawnSync('ip', ['netns', 'del', NETNS]);
  rmSync(dir, { recursive: true, force: true });
  rmSync(dist, { recursive: true, force: true });
});

test('FIM reports creation, modification, permission change and deletion with hashes', async () => {
  const file = join(dir, 'fim/sshd_config');
  const before = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
  writeFileSync(file, 'PermitRootLogin yes\nPasswordAuthentication no\n');
  const after = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
  const modified = await waitFor('file-modified', async () => (await events('event.action:file-modified')).find((e) => e.file?.path === file));
  expect(modified.fim?.previous.hash.sha256).toBe(before);
  expect(modified.file?.hash?.sha256).toBe(after);
  expect(modified.event.type).toEqual(['change']);

  chmodSync(file, 0o666);
  const perms = await waitFor('file-permissions-changed', async () => (await events('event.action:file-permissions-changed')).find((e) => e.file?.path === file));
  expect(perms.file?.mode).toBe('0666');
  expect(perms.fim?.changes).toEqual(['mode']);

  const created = join(dir, 'fim/authorized_keys');
  writeFileSync(created, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf0wG9Yk6Xh3Zq1mJ8pKq7sLw0x0Qx1 attacker@evil\n');
  const c = await waitFor('file-created', async () => (await events('event.action:file-created')).find((e) => e.file?.path === created));
  expect(c.event.type).toEqual(['creation']);
  expect(c.file?.uid).toBe('0');

  unlinkSync(created);
  const d = await waitFor('file-deleted', async () => (await events('event.action:file-deleted')).find((e) => e.file?.path === created));
  expect(d.event.type).toEqual(['deletion']);
});

test('YARA matches on command are identical to the yara command line tool', async () => {
  const scan = join(dir, 'scan');
  writeFileSync(join(scan, 'eicar.com'), EICAR);
  writeFileSync(join(scan, 'upload.php'), '<?php if(isset($_REQUEST["c"])){ system($_REQUEST["c"]); } ?>\n');
  writeFileSync(join(scan, 'packed.php'), "<?php eval(gzinflate(base64_decode('S0ktLlFIzs8tKEotLk5NAQA='))); ?>\n");
  writeFileSync(join(scan, 'unseen.bin'), Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00]), Buffer.from('payload')]));
  writeFileSync(join(scan, 'notes.txt'), 'socnoc-unseen-marker-7f3a mentioned in a note\n');
  writeFileSync(join(scan, 'index.php'), '<?php echo "hello"; ?>\n');
  writeFileSync(join(scan, 'eicar-padded.txt'), `padding ${EICAR}`);

  const rules = ['eicar.yar', 'php-webshell.yar', 'unseen.yar'].map((f) => join(dir, 'rules', f));
  const cli = execFileSync('yara', ['-r', ...rules, scan], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .sort();
  expect(cli.length).toBeGreaterThanOrEqual(5);

  const done = await runCommand('yara_scan', { paths: [scan] });
  expect(done.status).toBe('succeeded');
  const ours = (done.result.results as Array<{ path: string; rules: string[] }>).flatMap((r) => r.rules.map((rule) => `${rule} ${r.path}`)).sort();
  expect(ours).toEqual(cli);

  const stored = await waitFor('yara events', async () => {
    const e = await events('event.dataset:agent.yara');
    return e.length >= cli.length ? e : undefined;
  });
  expect(stored.map((e) => `${e.rule?.name} ${e.file?.path}`).sort()).toEqual(cli);
});

test('a file FIM sees appear is scanned with YARA', async () => {
  const dropped = join(dir, 'fim/shell.php');
  writeFileSync(dropped, '<?php @eval($_POST["x"]); ?>\n');
  const hit = await waitFor('yara on fim change', async () => (await events('event.dataset:agent.yara')).find((e) => e.file?.path === dropped));
  expect(hit.rule?.name).toBe('PHP_Webshell_Request_To_Exec');
  expect(hit.event.reason).toBe('fim-change');
});

test('file hash and fetch commands return the file', async () => {
  const file = join(dir, 'scan/index.php');
  const hash = await runCommand('file_hash', { path: file });
  expect(hash.result.sha256).toBe(execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]);
  const fetched = await runCommand('file_fetch', { path: file });
  expect(Buffer.from(fetched.result.content_base64 as string, 'base64').toString('utf8')).toBe(readFileSync(file, 'utf8'));
});

test('isolation is applied inside a network namespace, re-applied after an agent restart, and released', async () => {
  const isolated = await runCommand('isolate');
  expect(isolated.result).toMatchObject({ isolated: true });
  const ruleset = execFileSync('ip', ['netns', 'exec', NETNS, 'nft', 'list', 'table', 'inet', 'socnoc_isolation'], { encoding: 'utf8' });
  expect(ruleset).toContain('policy drop');
  expect(ruleset).toContain(`ip daddr 127.0.0.1 tcp dport ${server.port} accept`);
  expect(ruleset).toContain(`ip saddr 127.0.0.1 tcp sport ${server.port} accept`);
  // The host's own namespace is untouched.
  expect(spawnSync('nft', ['list', 'table', 'inet', 'socnoc_isolation']).status).not.toBe(0);
  expect(existsSync(join(dir, 'home/isolation.json'))).toBe(true);

  // A reboot empties the kernel's tables and restarts the agent: the isolation comes back at start.
  await agent.kill('SIGKILL');
  execFileSync('ip', ['netns', 'exec', NETNS, 'nft', 'delete', 'table', 'inet', 'socnoc_isolation']);
  agent.start();
  const again = await waitFor('isolation re-applied after restart', () => {
    const r = spawnSync('ip', ['netns', 'exec', NETNS, 'nft', 'list', 'table', 'inet', 'socnoc_isolation'], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout : undefined;
  });
  expect(again).toContain('policy drop');
  expect(again).toContain(`ip daddr 127.0.0.1 tcp dport ${server.port} accept`);

  const released = await runCommand('release');
  expect(released.status).toBe('succeeded');
  expect(execFileSync('ip', ['netns', 'exec', NETNS, 'nft', 'list', 'ruleset'], { encoding: 'utf8' })).not.toContain('socnoc_isolation');
  expect(existsSync(join(dir, 'home/isolation.json'))).toBe(false);
});

test('inventory reaches the registry', async () => {
  const inv = await waitFor('inventory', () => server.control<{ inventory: { hostname: string; users: Array<{ name: string }>; listening: unknown[] } } | null>({ op: 'inventory', agent: agentId }).then((v) => v ?? undefined));
  expect(inv.inventory.users.map((u) => u.name)).toContain('root');
  expect(Array.isArray(inv.inventory.listening)).toBe(true);
});

test('a revoked agent is refused at once and stops', async () => {
  const identity = JSON.parse(readFileSync(join(dir, 'home/identity.json'), 'utf8')) as { server: string; caCert: string; agentId: string; secret: string };
  await server.control({ op: 'revoke', agent: agentId });
  const client = new AgentClient(identity.server, identity.caCert, `${identity.agentId}.${identity.secret}`);
  try {
    const reply = await client.send({ method: 'POST', path: '/agent/v1/heartbeat', body: { hostname: 'x', version: '0.1.0' } });
    expect(reply.status).toBe(403);
  } finally {
    client.close();
  }
  expect(await agent.exited()).toBe(3);
  const list = await server.control<{ agents: Array<{ id: string; revoked: boolean }> }>({ op: 'agents' });
  expect(list.agents.find((a) => a.id === agentId)?.revoked).toBe(true);
});
