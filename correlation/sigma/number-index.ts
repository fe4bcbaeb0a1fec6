/**
 * Prefilter for numeric equality on one field slot (`EventID: 4624`, `DestinationPort: [88, 389]`):
 * the rules posted under a number are marked when the field's value equals it, read the way
 * CompareTester reads it (arrays: any element; numeric strings parsed). Without it every rule
 * keyed only by an event id would run on every event of its logsource.
 */
import { postingCode, type MarkSink } from './literal-index';
import { toNumber } from './value-testers';

export class NumberIndex {
  private readonly postings = new Map<number, number[]>();

  constructor(readonly slot: number) {}

  /** Marks group `group` of rule entry `entry` whenever the field equals `value`. */
  addPosting(value: number, entry: number, group = 0): void {
    const code = postingCode(entry, group);
    let list = this.postings.get(value);
    if (list === undefined) this.postings.set(value, (list = []));
    if (!list.includes(code)) list.push(code);
  }

  /** Marks in `sink` the entries posted under the field's value(s). */
  mark(raw: unknown, sink: MarkSink): void {
    if (Array.isArray(raw)) {
      for (const v of raw) this.markOne(v, sink);
    } else if (raw !== undefined) this.markOne(raw, sink);
  }

  private markOne(v: unknown, sink: MarkSink): void {
    const list = this.postings.get(toNumber(v));
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) sink.mark(list[i]);
  }
}
