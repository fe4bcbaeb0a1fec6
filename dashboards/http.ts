/**
 * The console's HTTP surface: the built single-page app at `/` (mountRoot) and two small read
 * routes the app needs and core does not offer: the agencies the caller may see, with their
 * display names, and the console's settings.
 */
import type { Express, Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
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
}

const agencySchema = z.object({ id: z.string(), name: z.string() });

export function consoleHttpModule(deps: ConsoleHttpDeps): HttpModule {
  const { config, agencies, logger } = deps;
  return {
    name: 'console',
    register(router: Router, api: OpenApiRegistry): void {
      defineRoute(router, api, {
        method: 'get',
        path: '/console/agencies',
        summary: 'Agencies the caller may see, with display names',
        description: 'Admin: every configured agency. Others: their own agencies (an id not in socnoc.yaml is shown with its id as name).',
        tags: ['console'],
        responses: { 200: { description: 'agencies', schema: z.object({ agencies: z.array(agencySchema) }) } },
        handler: ({ principal }) => {
          const names = new Map(agencies.map((a) => [a.id, a.name]));
          const ids = principal.agencies === 'all' ? [...names.keys()] : principal.agencies;
          return { agencies: ids.map((id) => ({ id, name: names.get(id) ?? id })) };
        },
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
