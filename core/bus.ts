/**
 * The bus between ingestion and its consumers (storage, correlation). Kept small so that NATS
 * JetStream can implement it: publish a batch durably, consume batches with an explicit ack.
 */
import type { EcsEvent } from './event';

/** Resolving acknowledges the batch; rejecting asks for redelivery. */
export type BatchHandler = (batch: EcsEvent[]) => Promise<void>;

export interface Subscription {
  unsubscribe(): Promise<void>;
}

export interface EventBus {
  /** Resolves once every consumer group has acknowledged the batch (in-process) or the bus has persisted it (JetStream). */
  publish(subject: string, batch: EcsEvent[]): Promise<void>;
  /** One handler per group receives each batch; several subscriptions in one group share the work. */
  subscribe(subject: string, group: string, handler: BatchHandler): Subscription;
  close(): Promise<void>;
}

/**
 * In-process bus: publish hands the batch to one member of each group and waits for all acks,
 * so the publisher's bounded queue is the only buffer and backpressure reaches the inputs.
 */
export class InProcessBus implements EventBus {
  private readonly groups = new Map<string, Map<string, { handlers: BatchHandler[]; next: number }>>();

  async publish(subject: string, batch: EcsEvent[]): Promise<void> {
    const groups = this.groups.get(subject);
    if (!groups || groups.size === 0) return;
    const acks: Promise<void>[] = [];
    for (const group of groups.values()) {
      const handler = group.handlers[group.next++ % group.handlers.length];
      acks.push(handler(batch));
    }
    await Promise.all(acks);
  }

  subscribe(subject: string, group: string, handler: BatchHandler): Subscription {
    let groups = this.groups.get(subject);
    if (!groups) {
      groups = new Map();
      this.groups.set(subject, groups);
    }
    let g = groups.get(group);
    if (!g) {
      g = { handlers: [], next: 0 };
      groups.set(group, g);
    }
    g.handlers.push(handler);
    const members = g;
    const all = groups;
    return {
      unsubscribe: async () => {
        const i = members.handlers.indexOf(handler);
        if (i >= 0) members.handlers.splice(i, 1);
        if (members.handlers.length === 0) all.delete(group);
      },
    };
  }

  async close(): Promise<void> {
    this.groups.clear();
  }
}
