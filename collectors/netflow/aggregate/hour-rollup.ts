/**
 * Hourly rollup of the per-minute aggregates, so that a query over a day reads 24 hours of rows instead
 * of 1,440 minutes of them (conversations repeat minute after minute: an hour holds far fewer keys than
 * its 60 minutes together). Closed minutes are merged in memory, by the same key without the minute;
 * the hour is written when it closes (its end plus the grace), in one transaction, and marked done.
 *
 * Readers use an hour's rollup only when it is marked done, i.e. complete: the process ran for the whole
 * hour and every minute of it was written. A restart mid-hour, a failed minute write or stopping leaves
 * that hour unmarked, and readers use its minute rows instead: slower, never wrong. Minutes arriving
 * late for an hour already done are added to the rollup as extra rows (readers sum rows).
 *
 * Bounded like minutes: at most `maxKeysPerHour` keys per hour, further keys folded into one "other" row
 * per exporter and agency.
 */
import { FlowAggregateRow } from './minute-aggregator';
import { drainSteps, STEP_ITEMS, type Steps } from './slices';

export const HOUR_MS = 3_600_000;

export interface ClosedHour {
  hour: number;
  rows: FlowAggregateRow[];
  /** Every minute of the hour is in `rows`: mark the hour done. */
  complete: boolean;
}

class HourBucket {
  readonly rows = new Map<string, FlowAggregateRow>();
  readonly other = new Map<string, FlowAggregateRow>();
  constructor(
    readonly hour: number,
    readonly complete: boolean,
  ) {}
}

/** Hours closed complete recently, remembered so late minutes can be added to them. */
const DONE_MEMORY = 48;

export type MinuteMergeOutcome = 'merged' | 'late_for_done_hour' | 'late_for_partial_hour';

export class FlowHourRollup {
  private readonly hours = new Map<number, HourBucket>();
  private readonly done: number[] = [];
  private readonly closed = new Set<number>();
  overflowRows = 0;

  /** `startedAt`: when the aggregation started; hours that began before it cannot be complete. */
  constructor(
    private readonly maxKeysPerHour: number,
    private readonly startedAt: number,
  ) {}

  get openKeys(): number {
    let n = 0;
    for (const b of this.hours.values()) n += b.rows.size + b.other.size;
    return n;
  }

  /** Adds a written minute's rows to its hour. Late rows for a closed hour are not kept here: the caller writes them (done hour) or leaves them to the minute rows. */
  addMinute(minute: number, rows: readonly FlowAggregateRow[]): MinuteMergeOutcome {
    return drainSteps(this.addMinuteSteps(minute, rows));
  }

  /** addMinute pausing every STEP_ITEMS rows (slices.ts). */
  *addMinuteSteps(minute: number, rows: readonly FlowAggregateRow[]): Steps<MinuteMergeOutcome> {
    const hour = minute - (minute % HOUR_MS);
    if (this.closed.has(hour)) return this.done.includes(hour) ? 'late_for_done_hour' : 'late_for_partial_hour';
    let b = this.hours.get(hour);
    if (b === undefined) {
      b = new HourBucket(hour, this.startedAt <= hour);
      this.hours.set(hour, b);
    }
    for (let i = 0; i < rows.length; i++) {
      if (i % STEP_ITEMS === STEP_ITEMS - 1) yield;
      const r = rows[i];
      const key = r.exporter + '|' + r.org + '|' + r.src + '|' + r.dst + '|' + r.srcPort + '|' + r.dstPort + '|' + r.protocol + '|' + r.inIf + '|' + r.outIf;
      let h = b.rows.get(key);
      if (h === undefined) {
        // An "other" minute row (src '') stays an "other" hour row.
        if (b.rows.size < this.maxKeysPerHour && r.src !== '') {
          h = new FlowAggregateRow(hour, r.exporter, r.org, r.src, r.dst, r.srcPort, r.dstPort, r.protocol, r.inIf, r.outIf);
          b.rows.set(key, h);
        } else {
          const otherKey = r.exporter + '|' + r.org;
          h = b.other.get(otherKey);
          if (h === undefined) {
            h = new FlowAggregateRow(hour, r.exporter, r.org, '', '', 0, 0, 0, 0, 0);
            b.other.set(otherKey, h);
          }
          if (r.src !== '') this.overflowRows++;
        }
      }
      h.bytes += r.bytes;
      h.packets += r.packets;
      h.flows += r.flows;
    }
    return 'merged';
  }

  closeDue(nowMs: number, graceMs: number): ClosedHour[] {
    const due: HourBucket[] = [];
    for (const b of this.hours.values()) if (b.hour + HOUR_MS + graceMs <= nowMs) due.push(b);
    return this.close(due, true);
  }

  /** At stop: the open hours are partial (their rest will come after a restart), so never complete. */
  closeAll(): ClosedHour[] {
    return this.close([...this.hours.values()], false);
  }

  private close(due: HourBucket[], mayBeComplete: boolean): ClosedHour[] {
    due.sort((a, b) => a.hour - b.hour);
    const out: ClosedHour[] = [];
    for (const b of due) {
      this.hours.delete(b.hour);
      const complete = mayBeComplete && b.complete;
      this.closed.add(b.hour);
      if (complete) {
        this.done.push(b.hour);
        if (this.done.length > DONE_MEMORY) this.done.shift();
      }
      if (this.closed.size > DONE_MEMORY * 2) this.closed.delete(this.closed.values().next().value as number);
      const rows = [...b.rows.values()];
      for (const r of b.other.values()) rows.push(r);
      out.push({ hour: b.hour, rows, complete });
    }
    return out;
  }
}
