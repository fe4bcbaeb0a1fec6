/**
 * Groups alerts into incidents after each detection batch. A new or updated alert:
 * 1. already in an incident: refreshes it (entities seen later, severity);
 * 2. else joins the oldest open incident of its agency that saw one of its entities (host, user,
 *    source/destination address) within the window, or shares an event with it (a correlation
 *    alert and the alerts it was built from);
 * 3. else opens an incident when its severity is at least the minimum, else stays alone.
 * Alerts are taken most severe first, then in the order given, and each batch is one transaction,
 * so the result is deterministic; the alert-id primary key makes a repeated change a no-op.
 */
import type { Alert, AlertChange } from '../alerts/types';
import { ALERT_SEVERITIES } from '../alerts/types';
import type { IncidentsConfig } from './config';
import type { IncidentMetrics } from './metrics';
import type { IncidentService } from './service';
import { severityRank } from './store';
import { ACTIVE_INCIDENT_STATUSES } from './types';

export const GROUPING_ACTOR = 'system:grouping';

export type GroupingResult = 'joined' | 'opened' | 'updated' | 'alone' | 'skipped';

export interface GroupingOutcome {
  alertId: string;
  result: GroupingResult;
  /** The incident joined, opened or updated. */
  incidentId?: string;
}

export class IncidentGrouper {
  private readonly windowMs: number;
  private readonly minRank: number;

  constructor(
    private readonly service: IncidentService,
    config: IncidentsConfig,
    private readonly metrics?: IncidentMetrics,
  ) {
    this.windowMs = config.grouping.windowHours * 3_600_000;
    this.minRank = ALERT_SEVERITIES.indexOf(config.grouping.minSeverity);
  }

  onAlerts(changes: readonly AlertChange[], getAlert: (id: string) => Alert | undefined): GroupingOutcome[] {
    const store = this.service.store;
    // Most severe first (stable): a batch's correlation alert opens the incident before the
    // low building-block alerts of the same batch look for one to join.
    const batch: Array<{ index: number; id: string; alert: Alert | undefined; rank: number }> = [];
    for (let i = 0; i < changes.length; i++) {
      const alert = getAlert(changes[i].id);
      batch.push({ index: i, id: changes[i].id, alert, rank: alert === undefined ? -1 : severityRank(alert.severity) });
    }
    batch.sort((a, b) => b.rank - a.rank || a.index - b.index);
    return store.transaction(() => {
      const out: GroupingOutcome[] = new Array<GroupingOutcome>(batch.length);
      for (const item of batch) {
        const alert = item.alert;
        const outcome: GroupingOutcome = alert === undefined || alert.status === 'false_positive' ? { alertId: item.id, result: 'skipped' } : this.place(alert);
        this.metrics?.grouped.inc({ result: outcome.result });
        out[item.index] = outcome;
      }
      return out;
    });
  }

  private place(alert: Alert): GroupingOutcome {
    const store = this.service.store;
    const now = this.service.clock();
    const existing = store.incidentOfAlert(alert.id);
    if (existing !== undefined) {
      const head = store.head(existing)!;
      if (ACTIVE_INCIDENT_STATUSES.includes(head.status)) {
        store.touchEntities(existing, alert.organization.id, this.service.entities.entitiesOf(alert), Date.parse(alert.last_seen));
        store.updateAlertSeverity(alert.id, alert.severity, now);
      }
      return { alertId: alert.id, result: 'updated', incidentId: head.id };
    }
    const entities = this.service.entities.entitiesOf(alert);
    const since = Date.parse(alert.first_seen) - this.windowMs;
    const seq = entities.length > 0 ? store.findByEntities(alert.organization.id, entities, since) : undefined;
    if (seq !== undefined) {
      this.service.linkAlert(seq, alert, GROUPING_ACTOR, now);
      return { alertId: alert.id, result: 'joined', incidentId: store.head(seq)!.id };
    }
    if (severityRank(alert.severity) < this.minRank) return { alertId: alert.id, result: 'alone' };
    const incident = this.service.openIncident([alert], {}, GROUPING_ACTOR);
    return { alertId: alert.id, result: 'opened', incidentId: incident.id };
  }
}
