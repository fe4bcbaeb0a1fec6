/** Agent lifecycle as events on the bus (`event.dataset: agent.status`), so NOC rules can alert on an agent gone silent. */
import { newEventId, type EcsEvent } from '../event';
import type { AgentRecord } from './registry';

export type AgentStatusAction = 'agent-enrolled' | 'agent-online' | 'agent-offline' | 'agent-revoked';

const MESSAGES: Record<AgentStatusAction, string> = {
  'agent-enrolled': 'enrolled',
  'agent-online': 'back online',
  'agent-offline': 'offline: no heartbeat',
  'agent-revoked': 'revoked',
};

export function agentStatusEvent(agent: AgentRecord, action: AgentStatusAction, now: number): EcsEvent {
  const ts = new Date(now).toISOString();
  return {
    '@timestamp': ts,
    message: `agent ${agent.hostname} (${agent.id}) ${MESSAGES[action]}; last seen ${new Date(agent.lastSeen).toISOString()}`,
    event: {
      id: newEventId(),
      created: ts,
      ingested: ts,
      kind: 'state',
      category: ['host'],
      type: [action === 'agent-offline' || action === 'agent-revoked' ? 'end' : 'start'],
      action,
      dataset: 'agent.status',
      module: 'socnoc_agent',
      severity: action === 'agent-offline' ? 5 : 1,
    },
    organization: { id: agent.agency },
    agent: { id: agent.id, name: agent.hostname, type: 'socnoc-agent', version: agent.version },
    host: { name: agent.hostname, hostname: agent.hostname },
    labels: { agent_status: action === 'agent-offline' || action === 'agent-revoked' ? 'offline' : 'online', agent_group: agent.group },
  };
}

/**
 * Coalesces status events into one bus batch per `lingerMs`. A fleet that returns after a network
 * outage turns thousands of agents online within seconds, and the sweep after one can turn thousands
 * offline: one durable store append each (an fsync) would hold every returning agent's request
 * behind its own write. Requests only queue the event; the sweep awaits one flush for all of its.
 */
export class StatusEventBatcher {
  private pending: EcsEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly publish: (events: EcsEvent[]) => Promise<void>,
    private readonly onError: (err: unknown, count: number) => void,
    private readonly now: () => number,
    private readonly lingerMs = 100,
  ) {}

  add(agent: AgentRecord, action: AgentStatusAction): void {
    this.pending.push(agentStatusEvent(agent, action, this.now()));
    if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.lingerMs);
      this.timer.unref();
    }
  }

  /** Publishes what is queued (after any flush in progress); failures go to onError, never throw. */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.publish(batch);
      } catch (err) {
        this.onError(err, batch.length);
      }
    });
    return this.flushing;
  }
}
