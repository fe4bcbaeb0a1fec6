/** The agent capability's counters: plain numbers bumped per request, read by prom-client at scrape time. */
import { Counter, Gauge } from 'prom-client';
import type { InputStats, Metrics } from '../metrics';
import type { AgentRegistry } from './registry';

export interface AgentServerStats {
  input: InputStats;
  enrollments: number;
  enrollmentsRefused: number;
  heartbeats: number;
  batches: number;
  batchesRejected: number;
  batchesDeferred: number;
  commandsCreated: number;
  /** TCP connections open on the agent channel now (two per running agent: requests and the command long poll). */
  connections: number;
}

export function registerAgentMetrics(metrics: Metrics, registry: AgentRegistry, inFlight: () => number): AgentServerStats {
  const stats: AgentServerStats = {
    input: metrics.input('agent'),
    enrollments: 0,
    enrollmentsRefused: 0,
    heartbeats: 0,
    batches: 0,
    batchesRejected: 0,
    batchesDeferred: 0,
    commandsCreated: 0,
    connections: 0,
  };
  const counter = (name: string, help: string, read: () => number): void => {
    new Counter({
      name,
      help,
      registers: [metrics.registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  };
  counter('socnoc_agents_enrollments_total', 'Agents enrolled', () => stats.enrollments);
  counter('socnoc_agents_enrollments_refused_total', 'Enrolment attempts refused (bad, expired, used-up or revoked token)', () => stats.enrollmentsRefused);
  counter('socnoc_agents_heartbeats_total', 'Agent heartbeats received', () => stats.heartbeats);
  counter('socnoc_agents_batches_total', 'Agent event batches stored and acknowledged', () => stats.batches);
  counter('socnoc_agents_batches_rejected_total', 'Agent event batches refused as invalid (400/413)', () => stats.batchesRejected);
  counter('socnoc_agents_batches_deferred_total', 'Agent event batches refused with 429 + Retry-After under load', () => stats.batchesDeferred);
  counter('socnoc_agents_commands_total', 'Response commands queued for agents', () => stats.commandsCreated);
  new Gauge({
    name: 'socnoc_agents',
    help: 'Enrolled agents by status',
    labelNames: ['status'],
    registers: [metrics.registry],
    collect() {
      this.reset();
      let online = 0;
      let offline = 0;
      let revoked = 0;
      for (const a of registry.list(undefined)) {
        if (a.revokedAt !== null) revoked++;
        else if (a.status === 'online') online++;
        else offline++;
      }
      this.set({ status: 'online' }, online);
      this.set({ status: 'offline' }, offline);
      this.set({ status: 'revoked' }, revoked);
    },
  });
  new Gauge({
    name: 'socnoc_agents_connections',
    help: 'Connections open on the agent channel',
    registers: [metrics.registry],
    collect() {
      this.set(stats.connections);
    },
  });
  metrics.queueDepth('agent_ingest_in_flight', inFlight);
  return stats;
}
