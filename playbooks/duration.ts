/** Durations in playbooks and config: `500ms`, `30s`, `5m`, `1h`, `2d`, or a number of seconds. */
import { z } from 'zod';

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 's']);
}

/** A zod schema that accepts a duration and yields milliseconds. */
export function durationSchema(max = 30 * 86_400_000): z.ZodType<number, string | number> {
  return z.union([z.string(), z.number()]).transform((input, ctx) => {
    const ms = parseDuration(input);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${String(input).slice(0, 40)}" is not a duration (e.g. 30s, 5m, 1h, 2d)` });
      return z.NEVER;
    }
    if (ms > max) {
      ctx.addIssue({ code: 'custom', message: `duration ${String(input)} exceeds the maximum of ${formatDuration(max)}` });
      return z.NEVER;
    }
    return ms;
  });
}

/** The nft/timeout form: `1h`, `90s`, `2d`. */
export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0 && ms > 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
