/**
 * The intel HTTP routes: feed status and manual refresh, indicator search, and lookups of values
 * (an analyst's paste, a playbook's `intel.lookup`). Feeds limited to some agencies are visible only
 * to users of one of those agencies (admin: all).
 */
import type { Router } from 'express';
import { z } from 'zod';
import type { Principal } from '../../core/auth/principal';
import { grantPermission } from '../../core/auth/roles';
import type { HttpModule } from '../../core/http/deps';
import { HttpError } from '../../core/http/errors';
import type { OpenApiRegistry } from '../../core/http/openapi';
import { defineRoute } from '../../core/http/route';
import type { FeedStatus, IntelFeeds } from './feeds/intel-feeds';
import { isActive } from './feed-index';
import type { IntelFeedView, IntelIndex, IntelMatch } from './intel-index';
import { INDICATOR_TYPES, type Indicator } from './types';

/** Reading feeds, indicators and lookups: analysts triage with them, auditors check the sources. */
grantPermission('intel:read', ['soc_analyst', 'auditor']);
/** Refreshing a feed on demand. */
grantPermission('intel:manage', ['soc_analyst']);

export interface IntelHttpDeps {
  index: IntelIndex;
  feeds: IntelFeeds;
  /** Most values per lookup request. */
  lookupMaxValues: number;
  now?: () => number;
}

const MAX_INDICATOR_LIMIT = 1000;

const issueSchema = z.object({ position: z.string(), reason: z.string() });

const feedSchema = z.object({
  name: z.string(),
  format: z.enum(['stix', 'misp', 'csv', 'txt']),
  source: z.string().describe('file path or URL (credentials removed)'),
  enabled: z.boolean(),
  state: z.enum(['disabled', 'loading', 'ok', 'failed']).describe('failed: the last read failed; the previous indicators (if any) keep matching'),
  indicators: z.number().int(),
  active: z.number().int().describe('indicators matching now (not expired, already valid)'),
  by_type: z.record(z.string(), z.number().int()),
  last_attempt: z.string().nullable(),
  last_success: z.string().nullable().describe('last read that succeeded, changed or not'),
  last_change: z.string().nullable().describe('last read that produced a new indicator set'),
  next_refresh: z.string().nullable(),
  last_error: z.string().nullable(),
  from_cache: z.string().nullable().describe('when the feed could not be read since the start: time of the read whose on-disk copy is matching'),
  refreshes: z.number().int(),
  failures: z.number().int(),
  duration_ms: z.number(),
  bytes: z.number().int(),
  rejected: z.object({
    invalid: z.number().int().describe('entries that could not be read'),
    unsupported: z.number().int().describe('well-formed entries socnoc cannot match (STIX AND patterns, other observable types)'),
    skipped: z.number().int().describe('left out on purpose: revoked, MISP to_ids false, older versions'),
    duplicates: z.number().int(),
  }),
  errors: z.array(issueSchema).describe('first invalid entries, with their position'),
  unsupported: z.array(issueSchema),
});

const indicatorSchema = z.object({
  type: z.enum(INDICATOR_TYPES),
  value: z.string(),
  feed: z.string(),
  confidence: z.number().int(),
  active: z.boolean(),
  first_seen: z.string().nullable(),
  last_seen: z.string().nullable().describe("the feed's last successful read"),
  valid_from: z.string().nullable(),
  valid_until: z.string().nullable().describe("own expiry, else the feed's default (last seen + expiryDays)"),
  name: z.string().nullable(),
  description: z.string().nullable(),
  labels: z.array(z.string()),
  attack: z.array(z.string()),
  tlp: z.string().nullable(),
  reference: z.string().nullable(),
  source: z.string().describe('STIX indicator id, MISP event, or list file'),
});

const matchSchema = indicatorSchema.extend({ matched: z.string().describe('the value looked up') });

function isoOrNull(epoch: number, unit: 'ms' | 's'): string | null {
  return epoch > 0 ? new Date(unit === 's' ? epoch * 1000 : epoch).toISOString() : null;
}

function visibleTo(principal: Principal, agencies: ReadonlySet<string> | readonly string[] | undefined): boolean {
  if (agencies === undefined || principal.agencies === 'all') return true;
  const mine = principal.agencies;
  for (const a of agencies) if (mine.includes(a)) return true;
  return false;
}

function indicatorJson(ind: Indicator, feed: IntelFeedView, now: number): z.infer<typeof indicatorSchema> {
  const meta = ind.meta;
  const until = ind.validUntil !== 0 ? ind.validUntil : feed.defaultUntil;
  return {
    type: ind.type,
    value: ind.value,
    feed: feed.name,
    confidence: ind.confidence,
    active: isActive(ind, now, feed.defaultUntil),
    first_seen: isoOrNull(ind.firstSeen, 's'),
    last_seen: isoOrNull(feed.lastSeen, 's'),
    valid_from: isoOrNull(ind.validFrom, 's'),
    valid_until: isoOrNull(until, 's'),
    name: meta.name ?? null,
    description: meta.description ?? null,
    labels: [...meta.labels],
    attack: [...meta.attack],
    tlp: meta.tlp ?? null,
    reference: meta.reference ?? null,
    source: meta.source,
  };
}

function feedJson(s: FeedStatus, view: IntelFeedView | undefined, now: number): z.infer<typeof feedSchema> {
  let active = 0;
  if (view !== undefined) for (const ind of view.index.all) if (isActive(ind, now, view.defaultUntil)) active++;
  return {
    name: s.name,
    format: s.format,
    source: s.source,
    enabled: s.enabled,
    state: s.state,
    indicators: s.indicators,
    active,
    by_type: { ...s.byType },
    last_attempt: isoOrNull(s.lastAttempt, 'ms'),
    last_success: isoOrNull(s.lastSuccess, 'ms'),
    last_change: isoOrNull(s.lastChange, 'ms'),
    next_refresh: isoOrNull(s.nextRefresh, 'ms'),
    last_error: s.lastError ?? null,
    from_cache: isoOrNull(s.fromCache, 'ms'),
    refreshes: s.refreshes,
    failures: s.failures,
    duration_ms: s.durationMs,
    bytes: s.bytes,
    rejected: { invalid: s.invalid, unsupported: s.unsupported, skipped: s.skipped, duplicates: s.duplicates },
    errors: s.errors,
    unsupported: s.unsupportedList,
  };
}

function indicatorMatches(ind: Indicator, needle: string): boolean {
  if (ind.value.includes(needle)) return true;
  const meta = ind.meta;
  if (meta.name !== undefined && meta.name.toLowerCase().includes(needle)) return true;
  for (const l of meta.labels) if (l.toLowerCase().includes(needle)) return true;
  return false;
}

export function intelHttpModule(deps: IntelHttpDeps): HttpModule {
  return {
    name: 'intel',
    register(router: Router, api: OpenApiRegistry): void {
      registerIntelRoutes(router, api, deps);
    },
  };
}

function registerIntelRoutes(router: Router, api: OpenApiRegistry, deps: IntelHttpDeps): void {
  const { index, feeds } = deps;
  const nowMs = deps.now ?? Date.now;
  const feedVisible = (principal: Principal, name: string): boolean => visibleTo(principal, feeds.config(name)?.agencies);

  defineRoute(router, api, {
    method: 'get',
    path: '/intel/feeds',
    summary: 'Threat intel feeds: state, indicator counts, last refresh and errors',
    tags: ['intel'],
    permission: 'intel:read',
    responses: { 200: { description: 'the configured feeds', schema: z.object({ feeds: z.array(feedSchema) }) } },
    handler: ({ principal }) => {
      const now = Math.floor(nowMs() / 1000);
      return { feeds: feeds.statuses().filter((s) => feedVisible(principal, s.name)).map((s) => feedJson(s, index.feed(s.name), now)) };
    },
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/intel/feeds/:name/refresh',
    summary: 'Re-read a feed now',
    description: 'Ignores the stored ETag/Last-Modified and file times. Answers once the read has finished, with the feed status (state `failed` and `last_error` when it did not work; the previous indicators keep matching).',
    tags: ['intel'],
    permission: 'intel:manage',
    params: z.object({ name: z.string().min(1).max(64) }),
    responses: { 200: { description: 'the feed after the read', schema: feedSchema }, 404: { description: 'no such feed' }, 409: { description: 'the feed is disabled' } },
    handler: async ({ principal, params }) => {
      const config = feeds.config(params.name);
      if (config === undefined || !feedVisible(principal, params.name)) throw new HttpError(404, 'not_found', `intel feed "${params.name}" does not exist`);
      if (!config.enabled) throw new HttpError(409, 'conflict', `intel feed "${params.name}" is disabled in the configuration`);
      const status = await feeds.refresh(params.name);
      if (status === undefined) throw new HttpError(404, 'not_found', `intel feed "${params.name}" does not exist`);
      return feedJson(status, index.feed(params.name), Math.floor(nowMs() / 1000));
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/intel/indicators',
    summary: 'Search loaded indicators',
    description: '`q` is a case-insensitive substring of the value, name or labels. Expired indicators are listed with `active: false`.',
    tags: ['intel'],
    permission: 'intel:read',
    query: z.object({
      q: z.string().max(500).optional(),
      type: z.enum(INDICATOR_TYPES).optional(),
      feed: z.string().max(64).optional(),
      active: z.enum(['true', 'false']).optional().describe('only matching (true) or only expired / not yet valid (false)'),
      limit: z.coerce.number().int().min(1).max(MAX_INDICATOR_LIMIT).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    responses: { 200: { description: 'a page of indicators', schema: z.object({ total: z.number().int(), indicators: z.array(indicatorSchema) }) } },
    handler: ({ principal, query }) => {
      const now = Math.floor(nowMs() / 1000);
      const needle = query.q?.trim().toLowerCase();
      const wantActive = query.active === undefined ? undefined : query.active === 'true';
      const page: z.infer<typeof indicatorSchema>[] = [];
      let total = 0;
      for (const view of index.allFeeds()) {
        if (query.feed !== undefined && view.name !== query.feed) continue;
        if (!visibleTo(principal, view.agencies)) continue;
        for (const ind of view.index.all) {
          if (query.type !== undefined && ind.type !== query.type) continue;
          if (needle !== undefined && needle !== '' && !indicatorMatches(ind, needle)) continue;
          if (wantActive !== undefined && isActive(ind, now, view.defaultUntil) !== wantActive) continue;
          if (total >= query.offset && page.length < query.limit) page.push(indicatorJson(ind, view, now));
          total++;
        }
      }
      return { total, indicators: page };
    },
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/intel/lookup',
    summary: 'Look values up in every feed',
    description: 'Each value may be an IPv4/IPv6 address, a domain (its parents are checked), a URL or an MD5/SHA-1/SHA-256 hash; defanged values (hxxp, [.]) are accepted. Only indicators that match now are returned.',
    tags: ['intel'],
    permission: 'intel:read',
    body: z.object({
      values: z.array(z.string().min(1).max(4096)).min(1).max(deps.lookupMaxValues),
      type: z.enum(INDICATOR_TYPES).optional().describe('the type of every value (default: guessed per value)'),
    }),
    responses: {
      200: {
        description: 'one result per value, in order',
        schema: z.object({ results: z.array(z.object({ value: z.string(), matched: z.boolean(), indicators: z.array(matchSchema) })) }),
      },
    },
    handler: ({ principal, body }) => {
      const ms = nowMs();
      const now = Math.floor(ms / 1000);
      const agencies = principal.agencies === 'all' ? undefined : principal.agencies;
      const results = body.values.map((value) => {
        const matches: IntelMatch[] = index.lookup(value, now, body.type, agencies);
        return { value, matched: matches.length > 0, indicators: matches.map((m) => ({ ...indicatorJson(m.indicator, m.feed, now), matched: m.value })) };
      });
      return { results };
    },
  });
}
