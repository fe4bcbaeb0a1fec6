/**
 * Turning an agent's batch (gzip NDJSON, one ECS event per line) into stored events: bounded
 * decompression, one validation per line, then the server's own fields. The caller publishes the
 * result to the bus and acknowledges only once that resolves.
 */
import { gunzipSync } from 'node:zlib';
import type { EcsEvent } from '../event';
import type { AgentRecord } from './registry';
import { agentEventSchema } from './wire';

export class IngestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'IngestError';
  }
}

export interface IngestLimits {
  maxBatchBytes: number;
  maxEventsPerBatch: number;
  maxEventBytes: number;
}

export function gunzipBounded(body: Buffer, maxBytes: number, what: string): Buffer {
  try {
    return gunzipSync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || (e instanceof RangeError && /maxOutputLength|buffer/i.test(e.message))) {
      throw new IngestError(413, `${what}: decompressed size exceeds ${maxBytes} bytes`);
    }
    throw new IngestError(400, `${what}: not valid gzip: ${e.message}`);
  }
}

/** Splits and validates NDJSON lines; throws IngestError 400/413 naming the first bad line. */
export function parseEventLines(ndjson: Buffer, limits: IngestLimits, what: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let start = 0;
  let lineNo = 0;
  while (start < ndjson.length) {
    let end = ndjson.indexOf(10, start);
    if (end < 0) end = ndjson.length;
    lineNo++;
    if (end - start > limits.maxEventBytes) throw new IngestError(413, `${what}: line ${lineNo} is ${end - start} bytes, over the limit of ${limits.maxEventBytes}`);
    if (end > start) {
      if (out.length >= limits.maxEventsPerBatch) throw new IngestError(413, `${what}: more than ${limits.maxEventsPerBatch} events in one batch`);
      let value: unknown;
      try {
        value = JSON.parse(ndjson.toString('utf8', start, end));
      } catch (err) {
        throw new IngestError(400, `${what}: line ${lineNo}: not JSON: ${(err as Error).message}`);
      }
      const parsed = agentEventSchema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new IngestError(400, `${what}: line ${lineNo}: ${issue.path.map(String).join('.') || 'event'}: ${issue.message}`);
      }
      out.push(parsed.data as Record<string, unknown>);
    }
    start = end + 1;
  }
  return out;
}

/**
 * The server's fields: the agency from enrolment (never the agent's claim), `agent.*`, `event.ingested`,
 * and `event.id` prefixed with the agent id so that one agency's agent cannot collide with (and so
 * suppress, through the store's deduplication) another's events.
 */
export function stampAgentEvents(events: Record<string, unknown>[], agent: AgentRecord, ingested: string): EcsEvent[] {
  const prefix = `${agent.id}:`;
  const agentField = { id: agent.id, name: agent.hostname, type: 'socnoc-agent', version: agent.version };
  const organization = { id: agent.agency };
  for (const e of events) {
    const ev = e.event as Record<string, unknown>;
    ev.id = prefix + String(ev.id);
    ev.ingested = ingested;
    e.organization = organization;
    e.agent = agentField;
    const host = e.host;
    if (host === undefined || host === null || typeof host !== 'object') e.host = { name: agent.hostname, hostname: agent.hostname };
  }
  return events as unknown as EcsEvent[];
}
