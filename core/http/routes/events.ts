/**
 * Event search, histogram and top values. Every call is scoped to the caller's agencies: the
 * organizations filter comes from the principal, never from the request, so neither a query naming
 * another agency nor a cursor minted for someone else can widen it.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { organizationsOf, type Principal } from '../../auth/principal';
import { parseQuery, QuerySyntaxError } from '../../query/parse';
import type { QueryNode } from '../../query/ast';
import type { HttpAppDeps } from '../deps';
import { HttpError, invalidParameter } from '../errors';
import type { OpenApiRegistry } from '../openapi';
import { defineRoute } from '../route';
import { autoInterval, parseDuration } from '../time-params';
import { timeQueryParam } from '../time-query-param';

const TAGS = ['events'];
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
const MAX_QUERY_LENGTH = 10_000;
const MAX_BUCKETS = 10_000;
const FIELD_FORMAT = /^[A-Za-z0-9_@][A-Za-z0-9_@.-]{0,199}$/;

const ecsEventSchema = z
  .looseObject({
    '@timestamp': z.string(),
    message: z.string().optional(),
    event: z.looseObject({ id: z.string(), dataset: z.string().optional(), original: z.string().optional() }),
    organization: z.looseObject({ id: z.string() }).optional(),
  })
  .describe('an Elastic Common Schema event, nested as ECS nests it ({"source": {"ip": ...}})');

interface EventFilter {
  query: QueryNode | undefined;
  from: number | undefined;
  to: number | undefined;
  organizations: string[] | undefined;
}

/** Parses q, turning a syntax error into a 400 that names the parameter and the position. */
function parseQueryParam(q: string | undefined): QueryNode | undefined {
  if (q === undefined || q.trim() === '') return undefined;
  try {
    return parseQuery(q);
  } catch (err) {
    if (err instanceof QuerySyntaxError) {
      throw new HttpError(400, 'query_syntax', err.message, { parameter: 'q', position: err.position });
    }
    throw err;
  }
}

/**
 * Input errors a store finds only when it runs the search: a cursor it did not mint, a query value
 * it cannot compare (`@timestamp < "soon"`), too many histogram buckets over unbounded data.
 * Matched by name so every store implementation can raise the same kinds.
 */
async function storeCall<T>(run: () => Promise<T>, rangeParameter: string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const name = (err as Error).name;
    const message = (err as Error).message;
    if (name === 'EventSearchCursorError') throw new HttpError(400, 'invalid_parameter', `parameter "cursor": ${message}`, { parameter: 'cursor' });
    if (name === 'QueryCompileError') throw new HttpError(400, 'invalid_query', message, { parameter: 'q' });
    if (err instanceof RangeError) throw new HttpError(400, 'invalid_parameter', `parameter "${rangeParameter}": ${message}`, { parameter: rangeParameter });
    throw err;
  }
}

export function registerEventRoutes(router: Router, api: OpenApiRegistry, deps: HttpAppDeps): void {
  const { events } = deps;
  const now = deps.now ?? Date.now;

  const time = (meaning: string): z.ZodType<number | undefined, string | undefined> => timeQueryParam(meaning, now);

  const filterShape = {
    q: z.string().max(MAX_QUERY_LENGTH).optional().describe('query, e.g. `source.ip:10.1.2.3 and event.outcome:failure`; empty matches all'),
    from: time('inclusive lower bound on @timestamp'),
    to: time('exclusive upper bound on @timestamp'),
  };

  /** The store filter shared by the three routes. */
  function filter(principal: Principal, q: string | undefined, from: number | undefined, to: number | undefined): EventFilter {
    if (from !== undefined && to !== undefined && from >= to) throw invalidParameter('from', 'must be before "to"');
    return { query: parseQueryParam(q), from, to, organizations: organizationsOf(principal) };
  }

  defineRoute(router, api, {
    method: 'get',
    path: '/events',
    summary: 'Search events, newest first',
    description: 'Results are limited to the caller\'s agencies (admin: all). Pass `next` back as `cursor` with the same parameters for the following page.',
    tags: TAGS,
    permission: 'events:read',
    query: z.object({
      ...filterShape,
      limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).describe(`events per page, at most ${MAX_LIMIT}`),
      cursor: z.string().min(1).max(4096).optional().describe('the `next` value of the previous page'),
    }),
    responses: {
      200: {
        description: 'a page of events',
        schema: z.object({
          total: z.number().int().describe('events matching in all'),
          events: z.array(ecsEventSchema),
          next: z.string().nullable().describe('cursor for the next page; null on the last'),
        }),
      },
    },
    handler: async ({ principal, query }) => {
      const search = filter(principal, query.q, query.from, query.to);
      const result = await storeCall(() => events.search({ ...search, limit: query.limit, cursor: query.cursor }), 'limit');
      return { total: result.total, events: result.events, next: result.next };
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/events/histogram',
    summary: 'Event counts per time bucket',
    description: 'Without `interval`, one is chosen to give about 100 buckets between `from` and `to`. Buckets without events are returned with count 0 when both bounds are given.',
    tags: TAGS,
    permission: 'events:read',
    query: z.object({
      ...filterShape,
      interval: z.string().max(20).optional().describe('bucket width: 30s, 5m, 1h, 1d, 1w or milliseconds'),
    }),
    responses: {
      200: {
        description: 'buckets, oldest first',
        schema: z.object({
          intervalMs: z.number().int(),
          buckets: z.array(z.object({ start: z.string().describe('bucket start, ISO 8601'), count: z.number().int() })),
        }),
      },
    },
    handler: async ({ principal, query }) => {
      const search = filter(principal, query.q, query.from, query.to);
      let intervalMs: number;
      if (query.interval !== undefined && query.interval !== '') {
        const parsed = parseDuration(query.interval);
        if (parsed === undefined || parsed < 1000) throw invalidParameter('interval', `"${query.interval.slice(0, 20)}" is not a duration of at least 1s (30s, 5m, 1h, 1d)`);
        intervalMs = parsed;
      } else {
        intervalMs = search.from !== undefined && search.to !== undefined ? autoInterval(search.to - search.from) : 3_600_000;
      }
      const bounded = search.from !== undefined && search.to !== undefined;
      if (bounded && (search.to! - search.from!) / intervalMs > MAX_BUCKETS) {
        throw invalidParameter('interval', `gives more than ${MAX_BUCKETS} buckets between from and to; choose a wider one`);
      }
      const buckets = await storeCall(() => events.histogram({ ...search, intervalMs }), 'interval');
      const filled = bounded ? fillBuckets(buckets, search.from!, search.to!, intervalMs) : buckets;
      return { intervalMs, buckets: filled.map((b) => ({ start: new Date(b.start).toISOString(), count: b.count })) };
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/events/top',
    summary: 'Most frequent values of one field',
    tags: TAGS,
    permission: 'events:read',
    query: z.object({
      ...filterShape,
      field: z.string().regex(FIELD_FORMAT, 'expected an ECS field name such as source.ip').describe('ECS field, e.g. source.ip'),
      size: z.coerce.number().int().min(1).max(100).default(10).describe('how many values, at most 100'),
    }),
    responses: {
      200: {
        description: 'values with their counts, most frequent first',
        schema: z.object({ field: z.string(), values: z.array(z.object({ value: z.string(), count: z.number().int() })) }),
      },
    },
    handler: async ({ principal, query }) => {
      const search = filter(principal, query.q, query.from, query.to);
      const values = await storeCall(() => events.topValues({ ...search, field: query.field, size: query.size }), 'field');
      return { field: query.field, values };
    },
  });
}

/** Adds zero-count buckets so a chart of a quiet period shows zeros, not a gap. */
function fillBuckets(buckets: Array<{ start: number; count: number }>, from: number, to: number, intervalMs: number): Array<{ start: number; count: number }> {
  const counts = new Map<number, number>();
  for (const b of buckets) counts.set(b.start, (counts.get(b.start) ?? 0) + b.count);
  const out: Array<{ start: number; count: number }> = [];
  for (let start = Math.floor(from / intervalMs) * intervalMs; start < to; start += intervalMs) {
    out.push({ start, count: counts.get(start) ?? 0 });
    counts.delete(start);
  }
  // A store aligning buckets differently: keep its buckets rather than lose counts.
  for (const [start, count] of counts) out.push({ start, count });
  return out.sort((a, b) => a.start - b.start);
}
