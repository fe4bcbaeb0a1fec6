/**
 * Worker thread entry of WorkerEventStore: owns the partition writer and answers the main thread's
 * requests one at a time, in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EventPartitionWriter } from './event-partition-writer';
import type { WriterReply, WriterRequest } from './event-store-worker-protocol';

function start(): void {
  const port = parentPort;
  const data = workerData as { dir?: unknown } | null;
  if (port === null || data === null || typeof data.dir !== 'string') {
    throw new Error('event-store-worker: must run as a worker thread with workerData.dir');
  }
  const writer = new EventPartitionWriter(data.dir);
  port.on('message', (request: WriterRequest) => {
    let reply: WriterReply;
    try {
      switch (request.op) {
        case 'append':
          reply = { seq: request.seq, ok: true, outcome: writer.append(request.rows) };
          break;
        case 'retention':
          reply = { seq: request.seq, ok: true, dropped: writer.applyRetention(request.olderThan) };
          break;
        case 'close':
          writer.close();
          reply = { seq: request.seq, ok: true };
          break;
      }
    } catch (err) {
      reply = { seq: request.seq, ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply);
    if (request.op === 'close') port.close();
  });
}

start();
