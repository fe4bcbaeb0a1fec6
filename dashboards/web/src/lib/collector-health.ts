/** What the collector health view shows, computed from two /metrics scrapes. */
import { ratesBy, sumBy, type Sample } from './prometheus';

export interface InputHealth {
  input: string;
  receivedPerSec: number;
  parsedPerSec: number;
  storedPerSec: number;
  failedPerSec: number;
  droppedPerSec: number;
  receivedTotal: number;
  failedTotal: number;
  droppedTotal: number;
  dropReasons: Map<string, number>;
}

export interface CollectorHealth {
  inputs: InputHealth[];
  queues: Array<{ queue: string; depth: number }>;
  rulesEnabled: number | undefined;
  ruleLoadErrors: number | undefined;
  alertsPerMin: number;
  eventsEvaluatedPerSec: number;
}

function scalar(samples: readonly Sample[], name: string): number | undefined {
  const s = samples.find((x) => x.name === name);
  return s?.value;
}

export function collectorHealth(before: readonly Sample[], after: readonly Sample[], seconds: number): CollectorHealth {
  const received = ratesBy(before, after, 'socnoc_input_received_total', 'input', seconds);
  const parsed = ratesBy(before, after, 'socnoc_input_parsed_total', 'input', seconds);
  const stored = ratesBy(before, after, 'socnoc_input_stored_total', 'input', seconds);
  const failed = ratesBy(before, after, 'socnoc_input_failed_total', 'input', seconds);
  const dropped = ratesBy(before, after, 'socnoc_input_dropped_total', 'input', seconds);
  const receivedTotal = sumBy(after, 'socnoc_input_received_total', 'input');
  const failedTotal = sumBy(after, 'socnoc_input_failed_total', 'input');
  const droppedTotal = sumBy(after, 'socnoc_input_dropped_total', 'input');
  const names = new Set<string>([...receivedTotal.keys(), ...failedTotal.keys(), ...droppedTotal.keys()]);
  const inputs: InputHealth[] = [];
  for (const input of [...names].sort()) {
    const dropReasons = new Map<string, number>();
    for (const s of after) if (s.name === 'socnoc_input_dropped_total' && s.labels.input === input) dropReasons.set(s.labels.reason ?? '', s.value);
    inputs.push({
      input,
      receivedPerSec: received.get(input) ?? 0,
      parsedPerSec: parsed.get(input) ?? 0,
      storedPerSec: stored.get(input) ?? 0,
      failedPerSec: failed.get(input) ?? 0,
      droppedPerSec: dropped.get(input) ?? 0,
      receivedTotal: receivedTotal.get(input) ?? 0,
      failedTotal: failedTotal.get(input) ?? 0,
      droppedTotal: droppedTotal.get(input) ?? 0,
      dropReasons,
    });
  }
  const queues = [...sumBy(after, 'socnoc_queue_depth', 'queue').entries()].map(([queue, depth]) => ({ queue, depth })).sort((a, b) => a.queue.localeCompare(b.queue));
  const alerts = ratesBy(before, after, 'socnoc_alerts_created_total', '', seconds).get('') ?? 0;
  const evaluated = ratesBy(before, after, 'socnoc_detection_events_total', '', seconds).get('') ?? 0;
  return {
    inputs,
    queues,
    rulesEnabled: scalar(after, 'socnoc_rules_enabled'),
    ruleLoadErrors: scalar(after, 'socnoc_rule_load_errors'),
    alertsPerMin: alerts * 60,
    eventsEvaluatedPerSec: evaluated,
  };
}
