/**
 * The playbooks capability: load the playbooks, run them on alert changes, serve their API.
 * app/ calls createPlaybooks with its dependencies and connects the detection engine:
 *   detection.onAlerts((changes) => playbooks.runner.onAlertChanges(changes, detection.alerts));
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Metrics } from '../core/metrics';
import type { SqliteDb } from '../core/store/sqlite';
import { actionRegistry } from './actions';
import { createEmailSender } from './actions/email-transport';
import type { Action, EmailSender } from './actions/types';
import type { PlaybooksConfig, SmtpConfig } from './config';
import { playbooksHttpModule } from './http';
import { builtinPlaybooksDir, loadPlaybooks, type LoadedPlaybooks, type PlaybookSource } from './loader';
import type { PlaybookPorts } from './ports';
import { PlaybookRunner } from './runner';
import type { HttpModule } from '../core/http/deps';

export interface PlaybooksDeps {
  /** The playbooks database (runs and steps), e.g. `<dataDir>/playbooks.db`, opened by the caller. */
  db: SqliteDb;
  logger: Logger;
  metrics: Metrics;
  ports: PlaybookPorts;
  /** Extra actions (extensions, tests). */
  actions?: readonly Action[];
  /** Replaces the SMTP sender (tests). */
  email?: EmailSender;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface PlaybooksSettings {
  playbooks: PlaybooksConfig;
  smtp: SmtpConfig;
  socEmail: readonly string[];
  /** Agency names by id, for alerts whose events carried only the id (flows, agents, SNMP). */
  agencyNames?: ReadonlyMap<string, string>;
}

export interface Playbooks {
  runner: PlaybookRunner;
  /** Re-reads the playbook folders; returns what loaded. */
  reload(): LoadedPlaybooks;
  http: HttpModule;
  stop(): Promise<void>;
}

export function playbookSources(config: PlaybooksConfig): PlaybookSource[] {
  const sources: PlaybookSource[] = [];
  if (config.includeBuiltin) sources.push({ path: builtinPlaybooksDir(), source: 'builtin' });
  for (const p of config.paths) sources.push({ path: resolve(p), source: p });
  return sources;
}

export function createPlaybooks(deps: PlaybooksDeps, settings: PlaybooksSettings): Playbooks {
  const logger = deps.logger.child({ component: 'playbooks' });
  const actions = actionRegistry(deps.actions);
  const runner = new PlaybookRunner(
    {
      db: deps.db,
      logger,
      registry: deps.metrics.registry,
      actions,
      now: deps.now,
      sleep: deps.sleep,
      services: {
        ports: deps.ports,
        config: settings.playbooks,
        smtp: settings.smtp,
        socEmail: settings.socEmail,
        agencyNames: settings.agencyNames ?? new Map<string, string>(),
        email: deps.email ?? createEmailSender(settings.smtp),
        logger,
        now: deps.now ?? Date.now,
      },
    },
    settings.playbooks,
  );
  const reload = (): LoadedPlaybooks => {
    const loaded = loadPlaybooks(playbookSources(settings.playbooks), new Set(actions.keys()));
    for (const e of loaded.errors) logger.warn({ file: e.file, line: e.line, playbook: e.playbook }, `playbook rejected: ${e.reason}`);
    runner.setPlaybooks(loaded);
    logger.info({ playbooks: loaded.playbooks.length, errors: loaded.errors.length }, 'playbooks loaded');
    return loaded;
  };
  reload();
  if (settings.playbooks.enabled) runner.start();
  return {
    runner,
    reload,
    http: playbooksHttpModule({ runner, alerts: deps.ports.alerts }),
    stop: () => runner.stop(),
  };
}

export { playbooksConfigSchema, smtpConfigSchema, socEmailSchema, type PlaybooksConfig, type SmtpConfig } from './config';
export type { PlaybookPorts, AuditSink, AuditRecord, AlertSource, IncidentPort, IntelPort, AssetPort, GeoIpPort, AgentCommandPort } from './ports';
export { PlaybookRunner } from './runner';
