/**
 * The console as a browser reaches it from a test socnoc. Once app/start.ts mounts the console
 * module, socnoc itself serves it; until then this builds the same express app over the running
 * socnoc's stores with the correlation and console modules, on its own loopback port.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHttpApp, startHttpServer, type RunningHttpServer } from '../../core/http';
import { createLogger } from '../../core/logger';
import { correlationHttpModule } from '../../correlation/http';
import { consoleConfigSchema } from '../../dashboards/config';
import { consoleHttpModule } from '../../dashboards/http';
import { resolveConsoleDir } from '../../dashboards/static-console';
import type { TestSocnoc } from '../support/socnoc';

export interface ConsoleServer {
  baseUrl: string;
  /** True when socnoc served the console itself (the module is wired in app/start.ts). */
  wired: boolean;
  close(): Promise<void>;
}

export function requireBuiltConsole(): string {
  const dir = resolveConsoleDir('');
  if (dir === undefined || !existsSync(join(dir, 'index.html'))) {
    throw new Error('console e2e: no built console in dist/web; run `npm run build` (or `npx vite build --config dashboards/web/vite.config.mts`) first');
  }
  return dir;
}

export async function consoleServer(s: TestSocnoc, refreshSeconds = 1): Promise<ConsoleServer> {
  const dir = requireBuiltConsole();
  const probe = await fetch(`${s.baseUrl}/alerts`, { headers: { accept: 'text/html' } });
  if (probe.status === 200 && (await probe.text()).includes('id="root"')) return { baseUrl: s.baseUrl, wired: true, close: async () => undefined };
  const { running } = s;
  const config = consoleConfigSchema.parse({ dir, refreshSeconds });
  const logger = createLogger('silent');
  const app = createHttpApp({
    config: running.config,
    users: running.users,
    tokens: running.tokens,
    events: running.events,
    metrics: running.metrics.registry,
    logger,
    version: 'e2e',
    modules: [correlationHttpModule({ alerts: running.detection.alerts, catalog: running.detection }), consoleHttpModule({ config, agencies: running.config.agencies, logger })],
  });
  const http: RunningHttpServer = await startHttpServer(app, '127.0.0.1', 0);
  return { baseUrl: `http://127.0.0.1:${http.address().port}`, wired: false, close: () => http.close() };
}
