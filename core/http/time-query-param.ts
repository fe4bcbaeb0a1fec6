/** The zod schema of a `from`/`to` query parameter, shared by every search route (events, alerts...). */
import { z } from 'zod';
import { parseTimeParam, TIME_PARAM_HELP } from './time-params';

export function timeQueryParam(meaning: string, now: () => number): z.ZodType<number | undefined, string | undefined> {
  return z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === '') return undefined;
      const ms = parseTimeParam(text, now());
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${text.slice(0, 60)}" is not a time; expected ${TIME_PARAM_HELP}` });
        return z.NEVER;
      }
      return ms;
    })
    .describe(`${meaning}: ${TIME_PARAM_HELP}`) as z.ZodType<number | undefined, string | undefined>;
}
