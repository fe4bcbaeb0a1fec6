/**
 * temporal: which referenced rules occurred within the window, in any order. Only each rule's
 * latest occurrence matters (it is the one most likely to share a window with the others), so
 * the state is one time and one event sample per referenced rule.
 */
import type { EcsEvent } from '../../../../core/event';
import { EventSample } from '../event-sample';
import { loadSample, saveSample, type CorrelationWindow, type Occurrence, type WindowState } from './window';

export class TemporalWindow implements CorrelationWindow {
  private readonly latest: Float64Array;
  private readonly firsts: Float64Array;
  private readonly counts: Float64Array;
  private readonly samples: EventSample[];
  private cutoff = -Infinity;

  constructor(refs: number, sampleSize: number) {
    this.latest = new Float64Array(refs).fill(Number.NaN);
    this.firsts = new Float64Array(refs).fill(Number.NaN);
    this.counts = new Float64Array(refs);
    this.samples = Array.from({ length: refs }, () => new EventSample(sampleSize));
  }

  add(o: Occurrence, cutoff: number): boolean {
    if (o.ts < cutoff) return false;
    if (cutoff > this.cutoff) this.cutoff = cutoff;
    const r = o.ref;
    if (o.ts < this.latest[r]) return true; // an older occurrence of a rule already seen later
    this.latest[r] = o.ts;
    this.firsts[r] = o.firstTs;
    this.counts[r] = o.count;
    this.samples[r].clear();
    this.samples[r].add(o.ts, o.events);
    return true;
  }

  private inWindow(r: number): boolean {
    return this.latest[r] >= this.cutoff;
  }

  /** Referenced rules seen within the window. */
  value(): number {
    let n = 0;
    for (let r = 0; r < this.latest.length; r++) if (this.inWindow(r)) n++;
    return n;
  }

  firstSeen(): number {
    let first = Number.NaN;
    for (let r = 0; r < this.latest.length; r++) if (this.inWindow(r) && !(this.firsts[r] >= first)) first = this.firsts[r];
    return first;
  }

  lastSeen(): number {
    let last = Number.NaN;
    for (let r = 0; r < this.latest.length; r++) if (this.inWindow(r) && !(this.latest[r] <= last)) last = this.latest[r];
    return last;
  }

  eventCount(): number {
    let n = 0;
    for (let r = 0; r < this.latest.length; r++) if (this.inWindow(r)) n += this.counts[r];
    return n;
  }

  sample(): EcsEvent[] {
    const entries = [];
    for (let r = 0; r < this.latest.length; r++) if (this.inWindow(r)) entries.push(...this.samples[r].entries());
    entries.sort((a, b) => a.ts - b.ts);
    return entries.map((e) => e.event);
  }

  reset(): void {
    this.latest.fill(Number.NaN);
    this.firsts.fill(Number.NaN);
    this.counts.fill(0);
    for (const s of this.samples) s.clear();
  }

  takeTruncated(): number {
    return 0;
  }

  save(): WindowState {
    return {
      kind: 'temporal',
      latest: Array.from(this.latest),
      firsts: Array.from(this.firsts),
      counts: Array.from(this.counts),
      cutoff: this.cutoff,
      samples: this.samples.map((s) => saveSample(s.entries())),
    };
  }

  load(state: Extract<WindowState, { kind: 'temporal' }>): void {
    this.reset();
    const n = Math.min(this.latest.length, state.latest.length);
    for (let r = 0; r < n; r++) {
      this.latest[r] = state.latest[r];
      this.firsts[r] = state.firsts[r];
      this.counts[r] = state.counts[r];
      if (state.samples[r]) loadSample(this.samples[r], state.samples[r]);
    }
    this.cutoff = Number.isFinite(state.cutoff) ? state.cutoff : -Infinity;
  }
}
