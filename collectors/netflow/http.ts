/**
 * The flows capability's HTTP routes, over the per-minute aggregates: top-N talkers, ports, conversations
 * and agencies, and time series for an exporter, an interface or an address. Every answer is limited to
 * the caller's agencies (organization.id of the aggregate rows); admin sees all. Mounted by app/ through
 * createHttpApp's `modules`.
 */
import { isIP } from 'node:net';
import type { Router } from 'express';
import { z } from 'zod';
import { organizationsOf } from '../../core/auth/principal';
import type { HttpModule } from '../../core/http/deps';
import { invalidParameter } from '../../core/http/errors';
import type { OpenApiRegistry } from '../../core/http/openapi';
import { defineRoute } from '../../core/http/route';
import { timeQueryParam } from '../../core/http/time-query-param';
import { autoInterval, parseDuration } from '../../core/http/time-params';
import { FLOW_METRICS, FLOW_TOP_DIMENSIONS, type FlowAggregateReader } from './aggregate/aggregate-query';
import { HOUR_MS } from './aggregate/hour-rollup';
import { MINUTE_MS } from './aggregate/minute-aggregator';

export interface FlowsHttpDeps {
  /** The aggregates (FlowCollector.aggregates()); null answers empty results. */
  aggregates: FlowAggregateReader | null;
  /** Clock for relative times and defaults; replaceable in tests. */
  now?: () => number;
}

export const DEFAULT_TOP_LIMIT = 10;
export const MAX_TOP_LIMIT = 1000;
export const MAX_SERIES_POINTS = 10_000;
const DEFAULT_SPAN_MS = 3_600_000;

const ipParam = z
  .string()
  .max(64)
  .refine((s) => isIP(s) !== 0, 'not an IPv4 or IPv6 address')
  .optional();

const topEntrySchema = z.object({
  key: z.string().describe('the address, port, `a <-> b` conversation or agency id; `other` for flows folded when a minute held too many keys'),
  bytes: z.number().int().describe('already multiplied by the sampling rate'),
  packets: z.number().int().describe('already multiplied by the sampling rate'),
  flows: z.number().int(),
});

const pointSchema = z.object({
  time: z.string().describe('bucket start, ISO 8601'),
  bytes: z.number().int(),
  packets: z.number().int(),
  flows: z.number().int(),
});

interface Range {
  from: number;
  to: number;
}

function range(from: number | undefined, to: number | undefined, now: number): Range {
  const end = to ?? now;
  const start = from ?? end - DEFAULT_SPAN_MS;
  if (start >= end) throw invalidParameter('from', 'must be before "to"');
  return { from: start, to: end };
}

export function flowsHttpModule(deps: FlowsHttpDeps): HttpModule {
  return {
    name: 'flows',
    register(router: Router, api: OpenApiRegistry): void {
      registerFlowRoutes(router, api, deps);
    },
  };
}

function registerFlowRoutes(router: Router, api: OpenApiRegistry, deps: FlowsHttpDeps): void {
  const now = deps.now ?? Date.now;
  const time = (meaning: string): z.ZodType<number | undefined, string | undefined> => timeQueryParam(meaning, now);

  defineRoute(router, api, {
    method: 'get',
    path: '/flows/top',
    summary: 'Top talkers, destination ports, conversations or agencies over a time range',
    description:
      'From the per-minute flow aggregates, limited to the caller\'s agencies (admin: all). `from`/`to` default to the last hour; minutes are whole (a minute counts when it starts inside the range). Source ports above 1023 that are not service ports are folded to 0 in aggregates, so `destination.port` 0 means an ephemeral port or a protocol without ports. `conversation` joins both directions of an address pair.',
    tags: ['flows'],
    permission: 'flows:read',
    query: z.object({
      by: z.enum(FLOW_TOP_DIMENSIONS).describe('what to rank'),
      metric: z.enum(FLOW_METRICS).default('bytes').describe('ranking order'),
      from: time('flows in minutes starting at or after'),
      to: time('flows in minutes starting before'),
      limit: z.coerce.number().int().min(1).max(MAX_TOP_LIMIT).default(DEFAULT_TOP_LIMIT).describe(`entries, at most ${MAX_TOP_LIMIT}`),
      exporter: ipParam.describe('only flows exported by this device address'),
    }),
    responses: {
      200: {
        description: 'the top entries, highest first',
        schema: z.object({ from: z.string(), to: z.string(), by: z.string(), metric: z.string(), top: z.array(topEntrySchema) }),
      },
    },
    handler: ({ principal, query }) => {
      const r = range(query.from, query.to, now());
      const top =
        deps.aggregates === null
          ? []
          : deps.aggregates.top({ by: query.by, metric: query.metric, limit: query.limit, from: r.from, to: r.to, exporter: query.exporter, organizations: organizationsOf(principal) });
      return { from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString(), by: query.by, metric: query.metric, top };
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/flows/timeseries',
    summary: 'Bytes, packets and flows per time bucket for an exporter, an interface or an address',
    description:
      'From the per-minute flow aggregates, limited to the caller\'s agencies (admin: all). Filters combine: `exporter` (device address), `interface` (its ifIndex, with `exporter`; `direction` in, out or both), `ip` (flows from or to the address). Without filters, all flows the caller may see. Empty buckets are zeros. `interval` is whole minutes (`1m`, `5m`, `1h`); by default about 120 buckets, whole hours over ranges of 12 hours or more (hourly buckets starting on an hour are read from the hourly rollup, much faster).',
    tags: ['flows'],
    permission: 'flows:read',
    query: z.object({
      from: time('buckets from'),
      to: time('buckets before'),
      interval: z.string().max(20).optional().describe('bucket size: 1m, 5m, 15m, 1h, 1d (whole minutes)'),
      exporter: ipParam.describe('device address'),
      interface: z.coerce.number().int().min(1).max(0xffffffff).optional().describe('ifIndex on the exporter'),
      direction: z.enum(['in', 'out', 'both']).default('both').describe('with interface: flows entering, leaving, or either'),
      ip: ipParam.describe('flows from or to this address'),
    }),
    responses: {
      200: {
        description: 'the series, oldest bucket first',
        schema: z.object({ from: z.string(), to: z.string(), interval_seconds: z.number().int(), series: z.array(pointSchema) }),
      },
    },
    handler: ({ principal, query }) => {
      const r = range(query.from, query.to, now());
      if (query.interface !== undefined && query.exporter === undefined) throw invalidParameter('interface', 'needs "exporter": an ifIndex is local to one device');
      let intervalMs: number;
      if (query.interval === undefined) {
        intervalMs = Math.max(MINUTE_MS, autoInterval(r.to - r.from, 120));
        // Over half a day, whole hours: the hourly rollup answers them (minutes are ~60x more rows to read).
        if (r.to - r.from >= 12 * HOUR_MS) intervalMs = Math.ceil(intervalMs / HOUR_MS) * HOUR_MS;
      } else {
        const parsed = parseDuration(query.interval);
        if (parsed === undefined || parsed % MINUTE_MS !== 0) throw invalidParameter('interval', `"${query.interval.slice(0, 20)}" is not a whole number of minutes (1m, 5m, 1h)`);
        intervalMs = parsed;
      }
      // Buckets of whole hours start on the hour (so the rollup serves them); others on the minute.
      const start = intervalMs % HOUR_MS === 0 ? r.from - (r.from % HOUR_MS) : r.from - (r.from % MINUTE_MS);
      if ((r.to - start) / intervalMs > MAX_SERIES_POINTS) throw invalidParameter('interval', `gives more than ${MAX_SERIES_POINTS} buckets over the range; use a larger one`);
      const points =
        deps.aggregates === null
          ? []
          : deps.aggregates.series({
              from: start,
              to: r.to,
              intervalMs,
              exporter: query.exporter,
              ifIndex: query.interface,
              direction: query.direction,
              ip: query.ip,
              organizations: organizationsOf(principal),
            });
      return {
        from: new Date(start).toISOString(),
        to: new Date(r.to).toISOString(),
        interval_seconds: intervalMs / 1000,
        series: points.map((p) => ({ time: new Date(p.start).toISOString(), bytes: p.bytes, packets: p.packets, flows: p.flows })),
      };
    },
  });
}
