/** Messages between WorkerEventStore and its writer thread. */
import type { AppendOutcome } from './event-partition-writer';
import type { EventRowBatch } from './event-rows';

export type WriterRequestBody = { op: 'append'; rows: EventRowBatch } | { op: 'retention'; olderThan: number } | { op: 'close' };

export type WriterRequest = WriterRequestBody & { seq: number };

export type WriterReply =
  | { seq: number; ok: true; outcome?: AppendOutcome; dropped?: number }
  | { seq: number; ok: false; message: string };
