/**
 * The correlation capability's HTTP routes: alerts (search, one, triage, bulk changes,
 * suppressions) scoped by the caller's agencies, and the Sigma rules catalogue with its load
 * errors. Mounted by app/ through createHttpApp's `modules`.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { organizationsOf } from '../core/auth/principal';
import { grantPermission } from '../core/auth/roles';
import type { HttpModule } from '../core/http/deps';
import { HttpError, invalidParameter } from '../core/http/errors';
import type { OpenApiRegistry } from '../core/http/openapi';
import { defineRoute } from '../core/http/route';
import { timeQueryParam } from '../core/http/time-query-param';
import type { QueryNode } from '../core/query/ast';
import { parseQuery, QuerySyntaxError } from '../core/query/parse';
import { alertSchema, alertDetailSchema } from './alerts/alert-json';
import { ALERT_SORTS, AlertSearchCursorError } from './alerts/search';
import type { AlertStore } from './alerts/store';
import { registerSuppressionRoutes } from './alerts/suppression-routes';
import { alertDetail, registerTriageRoutes, type TriageDeps } from './alerts/triage-routes';
import { ALERT_SEVERITIES, ALERT_STATUSES } from './alerts/types';
import type { RuleCatalog, RuleSummary, RuleSwitch } from './runtime/types';
import { auditContext } from '../core/http/audit-trail';

/** Reading the rule catalogue and its load errors: analysts tune, NOC operators see NOC rules, auditors check coverage. */
grantPermission('rules:read', ['soc_analyst', 'noc_operator', 'auditor']);
/** Switching rules on and off: analysts tune noisy rules (admin always may). */
grantPermission('rules:manage', ['soc_analyst']);

export const DEFAULT_ALERT_LIMIT = 100;
export const MAX_ALERT_LIMIT = 1000;
const MAX_RULE_LIMIT = 10_000;
const MAX_QUERY_LENGTH = 10_000;

export interface CorrelationHttpDeps extends TriageDeps {
  alerts: AlertStore;
  /** The running detection engine (rules, load errors; switching rules when it offers RuleSwitch). */
  catalog: RuleCatalog & Partial<RuleSwitch>;
  /** Clock for relative times (now-15m); replaceable in tests. */
  now?: () => number;
}

const ruleSchema = z.object({
  kind: z.enum(['rule', 'correlation']),
  id: z.string().nullable(),
  name: z.string().nullable(),
  title: z.string(),
  level: z.string().nullable(),
  status: z.string().nullable(),
  logsource: z.object({ product: z.string().optional(), category: z.string().optional(), service: z.string().optional() }).nullable(),
  type: z.string().nullable().describe('correlation type (event_count, value_count, temporal...)'),
  tags: z.array(z.string()),
  enabled: z.boolean().describe('false when listed in correlation.sigma.disabled or switched off through the API'),
  disabled_by: z.enum(['config', 'api']).nullable().describe('why a rule does not run: correlation.sigma.disabled, or PATCH /rules/{id}'),
  standalone: z.boolean().describe('false when the rule only feeds correlation rules'),
  ruleset: z.string(),
  file: z.string(),
  line: z.number().int(),
  previous_version: z.boolean().describe('the current file fails to load; its last good version is running'),
});

const ruleErrorSchema = z.object({
  file: z.string(),
  line: z.number().int().describe('1-based; 0 when the whole file is concerned'),
  kind: z.string().describe('yaml, schema, detection, condition, modifier, value, reference, duplicate, unsupported, io'),
  reason: z.string(),
  document: z.string().nullable().describe('title of the rule concerned, when known'),
  status: z.string().nullable(),
  ruleset: z.string().nullable(),
  kept_previous: z.boolean().describe("the file's last good version keeps running"),
});

/** `a,b` or repeated parameters → a list of free values (ids, names), each at most 200 characters. */
function textList(what: string): z.ZodType<string[] | undefined, string | string[] | undefined> {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((input, ctx) => {
      if (input === undefined) return undefined;
      const items = (Array.isArray(input) ? input : [input]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
      if (items.length === 0) return undefined;
      if (items.length > 100 || items.some((i) => i.length > 200)) {
        ctx.addIssue({ code: 'custom', message: `at most 100 ${what} values of 200 characters` });
        return z.NEVER;
      }
      return items;
    })
    .describe(`one or more ${what}, comma-separated`) as z.ZodType<string[] | undefined, string | string[] | undefined>;
}

/** `a,b` or repeated parameters → a validated list. */
function enumList<T extends string>(values: readonly T[], what: string): z.ZodType<T[] | undefined, string | string[] | undefined> {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((input, ctx) => {
      if (input === undefined) return undefined;
      const items = (Array.isArray(input) ? input : [input]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
      if (items.length === 0) return undefined;
      for (const item of items) {
        if (!(values as readonly string[]).includes(item)) {
          ctx.addIssue({ code: 'custom', message: `unknown ${what} "${item.slice(0, 40)}"; expected ${values.join(', ')}` });
          return z.NEVER;
        }
      }
      return items as T[];
    })
    .describe(`one or more of ${values.join(', ')}, comma-separated`) as z.ZodType<T[] | undefined, string | string[] | undefined>;
}

function parseQueryParam(q: string | undefined): QueryNode | undefined {
  if (q === undefined || q.trim() === '') return undefined;
  try {
    return parseQuery(q);
  } catch (err) {
    if (err instanceof QuerySyntaxError) throw new HttpError(400, 'query_syntax', err.message, { parameter: 'q', position: err.position });
    throw err;
  }
}

/** Input errors found only when the search runs: a foreign cursor, an uncomparable query value. */
function searchErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof AlertSearchCursorError) throw invalidParameter('cursor', err.message);
    if ((err as Error).name === 'QueryCompileError') throw new HttpError(400, 'invalid_query', (err as Error).message, { parameter: 'q' });
    throw err;
  }
}

function ruleJson(r: RuleSummary, catalog: Partial<RuleSwitch>): z.infer<typeof ruleSchema> {
  return {
    kind: r.kind,
    id: r.id ?? null,
    name: r.name ?? null,
    title: r.title,
    level: r.level ?? null,
    status: r.status ?? null,
    logsource: r.logsource ?? null,
    type: r.type ?? null,
    tags: [...r.tags],
    enabled: r.enabled,
    disabled_by: r.enabled ? null : (catalog.disabledBy?.(r) ?? 'config'),
    standalone: r.standalone,
    ruleset: r.ruleset,
    file: r.file,
    line: r.line,
    previous_version: r.previousVersion,
  };
}

export function correlationHttpModule(deps: CorrelationHttpDeps): HttpModule {
  return {
    name: 'correlation',
    register(router: Router, api: OpenApiRegistry): void {
      registerAlertRoutes(router, api, deps);
      registerRuleRoutes(router, api, deps.catalog);
    },
  };
}

function registerAlertRoutes(router: Router, api: OpenApiRegistry, deps: CorrelationHttpDeps): void {
  const { alerts } = deps;
  const now = deps.now ?? Date.now;
  const time = (meaning: string): z.ZodType<number | undefined, string | undefined> => timeQueryParam(meaning, now);
  // Fixed paths first: /alerts/suppressions and /alerts/bulk must not be taken for an alert id.
  registerSuppressionRoutes(router, api, alerts, now);
  registerTriageRoutes(router, api, deps);

  defineRoute(router, api, {
    method: 'get',
    path: '/alerts',
    summary: 'Search alerts, most recently seen first',
    description:
      'Limited to the caller\'s agencies (admin: all). `q` uses the event query language over the alert (`rule.name`, `rule.id`, `severity`, `status`, `mappings.attack.techniques`, `count`, `group_key`…) and its first event\'s ECS fields (`source.ip`, `user.name`…); free text searches the rule title, tags, group values and first message. `from`/`to` select alerts active in that range (last_seen >= from, first_seen < to). Pass `next` back as `cursor` with the same parameters for the following page.',
    tags: ['alerts'],
    permission: 'alerts:read',
    query: z.object({
      q: z.string().max(MAX_QUERY_LENGTH).optional().describe('query, e.g. `rule.name:*brute* and source.ip:203.0.113.45`; empty matches all'),
      status: enumList(ALERT_STATUSES, 'status'),
      severity: enumList(ALERT_SEVERITIES, 'severity'),
      from: time('alerts seen at or after'),
      to: time('alerts first seen before'),
      assignee: textList('usernames (- for unassigned)'),
      rule: textList('rule ids'),
      agency: textList('agency ids (within your own)'),
      tactic: textList('ATT&CK tactics, e.g. credential-access'),
      technique: textList('ATT&CK techniques, e.g. T1110 (with its sub-techniques) or T1110.001'),
      sort: z.enum(ALERT_SORTS).default('last_seen').describe('last_seen (default), first_seen, severity (then last_seen) or count (then last_seen)'),
      order: z.enum(['desc', 'asc']).default('desc'),
      limit: z.coerce.number().int().min(1).max(MAX_ALERT_LIMIT).default(DEFAULT_ALERT_LIMIT).describe(`alerts per page, at most ${MAX_ALERT_LIMIT}`),
      cursor: z.string().min(1).max(1024).optional().describe('the `next` value of the previous page'),
      view: z.enum(['full', 'summary']).default('full').describe('summary leaves out the sample events and event ids (lists, queues: a fraction of the bytes)'),
    }),
    responses: {
      200: {
        description: 'a page of alerts',
        schema: z.object({
          total: z.number().int().describe('alerts matching in all'),
          alerts: z.array(alertSchema),
          next: z.string().nullable().describe('cursor for the next page; null on the last'),
        }),
      },
    },
    handler: ({ principal, query }) => {
      if (query.from !== undefined && query.to !== undefined && query.from >= query.to) throw invalidParameter('from', 'must be before "to"');
      const search = {
        query: parseQueryParam(query.q),
        statuses: query.status,
        severities: query.severity,
        from: query.from,
        to: query.to,
        assignees: query.assignee?.map((a) => (a === '-' ? null : a)),
        ruleIds: query.rule,
        agencies: query.agency,
        tactics: query.tactic,
        techniques: query.technique,
        sort: query.sort,
        order: query.order,
        organizations: organizationsOf(principal),
        limit: query.limit,
        cursor: query.cursor,
      };
      const page = searchErrors(() => alerts.search(search));
      const list = query.view === 'summary' ? page.alerts.map((a) => ({ ...a, events: [], event_ids: [] })) : page.alerts;
      return { total: page.total, alerts: list, next: page.next };
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/alerts/:id',
    summary: 'One alert, with its history and comments',
    description: 'An alert of an agency the caller cannot see answers 404, as one that does not exist.',
    tags: ['alerts'],
    permission: 'alerts:read',
    params: z.object({ id: z.string().min(1).max(100) }),
    responses: { 200: { description: 'the alert', schema: alertDetailSchema }, 404: { description: 'no such alert in your agencies' } },
    handler: ({ principal, params }) => alertDetail(alerts, params.id, organizationsOf(principal)),
  });
}

function registerRuleRoutes(router: Router, api: OpenApiRegistry, catalog: RuleCatalog & Partial<RuleSwitch>): void {
  defineRoute(router, api, {
    method: 'get',
    path: '/rules',
    summary: 'Loaded detection and correlation rules',
    description: 'Every rule the last load accepted, enabled or not, in load order. Rejected rules are listed by GET /api/v1/rules/errors.',
    tags: ['rules'],
    permission: 'rules:read',
    query: z.object({
      search: z.string().max(200).optional().describe('case-insensitive substring of the id, title, tags or file'),
      kind: z.enum(['rule', 'correlation']).optional(),
      ruleset: z.string().max(100).optional(),
      level: z.enum(ALERT_SEVERITIES).optional(),
      enabled: z.enum(['true', 'false']).optional(),
      limit: z.coerce.number().int().min(1).max(MAX_RULE_LIMIT).default(1000).describe(`rules per page, at most ${MAX_RULE_LIMIT}`),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    responses: {
      200: {
        description: 'rules, with the load summary',
        schema: z.object({
          total: z.number().int().describe('rules matching the filters'),
          loaded_at: z.string().nullable(),
          errors: z.number().int().describe('documents rejected by the last load'),
          rules: z.array(ruleSchema),
        }),
      },
    },
    handler: ({ query }) => {
      const needle = query.search?.toLowerCase();
      const matches = catalog.rules().filter((r) => {
        if (query.kind !== undefined && r.kind !== query.kind) return false;
        if (query.ruleset !== undefined && r.ruleset !== query.ruleset) return false;
        if (query.level !== undefined && r.level !== query.level) return false;
        if (query.enabled !== undefined && r.enabled !== (query.enabled === 'true')) return false;
        if (needle !== undefined && needle !== '') {
          const hay = [r.id ?? '', r.title, r.file, ...r.tags].join('\n').toLowerCase();
          if (!hay.includes(needle)) return false;
        }
        return true;
      });
      const info = catalog.loadInfo();
      return {
        total: matches.length,
        loaded_at: info.loadedAt > 0 ? new Date(info.loadedAt).toISOString() : null,
        errors: info.errors,
        rules: matches.slice(query.offset, query.offset + query.limit).map((r) => ruleJson(r, catalog)),
      };
    },
  });

  defineRoute(router, api, {
    method: 'patch',
    path: '/rules/:id',
    summary: 'Switch a rule on or off',
    description:
      'By rule id (or title, for rules without one). The switch is kept across restarts and the rules reload at once; the answer is the rule after the reload. A rule listed in correlation.sigma.disabled stays off until removed from the configuration (409).',
    tags: ['rules'],
    permission: 'rules:manage',
    params: z.object({ id: z.string().min(1).max(300) }),
    body: z.object({ enabled: z.boolean() }).strict(),
    responses: {
      200: { description: 'the rule after the reload', schema: ruleSchema },
      404: { description: 'no loaded rule with this id' },
      409: { description: 'disabled in the configuration' },
    },
    handler: async ({ principal, params, body, res }) => {
      const setRuleEnabled = catalog.setRuleEnabled;
      if (setRuleEnabled === undefined) throw new HttpError(404, 'not_found', 'rules cannot be switched on this server');
      const before = catalog.rules().find((r) => r.id === params.id) ?? catalog.rules().find((r) => r.id === undefined && r.title === params.id);
      if (before === undefined) throw new HttpError(404, 'not_found', `rule "${params.id.slice(0, 100)}" is not loaded`);
      auditContext(res, { action: 'rule.update', object: { type: 'rule', id: before.id ?? before.title }, details: { title: before.title, enabled: { from: before.enabled, to: body.enabled } } });
      if (body.enabled && catalog.disabledBy?.(before) === 'config') {
        throw new HttpError(409, 'conflict', `rule "${before.title}" is listed in correlation.sigma.disabled; remove it there to enable it`);
      }
      const after = await setRuleEnabled.call(catalog, params.id, body.enabled, principal.user.username);
      if (after === undefined) throw new HttpError(404, 'not_found', `rule "${params.id.slice(0, 100)}" is no longer loaded`);
      return ruleJson(after, catalog);
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/rules/errors',
    summary: 'Rules the last load rejected, with file, line and reason',
    tags: ['rules'],
    permission: 'rules:read',
    responses: {
      200: {
        description: 'load errors, in file order',
        schema: z.object({
          total: z.number().int(),
          loaded_at: z.string().nullable(),
          files: z.number().int().describe('rule files read'),
          errors: z.array(ruleErrorSchema),
        }),
      },
    },
    handler: () => {
      const info = catalog.loadInfo();
      const errors = catalog.loadErrors().map((e) => ({
        file: e.file,
        line: e.line,
        kind: e.kind,
        reason: e.reason,
        document: e.document ?? null,
        status: e.status ?? null,
        ruleset: e.ruleset ?? null,
        kept_previous: e.previousKept,
      }));
      return { total: errors.length, loaded_at: info.loadedAt > 0 ? new Date(info.loadedAt).toISOString() : null, files: info.files, errors };
    },
  });
}
