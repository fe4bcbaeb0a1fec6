/**
 * Full-path syslog benchmark: a real `socnoc start` child process (receive → parse → normalize →
 * pipeline → SQLite) driven over UDP and TCP at rising rates, next to a bare Node UDP receiver
 * measured in the same run. Prints the highest rate with no loss, sustained TCP throughput and
 * the server's memory. Run: npm run bench:syslog [-- --seconds 3 --max-rate 400000]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: argv } = parseArgs({
  options: { seconds: { type: 'string', default: '3' }, 'max-rate': { type: 'string', default: '400000' }, 'tcp-total': { type: 'string', default: '1000000' } },
});
const STEP_SECONDS = Number(argv.seconds);
const MAX_RATE = Number(argv['max-rate']);
const TCP_TOTAL = Number(argv['tcp-total']);
const UDP_RATES = [25_000, 50_000, 75_000, 100_000, 150_000, 200_000, 300_000, 400_000].filter((r) => r <= MAX_RATE);
const TCP_RATES = [50_000, 100_000, 150_000, 200_000, 300_000, 400_000, 600_000].filter((r) => r <= MAX_RATE * 1.5);

/** A realistic mix: Linux auth, Cisco ASA, FortiGate, RFC 5424 application lines (~150-330 bytes). */
const TEMPLATES = [
  '<38>Nov 27 10:15:01 web-01 sshd[2211]: Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2 #',
  '<166>Nov 27 2026 10:15:01: %ASA-6-302014: Teardown TCP connection 4419 for outside:198.51.100.7/443 to inside:10.1.2.3/51234 duration 0:00:12 bytes 10234 TCP FINs #',
  '<189>date=2026-11-27 time=10:15:01 devname="FGT-Q1" devid="FG100FTK19000001" logid="0000000013" type="traffic" subtype="forward" level="notice" srcip=10.1.20.5 srcport=53211 srcintf="port2" dstip=93.184.216.34 dstport=443 dstintf="wan1" proto=6 action="accept" policyid=12 service="HTTPS" sentbyte=1834 rcvdbyte=9211 #',
  '<134>1 2026-11-27T10:15:01.123+07:00 app-02 billing 4411 TX [meta@32473 tenant="q1"] payment accepted order=#',
];

function message(i: number): string {
  const t = TEMPLATES[i % TEMPLATES.length];
  return t + i;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const p = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(p));
    });
  });
}

function peakRssMiB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** Sends `rate` datagrams/s for `seconds`, in 5 ms slices. Returns how many were sent. */
async function blastUdp(port: number, rate: number, seconds: number, offset: number): Promise<number> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.connect(port, '127.0.0.1', () => r()));
  const start = Date.now();
  let sent = 0;
  const total = Math.round(rate * seconds);
  let inFlight = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * rate));
    while (sent < due) {
      inFlight++;
      sock.send(message(offset + sent), () => inFlight--);
      sent++;
    }
    await sleep(5);
  }
  while (inFlight > 0) await sleep(5);
  sock.close();
  return sent;
}

/** Writes octet-counted frames at `rate`/s (or as fast as the socket takes them when rate = Infinity). */
async function blastTcp(port: number, rate: number, total: number, offset: number): Promise<{ sent: number; seconds: number }> {
  const sock: Socket = await new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const start = Date.now();
  let sent = 0;
  const chunk = 2000;
  while (sent < total) {
    const due = rate === Infinity ? total : Math.min(total, Math.floor(((Date.now() - start) / 1000) * rate));
    while (sent < due) {
      const n = Math.min(chunk, due - sent);
      let buf = '';
      for (let i = 0; i < n; i++) {
        const m = message(offset + sent + i);
        buf += `${Buffer.byteLength(m)} ${m}`;
      }
      sent += n;
      if (!sock.write(buf)) await new Promise((r) => sock.once('drain', r));
    }
    if (sent < total) await sleep(5);
  }
  await new Promise<void>((r) => sock.end(r));
  return { sent, seconds: (Date.now() - start) / 1000 };
}

class Server {
  private constructor(
    readonly child: ChildProcess,
    readonly http: number,
    readonly udp: number,
    readonly tcp: number,
    readonly token: string,
    readonly dir: string,
  ) {}

  static async start(): Promise<Server> {
    const dir = mkdtempSync(join(tmpdir(), 'socnoc-bench-'));
    const [http, udp, tcp] = [await freePort(), await freePort(), await freePort()];
    writeFileSync(
      join(dir, 'socnoc.yaml'),
      JSON.stringify({
        dataDir: join(dir, 'data'),
        log: { level: 'warn' },
        http: { host: '127.0.0.1', port: http },
        netflow: { enabled: false },
        snmp: { traps: { enabled: false } },
        syslog: { listeners: [{ name: 'udp', protocol: 'udp', host: '127.0.0.1', port: udp }, { name: 'tcp', protocol: 'tcp', host: '127.0.0.1', port: tcp }] },
      }),
    );
    const child = spawn(process.execPath, [join(__dirname, '..', 'app', 'cli.js'), 'start', '--config', join(dir, 'socnoc.yaml')], {
      env: { ...process.env, SOCNOC_ADMIN_PASSWORD: 'bench-password-1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let i = 0; ; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${http}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: 'bench-password-1' }),
        });
        if (res.ok) return new Server(child, http, udp, tcp, ((await res.json()) as { token: string }).token, dir);
      } catch {
        // not up yet
      }
      if (i > 200) throw new Error('socnoc did not start');
      await sleep(100);
    }
  }

  async counter(name: string, input: string): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${this.http}/metrics`, { headers: { authorization: `Bearer ${this.token}` } })).text();
    let total = 0;
    for (const line of text.split('\n')) if (line.startsWith(`${name}{`) && line.includes(`input="${input}"`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
    return total;
  }

  /** Waits until the stored count stops moving (or reaches `want`). */
  async settle(input: string, want: number): Promise<number> {
    let last = -1;
    let stable = 0;
    for (;;) {
      const now = await this.counter('socnoc_input_stored_total', input);
      if (now >= want) return now;
      stable = now === last ? stable + 1 : 0;
      if (stable >= 6) return now;
      last = now;
      await sleep(250);
    }
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    await new Promise((r) => this.child.once('exit', r));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Reference: a bare Node UDP receiver with the same 4 MiB buffer, counting datagrams, in its own process. */
async function bareUdpReference(rate: number, seconds: number): Promise<number> {
  const port = await freePort();
  const code = `
    const s = require('node:dgram').createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    let n = 0; s.on('message', () => n++);
    s.bind(${port}, '127.0.0.1', () => process.send('ready'));
    process.on('message', () => { process.send(n); process.exit(0); });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise((r) => child.once('message', r));
  const sent = await blastUdp(port, rate, seconds, 0);
  await sleep(300);
  const got: number = await new Promise((r) => {
    child.once('message', (m) => r(m as number));
    child.send('count');
  });
  return sent - got;
}

async function main(): Promise<void> {
  console.log(`socnoc syslog benchmark — node ${process.version}, ${STEP_SECONDS}s per step`);
  const server = await Server.start();
  const pid = server.child.pid as number;
  let offset = 0;
  try {
    console.log('\nUDP (full path: receive, parse, normalize, store) vs bare Node UDP receiver');
    console.log('  rate/s    socnoc lost   bare lost   server RSS MiB');
    let bestUdp = 0;
    let bestBare = 0;
    let udpStoredSoFar = 0;
    for (const rate of UDP_RATES) {
      const sent = await blastUdp(server.udp, rate, STEP_SECONDS, offset);
      offset += sent;
      const stored = await server.settle('syslog/udp', udpStoredSoFar + sent);
      const lost = udpStoredSoFar + sent - stored;
      udpStoredSoFar = stored;
      const bareLost = await bareUdpReference(rate, STEP_SECONDS);
      if (lost === 0) bestUdp = rate;
      if (bareLost === 0) bestBare = rate;
      console.log(`  ${String(rate).padStart(7)}  ${String(lost).padStart(12)}  ${String(bareLost).padStart(10)}   ${peakRssMiB(pid).rss.toFixed(0).padStart(6)}`);
    }

    console.log('\nTCP, octet-counted, one connection, paced');
    console.log('  rate/s    achieved/s   stored lag after send (s)   server RSS MiB');
    let bestTcp = 0;
    let tcpStoredSoFar = 0;
    for (const rate of TCP_RATES) {
      const total = Math.round(rate * STEP_SECONDS);
      const { sent, seconds } = await blastTcp(server.tcp, rate, total, offset);
      offset += sent;
      const endedAt = Date.now();
      const stored = await server.settle('syslog/tcp', tcpStoredSoFar + sent);
      const lag = (Date.now() - endedAt) / 1000;
      const lost = tcpStoredSoFar + sent - stored;
      tcpStoredSoFar = stored;
      const achieved = sent / seconds;
      // Sustained: nothing lost, the sender was not held back, and storage kept up within a second.
      if (lost === 0 && achieved >= rate * 0.95 && lag <= 1.5) bestTcp = rate;
      console.log(`  ${String(rate).padStart(7)}  ${achieved.toFixed(0).padStart(11)}  ${lag.toFixed(2).padStart(26)}   ${peakRssMiB(pid).rss.toFixed(0).padStart(6)}${lost ? `  LOST ${lost}` : ''}`);
    }

    console.log(`\nTCP, as fast as backpressure allows: ${TCP_TOTAL} messages`);
    const t0 = Date.now();
    const { sent } = await blastTcp(server.tcp, Infinity, TCP_TOTAL, offset);
    const stored = await server.settle('syslog/tcp', tcpStoredSoFar + sent);
    const seconds = (Date.now() - t0) / 1000;
    const mem = peakRssMiB(pid);
    console.log(`  stored ${stored - tcpStoredSoFar}/${sent} in ${seconds.toFixed(2)} s = ${((stored - tcpStoredSoFar) / seconds).toFixed(0)} msg/s end to end`);

    console.log('\nSummary');
    console.log(`  UDP highest rate with no loss: socnoc ${bestUdp}/s, bare Node receiver ${bestBare}/s (ratio ${bestBare ? (bestUdp / bestBare).toFixed(2) : 'n/a'})`);
    console.log(`  TCP highest sustained paced rate: ${bestTcp}/s; unpaced end-to-end ${((stored - tcpStoredSoFar) / seconds).toFixed(0)}/s`);
    console.log(`  server memory: RSS now ${mem.rss.toFixed(0)} MiB, peak ${mem.hwm.toFixed(0)} MiB`);
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
