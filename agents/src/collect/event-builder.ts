/** ECS event lines as the agent queues them; the server adds organization, agent.* and event.ingested. */
import { randomUUID } from 'node:crypto';

export interface HostFields {
  name: string;
  hostname: string;
  os?: { family?: string; name?: string; version?: string; kernel?: string };
}

export type EventBody = Record<string, unknown> & { event?: Record<string, unknown> };

/** Serializes one event with a fresh id and the times; `body.event` fields are kept. */
export function eventLine(body: EventBody, host: HostFields, at: Date = new Date()): string {
  const ts = at.toISOString();
  const event = { ...(body.event ?? {}), id: randomUUID(), created: ts, module: 'socnoc_agent' };
  return JSON.stringify({ '@timestamp': ts, ...body, event, host: body.host ?? host });
}
