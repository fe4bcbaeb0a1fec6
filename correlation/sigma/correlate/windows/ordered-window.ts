/**
 * temporal_ordered: the referenced rules occur in the order listed, all within the window.
 *
 * chains[k] is the best partial sequence matching rules 0..k: the one that started latest (so it
 * stays in the window longest). An occurrence of rule k extends chains[k-1] when that chain is
 * still in the window and ended no later than the occurrence; an occurrence of rule 0 starts a
 * new chain. With events in time order, keeping only the latest-starting chain per prefix finds a
 * complete sequence as soon as one exists. The engine applies one event's matches from the last
 * rule to the first, so a single event cannot advance a sequence by two steps.
 */
import type { EcsEvent } from '../../../../core/event';
import { EventSample } from '../event-sample';
import { loadSample, saveSample, type CorrelationWindow, type Occurrence, type WindowState } from './window';

interface Chain {
  /** Time of the first step (what the window is measured from). */
  start: number;
  /** First event time behind the first step (for reporting). */
  first: number;
  end: number;
  count: number;
  sample: EventSample;
}

export class OrderedWindow implements CorrelationWindow {
  private readonly chains: (Chain | undefined)[];
  private cutoff = -Infinity;

  constructor(
    refs: number,
    private readonly sampleSize: number,
  ) {
    this.chains = new Array<Chain | undefined>(refs).fill(undefined);
  }

  add(o: Occurrence, cutoff: number): boolean {
    if (o.ts < cutoff) return false;
    if (cutoff > this.cutoff) this.cutoff = cutoff;
    const k = o.ref;
    const current = this.chains[k];
    if (k === 0) {
      if (current === undefined || !(current.start > o.ts)) {
        const sample = new EventSample(this.sampleSize);
        sample.add(o.ts, o.events);
        this.chains[0] = { start: o.ts, first: o.firstTs, end: o.ts, count: o.count, sample };
      }
      return true;
    }
    const prev = this.chains[k - 1];
    if (prev === undefined || prev.start < cutoff || prev.end > o.ts) return true;
    if (current !== undefined && current.start >= cutoff && current.start >= prev.start) return true;
    const sample = new EventSample(this.sampleSize);
    sample.load(prev.sample.entries());
    sample.add(o.ts, o.events);
    this.chains[k] = { start: prev.start, first: prev.first, end: o.ts, count: prev.count + o.count, sample };
    return true;
  }

  /** The longest sequence prefix still in the window. */
  private longest(): Chain | undefined {
    for (let k = this.chains.length - 1; k >= 0; k--) {
      const c = this.chains[k];
      if (c !== undefined && c.start >= this.cutoff) return c;
    }
    return undefined;
  }

  /** Steps of the sequence completed in order within the window. */
  value(): number {
    for (let k = this.chains.length - 1; k >= 0; k--) {
      const c = this.chains[k];
      if (c !== undefined && c.start >= this.cutoff) return k + 1;
    }
    return 0;
  }

  firstSeen(): number {
    return this.longest()?.first ?? Number.NaN;
  }

  lastSeen(): number {
    return this.longest()?.end ?? Number.NaN;
  }

  eventCount(): number {
    return this.longest()?.count ?? 0;
  }

  sample(): EcsEvent[] {
    return this.longest()?.sample.events() ?? [];
  }

  reset(): void {
    this.chains.fill(undefined);
  }

  takeTruncated(): number {
    return 0;
  }

  save(): WindowState {
    return {
      kind: 'ordered',
      cutoff: this.cutoff,
      chains: this.chains.map((c) => (c === undefined ? null : { start: c.start, first: c.first, end: c.end, count: c.count, sample: saveSample(c.sample.entries()) })),
    };
  }

  load(state: Extract<WindowState, { kind: 'ordered' }>): void {
    this.reset();
    const n = Math.min(this.chains.length, state.chains.length);
    for (let k = 0; k < n; k++) {
      const c = state.chains[k];
      if (c === null) continue;
      const sample = new EventSample(this.sampleSize);
      loadSample(sample, c.sample);
      this.chains[k] = { start: c.start, first: c.first, end: c.end, count: c.count, sample };
    }
    this.cutoff = Number.isFinite(state.cutoff) ? state.cutoff : -Infinity;
  }
}
