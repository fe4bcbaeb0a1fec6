/**
 * Epoch ms → ISO 8601 (`toISOString()` output) for the per-message event times, remembering the
 * text of the last few whole seconds. Date formatting costs ~0.3 µs; messages of one burst share a
 * handful of seconds (one per sending device clock and time zone), so a hit only appends the
 * milliseconds to a cached `YYYY-MM-DDTHH:MM:SS.` prefix. A single remembered value thrashed on the
 * bench mix: RFC 3164 and RFC 5424 senders interleave header times hours apart.
 */
const SLOTS = 4;
/** Date represents ±8.64e15 ms. */
const MAX_DATE_MS = 8.64e15;

export class IsoTimeCache {
  private readonly seconds = new Float64Array(SLOTS).fill(Number.NaN);
  private readonly prefixes = new Array<string>(SLOTS).fill('');
  private next = 0;
  private lastMs = Number.NaN;
  private lastIso = '';

  format(ms: number): string {
    if (ms === this.lastMs) return this.lastIso;
    // What Date does with a fractional time: truncate toward zero.
    const t = Math.trunc(ms);
    const second = Math.floor(t / 1000);
    const frac = t - second * 1000;
    let iso: string | undefined;
    for (let i = 0; i < SLOTS; i++) {
      if (this.seconds[i] === second) {
        iso = this.prefixes[i] + (frac < 10 ? '00' : frac < 100 ? '0' : '') + frac + 'Z';
        break;
      }
    }
    if (iso === undefined) {
      iso = new Date(t).toISOString();
      // Years outside 0000-9999 are written ±YYYYYY: not cached, they are clock garbage anyway.
      if (iso.length === 24) {
        this.seconds[this.next] = second;
        this.prefixes[this.next] = iso.slice(0, 20);
        this.next = (this.next + 1) % SLOTS;
      }
    }
    this.lastMs = ms;
    this.lastIso = iso;
    return iso;
  }

  /** `ms` formatted, or `fallback` when it is no time Date can represent (a device clock's garbage). */
  formatOr(ms: number | undefined, fallback: string): string {
    // NaN and ±Infinity fail the comparison too.
    return ms !== undefined && Math.abs(ms) <= MAX_DATE_MS ? this.format(ms) : fallback;
  }
}
