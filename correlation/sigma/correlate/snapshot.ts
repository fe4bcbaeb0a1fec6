/**
 * The saved form of the engine's state, and its validation on the way back in (a snapshot comes
 * from disk, so it is checked like any external input). Numbers that were NaN or ±Infinity were
 * written by JSON as null and are read back as NaN; windows treat a NaN cutoff as "none".
 */
import { z } from 'zod';
import type { EcsEvent } from '../../../core/event';
import type { CorrelatorSnapshot } from './correlator';
import type { SampleState, WindowState } from './windows';

export interface CorrelationSnapshot {
  version: 1;
  savedAt: string;
  watermark: number | null;
  correlations: CorrelatorSnapshot[];
}

/** Any number, NaN and infinities included (a snapshot used without JSON keeps them); null → NaN. */
const num = z
  .union([z.custom<number>((v) => typeof v === 'number', 'expected a number'), z.null()])
  .transform((v) => (v === null ? Number.NaN : v));
const nums = z.array(num);
const eventSchema = z.custom<EcsEvent>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), 'a sampled event must be an object');
const sample: z.ZodType<SampleState, unknown> = z.object({ ts: nums, events: z.array(eventSchema) }).refine((s) => s.ts.length === s.events.length, 'sample times and events differ in length');

const windowSchema: z.ZodType<WindowState, unknown> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('count'), ts: nums, counts: nums, firsts: nums, occurrences: z.number(), total: z.number(), first: num, last: num, sample }),
  z.object({ kind: z.literal('distinct'), keys: z.array(z.string()), times: nums, counts: nums, cutoff: num, first: num, last: num, sample }),
  z.object({ kind: z.literal('sum'), ts: nums, nums, counts: nums, sum: z.number(), n: z.number(), events: z.number(), cutoff: num, first: num, last: num, sample }),
  z.object({ kind: z.literal('share'), ts: nums, keys: z.array(z.string()), fired: z.array(z.string()), firedTs: nums, cutoff: num, lastKey: z.string(), last: num, sample }),
  z.object({ kind: z.literal('temporal'), latest: nums, firsts: nums, counts: nums, cutoff: num, samples: z.array(sample) }),
  z.object({
    kind: z.literal('ordered'),
    cutoff: num,
    chains: z.array(z.object({ start: z.number(), first: num, end: z.number(), count: z.number(), sample }).nullable()),
  }),
]);

const snapshotSchema = z.object({
  version: z.literal(1),
  savedAt: z.string(),
  watermark: z.number().nullable(),
  correlations: z.array(
    z.object({
      key: z.string(),
      fingerprint: z.string(),
      groups: z.array(
        z.object({
          key: z.string(),
          values: z.array(z.string()),
          scope: z.string().nullable(),
          openedAt: z.number(),
          newest: z.number(),
          window: windowSchema,
        }),
      ),
    }),
  ),
});

export class CorrelationSnapshotError extends Error {}

export function parseCorrelationSnapshot(input: unknown): CorrelationSnapshot {
  const result = snapshotSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : 'snapshot';
    throw new CorrelationSnapshotError(`correlation state snapshot: ${where}: ${issue.message}`);
  }
  return result.data;
}
