/**
 * Real SNMP peers for tests: Net-SNMP's snmptrap/snmpinform (Debian `snmp`) and snmpd (Debian
 * `snmpd`), each run with a private configuration in a temporary folder so that nothing in /etc or
 * /var/lib is read or written. A missing binary fails the test with what to install.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];

export function requireBinary(name: string, debianPackage: string): string {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...SBIN_DIRS]) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this folder
    }
  }
  throw new Error(`${name} is not installed; this test needs the real Net-SNMP ${name}: apt-get install ${debianPackage}`);
}

/** A private Net-SNMP environment: no MIB loading, no /etc/snmp config, persistent state in a temp folder. */
function netSnmpEnv(dir: string): NodeJS.ProcessEnv {
  mkdirSync(join(dir, 'conf'), { recursive: true });
  return { ...process.env, MIBS: '', MIBDIRS: join(dir, 'conf'), SNMPCONFPATH: join(dir, 'conf'), SNMP_PERSISTENT_DIR: join(dir, 'persist') };
}

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a Net-SNMP command-line tool; resolves with its exit code (never rejects on a non-zero exit). */
export function runNetSnmpTool(name: 'snmptrap' | 'snmpinform' | 'snmpget', args: string[], timeoutMs = 20_000): Promise<ToolResult> {
  const bin = requireBinary(name, 'snmp');
  // A private state folder per run (snmptrap -v3 writes engine boots there), removed afterwards.
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-snmptools-'));
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env: netSnmpEnv(dir), timeout: timeoutMs }, (err, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      if (err && typeof (err as NodeJS.ErrnoException).code !== 'number') {
        reject(new Error(`${name} ${args.join(' ')}: ${err.message}`, { cause: err }));
        return;
      }
      resolve({ code: err ? Number((err as NodeJS.ErrnoException).code) : 0, stdout, stderr });
    });
  });
}

/** snmptrap, failing the test when it exits non-zero. */
export async function snmptrap(args: string[]): Promise<void> {
  const r = await runNetSnmpTool('snmptrap', args);
  if (r.code !== 0) throw new Error(`snmptrap ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
}

/** A UDP port free right now on 127.0.0.1 (snmpd needs a number in its config). */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export interface SnmpdPeer {
  port: number;
  /** Date.now() when snmpd was spawned (its hrProcessorLoad appears a minute later). */
  startedAt: number;
  pid: number;
  dir: string;
  stop(): Promise<void>;
}

export interface SnmpdOptions {
  /** A fixed port (to restart an agent where a poller expects it); a free one by default. */
  port?: number;
  community?: string;
  sysName?: string;
  /** Loopback address to listen on (127.0.0.1 by default; any of 127/8 works on Linux). */
  address?: string;
  /** v3 users, all authPriv (e.g. SHA/AES). */
  users?: Array<{ name: string; auth: string; authPass: string; priv: string; privPass: string }>;
}

/**
 * snmpd on 127.0.0.1:free-port with a private config (TEST-PEERS.md); resolves once it answers a
 * GET for sysName. Stop it with `stop()` (SIGTERM to its PID).
 */
export async function startSnmpd(options: SnmpdOptions = {}): Promise<SnmpdPeer> {
  const bin = requireBinary('snmpd', 'snmpd');
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-snmpd-'));
  const port = options.port ?? (await freeUdpPort());
  const community = options.community ?? 'public';
  const address = options.address ?? '127.0.0.1';
  // Requests to any 127/8 address leave from 127.0.0.1 on Linux; allow the whole loopback net.
  const lines = [`agentAddress udp:${address}:${port}`, `rocommunity ${community} 127.0.0.0/8`, `sysName ${options.sysName ?? 'snmpd-test'}`, 'sysLocation socnoc test rack'];
  for (const u of options.users ?? []) {
    lines.push(`rouser ${u.name} priv`);
    lines.push(`createUser ${u.name} ${u.auth} "${u.authPass}" ${u.priv} "${u.privPass}"`);
  }
  writeFileSync(join(dir, 'snmpd.conf'), lines.join('\n') + '\n');
  const env = netSnmpEnv(dir);
  const startedAt = Date.now();
  // The listening address comes from agentAddress only: naming it on the command line too makes snmpd bind twice and exit.
  const child: ChildProcess = spawn(bin, ['-C', '-c', join(dir, 'snmpd.conf'), '-f', '-Lf', join(dir, 'snmpd.log'), '-p', join(dir, 'snmpd.pid')], {
    env,
    stdio: 'ignore',
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const stop = async (): Promise<void> => {
    if (!exited && child.pid !== undefined) {
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise((r) => (timer = setTimeout(r, 3000)))]);
      clearTimeout(timer);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited) {
      let log = '';
      try {
        log = readFileSync(join(dir, 'snmpd.log'), 'utf8');
      } catch {
        // no log written
      }
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`snmpd exited at start:\n${log}`);
    }
    const r = await runNetSnmpTool('snmpget', ['-v2c', '-c', community, '-t', '0.3', '-r', '0', `${address}:${port}`, '1.3.6.1.2.1.1.5.0'], 5000);
    if (r.code === 0) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`snmpd on ${address}:${port} did not answer within 10 s`);
    }
    await new Promise((r2) => setTimeout(r2, 100));
  }
  return { port, startedAt, pid: child.pid ?? 0, dir, stop };
}
