/**
 * Groups alerts into incidents after each detection batch. A new or updated alert:
 * 1. already in an incident: refreshes it (entities seen later, severity);
 * 2. else joins the oldest open incident of its agency that saw one of its entities (host, user,
 *    source/destination address) within the window, or shares an event with it (a correlation
 *    alert and the alerts it was built from);
 * 3. else opens an incident when its severity is at least the minimum, else stays alone.
 * Alerts are taken most severe first, then in the order given, and each batch is one transaction,
 * so the result is deterministic; the alert-id primary key makes a repeated change a no-op.
 *
 * Most changes are folds into an alert already in an incident (a steady attack), so that case reads
 * only the alert's head (AlertStore.heads, one query per batch) and touches the entities it knows
 * the incident has: FoldStates remembers, per alert, the field entities of its sample and how many
 * event ids the incident has indexed. The sample and the id list only grow, so equal sizes mean
 * equal content; only ids stored since are read and indexed. Re-touching an indexed event id would
 * only move its last_seen, which event-id matching never reads (findByEntities matches them at any
 * time). Source: bench/alerts.ts.
 */
import type { AlertHead } from '../alerts/heads';
import type { Alert, AlertChange } from '../alerts/types';
import { ALERT_SEVERITIES } from '../alerts/types';
import type { IncidentsConfig } from './config';
import type { IncidentMetrics } from './metrics';
import type { IncidentService } from './service';
import { severityRank } from './store';
import { ACTIVE_INCIDENT_STATUSES, type IncidentEntity } from './types';

export const GROUPING_ACTOR = 'system:grouping';

export type GroupingResult = 'joined' | 'opened' | 'updated' | 'alone' | 'skipped';

export interface GroupingOutcome {
  alertId: string;
  result: GroupingResult;
  /** The incident joined, opened or updated. */
  incidentId?: string;
}

/**
 * Where grouping reads alerts. AlertStore gives all three; with `get` alone (or a bare function)
 * every change reads the whole alert and re-indexes all its entities.
 */
export interface GroupingAlertSource {
  get(id: string): Alert | undefined;
  heads?(ids: readonly string[]): Map<string, AlertHead>;
  eventIdsFrom?(seq: number, from: number): string[];
}

type HeadSource = Required<GroupingAlertSource>;

/** What the incident's entity index holds for one of its alerts. */
interface FoldState {
  incidentId: string;
  nEvents: number;
  nEventIds: number;
  fields: IncidentEntity[];
}

/** Alerts remembered; beyond this the oldest learned is forgotten (and read in full on its next fold). */
const MAX_FOLD_STATES = 20_000;

interface BatchItem {
  index: number;
  id: string;
  head: AlertHead | undefined;
  /** Read up front without heads; else only when needed. */
  alert: Alert | undefined;
  rank: number;
}

function headOf(alert: Alert): AlertHead {
  return {
    id: alert.id,
    seq: -1,
    status: alert.status,
    severity: alert.severity,
    organizationId: alert.organization.id,
    firstSeen: Date.parse(alert.first_seen),
    lastSeen: Date.parse(alert.last_seen),
    nEvents: alert.events.length,
    nEventIds: alert.event_ids.length,
  };
}

export class IncidentGrouper {
  private readonly windowMs: number;
  private readonly minRank: number;
  private readonly foldStates = new Map<string, FoldState>();

  constructor(
    private readonly service: IncidentService,
    config: IncidentsConfig,
    private readonly metrics?: IncidentMetrics,
  ) {
    this.windowMs = config.grouping.windowHours * 3_600_000;
    this.minRank = ALERT_SEVERITIES.indexOf(config.grouping.minSeverity);
  }

  onAlerts(changes: readonly AlertChange[], alerts: GroupingAlertSource | ((id: string) => Alert | undefined)): GroupingOutcome[] {
    const store = this.service.store;
    const lookup: GroupingAlertSource = typeof alerts === 'function' ? { get: alerts } : alerts;
    const fast = lookup.heads !== undefined && lookup.eventIdsFrom !== undefined ? (lookup as HeadSource) : undefined;
    // Most severe first (stable): a batch's correlation alert opens the incident before the
    // low building-block alerts of the same batch look for one to join.
    const batch: BatchItem[] = new Array<BatchItem>(changes.length);
    const heads = fast?.heads(changes.map((c) => c.id));
    for (let i = 0; i < changes.length; i++) {
      const id = changes[i].id;
      const alert = heads === undefined ? lookup.get(id) : undefined;
      const head = heads !== undefined ? heads.get(id) : alert !== undefined ? headOf(alert) : undefined;
      batch[i] = { index: i, id, head, alert, rank: head === undefined ? -1 : severityRank(head.severity) };
    }
    batch.sort((a, b) => b.rank - a.rank || a.index - b.index);
    // Learned states apply once committed, and only by our own transaction: a caller's may still roll back.
    const learned: Array<[string, FoldState]> = [];
    const own = !store.inTransaction;
    const result = store.transaction(() => {
      const out: GroupingOutcome[] = new Array<GroupingOutcome>(batch.length);
      for (const item of batch) {
        const outcome: GroupingOutcome =
          item.head === undefined || item.head.status === 'false_positive' ? { alertId: item.id, result: 'skipped' } : this.place(item, item.head, lookup, fast, learned);
        this.metrics?.grouped.inc({ result: outcome.result });
        out[item.index] = outcome;
      }
      return out;
    });
    if (own) for (const [id, state] of learned) this.remember(id, state);
    return result;
  }

  private place(item: BatchItem, head: AlertHead, lookup: GroupingAlertSource, fast: HeadSource | undefined, learned: Array<[string, FoldState]>): GroupingOutcome {
    const store = this.service.store;
    const now = this.service.clock();
    const existing = store.incidentOfAlert(head.id);
    if (existing !== undefined) {
      const incident = store.head(existing)!;
      if (ACTIVE_INCIDENT_STATUSES.includes(incident.status)) {
        const entities = fast !== undefined ? this.foldEntities(head, incident.id, fast, learned) : this.service.entities.entitiesOf(item.alert!);
        store.touchEntities(existing, head.organizationId, entities, head.lastSeen);
        store.updateAlertSeverity(head.id, head.severity, now);
      }
      return { alertId: head.id, result: 'updated', incidentId: incident.id };
    }
    const alert = item.alert ?? lookup.get(head.id);
    if (alert === undefined) return { alertId: head.id, result: 'skipped' };
    const entities = this.service.entities.entitiesOf(alert);
    const since = Date.parse(alert.first_seen) - this.windowMs;
    const seq = entities.length > 0 ? store.findByEntities(alert.organization.id, entities, since) : undefined;
    let incidentId: string;
    let result: GroupingResult;
    if (seq !== undefined) {
      this.service.linkAlert(seq, alert, GROUPING_ACTOR, now);
      incidentId = store.head(seq)!.id;
      result = 'joined';
    } else {
      if (severityRank(alert.severity) < this.minRank) return { alertId: alert.id, result: 'alone' };
      incidentId = this.service.openIncident([alert], {}, GROUPING_ACTOR).id;
      result = 'opened';
    }
    if (fast !== undefined) learned.push([alert.id, this.stateOf(alert, head, incidentId)]);
    return { alertId: alert.id, result, incidentId };
  }

  /** The entities a fold must touch: the sample's (their last_seen moves) and event ids not yet indexed. */
  private foldEntities(head: AlertHead, incidentId: string, source: HeadSource, learned: Array<[string, FoldState]>): IncidentEntity[] {
    const known = this.foldStates.get(head.id);
    if (known !== undefined && known.incidentId === incidentId && known.nEvents === head.nEvents && known.nEventIds <= head.nEventIds) {
      if (known.nEventIds === head.nEventIds) return known.fields;
      learned.push([head.id, { incidentId, nEvents: known.nEvents, nEventIds: head.nEventIds, fields: known.fields }]);
      return known.fields.concat(this.service.entities.eventEntitiesOf(source.eventIdsFrom(head.seq, known.nEventIds)));
    }
    // Not seen since start (or forgotten), or the sample grew: read it all, as a join does.
    const alert = source.get(head.id);
    if (alert === undefined) return [];
    learned.push([head.id, this.stateOf(alert, head, incidentId)]);
    return this.service.entities.entitiesOf(alert);
  }

  private stateOf(alert: Alert, head: AlertHead, incidentId: string): FoldState {
    return { incidentId, nEvents: head.nEvents, nEventIds: head.nEventIds, fields: this.service.entities.fieldEntitiesOf(alert.group, alert.events) };
  }

  private remember(id: string, state: FoldState): void {
    this.foldStates.delete(id);
    this.foldStates.set(id, state);
    if (this.foldStates.size > MAX_FOLD_STATES) this.foldStates.delete(this.foldStates.keys().next().value!);
  }
}
