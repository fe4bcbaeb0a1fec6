/**
 * Host inventory: OS, kernel, host name, addresses, installed packages (dpkg or rpm), listening
 * ports from /proc/net, local users from /etc/passwd, and the clock offset against the server's
 * Date header. Each part fails alone (a host without rpm still reports the rest).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arch, hostname, networkInterfaces, release } from 'node:os';

export interface Inventory {
  hostname: string;
  os: { family: string; name: string; version: string; kernel: string; platform: string; arch: string };
  addresses: Array<{ interface: string; ip: string; mac: string; family: string }>;
  packages: Array<{ name: string; version: string; manager: 'dpkg' | 'rpm' }>;
  listening: Array<{ transport: 'tcp' | 'udp'; ip: string; port: number; inode: number }>;
  users: Array<{ name: string; uid: number; gid: number; home: string; shell: string }>;
  clock_offset_ms?: number;
  collected_at: string;
  errors: string[];
}

export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0 || line.startsWith('#')) continue;
    out[line.slice(0, eq)] = line.slice(eq + 1).replace(/^"(.*)"$/, '$1');
  }
  return out;
}

export function parsePasswd(text: string): Inventory['users'] {
  const users: Inventory['users'] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || line.startsWith('#')) continue;
    users.push({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5], shell: f[6] });
  }
  return users;
}

function hexToIp(hex: string): string {
  if (hex.length === 8) {
    // /proc/net/tcp holds IPv4 in host (little-endian) byte order.
    return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
  }
  const groups: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    const bytes = [6, 4, 2, 0].map((i) => word.slice(i, i + 2));
    groups.push(bytes[0] + bytes[1], bytes[2] + bytes[3]);
  }
  return groups.map((g) => parseInt(g, 16).toString(16)).join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** Sockets in LISTEN (TCP state 0A) or bound UDP (state 07) from /proc/net/{tcp,tcp6,udp,udp6}. */
export function parseProcNet(text: string, transport: 'tcp' | 'udp'): Inventory['listening'] {
  const out: Inventory['listening'] = [];
  const wanted = transport === 'tcp' ? '0A' : '07';
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== wanted) continue;
    const [ipHex, portHex] = f[1].split(':');
    out.push({ transport, ip: hexToIp(ipHex), port: parseInt(portHex, 16), inode: Number(f[9]) });
  }
  return out;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

async function packages(errors: string[]): Promise<Inventory['packages']> {
  try {
    const out = await run('dpkg-query', ['-W', '-f', '${Package}\t${Version}\t${db:Status-Abbrev}\n']);
    return out
      .split('\n')
      .map((l) => l.split('\t'))
      .filter((f) => f.length >= 3 && f[2].startsWith('ii'))
      .map((f) => ({ name: f[0], version: f[1], manager: 'dpkg' as const }));
  } catch {
    // not a Debian family host
  }
  try {
    const out = await run('rpm', ['-qa', '--qf', '%{NAME}\t%{VERSION}-%{RELEASE}\n']);
    return out
      .split('\n')
      .map((l) => l.split('\t'))
      .filter((f) => f.length === 2)
      .map((f) => ({ name: f[0], version: f[1], manager: 'rpm' as const }));
  } catch (err) {
    errors.push(`packages: neither dpkg-query nor rpm answered (${(err as Error).message.slice(0, 100)})`);
    return [];
  }
}

function readOr(file: string, errors: string[]): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    errors.push(`${file}: ${(err as Error).message}`);
    return '';
  }
}

/** `serverDate` is the Date header of a reply, `sentAt`/`receivedAt` bracket that request. */
export function clockOffsetMs(serverDate: string, sentAt: number, receivedAt: number): number | undefined {
  const server = Date.parse(serverDate);
  if (!Number.isFinite(server)) return undefined;
  // Date has 1 s resolution: the offset is only meaningful to about ±500 ms.
  return Math.round(server + 500 - (sentAt + receivedAt) / 2);
}

export async function collectInventory(clockOffset?: number): Promise<Inventory> {
  const errors: string[] = [];
  const osr = parseOsRelease(readOr('/etc/os-release', errors));
  const addresses: Inventory['addresses'] = [];
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    for (const a of addrs ?? []) addresses.push({ interface: name, ip: a.address, mac: a.mac, family: a.family });
  }
  const listening: Inventory['listening'] = [];
  for (const [file, t] of [['/proc/net/tcp', 'tcp'], ['/proc/net/tcp6', 'tcp'], ['/proc/net/udp', 'udp'], ['/proc/net/udp6', 'udp']] as const) {
    listening.push(...parseProcNet(readOr(file, errors), t));
  }
  return {
    hostname: hostname(),
    os: { family: osr.ID_LIKE ?? osr.ID ?? 'linux', name: osr.NAME ?? 'Linux', version: osr.VERSION_ID ?? '', kernel: release(), platform: osr.ID ?? process.platform, arch: arch() },
    addresses,
    packages: await packages(errors),
    listening,
    users: parsePasswd(readOr('/etc/passwd', errors)),
    clock_offset_ms: clockOffset,
    collected_at: new Date().toISOString(),
    errors,
  };
}
