/**
 * Real flow exporters and reference decoders for tests: Debian softflowd reading a pcap, nfcapd + nfdump.
 * Each runs on loopback, in a temporary folder, and is stopped by its PID. A missing tool fails the test
 * with the package to install: these tests are never skipped.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function udpPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createSocket('udp4');
    probe.once('error', () => {
      probe.close();
      resolve(true);
    });
    probe.bind(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

/** A UDP port free on 127.0.0.1 right now (for peers that cannot be given port 0). */
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

export function requireTool(path: string, pkg: string): void {
  if (!existsSync(path)) throw new Error(`${path} not found: apt-get install ${pkg}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface SoftflowdRun {
  /** softflowd's own report (stdout/stderr), e.g. "Flows exported: 170 (230 records) in 9 packets". */
  output: string;
}

/**
 * Exports the flows of `pcap` once. softflowd 1.1.0 with -r neither exports nor exits at EOF by itself
 * (TEST-PEERS.md): its loop advances only when the control socket is poked, so: statistics, wait,
 * expire-all (which flushes and exits).
 */
export async function softflowdExport(pcap: string, target: string, args: string[]): Promise<SoftflowdRun> {
  requireTool('/usr/sbin/softflowd', 'softflowd');
  requireTool('/usr/sbin/softflowctl', 'softflowd');
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-softflowd-'));
  const ctl = join(dir, 'sf.ctl');
  const child = spawn('/usr/sbin/softflowd', ['-r', pcap, '-n', target, ...args, '-d', '-p', join(dir, 'sf.pid'), '-c', ctl], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  // 'exit' can come before the last of stdout: the summary line is read only once the pipes close.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    const deadline = Date.now() + 5000;
    while (!existsSync(ctl)) {
      if (child.exitCode !== null) throw new Error(`softflowd exited (${child.exitCode}) before creating its control socket: ${output}`);
      if (Date.now() > deadline) throw new Error(`softflowd did not create ${ctl} within 5 s: ${output}`);
      await sleep(50);
    }
    // softflowd 1.1.0 reading a pcap exports nothing until poked, and a poke that arrives before it
    // has read the file does nothing: poke again until it exits (a busy CI machine needs several).
    const exitDeadline = Date.now() + 30_000;
    while (child.exitCode === null && Date.now() < exitDeadline) {
      await sleep(300);
      await run('/usr/sbin/softflowctl', ['-c', ctl, 'statistics']).catch(() => undefined);
      await sleep(500);
      await run('/usr/sbin/softflowctl', ['-c', ctl, 'expire-all']).catch(() => undefined);
      const pokeDeadline = Date.now() + 3000;
      while (child.exitCode === null && Date.now() < pokeDeadline) await sleep(50);
    }
  } finally {
    await stopChild(child);
    await Promise.race([closed, sleep(5000)]);
    rmSync(dir, { recursive: true, force: true });
  }
  return { output };
}

/** One flow as nfdump decoded it. */
export interface NfdumpFlow {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** IANA number (nfdump prints TCP, UDP, ICMP... or the number). */
  protocol: number;
  packets: number;
  bytes: number;
}

const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = { ICMP: 1, TCP: 6, UDP: 17, GRE: 47, ESP: 50, ICMP6: 58, SCTP: 132 };

function protocolNumber(text: string): number {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : (PROTOCOL_NUMBERS[t.toUpperCase()] ?? 0);
}

export interface Nfcapd {
  port: number;
  /** Stops nfcapd (it writes its file on SIGTERM) and returns nfdump's totals for everything it received. */
  totals(): Promise<{ flows: number; packets: number; bytes: number }>;
  /** Stops nfcapd and returns every flow nfdump decodes from what it received (call this or totals, once). */
  flows(): Promise<NfdumpFlow[]>;
}

/**
 * nfcapd on a free UDP port of 127.0.0.1. A port found free can be taken by a parallel test before
 * nfcapd binds it ("Address already in use"), so a start that fails that way is retried on another.
 */
export async function startNfcapdOnFreePort(repeatTo?: { host: string; port: number }): Promise<Nfcapd> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startNfcapd(await freeUdpPort(), repeatTo);
    } catch (err) {
      if (attempt >= 5 || !/Address already in use/.test((err as Error).message)) throw err;
    }
  }
}

/** nfcapd on 127.0.0.1:port writing to a temporary folder; `repeatTo` makes it forward every datagram (-R). */
export async function startNfcapd(port: number, repeatTo?: { host: string; port: number }): Promise<Nfcapd> {
  requireTool('/usr/bin/nfcapd', 'nfdump');
  requireTool('/usr/bin/nfdump', 'nfdump');
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-nfcapd-'));
  const args = ['-b', '127.0.0.1', '-p', String(port), '-w', dir, '-t', '60'];
  if (repeatTo) args.push('-R', `${repeatTo.host}/${repeatTo.port}`);
  const child = spawn('/usr/bin/nfcapd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  // nfcapd's stdout is block-buffered in a pipe: readiness is the port being taken.
  const deadline = Date.now() + 5000;
  while (!(await udpPortTaken(port))) {
    if (child.exitCode !== null) throw new Error(`nfcapd exited (${child.exitCode}): ${output}`);
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`nfcapd did not bind 127.0.0.1:${port} within 5 s: ${output}`);
    }
    await sleep(50);
  }
  // The port may have been taken by someone else between picking and binding: make sure it is ours.
  await sleep(100);
  if (child.exitCode !== null) throw new Error(`nfcapd exited (${child.exitCode}): ${output}`);
  const flows = async (): Promise<NfdumpFlow[]> => {
    await stopChild(child);
    try {
      const { stdout } = await run('/usr/bin/nfdump', ['-R', dir, '-o', 'csv', '-q'], { maxBuffer: 64 * 1024 * 1024 });
      const out: NfdumpFlow[] = [];
      // csv: ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,...
      for (const line of stdout.split('\n')) {
        if (!/^\d{4}-/.test(line)) continue;
        const c = line.split(',');
        out.push({ src: c[3], dst: c[4], srcPort: Number(c[5]), dstPort: Number(c[6]), protocol: protocolNumber(c[7]), packets: Number(c[11]), bytes: Number(c[12]) });
      }
      return out;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return {
    port,
    flows,
    async totals() {
      let packets = 0;
      let bytes = 0;
      const all = await flows();
      for (const f of all) {
        packets += f.packets;
        bytes += f.bytes;
      }
      return { flows: all.length, packets, bytes };
    },
  };
}
