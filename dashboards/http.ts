/**
 * The console's HTTP surface: the built single-page app at `/` (mountRoot) and small read routes
 * the app needs and core does not offer: the agencies the caller may see, with their display
 * names and counts, the rules' Vietnamese titles, and the console's settings.
 */
import type { Express, Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { grantPermission, hasPermission, type Permission } from '../core/auth/roles';
import { ALL_AGENCIES, type User } from '../core/auth/users';
import type { CoreConfig } from '../core/config';
import type { HttpModule } from '../core/http/deps';
import type { OpenApiRegistry } from '../core/http/openapi';
import { defineRoute } from '../core/http/route';
import type { ConsoleConfig } from './config';
import { mountConsole, resolveConsoleDir } from './static-console';

export interface ConsoleHttpDeps {
  config: ConsoleConfig;
  /** socnoc.yaml's agencies (id, display name). */
  agencies: CoreConfig['agencies'];
  logger: Logger;
  /** The user store, to count each agency's users on the agencies page; omitted: no counts. */
  users?: { list(): User[] };
  /** Vietnamese rule titles (x_socnoc_title_vi) by rule id, or title for rules without one: see ruleTitlesFrom; omitted: none. */
  ruleTitles?: () => ReadonlyMap<string, string>;
  /** Devices and agents per agency, counted where they are stored; a count is answered only to users holding its permission. */
  counts?: Partial<Record<AgencyCountName, AgencyCounter>>;
}

export type AgencyCountName = 'devices' | 'agents';

/** One count per agency id, by the store that holds the items (a GROUP BY or an in-memory tally, never a list sent over HTTP). */
export interface AgencyCounter {
  /** Who may see the count: the permission that reads the items themselves. */
  permission: Permission;
  perAgency(): ReadonlyMap<string, number>;
}

const DEFAULT_COUNT_PERMISSIONS: Readonly<Record<AgencyCountName, Permission>> = { devices: 'devices:read', agents: 'agents:read' };

/** A counter from a function, readable with the items' usual permission. */
export function agencyCounter(name: AgencyCountName, perAgency: () => ReadonlyMap<string, number>): AgencyCounter {
  return { permission: DEFAULT_COUNT_PERMISSIONS[name], perAgency };
}

/** Tallies items per agency id: for stores that hold their items in memory. */
export function tallyPerAgency<T>(items: Iterable<T>, agencyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const id = agencyOf(item);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

// Opens the console's agencies page to agency administrators (admin holds every permission); the
// agencies list itself is answered to every user, as it fills the agency selector.
grantPermission('agencies:read', ['agency_admin']);

const agencySchema = z.object({
  id: z.string(),
  name: z.string(),
  cidrs: z.array(z.string()).describe('source networks whose events belong to the agency (socnoc.yaml); empty for an id not configured there'),
  users: z.number().int().optional().describe('users given this agency (users watching every agency not counted); absent when the server does not count'),
  devices: z.number().int().optional().describe('monitored devices of the agency; absent without devices:read or when SNMP is not installed'),
  agents: z.number().int().optional().describe('enrolled endpoint agents of the agency; absent without agents:read or when agents are not installed'),
});
type AgencyJson = z.infer<typeof agencySchema>;

/** Users per agency id; users of every agency (`*`) and admins belong to none in particular. */
function usersPerAgency(users: readonly User[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const u of users) {
    for (const a of u.agencies) if (a !== ALL_AGENCIES) counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  return counts;
}

export function consoleHttpModule(deps: ConsoleHttpDeps): HttpModule {
  const { config, agencies, logger } = deps;
  return {
    name: 'console',
    register(router: Router, api: OpenApiRegistry): void {
      defineRoute(router, api, {
        method: 'get',
        path: '/console/agencies',
        summary: 'Agencies the caller may see, with display names and networks',
        description:
          'Admin: every configured agency. Others: their own agencies (an id not in socnoc.yaml is shown with its id as name). `devices` and `agents` are counted by their stores and answered to users who may read them.',
        tags: ['console'],
        responses: { 200: { description: 'agencies', schema: z.object({ agencies: z.array(agencySchema) }) } },
        handler: ({ principal }) => {
          const configured = new Map(agencies.map((a) => [a.id, a]));
          const ids = principal.agencies === 'all' ? [...configured.keys()] : principal.agencies;
          const counts = deps.users ? usersPerAgency(deps.users.list()) : undefined;
          const readable = (name: AgencyCountName): ReadonlyMap<string, number> | undefined => {
            const counter = deps.counts?.[name];
            return counter !== undefined && hasPermission(principal.user.role, counter.permission) ? counter.perAgency() : undefined;
          };
          const devices = readable('devices');
          const agents = readable('agents');
          const answer: AgencyJson[] = ids.map((id) => {
            const a = configured.get(id);
            const row: AgencyJson = { id, name: a?.name ?? id, cidrs: a?.cidrs ?? [] };
            if (counts) row.users = counts.get(id) ?? 0;
            if (devices) row.devices = devices.get(id) ?? 0;
            if (agents) row.agents = agents.get(id) ?? 0;
            return row;
          });
          return { agencies: answer };
        },
      });
      defineRoute(router, api, {
        method: 'get',
        path: '/console/rule-titles',
        summary: 'Vietnamese titles of the loaded rules that carry one (x_socnoc_title_vi)',
        description: 'Keys are rule ids (titles for rules without an id), as alerts name their rule; rules without a Vietnamese title are absent. Read once by the console in Vietnamese.',
        tags: ['console'],
        responses: { 200: { description: 'titles', schema: z.object({ titles: z.record(z.string(), z.string()) }) } },
        handler: () => ({ titles: Object.fromEntries(deps.ruleTitles?.() ?? []) }),
      });
      defineRoute(router, api, {
        method: 'get',
        path: '/console/settings',
        summary: 'Settings the web console reads at start',
        tags: ['console'],
        responses: { 200: { description: 'settings', schema: z.object({ refreshSeconds: z.number().int() }) } },
        handler: () => ({ refreshSeconds: config.refreshSeconds }),
      });
    },
    mountRoot(app: Express): void {
      if (!config.enabled) return;
      const dir = resolveConsoleDir(config.dir);
      if (dir === undefined) logger.warn({ dir: config.dir || 'dist/web' }, 'console: no built console found (run npm run build); / answers 503');
      else logger.info({ dir }, 'console: serving the web console at /');
      mountConsole(app, dir);
    },
  };
}
