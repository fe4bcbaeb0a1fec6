/**
 * The incidents capability: alerts grouped into incidents, their lifecycle, SLA and regulatory
 * reporting clock, report documents and HTTP routes. app/ builds it with createIncidents and
 * connects the detection engine: `engine.onAlerts((changes) => incidents.onAlerts(changes))`.
 */
import type { Logger } from 'pino';
import type { Metrics } from '../../core/metrics';
import type { SqliteDb } from '../../core/store/sqlite';
import type { HttpModule } from '../../core/http/deps';
import type { AlertChange } from '../alerts/types';
import type { IncidentsConfig } from './config';
import { DeadlineMonitor } from './deadline-monitor';
import { GROUPING_ACTOR, IncidentGrouper, type GroupingAlertSource, type GroupingOutcome } from './grouper';
import { incidentsHttpModule } from './http';
import { incidentMetrics } from './metrics';
import { IncidentService, type AlertLookup } from './service';
import { IncidentStore } from './store';
import { checkTimeZone } from './time-format';
import type { DeadlineBreach } from './types';

export * from './types';
export { incidentsConfigSchema, defaultIncidentsConfig, type IncidentsConfig } from './config';
export { IncidentStore } from './store';
export { IncidentService, IncidentError, type AlertLookup, type IncidentOperations, type CreateIncidentInput, type UpdateIncidentInput, type TimelineEntryInput } from './service';
export { IncidentGrouper, GROUPING_ACTOR, type GroupingAlertSource, type GroupingOutcome } from './grouper';
export { DeadlineMonitor } from './deadline-monitor';
export { incidentsHttpModule } from './http';
export { REPORT_KINDS, reportObligations, type ReportKind } from './regulatory';
export { renderHtml, renderText } from './documents/render';
export { buildReportDocument, type ReportDocument } from './documents/build';

export interface IncidentsDeps {
  /** The database holding the alerts (incidents live beside them); opened and closed by the caller. */
  db: SqliteDb;
  logger: Logger;
  metrics: Metrics;
  /** Where alert ids resolve (the detection engine's AlertStore; its heads/eventIdsFrom make folds cheap). */
  alerts: AlertLookup & GroupingAlertSource;
  /** A deadline passed unmet: called once per incident and deadline (the lead raises an alert). */
  onBreach?: (breach: DeadlineBreach) => void;
  now?: () => number;
}

export interface Incidents {
  readonly store: IncidentStore;
  /** createIncident / updateIncident / addTimelineEntry for playbooks. */
  readonly service: IncidentService;
  readonly grouper: IncidentGrouper;
  readonly deadlines: DeadlineMonitor;
  readonly http: HttpModule;
  /** Groups the alerts of one detection batch (DetectionEngine.onAlerts listener). */
  onAlerts(changes: readonly AlertChange[]): GroupingOutcome[];
  stop(): Promise<void>;
}

export function createIncidents(deps: IncidentsDeps, config: IncidentsConfig): Incidents {
  checkTimeZone(config.reporting.timeZone);
  const log = deps.logger.child({ component: 'incidents' });
  const metrics = incidentMetrics(deps.metrics.registry);
  const store = new IncidentStore(deps.db);
  const onCreated = (_incident: unknown, actor: string): void => {
    metrics.created.inc({ source: actor === GROUPING_ACTOR ? 'grouping' : actor.startsWith('playbook:') ? 'playbook' : 'api' });
  };
  const service = new IncidentService({ store, alerts: deps.alerts, now: deps.now, onCreated }, config);
  const grouper = new IncidentGrouper(service, config, metrics);
  const onBreach =
    deps.onBreach ??
    ((b: DeadlineBreach): void => {
      log.warn({ incident: b.incident_id, deadline: b.key, due: b.due_at }, `incident ${b.incident_id}: deadline passed: ${b.item_title}`);
    });
  const deadlines = new DeadlineMonitor(service, onBreach, log, metrics);
  let timer: NodeJS.Timeout | undefined;
  if (config.enabled) {
    timer = setInterval(() => {
      try {
        deadlines.tick();
      } catch (err) {
        log.error({ err }, 'incident deadline check failed');
      }
    }, config.checkIntervalSeconds * 1000);
    timer.unref();
  }
  return {
    store,
    service,
    grouper,
    deadlines,
    http: incidentsHttpModule({ service }),
    onAlerts(changes) {
      if (!config.enabled || changes.length === 0) return [];
      try {
        return grouper.onAlerts(changes, deps.alerts);
      } catch (err) {
        log.error({ err, alerts: changes.length }, 'grouping alerts into incidents failed');
        return [];
      }
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
