/**
 * Ships the queue: one batch in flight, acknowledged position persisted only after the server
 * answered 200 (it answers only once the batch is durable), retried with backoff otherwise. A
 * batch resent after a crash carries the same event ids, which the server stores once. A batch
 * that is not full lingers (`lingerMs`) for more events first; 429 (server loaded) and 503
 * (storage unavailable) are both retried no sooner than their Retry-After.
 */
import { Backoff } from './backoff';
import type { DiskQueue } from './queue/disk-queue';
import { HttpStatusError, statusError, type AgentClient } from './transport';

export interface SenderLimits {
  maxEvents: number;
  maxBytes: number;
  /**
   * How long a batch that is not full waits for more events before it is sent (0: at once), so
   * that an agent logging a line now and then sends a few requests a second, not one per line.
   */
  lingerMs?: number;
}

export interface SenderStats {
  sentEvents: number;
  sentBatches: number;
  failedAttempts: number;
  lastError: string;
}

export type SenderLog = (level: 'info' | 'warn' | 'error', msg: string) => void;

export class QueueSender {
  readonly stats: SenderStats = { sentEvents: 0, sentBatches: 0, failedAttempts: 0, lastError: '' };
  private stopped = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly backoff = new Backoff(500, 60_000);
  private configured: SenderLimits;

  constructor(
    private readonly queue: DiskQueue,
    private readonly client: AgentClient,
    private limits: SenderLimits,
    private readonly log: SenderLog,
    /** Called on 401/403: the agent was revoked or its identity is gone. */
    private readonly onRefused: (message: string) => void,
  ) {
    this.configured = limits;
  }

  setLimits(limits: SenderLimits): void {
    this.limits = limits;
    this.configured = limits;
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
      const t = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let batch = this.queue.read(this.limits.maxEvents, this.limits.maxBytes);
      if (batch === undefined) {
        await Promise.race([this.queue.waitForData(1000), this.pause(1000)]);
        continue;
      }
      const linger = this.limits.lingerMs ?? 0;
      if (linger > 0 && batch.lines.length < this.limits.maxEvents && batch.bytes < this.limits.maxBytes / 2) {
        await this.pause(linger);
        if (this.stopped) return;
        batch = this.queue.read(this.limits.maxEvents, this.limits.maxBytes) ?? batch;
      }
      try {
        const spec = { method: 'POST' as const, path: '/agent/v1/events', ndjson: `${batch.lines.join('\n')}\n`, gzip: true, timeoutMs: 120_000 };
        const reply = await this.client.send(spec);
        if (reply.status !== 200) throw statusError(spec, reply);
        this.queue.commit(batch.end);
        this.stats.sentEvents += batch.lines.length;
        this.stats.sentBatches++;
        this.backoff.reset();
        this.limits = this.configured;
      } catch (err) {
        this.stats.failedAttempts++;
        this.stats.lastError = (err as Error).message;
        if (err instanceof HttpStatusError && (err.status === 401 || err.status === 403)) {
          this.log('error', `event shipping refused: ${err.message}`);
          this.onRefused(err.message);
          return;
        }
        if (err instanceof HttpStatusError && (err.status === 400 || err.status === 413)) {
          // The server will never take this batch as is: log it; halve the batch once, then skip the one bad line.
          if (batch.lines.length > 1) {
            this.log('warn', `${err.message}; retrying in smaller batches`);
            this.limits = { ...this.limits, maxEvents: Math.max(1, Math.floor(batch.lines.length / 2)) };
            continue;
          }
          this.log('error', `${err.message}; dropping one event the server refuses`);
          this.queue.commit(batch.end);
          continue;
        }
        const wait = this.backoff.next(err instanceof HttpStatusError ? err.retryAfterMs : undefined);
        if (this.backoff.failures <= 3 || this.backoff.failures % 20 === 0) this.log('warn', `event batch not delivered (${(err as Error).message}); retry in ${wait} ms`);
        await this.pause(wait);
      }
    }
  }
}
