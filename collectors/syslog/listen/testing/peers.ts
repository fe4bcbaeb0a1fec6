/**
 * Real syslog peers for listener tests: util-linux logger, rsyslogd, openssl. A missing binary
 * fails the test with the package to install; it is never skipped.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { waitUntil } from './recorder';

const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];

/** Absolute path of `name`, or an error telling what to apt-get install. */
export function requireBinary(name: string, debianPackage: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...SBIN_DIRS];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} is not installed; this test needs a real ${name}: apt-get install ${debianPackage}`);
}

export interface ExecResult {
  stdout: string;
  stderr: string;
}

export function run(file: string, args: string[], input?: string, timeoutMs = 15_000): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr}`, { cause: err }));
      else resolve({ stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** util-linux logger with `--server host --port port` prepended. */
export function logger(host: string, port: number, args: string[]): Promise<ExecResult> {
  const bin = requireBinary('logger', 'bsdutils');
  return run(bin, ['--server', host, '--port', String(port), ...args]);
}

/** A TCP port free right now on 127.0.0.1 (for peers that cannot take port 0). */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface RsyslogRelay {
  /** imtcp input port on 127.0.0.1. */
  inputPort: number;
  stop(): Promise<void>;
}

/**
 * Starts rsyslogd in the foreground with a private config in a temporary folder: an imtcp input
 * on a free port and the given action lines; stop() ends it by its PID.
 */
export async function startRsyslogRelay(actions: string[]): Promise<RsyslogRelay> {
  const bin = requireBinary('rsyslogd', 'rsyslog');
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-rsyslog-'));
  const inputPort = await freeTcpPort();
  const conf = join(dir, 'rsyslog.conf');
  const pidFile = join(dir, 'rsyslogd.pid');
  writeFileSync(
    conf,
    [
      `global(workDirectory="${dir}")`,
      // One worker keeps the relay's output in input order.
      'main_queue(queue.workerThreads="1")',
      'module(load="imtcp")',
      `input(type="imtcp" address="127.0.0.1" port="${inputPort}")`,
      ...actions,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(bin, ['-n', '-f', conf, '-i', pidFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = async (): Promise<void> => {
    if (!exited && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      await waitUntil('rsyslogd to exit', () => exited, 10_000);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(inputPort))) {
      if (exited) throw new Error(`rsyslogd exited at start: ${stderr}\nconfig:\n${readFileSync(conf, 'utf8')}`);
      if (Date.now() > deadline) throw new Error(`rsyslogd did not listen on 127.0.0.1:${inputPort} within 10 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { inputPort, stop };
}
