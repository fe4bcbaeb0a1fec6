/**
 * Group commit for agent batches: batches that arrive while a publish is in progress are published
 * together as one bus batch when a slot frees, and each request is answered when its group is
 * durable. 10,000 agents send ~2,000 batches of ~10 events a second; one store append (a commit)
 * each held the server to ~55 batches a second, refusing the rest with 429, at a third of a core.
 * With nothing in progress a batch is published at once, so a quiet server adds no delay; under load
 * groups grow by themselves with the store's latency.
 */
import type { EcsEvent } from '../event';

interface Group {
  events: EcsEvent[];
  waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
}

export class PublishCoalescer {
  private readonly queued: Group[] = [];
  private inFlight = 0;

  constructor(
    private readonly publish: (events: EcsEvent[]) => Promise<void>,
    /** Publishes in progress at once (one committing while the next is handed over). */
    private readonly maxInFlight = 2,
    /** Events per group; a fuller group waits for the next slot with the ones after it. */
    private readonly maxEvents = 20_000,
  ) {}

  /** Resolves when the events were published (with others); rejects with the publish's error. */
  submit(events: EcsEvent[]): Promise<void> {
    return new Promise((resolve, reject) => {
      let group = this.queued[this.queued.length - 1];
      if (group === undefined || (group.events.length > 0 && group.events.length + events.length > this.maxEvents)) {
        group = { events: [], waiters: [] };
        this.queued.push(group);
      }
      for (let i = 0; i < events.length; i++) group.events.push(events[i]);
      group.waiters.push({ resolve, reject });
      this.pump();
    });
  }

  get pendingGroups(): number {
    return this.queued.length;
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queued.length > 0) {
      const group = this.queued.shift() as Group;
      this.inFlight++;
      Promise.resolve()
        .then(() => this.publish(group.events))
        .then(
          () => this.settle(group, undefined, true),
          (err: unknown) => this.settle(group, err, false),
        );
    }
  }

  private settle(group: Group, err: unknown, ok: boolean): void {
    this.inFlight--;
    for (const w of group.waiters) {
      if (ok) w.resolve();
      else w.reject(err);
    }
    this.pump();
  }
}
