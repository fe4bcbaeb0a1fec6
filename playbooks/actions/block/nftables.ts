/**
 * The nftables firewall adapter: an address goes into (or out of) a named set that a drop rule
 * refers to, with a timeout so blocks expire by themselves. nft runs locally, inside a network
 * namespace, or on a remote firewall through the system ssh client (BatchMode: keys only, never a
 * password prompt).
 */
import { execFile } from 'node:child_process';
import type { BlockIpConfig } from '../../config';
import { formatDuration } from '../../duration';

type NftConfig = BlockIpConfig['nftables'];

export interface BlockRequest {
  operation: 'add' | 'remove';
  ip: string;
  family: 4 | 6;
  timeoutMs: number;
}

/** nft arguments: `add element inet socnoc blocklist { 203.0.113.7 timeout 1h }`. */
export function nftArguments(cfg: NftConfig, r: BlockRequest): string[] {
  const set = r.family === 4 ? cfg.set4 : cfg.set6;
  // nft timeouts have second resolution; a shorter block is rounded up to one second.
  const timeout = formatDuration(Math.max(1000, Math.ceil(r.timeoutMs / 1000) * 1000));
  const element = r.operation === 'add' ? `{ ${r.ip} timeout ${timeout} }` : `{ ${r.ip} }`;
  return [r.operation === 'add' ? 'add' : 'delete', 'element', cfg.family, cfg.table, set, element];
}

/** The ruleset that creates the table, both sets and the drop rules (`nft -f` input). */
export function nftSetupScript(cfg: NftConfig): string {
  const t = `${cfg.family} ${cfg.table}`;
  return [
    `add table ${t}`,
    `add set ${t} ${cfg.set4} { type ipv4_addr; flags timeout; }`,
    `add set ${t} ${cfg.set6} { type ipv6_addr; flags timeout; }`,
    `add chain ${t} input { type filter hook input priority -10; policy accept; }`,
    `add chain ${t} forward { type filter hook forward priority -10; policy accept; }`,
    `add rule ${t} input ip saddr @${cfg.set4} drop`,
    `add rule ${t} input ip6 saddr @${cfg.set6} drop`,
    `add rule ${t} forward ip saddr @${cfg.set4} drop`,
    `add rule ${t} forward ip6 saddr @${cfg.set6} drop`,
    '',
  ].join('\n');
}

/** POSIX shell quoting for the remote command line ssh hands to the firewall's shell. */
function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The program and arguments that run nft with `args` where the config says. */
export function nftCommand(cfg: NftConfig, args: readonly string[]): string[] {
  if (cfg.ssh.host !== '') {
    const ssh = ['ssh', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-p', String(cfg.ssh.port)];
    if (cfg.ssh.identityFile !== '') ssh.push('-i', cfg.ssh.identityFile);
    for (const o of cfg.ssh.options) ssh.push('-o', o);
    const remote = ['nft', ...args];
    if (cfg.netns !== '') remote.unshift('ip', 'netns', 'exec', cfg.netns);
    ssh.push(`${cfg.ssh.user}@${cfg.ssh.host}`, '--', remote.map(shellQuote).join(' '));
    return ssh;
  }
  if (cfg.netns !== '') return ['ip', 'netns', 'exec', cfg.netns, 'nft', ...args];
  return ['nft', ...args];
}

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export function runCommand(argv: readonly string[], options: { signal?: AbortSignal; input?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(argv[0], argv.slice(1), { timeout: options.timeoutMs ?? 30_000, signal: options.signal, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') reject(new Error(`${argv[0]} is not installed (apt-get install ${argv[0] === 'nft' ? 'nftables' : argv[0] === 'ip' ? 'iproute2' : 'openssh-client'})`));
        else reject(new Error(`${argv.join(' ')}: ${String(stderr).trim() || err.message}`));
        return;
      }
      resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

export async function nftApply(cfg: NftConfig, r: BlockRequest, signal?: AbortSignal): Promise<{ command: string[]; alreadyAbsent: boolean }> {
  const command = nftCommand(cfg, nftArguments(cfg, r));
  try {
    await runCommand(command, { signal });
    return { command, alreadyAbsent: false };
  } catch (err) {
    // Removing an address that expired or was never there is the state we want, not a failure.
    if (r.operation === 'remove' && /No such file or directory|does not exist/i.test((err as Error).message)) return { command, alreadyAbsent: true };
    throw err;
  }
}
