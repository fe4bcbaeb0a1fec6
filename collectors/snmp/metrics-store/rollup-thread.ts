/**
 * The metrics rollups in a worker thread (rollup-worker.ts): the calling thread posts "roll up to
 * now" and gets the row count back, spending no time in SQLite. One request at a time: a call
 * made while one runs gets that run's result.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../../core/worker-thread';
import type { RollupReply, RollupRequest } from './rollup-protocol';

function startWorker(dir: string): Worker {
  return startModuleWorker(__dirname, 'rollup-worker', { dir });
}

interface Pending {
  resolve: (rows: number) => void;
  reject: (err: Error) => void;
}

export class RollupThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private running: Promise<number> | undefined;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly dir: string) {
    this.worker = startWorker(dir);
    // Idle, the worker does not keep the process alive; a request in flight does.
    this.worker.unref();
    this.worker.on('message', (reply: RollupReply) => this.onReply(reply));
    this.worker.on('error', (err: Error) => this.fail(new Error(`snmp metrics ${dir}: rollup thread failed: ${err.message}`)));
    this.worker.on('exit', (code: number) => {
      if (this.closing === undefined) this.fail(new Error(`snmp metrics ${dir}: rollup thread exited with code ${code}`));
    });
  }

  /** The worker failed or exited unasked: every request fails; start another thread. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** The rollup in flight, if any (settles when it is done). */
  get inFlight(): Promise<number> | undefined {
    return this.running;
  }

  /** Rolls up what completed before `now` in the worker; resolves with the rows written. */
  rollup(now: number): Promise<number> {
    if (this.running !== undefined) return this.running;
    const run = this.request({ seq: 0, op: 'rollup', now }).finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  /** Lets a running rollup finish, closes the worker's files and ends the thread. */
  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    const before = this.running?.catch(() => 0) ?? Promise.resolve(0);
    this.closing = before
      .then(() => (this.failure === undefined ? this.request({ seq: 0, op: 'close' }) : 0))
      .catch(() => 0)
      .then(() => this.worker.terminate())
      .then(() => undefined);
    return this.closing;
  }

  private request(body: RollupRequest): Promise<number> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const seq = ++this.seq;
    return new Promise<number>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      // A request in flight keeps the process alive until its answer.
      this.worker.ref();
      this.worker.postMessage({ ...body, seq } satisfies RollupRequest);
    });
  }

  private onReply(reply: RollupReply): void {
    const p = this.pending.get(reply.seq);
    if (p === undefined) return;
    this.pending.delete(reply.seq);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) p.resolve(reply.rows);
    else p.reject(new Error(`snmp metrics ${this.dir}: rollup failed: ${reply.message}`));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
