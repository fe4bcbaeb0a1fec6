/**
 * Incident deadline breaches (SLA and regulatory reporting clocks) become alerts. They are
 * recorded straight into the alert store, not through the detection engine, so they never feed
 * incident grouping: a breach alert must not open an incident of its own.
 */
import type { AlertSeverity, AlertStore } from '../correlation/alerts';
import type { DeadlineBreach } from '../correlation/incidents/types';

const RULE_ID = 'socnoc-incident-deadline-breached';

/** A missed deadline is at least high: regulatory reports are late by law, not by preference. */
function breachSeverity(incident: AlertSeverity): AlertSeverity {
  return incident === 'critical' ? 'critical' : 'high';
}

export function recordDeadlineBreach(alerts: AlertStore, breach: DeadlineBreach, now: number = Date.now()): void {
  alerts.record([
    {
      rule: { id: RULE_ID, name: `Incident deadline missed: ${breach.item_title}`, tags: [], level: breachSeverity(breach.severity), ruleset: 'socnoc' },
      mappings: {
        attack: { techniques: [], tactics: [] },
        compliance: { nist_csf: ['RS.MA-01', 'RS.CO-02'], iso27001: ['A.5.24', 'A.5.26'], decree85: ['VN85.M.OPS.INCIDENT'] },
      },
      organization: { id: breach.organization },
      time: now,
      group: { 'incident.id': breach.incident_id, deadline: breach.key },
      events: [],
    },
  ]);
}
