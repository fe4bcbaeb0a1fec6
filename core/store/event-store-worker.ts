/**
 * Worker thread entry of WorkerEventStore: owns the partition writer and answers the main thread's
 * requests in order. Appends that queue up while a transaction runs are written together in the
 * next one (collected as their messages arrive, written once the port has delivered them all).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { EventPartitionWriter } from './event-partition-writer';
import type { WriterReply, WriterRequest } from './event-store-worker-protocol';

type AppendRequest = Extract<WriterRequest, { op: 'append' }>;

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

class WriterThread {
  private pending: AppendRequest[] = [];
  private scheduled = false;

  constructor(
    private readonly port: MessagePort,
    private readonly writer: EventPartitionWriter,
  ) {}

  onMessage(request: WriterRequest): void {
    if (request.op === 'append') {
      this.pending.push(request);
      if (!this.scheduled) {
        this.scheduled = true;
        // After the port has delivered every message already queued.
        setImmediate(this.flushAppends);
      }
      return;
    }
    // Anything else waits for the appends sent before it.
    this.flushAppends();
    let reply: WriterReply;
    try {
      if (request.op === 'retention') reply = { seq: request.seq, ok: true, dropped: this.writer.applyRetention(request.olderThan) };
      else {
        this.writer.close();
        reply = { seq: request.seq, ok: true };
      }
    } catch (err) {
      reply = { seq: request.seq, ok: false, message: errorMessage(err) };
    }
    this.port.postMessage(reply);
    if (request.op === 'close') this.port.close();
  }

  private readonly flushAppends = (): void => {
    this.scheduled = false;
    const requests = this.pending;
    if (requests.length === 0) return;
    this.pending = [];
    if (requests.length > 1) {
      try {
        const outcomes = this.writer.appendBatches(requests.map((r) => r.rows));
        for (let i = 0; i < requests.length; i++) this.port.postMessage({ seq: requests[i].seq, ok: true, outcome: outcomes[i] } satisfies WriterReply);
        return;
      } catch {
        // Rolled back; one at a time below, so a batch that cannot be written fails alone.
      }
    }
    for (const r of requests) {
      let reply: WriterReply;
      try {
        reply = { seq: r.seq, ok: true, outcome: this.writer.append(r.rows) };
      } catch (err) {
        reply = { seq: r.seq, ok: false, message: errorMessage(err) };
      }
      this.port.postMessage(reply);
    }
  };
}

function start(): void {
  const port = parentPort;
  const data = workerData as { dir?: unknown } | null;
  if (port === null || data === null || typeof data.dir !== 'string') {
    throw new Error('event-store-worker: must run as a worker thread with workerData.dir');
  }
  const thread = new WriterThread(port, new EventPartitionWriter(data.dir));
  port.on('message', (request: WriterRequest) => thread.onMessage(request));
}

start();
