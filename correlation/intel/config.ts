/** The `intel:` section of socnoc.yaml: threat intelligence feeds and how their indicators match. */
import { z } from 'zod';
import { ALERT_SEVERITIES } from '../alerts/types';
import { INDICATOR_TYPES } from './types';

export const FEED_FORMATS = ['stix', 'misp', 'csv', 'txt'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

const feedDefaults = {
  enabled: true,
  refreshMinutes: 60,
  confidence: 50,
  expiryDays: 30,
  timeoutSeconds: 30,
  maxBytes: 256 * 1024 * 1024,
  headers: {} as Record<string, string>,
  includeNonIds: false,
  delimiter: ',',
};

const feedSchema = z
  .object({
    /** Shown on alerts (`rule.id` intel:<name>) and in the API path; letters, digits, dot, dash, underscore. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'feed name: 1-64 letters, digits, dot, dash or underscore'),
    format: z.enum(FEED_FORMATS),
    /** A file, or for misp a feed folder holding manifest.json (or one event file). */
    path: z.string().min(1).optional(),
    /** http(s) URL of the document; for misp a feed folder URL ending in `/` (its manifest.json is read) or one event's URL. */
    url: z.url({ protocol: /^https?$/ }).optional(),
    enabled: z.boolean().default(feedDefaults.enabled),
    /** Minutes between refreshes; 0: loaded at start (and on POST …/refresh) only. */
    refreshMinutes: z.number().min(0).max(7 * 24 * 60).default(feedDefaults.refreshMinutes),
    /** Confidence (0-100) of indicators that state none. */
    confidence: z.number().int().min(0).max(100).default(feedDefaults.confidence),
    /** Indicators without their own expiry stop matching this many days after the feed last listed them; 0: never. */
    expiryDays: z.number().min(0).max(3650).default(feedDefaults.expiryDays),
    /** Alert level for this feed's matches; unset: from the indicator's confidence. */
    level: z.enum(ALERT_SEVERITIES).optional(),
    /** Agencies (organization.id) whose events this feed applies to; unset: all. */
    agencies: z.array(z.string().min(1)).optional(),
    /** HTTP request headers, e.g. `Authorization: <MISP key>` for a MISP instance. */
    headers: z.record(z.string(), z.string()).default(feedDefaults.headers),
    timeoutSeconds: z.number().positive().max(600).default(feedDefaults.timeoutSeconds),
    /** Largest document accepted (bytes). */
    maxBytes: z.number().int().positive().default(feedDefaults.maxBytes),
    /** txt/csv: every value has this type (else inferred per value or from the type column). */
    type: z.enum(INDICATOR_TYPES).optional(),
    /** csv: field delimiter. */
    delimiter: z.string().length(1).default(feedDefaults.delimiter),
    /** csv: header names of the value, type and confidence columns (default: the first known name present). */
    valueColumn: z.string().min(1).optional(),
    typeColumn: z.string().min(1).optional(),
    confidenceColumn: z.string().min(1).optional(),
    /** misp: also import attributes with to_ids false. */
    includeNonIds: z.boolean().default(feedDefaults.includeNonIds),
  })
  .strict()
  .refine((f) => (f.path === undefined) !== (f.url === undefined), { message: 'a feed needs exactly one of path or url' });
export type IntelFeedConfig = z.infer<typeof feedSchema>;

const defaults = {
  enabled: true,
  feeds: [] as IntelFeedConfig[],
  minConfidence: 0,
  maxParentLabels: 10,
  lookupMaxValues: 1000,
};

export const intelConfigSchema = z
  .object({
    /** Match events against the feeds' indicators. */
    enabled: z.boolean().default(defaults.enabled),
    feeds: z
      .array(feedSchema)
      .default(defaults.feeds)
      .refine((feeds) => new Set(feeds.map((f) => f.name)).size === feeds.length, { message: 'feed names must be unique' }),
    /** Matches of indicators below this confidence raise no alert (they still answer lookups). */
    minConfidence: z.number().int().min(0).max(100).default(defaults.minConfidence),
    /** Domain indicators match subdomains; a name's parents are checked up to this many labels from the top. */
    maxParentLabels: z.number().int().min(2).max(127).default(defaults.maxParentLabels),
    /** Most values in one POST /api/v1/intel/lookup. */
    lookupMaxValues: z.number().int().min(1).max(100_000).default(defaults.lookupMaxValues),
  })
  .strict()
  .default(defaults);

export type IntelConfig = z.infer<typeof intelConfigSchema>;
