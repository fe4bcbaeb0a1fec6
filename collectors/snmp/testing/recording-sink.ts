/** An IngestSink for tests: keeps what it is offered, and can be made full. */
import pino from 'pino';
import type { EcsEvent } from '../../../core/event';
import type { InputStats } from '../../../core/metrics';
import type { IngestSink } from '../../../core/pipeline/types';

export class RecordingSink implements IngestSink {
  readonly events: EcsEvent[] = [];
  full = false;

  offer(event: EcsEvent, _input: InputStats): boolean {
    if (this.full) return false;
    this.events.push(event);
    return true;
  }

  onDrain(_listener: () => void): void {}

  /** Resolves once `predicate` holds, polling every 10 ms; fails after `timeoutMs` naming `what`. */
  async waitFor(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; have ${this.events.length} events`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

export const silentLogger = pino({ level: 'silent' });
