/** `90s`, `30m`, `24h`, `7d`, `2w` → milliseconds (enrolment token lifetimes, command expiry). */
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDuration(text: string): number {
  const m = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (m === null) throw new Error(`duration "${text.slice(0, 40)}": expected a number and a unit s, m, h, d or w (e.g. 24h, 7d)`);
  const ms = Number(m[1]) * UNIT_MS[m[2]];
  if (ms <= 0) throw new Error(`duration "${text}": must be positive`);
  return ms;
}
