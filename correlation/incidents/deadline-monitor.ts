/**
 * Checks every unclosed incident's deadlines (SLA and regulatory reports) and reports each one
 * that has passed unmet exactly once: the breach is recorded in `incident_breaches` before the
 * callback runs, so neither a second tick nor a restart repeats it. A deadline met late before
 * any check saw it overdue is shown as met_late in `due` but not notified.
 */
import type { Logger } from 'pino';
import type { IncidentMetrics } from './metrics';
import type { IncidentService } from './service';
import { deadlineBreachEntry } from './timeline-entries';
import type { DeadlineBreach } from './types';

export const DEADLINE_ACTOR = 'system:deadlines';

export class DeadlineMonitor {
  constructor(
    private readonly service: IncidentService,
    private readonly onBreach: (breach: DeadlineBreach) => void,
    private readonly log?: Logger,
    private readonly metrics?: IncidentMetrics,
  ) {}

  /** Returns the breaches found by this check (already notified). */
  tick(now: number = this.service.clock()): DeadlineBreach[] {
    const store = this.service.store;
    const found: DeadlineBreach[] = [];
    store.transaction(() => {
      for (const record of store.unclosed()) {
        for (const item of this.service.due(record, now)) {
          if (item.status !== 'overdue' || item.due_at === null) continue;
          const dueAt = Date.parse(item.due_at);
          if (!store.markBreached(record.seq, item.key, dueAt, now)) continue;
          const i = record.incident;
          const entry = deadlineBreachEntry({ key: item.key, title: item.title, due_at: item.due_at });
          store.addTimeline(record.seq, now, DEADLINE_ACTOR, entry.kind, entry.message, entry.data);
          found.push({ incident_id: i.id, organization: i.organization.id, title: i.title, severity: i.severity, key: item.key, item_title: item.title, due_at: item.due_at, detected_at: new Date(now).toISOString() });
        }
      }
    });
    for (const breach of found) {
      this.metrics?.breaches.inc({ deadline: breach.key });
      try {
        this.onBreach(breach);
      } catch (err) {
        this.log?.error({ err, incident: breach.incident_id, deadline: breach.key }, 'deadline breach listener failed');
      }
    }
    return found;
  }
}
