/**
 * The agent against a server on loopback, both real processes: every line written to a tailed file
 * is stored exactly once although the server is killed with SIGKILL mid-stream and restarted, the
 * file is rotated by rename and by copytruncate, and the agent is killed with SIGKILL mid-batch.
 */
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgentToken } from '../core/agents';
import { AgentProcess, buildAgent, ServerProcess, waitFor } from '../core/agents/testing/harness';

jest.setTimeout(180_000);

let dist: string;
let dir: string;
let server: ServerProcess;
const agents: AgentProcess[] = [];

beforeAll(() => {
  dist = buildAgent();
  dir = mkdtempSync(join(tmpdir(), 'socnoc-agent-ship-'));
});

afterAll(async () => {
  for (const a of agents) await a.kill();
  await server?.kill();
  if (process.env.SOCNOC_TEST_KEEP === undefined) rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`kept ${dir}\n`);
  rmSync(dist, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function sshdLine(i: number): string {
  // Real sshd wording (Debian auth.log), numbered so that every line is distinct.
  return `Nov 27 01:04:05 web01 sshd[${1000 + (i % 500)}]: Failed password for invalid user admin${i} from 203.0.113.${i % 250} port ${40000 + (i % 20000)} ssh2`;
}

async function storedMessages(): Promise<string[]> {
  const r = await server.control<{ events: Array<{ message: string; organization: { id: string }; agent: { id: string } }> }>({ op: 'events', q: 'event.dataset:linux.auth', limit: 10_000 });
  return r.events.map((e) => e.message);
}

/** The stored copies of every message stored more than once (ids, times, file offsets), to tell a re-read line from a re-sent one. */
async function duplicatesReport(): Promise<string> {
  const r = await server.control<{ events: Array<{ message: string; '@timestamp': string; event: { id: string; created?: string }; log?: { file?: { path?: string }; offset?: number } }> }>({ op: 'events', q: 'event.dataset:linux.auth', limit: 10_000 });
  const byMessage = new Map<string, string[]>();
  for (const e of r.events) {
    const copies = byMessage.get(e.message) ?? [];
    copies.push(`${e.event.id} @${e['@timestamp']} ${e.log?.file?.path ?? '?'}:${e.log?.offset ?? '?'}`);
    byMessage.set(e.message, copies);
  }
  const dups = [...byMessage].filter(([, copies]) => copies.length > 1);
  return dups.length === 0 ? 'no message stored twice' : dups.slice(0, 5).map(([m, copies]) => `${m} stored as ${copies.join(' and ')}`).join('; ');
}

test('every written line arrives exactly once through server and agent SIGKILLs and rotations', async () => {
  const log = join(dir, 'auth.log');
  writeFileSync(log, '');
  const config = {
    listen: { host: '127.0.0.1', port: 0 },
    defaultConfig: {
      heartbeatSeconds: 1,
      tailPollMs: 50,
      files: [{ path: log, dataset: 'linux.auth' }],
      inventory: { intervalSeconds: 0 },
      yara: { enabled: false },
      batch: { maxEvents: 100, maxBytes: 65536 },
    },
  };
  server = new ServerProcess(join(dir, 'data'), config);
  await server.start();
  const port = server.port;
  const token = await createAgentToken(server.dataDir, { agency: 'hanoi', uses: 1, expires: '1h' });
  const agent = new AgentProcess(dist, join(dir, 'agent-home'));
  agents.push(agent);
  const enrolled = agent.cli(['enroll', '--server', `https://127.0.0.1:${port}`, '--token', token]);
  expect(enrolled.stderr).toBe('');
  expect(enrolled.status).toBe(0);
  agent.start();

  let written = 0;
  const write = async (n: number): Promise<void> => {
    for (let k = 0; k < n; k += 25) {
      const lines: string[] = [];
      for (let j = 0; j < 25 && k + j < n; j++) lines.push(sshdLine(written++));
      appendFileSync(log, `${lines.join('\n')}\n`);
      await sleep(10);
    }
  };

  await write(500);
  await server.kill('SIGKILL'); // mid-stream: batches in flight are not acknowledged
  await write(500); // the agent keeps queueing on disk while the server is down
  const restarted = new ServerProcess(server.dataDir, { ...config, listen: { host: '127.0.0.1', port } });
  server = restarted;
  await server.start();
  await write(300);
  renameSync(log, `${log}.1`); // logrotate's default: rename, then a new file
  appendFileSync(`${log}.1`, `${sshdLine(written++)}\n`); // the daemon writes once more to its old descriptor
  writeFileSync(log, '');
  await write(400);
  await agent.kill('SIGKILL'); // mid-batch
  await write(400); // written while the agent is down
  agent.start();
  await write(300);
  // copytruncate: the content is copied away and the file emptied in place. Lines written between
  // the copy and the truncate are lost to every tailer, so the test lets the agent catch up first,
  // as it does in the steady state.
  await waitFor('agent caught up before copytruncate', async () => ((await storedMessages()).length >= written ? true : undefined), 60_000, 200);
  copyFileSync(log, `${log}.2`);
  truncateSync(log, 0);
  await write(300);

  const expected = new Set<string>();
  for (let i = 0; i < written; i++) expected.add(sshdLine(i));
  const messages = await waitFor('every line stored', async () => {
    const m = await storedMessages();
    return m.length >= written ? m : undefined;
  }, 90_000, 500).catch(async (err: unknown) => {
    const m = await storedMessages();
    const missing = [...expected].filter((x) => !m.includes(x)).map((x) => Number(/admin(\d+)/.exec(x)?.[1]));
    throw new Error(`${(err as Error).message}: ${m.length}/${written} stored; missing ${missing.slice(0, 20).join(',')}…(${missing.length}); agent log: ${agent.output.slice(-3000)}`);
  });
  await sleep(1500); // nothing more trickles in
  const final = await storedMessages();
  if (final.length !== written) throw new Error(`${final.length} stored for ${written} written: ${await duplicatesReport()}; agent log: ${agent.output.slice(-3000)}`);
  expect(final.length).toBe(written);
  expect(new Set(final).size).toBe(written);
  for (const m of final) expect(expected.has(m)).toBe(true);
  expect(messages.length).toBe(written);

  const stored = await server.control<{ events: Array<{ organization: { id: string }; agent: { id: string }; log: { file: { path: string } }; event: { id: string; ingested: string } }> }>({
    op: 'events',
    q: 'event.dataset:linux.auth',
    limit: 1,
  });
  expect(stored.events[0].organization.id).toBe('hanoi');
  expect(stored.events[0].event.ingested).toMatch(/^\d{4}-/);
  expect(stored.events[0].event.id.startsWith(`${stored.events[0].agent.id}:`)).toBe(true);

  // The agent reports itself online and its status file says so.
  const list = await server.control<{ agents: Array<{ id: string; status: string }> }>({ op: 'agents' });
  expect(list.agents).toHaveLength(1);
  expect(list.agents[0].status).toBe('online');
  const status = JSON.parse(agent.cli(['status']).stdout) as { agent_id: string; organization: string };
  expect(status).toMatchObject({ agent_id: list.agents[0].id, organization: 'hanoi' });

  // The token was for one use only.
  const second = new AgentProcess(dist, join(dir, 'agent-home-2'));
  const refused = second.cli(['enroll', '--server', `https://127.0.0.1:${port}`, '--token', token]);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain('used up');
});
