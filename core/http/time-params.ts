/**
 * Time parameters of the search routes: ISO 8601 instants (UTC when no zone), plain dates (UTC midnight),
 * epoch milliseconds (what Grafana's $__from sends) and Kibana-style relative times (`now-15m`).
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+ -]\d{2}:?\d{2})?)?$/;
const RELATIVE = /^now(?:([+-])(\d{1,9})(ms|s|m|h|d|w))?$/;
const EPOCH_MS = /^\d{13}$/;
const DURATION = /^(\d{1,12})(ms|s|m|h|d|w)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Epoch milliseconds, or undefined when the text is none of the accepted forms (or names an impossible date). */
export function parseTimeParam(text: string, now: number): number | undefined {
  const rel = RELATIVE.exec(text);
  if (rel) {
    if (rel[1] === undefined) return now;
    const offset = Number(rel[2]) * UNIT_MS[rel[3]];
    return rel[1] === '-' ? now - offset : now + offset;
  }
  if (EPOCH_MS.test(text)) return Number(text);
  const m = ISO_INSTANT.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (m[4] === undefined) return Date.UTC(year, month - 1, day);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  let ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis);
  const zone = m[8];
  // No zone means UTC, as Elasticsearch reads such dates. A space stands for '+': an unencoded '+'
  // in a query string arrives as a space.
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const zh = Number(digits.slice(0, 2));
    const zm = Number(digits.slice(2));
    if (zh > 23 || zm > 59) return undefined;
    ms -= sign * (zh * 60 + zm) * 60_000;
  }
  return ms;
}

export const TIME_PARAM_HELP = 'an ISO 8601 time (2025-03-01T08:00:00Z, 2025-03-01T15:00:00+07:00; UTC without a zone), a date (2025-03-01), epoch milliseconds, or now / now-15m / now-24h';

/** `30s`, `5m`, `1h`, `1d`, `1w` or plain milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2] ?? 'ms'];
  return ms > 0 ? ms : undefined;
}

const NICE_INTERVALS = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 3 * 3600, 12 * 3600, 86_400, 7 * 86_400].map((s) => s * 1000);

/** The smallest round interval giving at most `maxBuckets` buckets over the span. */
export function autoInterval(spanMs: number, maxBuckets = 100): number {
  for (const interval of NICE_INTERVALS) if (spanMs / interval <= maxBuckets) return interval;
  return NICE_INTERVALS[NICE_INTERVALS.length - 1];
}
