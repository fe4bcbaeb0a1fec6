/** Playbook counters on the process registry: runs by outcome, steps by action and outcome, dropped triggers. */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface PlaybookMetrics {
  runs: Counter<'playbook' | 'status'>;
  steps: Counter<'action' | 'status'>;
  triggersDropped: Counter<string>;
  queued: Gauge<string>;
}

/** One set per registry (several runners in one test process share it). */
const perRegistry = new WeakMap<Registry, PlaybookMetrics>();

export function playbookMetrics(registry: Registry): PlaybookMetrics {
  let m = perRegistry.get(registry);
  if (m) return m;
  m = {
    runs: new Counter({ name: 'socnoc_playbooks_runs_total', help: 'Playbook runs finished, by playbook and final status', labelNames: ['playbook', 'status'], registers: [registry] }),
    steps: new Counter({ name: 'socnoc_playbooks_steps_total', help: 'Playbook step executions, by action and outcome', labelNames: ['action', 'status'], registers: [registry] }),
    triggersDropped: new Counter({ name: 'socnoc_playbooks_triggers_dropped_total', help: 'Alert triggers dropped because the run queue was full', registers: [registry] }),
    queued: new Gauge({ name: 'socnoc_playbooks_queued_runs', help: 'Runs waiting for a free slot', registers: [registry] }),
  };
  perRegistry.set(registry, m);
  return m;
}
