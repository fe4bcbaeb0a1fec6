/**
 * One simulator process of bench/agents.ts (forked, several of them): simulates many agents, each
 * talking to the agent channel the way `socnoc-agent run` does — its own bearer `<id>.<secret>`, a
 * kept-alive TLS connection for heartbeats and event batches (one request at a time, as the sender
 * sends), and a second one holding the command long poll (`GET /agent/v1/commands?wait=25`, at
 * once again when answered), as the runner's `pollClient` does. Refused batches (429/503) are kept
 * and resent with the same event ids after the agent's own backoff (agents/src/backoff.ts: the
 * Retry-After as a floor, spread up to twice it).
 *
 * HTTP is written and read by hand over node:tls: a node:https client costs several times the CPU
 * per request, and this process shares the machine with the server it measures.
 *
 * IPC with the parent: `init` → connects every agent, each heartbeating from then on → `connected`;
 * `go` → event batches until the deadline → `result` (counts and latency histograms of the load
 * phase); `close` → closes every connection and exits.
 */
import { connect, createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { gzipSync } from 'node:zlib';
import { Backoff } from '../agents/src/backoff';

export interface SimInit {
  type: 'init';
  port: number;
  ca: string;
  creds: string[];
  heartbeatSeconds: number;
  /** Seconds between batches of one agent (its sender's lingerMs when events keep coming). */
  batchSeconds: number;
  eventsPerBatch: number;
  seconds: number;
  longPoll: boolean;
  /** TLS handshakes in flight at once from this process. */
  connectConcurrency: number;
  /** Offsets event ids and body contents between processes. */
  index: number;
}

export interface SimResult {
  type: 'result';
  heartbeatsOk: number;
  heartbeatsFailed: number;
  batchesOk: number;
  eventsAcked: number;
  /** 429/503 answers; each refused batch is resent later. */
  refused: number;
  /** Batches resent after a refusal and then acknowledged. */
  retriedOk: number;
  batchesFailed: number;
  /** Batches still waiting (refused, not yet resent) at the deadline. */
  batchesPending: number;
  polls: number;
  pollsFailed: number;
  reconnects: number;
  lateSends: number;
  /** Latency histograms: [milliseconds, count] pairs. */
  heartbeatMs: Array<[number, number]>;
  batchMs: Array<[number, number]>;
  cpuMs: number;
  rss: number;
}

const HOST = '127.0.0.1';

interface Reply {
  status: number;
  retryAfter: number;
}

/** One kept-alive TLS connection carrying one request at a time (later ones wait their turn). */
class Conn {
  socket: TLSSocket | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private onReply: ((r: Reply) => void) | undefined;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly port: number,
    private readonly context: SecureContext,
    private readonly stats: { reconnects: number },
  ) {}

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      // One SecureContext for the whole process: parsing the CA per connection would dominate.
      const s = connect({ host: HOST, port: this.port, secureContext: this.context, checkServerIdentity: () => undefined, minVersion: 'TLSv1.2' }, () => resolve());
      s.setNoDelay(true); // as node:https does; Nagle would hold a small request ~40 ms
      s.on('data', (d: Buffer) => this.onData(d));
      s.on('error', (err) => {
        reject(err);
        this.drop(s);
      });
      s.on('close', () => this.drop(s));
      this.socket = s;
    });
  }

  private drop(s: TLSSocket): void {
    if (this.socket !== s) return;
    this.socket = undefined;
    this.finish({ status: 0, retryAfter: 0 });
  }

  private finish(r: Reply): void {
    const cb = this.onReply;
    this.onReply = undefined;
    this.buf = Buffer.alloc(0);
    cb?.(r);
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    const headEnd = this.buf.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buf.toString('latin1', 0, headEnd).toLowerCase();
    const lenAt = head.indexOf('\r\ncontent-length: ');
    const len = lenAt < 0 ? 0 : parseInt(head.slice(lenAt + 18), 10);
    if (this.buf.length < headEnd + 4 + len) return;
    const raAt = head.indexOf('\r\nretry-after: ');
    const retryAfter = raAt < 0 ? 0 : parseInt(head.slice(raAt + 15), 10);
    if (head.includes('\r\nconnection: close')) this.socket?.destroy();
    this.finish({ status: parseInt(head.slice(9, 12), 10), retryAfter });
  }

  /** Sends one request after those already queued on this connection; status 0 when the connection failed. */
  request(method: 'GET' | 'POST', path: string, bearer: string, body: Buffer | undefined, gzip: boolean): Promise<Reply> {
    const reply = this.turn.then(() => this.send(method, path, bearer, body, gzip));
    this.turn = reply;
    return reply;
  }

  private async send(method: 'GET' | 'POST', path: string, bearer: string, body: Buffer | undefined, gzip: boolean): Promise<Reply> {
    if (this.socket === undefined || this.socket.destroyed) {
      this.stats.reconnects++;
      const ok = await this.connect().then(
        () => true,
        () => false,
      );
      if (!ok) return { status: 0, retryAfter: 0 };
    }
    let head = `${method} ${path} HTTP/1.1\r\nhost: ${HOST}:${this.port}\r\naccept: application/json\r\nauthorization: Bearer ${bearer}\r\n`;
    if (body !== undefined) head += `content-type: ${gzip ? 'application/x-ndjson\r\ncontent-encoding: gzip' : 'application/json'}\r\ncontent-length: ${body.length}\r\n`;
    head += '\r\n';
    return new Promise((resolve) => {
      this.onReply = resolve;
      const s = this.socket as TLSSocket;
      if (body === undefined) s.write(head, 'latin1');
      else s.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
    });
  }
}

/** Millisecond histogram, mergeable across processes. */
class Histogram {
  private readonly counts = new Map<number, number>();
  add(ms: number): void {
    const k = Math.round(ms);
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }
  pairs(): Array<[number, number]> {
    return [...this.counts.entries()];
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function sshdLine(i: number): string {
  return `Nov 27 01:04:05 web01 sshd[${1000 + (i % 30000)}]: Failed password for invalid user admin${i} from 203.0.113.${i % 250} port ${1024 + (i % 60000)} ssh2`;
}

class Fleet {
  readonly stats = { heartbeatsOk: 0, heartbeatsFailed: 0, batchesOk: 0, eventsAcked: 0, refused: 0, retriedOk: 0, batchesFailed: 0, batchesPending: 0, polls: 0, pollsFailed: 0, reconnects: 0, lateSends: 0 };
  private readonly hb = new Histogram();
  private readonly batch = new Histogram();
  private readonly context: SecureContext;
  private readonly main: Conn[];
  private readonly poll: Conn[];
  private bodies: Buffer[] = [];
  private readonly heartbeat: Buffer;
  private loadStart = Number.POSITIVE_INFINITY;
  private deadline = Number.POSITIVE_INFINITY;
  private closing = false;

  constructor(private readonly init: SimInit) {
    this.context = createSecureContext({ ca: init.ca, minVersion: 'TLSv1.2' });
    this.main = init.creds.map(() => new Conn(init.port, this.context, this.stats));
    this.poll = init.creds.map(() => new Conn(init.port, this.context, this.stats));
    // The runner's heartbeat body (agents/src/runner.ts).
    this.heartbeat = Buffer.from(JSON.stringify({ hostname: 'bench-host', version: '0.1.0', config_version: 'x', rules_version: 'none', stats: { queue_pending_bytes: 0, queue_segments: 1, queue_dropped_events: 0, sent_events: 0 } }));
  }

  /** Connects every agent (main connection + first heartbeat, then its long poll); returns failures. */
  async connectAll(): Promise<{ open: number; failed: number }> {
    let next = 0;
    let failed = 0;
    const startup = Buffer.from(JSON.stringify({ hostname: 'bench-host', version: '0.1.0', stats: {} }));
    await Promise.all(
      Array.from({ length: this.init.connectConcurrency }, async () => {
        while (next < this.main.length) {
          const i = next++;
          // The agent heartbeats as soon as it starts; an idle connection would meet the server's headers timeout.
          const r = await this.main[i].request('POST', '/agent/v1/heartbeat', this.init.creds[i], startup, false);
          if (r.status !== 200) failed++;
          else void this.heartbeatLoop(i);
          if (this.init.longPoll) {
            const ok = await this.poll[i].connect().then(
              () => true,
              () => false,
            );
            if (!ok) failed++;
            else void this.pollLoop(i);
          }
        }
      }),
    );
    this.stats.reconnects = 0;
    const open = this.main.filter((c) => c.socket !== undefined).length + this.poll.filter((c) => c.socket !== undefined).length;
    return { open, failed };
  }

  private async pollLoop(i: number): Promise<void> {
    const backoff = new Backoff(500, 60_000);
    while (!this.closing) {
      const r = await this.poll[i].request('GET', '/agent/v1/commands?wait=25', this.init.creds[i], undefined, false);
      if (this.closing) return;
      if (r.status === 200) {
        this.stats.polls++;
        backoff.reset();
      } else {
        this.stats.pollsFailed++;
        await sleep(backoff.next(r.retryAfter * 1000));
      }
    }
  }

  makeBodies(): void {
    const { eventsPerBatch, seconds, batchSeconds, index } = this.init;
    const n = Math.ceil(seconds / batchSeconds) + 2;
    for (let b = 0; b < n; b++) {
      const lines: string[] = [];
      for (let k = 0; k < eventsPerBatch; k++) {
        const i = (index * n + b) * eventsPerBatch + k;
        lines.push(JSON.stringify({ '@timestamp': new Date().toISOString(), message: sshdLine(i), event: { id: `p${index}-b${b}-${k}`, kind: 'event', dataset: 'linux.auth' }, log: { file: { path: '/var/log/auth.log' } } }));
      }
      this.bodies.push(gzipSync(`${lines.join('\n')}\n`));
    }
  }

  /** Heartbeats every heartbeatSeconds from the agent's start, as the runner does; latency counted in the load phase. */
  private async heartbeatLoop(i: number): Promise<void> {
    const every = this.init.heartbeatSeconds * 1000;
    let next = Date.now() + every;
    while (!this.closing) {
      await sleep(next - Date.now());
      if (this.closing) return;
      const t = Date.now();
      const r = await this.main[i].request('POST', '/agent/v1/heartbeat', this.init.creds[i], this.heartbeat, false);
      const inLoad = t >= this.loadStart && t < this.deadline;
      if (r.status === 200) {
        if (inLoad) {
          this.stats.heartbeatsOk++;
          this.hb.add(Date.now() - t);
        }
      } else if (inLoad) this.stats.heartbeatsFailed++;
      next += every;
    }
  }

  /** One agent's event batches from the load phase's start until its deadline, each its turn on the main connection. */
  private async batchLoop(i: number, started: number): Promise<void> {
    const { batchSeconds } = this.init;
    const n = this.main.length;
    const bearer = this.init.creds[i];
    const backoff = new Backoff(500, 60_000);
    let nextBatch = started + (((i * 7919) % n) / n) * batchSeconds * 1000;
    let batchNo = 0;
    let retrying = false;
    while (nextBatch < this.deadline) {
      const wait = nextBatch - Date.now();
      if (wait > 0) await sleep(wait);
      else if (wait < -1000) this.stats.lateSends++;
      const t = Date.now();
      const r = await this.main[i].request('POST', '/agent/v1/events', bearer, this.bodies[Math.min(batchNo, this.bodies.length - 1)], true);
      if (r.status === 200) {
        this.stats.batchesOk++;
        this.stats.eventsAcked += this.init.eventsPerBatch;
        if (retrying) this.stats.retriedOk++;
        retrying = false;
        this.batch.add(Date.now() - t);
        backoff.reset();
        batchNo++;
        nextBatch = Math.max(nextBatch + batchSeconds * 1000, Date.now());
      } else {
        if (r.status === 429 || r.status === 503) this.stats.refused++;
        else this.stats.batchesFailed++;
        retrying = true;
        nextBatch = Date.now() + backoff.next(r.retryAfter * 1000);
      }
    }
    if (retrying) this.stats.batchesPending++;
  }

  async run(startAt: number): Promise<void> {
    this.loadStart = startAt;
    this.deadline = startAt + this.init.seconds * 1000;
    const wait = startAt - Date.now();
    if (wait > 0) await sleep(wait);
    await Promise.all(this.main.map((_, i) => this.batchLoop(i, startAt)));
  }

  result(): SimResult {
    const cpu = process.cpuUsage();
    return { type: 'result', ...this.stats, heartbeatMs: this.hb.pairs(), batchMs: this.batch.pairs(), cpuMs: (cpu.user + cpu.system) / 1000, rss: process.memoryUsage().rss };
  }

  close(): void {
    this.closing = true;
    for (const c of this.main) c.socket?.destroy();
    for (const c of this.poll) c.socket?.destroy();
  }
}

function main(): void {
  let fleet: Fleet | undefined;
  const send = (m: unknown): void => void process.send?.(m);
  process.on('message', (msg: { type: string; startAt?: number } & Partial<SimInit>) => {
    if (msg.type === 'init') {
      fleet = new Fleet(msg as SimInit);
      fleet.makeBodies();
      const t0 = Date.now();
      void fleet.connectAll().then((c) => send({ type: 'connected', ...c, ms: Date.now() - t0 }));
    } else if (msg.type === 'go' && fleet !== undefined) {
      const f = fleet;
      void f.run(msg.startAt ?? Date.now()).then(() => send(f.result()));
    } else if (msg.type === 'close') {
      fleet?.close();
      setTimeout(() => process.exit(0), 100);
    }
  });
  process.on('disconnect', () => process.exit(0));
}

main();
