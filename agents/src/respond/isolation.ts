/**
 * Host isolation with nftables: one table of our own (`inet socnoc_isolation`) whose chains drop
 * everything but loopback and traffic to and from the socnoc server, at a priority ahead of the
 * host's own filter chains. Release deletes the table, leaving the host's rules untouched.
 * Requires CAP_NET_ADMIN (the systemd unit grants it only when isolation is enabled).
 */
import { spawn } from 'node:child_process';
import { isIP } from 'node:net';

export const ISOLATION_TABLE = 'socnoc_isolation';

export interface IsolationTarget {
  /** Server addresses (resolved before isolating: DNS is cut off afterwards). */
  addresses: string[];
  port: number;
}

/** The ruleset text for `nft -f -`; the leading add+delete makes it replace a previous isolation atomically. */
export function isolationRuleset(target: IsolationTarget): string {
  const v4 = target.addresses.filter((a) => isIP(a) === 4);
  const v6 = target.addresses.filter((a) => isIP(a) === 6);
  if (v4.length + v6.length === 0) throw new Error('isolation: no server address to keep reachable');
  const allowOut: string[] = [];
  const allowIn: string[] = [];
  if (v4.length > 0) {
    allowOut.push(`ip daddr { ${v4.join(', ')} } tcp dport ${target.port} accept`);
    allowIn.push(`ip saddr { ${v4.join(', ')} } tcp sport ${target.port} accept`);
  }
  if (v6.length > 0) {
    allowOut.push(`ip6 daddr { ${v6.join(', ')} } tcp dport ${target.port} accept`);
    allowIn.push(`ip6 saddr { ${v6.join(', ')} } tcp sport ${target.port} accept`);
  }
  return [
    `table inet ${ISOLATION_TABLE}`,
    `delete table inet ${ISOLATION_TABLE}`,
    `table inet ${ISOLATION_TABLE} {`,
    '  chain input {',
    '    type filter hook input priority -200; policy drop;',
    '    iif "lo" accept',
    ...allowIn.map((r) => `    ${r}`),
    '  }',
    '  chain output {',
    '    type filter hook output priority -200; policy drop;',
    '    oif "lo" accept',
    ...allowOut.map((r) => `    ${r}`),
    '  }',
    '  chain forward {',
    '    type filter hook forward priority -200; policy drop;',
    '  }',
    '}',
    '',
  ].join('\n');
}

export function releaseRuleset(): string {
  // Adding first makes the delete succeed when the host was not isolated.
  return `table inet ${ISOLATION_TABLE}\ndelete table inet ${ISOLATION_TABLE}\n`;
}

/** Runs `nft -f -` (optionally prefixed, e.g. `ip netns exec NS`) with the ruleset on stdin. */
export function runNft(ruleset: string, prefix: readonly string[] = []): Promise<void> {
  const argv = [...prefix, 'nft', '-f', '-'];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (err) => reject(new Error(`${argv.join(' ')}: ${err.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr.trim().slice(0, 500)}`))));
    child.stdin.end(ruleset);
  });
}
