/**
 * Epoch milliseconds -> ISO 8601 (`2026-11-27T03:00:00.123Z`), as Date#toISOString writes it, several
 * times faster: flow times cluster within a few seconds, so the `YYYY-MM-DDTHH:MM:SS` part is cached per
 * second (direct-mapped) and only the milliseconds are appended. toISOString was ~60% of normalization.
 */

const SLOTS = 256;
const MILLIS: string[] = Array.from({ length: 1000 }, (_, i) => '.' + String(i).padStart(3, '0') + 'Z');

export class IsoTimeFormatter {
  private readonly seconds = new Float64Array(SLOTS).fill(NaN);
  private readonly prefixes: string[] = new Array<string>(SLOTS).fill('');

  /** `ms` must be a valid Date time (|ms| <= 8.64e15). */
  format(ms: number): string {
    const second = Math.floor(ms / 1000);
    const slot = second & (SLOTS - 1);
    let prefix = this.prefixes[slot];
    if (this.seconds[slot] !== second) {
      prefix = new Date(second * 1000).toISOString().slice(0, -5);
      this.seconds[slot] = second;
      this.prefixes[slot] = prefix;
    }
    return prefix + MILLIS[ms - second * 1000];
  }
}
