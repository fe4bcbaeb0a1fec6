/** Dates as Vietnamese forms print them (dd/mm/yyyy hh:mm), in the configured time zone. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws RangeError naming the zone when it is unknown (checked once at start). */
export function checkTimeZone(timeZone: string): void {
  try {
    formatter(timeZone);
  } catch {
    throw new RangeError(`incidents.reporting.timeZone: unknown time zone "${timeZone}"`);
  }
}

function parts(ms: number, timeZone: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) out[p.type] = p.value;
  return out;
}

/** `27/11/2026 14:05 (GMT+7)` */
export function formatDateTime(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute} (${p.timeZoneName})`;
}

/** The calendar year at that instant in the zone (incident ids number per local year). */
export function yearIn(ms: number, timeZone: string): number {
  return Number(parts(ms, timeZone).year);
}
