/**
 * zod schemas for the three Sigma 2.1 document kinds (rule, correlation, meta filter), after the
 * JSON schemas in the specification. Metadata that does not change matching (dates, tag syntax,
 * id format) is accepted as written and only checked for type; anything that changes what a rule
 * matches (logsource, detection, condition, level/status values) is validated strictly.
 * Custom top-level attributes are allowed, as the specification says.
 */
import { z } from 'zod';

/** Metadata lists: the spec says list of strings; a lone string or number is taken as one item. */
const textList = z
  .union([z.array(z.union([z.string(), z.number(), z.boolean()])), z.string(), z.number()])
  .transform((v) => (Array.isArray(v) ? v.map(String) : [String(v)]));

const logsourceValue = z.union([z.string(), z.number()]).transform((v) => String(v));

export const logsourceSchema = z.looseObject({
  category: logsourceValue.optional(),
  product: logsourceValue.optional(),
  service: logsourceValue.optional(),
  definition: z.unknown().optional(),
});

const title = z.string({ error: 'title must be a string' }).min(1, 'title must not be empty').max(256, 'title exceeds 256 characters');
const identifier = z.union([z.string(), z.number()]).transform(String);

const commonAttributes = {
  title,
  id: identifier.optional(),
  name: z.string().max(256, 'name exceeds 256 characters').optional(),
  taxonomy: z.string().optional(),
  status: z.enum(['stable', 'test', 'experimental', 'deprecated', 'unsupported']).optional(),
  description: z.string().optional(),
  license: z.string().optional(),
  author: z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v.join(', ') : v)).optional(),
  references: textList.optional(),
  date: z.union([z.string(), z.number()]).transform(String).optional(),
  modified: z.union([z.string(), z.number()]).transform(String).optional(),
  falsepositives: textList.optional(),
  level: z.enum(['informational', 'low', 'medium', 'high', 'critical']).optional(),
  tags: textList.optional(),
};

const conditionSchema = z.union([z.string(), z.array(z.string()).min(1, 'condition list must not be empty')], {
  error: 'condition must be a string or a list of strings',
});

/** Search identifiers are validated by the compiler, which knows modifiers and value types. */
export const detectionSchema = z.record(z.string(), z.unknown()).superRefine((det, ctx) => {
  if (!('condition' in det)) ctx.addIssue({ code: 'custom', message: 'no condition', path: [] });
});

export const ruleSchema = z.looseObject({
  ...commonAttributes,
  related: z.array(z.looseObject({ id: identifier, type: z.enum(['derived', 'obsolete', 'merged', 'renamed', 'similar']) })).optional(),
  logsource: logsourceSchema,
  detection: detectionSchema,
  fields: textList.optional(),
  scope: textList.optional(),
});

const threshold = z.number({ error: 'a condition threshold must be a number' });

export const correlationSchema = z.looseObject({
  ...commonAttributes,
  generate: z.boolean().optional(),
  correlation: z.looseObject({
    type: z.enum(['event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile']),
    rules: z.union([z.string(), z.array(z.string()).min(1, 'rules must name at least one rule')]).transform((v) => (Array.isArray(v) ? v : [v])),
    'group-by': z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v])).optional(),
    timespan: z.string().regex(/^\d+[smhdwMy]$/, 'timespan must be a number followed by s, m, h, d, w, M or y (e.g. 90m)'),
    condition: z
      .strictObject({
        gt: threshold.optional(),
        gte: threshold.optional(),
        lt: threshold.optional(),
        lte: threshold.optional(),
        eq: threshold.optional(),
        neq: threshold.optional(),
        field: z.union([z.string(), z.array(z.string()).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])).optional(),
      })
      .optional(),
    aliases: z.record(z.string(), z.record(z.string(), z.string())).optional(),
    generate: z.boolean().optional(),
  }),
});

export const filterSchema = z.looseObject({
  ...commonAttributes,
  logsource: logsourceSchema,
  filter: z
    .record(z.string(), z.unknown())
    .superRefine((f, ctx) => {
      if (!('rules' in f)) ctx.addIssue({ code: 'custom', message: "filter has no 'rules' (list rule ids/names, or 'any')", path: [] });
      if (!('condition' in f)) ctx.addIssue({ code: 'custom', message: 'filter has no condition', path: [] });
      else if (typeof f.condition !== 'string') ctx.addIssue({ code: 'custom', message: 'filter condition must be a string', path: ['condition'] });
    }),
});

export { conditionSchema };
export type RuleInput = z.infer<typeof ruleSchema>;
export type CorrelationInput = z.infer<typeof correlationSchema>;
export type FilterInput = z.infer<typeof filterSchema>;

/** First-issue summary: `level: Invalid option…`, with the path for the line lookup. */
export function describeZodError(error: z.ZodError, data: unknown): { message: string; path: (string | number)[] } {
  const messages: string[] = [];
  for (const issue of error.issues.slice(0, 3)) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const where = path.length > 0 ? path.join('.') : 'document';
    const missing = issue.code === 'invalid_type' && valueAt(data, path) === undefined;
    messages.push(missing ? `missing required attribute '${where}'` : `${where}: ${issue.message}`);
  }
  if (error.issues.length > 3) messages.push(`(${error.issues.length - 3} more)`);
  const first = error.issues[0]?.path.filter((p): p is string | number => typeof p !== 'symbol') ?? [];
  return { message: messages.join('; '), path: first };
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let cur = data;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}
