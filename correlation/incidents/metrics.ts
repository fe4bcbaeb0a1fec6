/** The incidents capability's counters, on the registry app/ passes (one set per registry). */
import { Counter, type Registry } from 'prom-client';

export interface IncidentMetrics {
  created: Counter<'source'>;
  grouped: Counter<'result'>;
  breaches: Counter<'deadline'>;
}

export function incidentMetrics(registry: Registry): IncidentMetrics {
  const existing = registry.getSingleMetric('socnoc_incidents_created_total');
  if (existing !== undefined) {
    return {
      created: existing as Counter<'source'>,
      grouped: registry.getSingleMetric('socnoc_incidents_alerts_grouped_total') as Counter<'result'>,
      breaches: registry.getSingleMetric('socnoc_incidents_deadline_breaches_total') as Counter<'deadline'>,
    };
  }
  return {
    created: new Counter({ name: 'socnoc_incidents_created_total', help: 'Incidents opened, by source (grouping, api, playbook)', labelNames: ['source'], registers: [registry] }),
    grouped: new Counter({
      name: 'socnoc_incidents_alerts_grouped_total',
      help: 'Alert changes seen by incident grouping, by result (joined, opened, updated, alone, skipped)',
      labelNames: ['result'],
      registers: [registry],
    }),
    breaches: new Counter({
      name: 'socnoc_incidents_deadline_breaches_total',
      help: 'Incident deadlines breached (SLA acknowledge/resolve, regulatory reports), each counted once',
      labelNames: ['deadline'],
      registers: [registry],
    }),
  };
}
