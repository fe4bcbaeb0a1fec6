/** Test and benchmark plumbing: the agent server and agents as real child processes that can be killed with SIGKILL. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO = resolve(__dirname, '../../..');

/** Compiles agents/src into a fresh folder (not agents/dist, which parallel runs would share). */
export function buildAgent(): string {
  const out = mkdtempSync(join(tmpdir(), 'socnoc-agent-dist-'));
  const r = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'agents/tsconfig.json'), '--outDir', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`agent build failed: ${r.stdout}${r.stderr}`);
  return out;
}

export class ServerProcess {
  private child: ChildProcess | undefined;
  private waiting: Array<(line: string) => void> = [];
  port = 0;
  caSha256 = '';
  stderr = '';

  constructor(
    readonly dataDir: string,
    private readonly agentsConfig: Record<string, unknown>,
  ) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, [join(REPO, 'core/agents/testing/run-ts.js'), join(REPO, 'core/agents/testing/server-main.ts')], {
      env: { ...process.env, SOCNOC_TEST_DATA_DIR: this.dataDir, SOCNOC_TEST_AGENTS_CONFIG: JSON.stringify(this.agentsConfig) },
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: REPO,
    });
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString('utf8')).slice(-20_000)));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => this.waiting.shift()?.(line));
    const ready = await new Promise<string>((resolveLine, reject) => {
      this.waiting.push(resolveLine);
      child.once('exit', (code) => reject(new Error(`agent server exited ${code}: ${this.stderr}`)));
    });
    const r = JSON.parse(ready) as { port: number; ca_sha256: string };
    this.port = r.port;
    this.caSha256 = r.ca_sha256;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  control<T>(req: Record<string, unknown>): Promise<T> {
    const child = this.child;
    if (child === undefined) throw new Error('server not running');
    return new Promise((resolveReply, reject) => {
      this.waiting.push((line) => {
        const r = JSON.parse(line) as { ok: boolean; value: T; error?: string };
        if (r.ok) resolveReply(r.value);
        else reject(new Error(r.error));
      });
      child.stdin?.write(`${JSON.stringify(req)}\n`);
    });
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;
    this.waiting = [];
    if (child.exitCode !== null) return;
    await new Promise<void>((r) => {
      child.once('exit', () => r());
      child.kill(signal);
    });
  }
}

export class AgentProcess {
  private child: ChildProcess | undefined;
  output = '';

  constructor(
    readonly dist: string,
    readonly home: string,
    private readonly extraEnv: Record<string, string> = {},
  ) {}

  private env(): NodeJS.ProcessEnv {
    // NODE_PATH finds @litko/yara-x from the temporary build folder.
    return { ...process.env, SOCNOC_AGENT_HOME: this.home, NODE_PATH: join(REPO, 'node_modules'), ...this.extraEnv };
  }

  cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [join(this.dist, 'cli.js'), ...args], { env: this.env(), encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  start(): void {
    const child = spawn(process.execPath, [join(this.dist, 'cli.js'), 'run'], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (d: Buffer): void => void (this.output = (this.output + d.toString('utf8')).slice(-50_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null;
  }

  exited(): Promise<number | null> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return Promise.resolve(child?.exitCode ?? null);
    return new Promise((r) => child.once('exit', (code) => r(code)));
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;
    if (child.exitCode !== null) return;
    await new Promise<void>((r) => {
      child.once('exit', () => r());
      child.kill(signal);
    });
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
