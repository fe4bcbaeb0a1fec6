/**
 * The agent capability assembled: registry, tokens, configuration, commands and the agent channel,
 * plus the offline sweep. `createAgentService` is what app/ calls; `stop()` closes the listener and
 * writes the last liveness changes.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { EventBus } from '../bus';
import type { Metrics } from '../metrics';
import type { SqliteDb } from '../store/sqlite';
import type { AgentAuditSink } from './audit';
import { AgentChannel, type AgentEventNormalizer } from './channel';
import { CommandQueue, type AgentCommand, type CommandType } from './commands';
import type { AgentsConfig } from './config';
import { AgentConfigStore } from './config-store';
import { EnrollmentTokenStore } from './enrollment-tokens';
import { registerAgentMetrics, type AgentServerStats } from './metrics';
import { ensureAgentPki } from './pki';
import { AgentRegistry, type AgentRecord } from './registry';
import { migrateAgentTables } from './schema';
import { YaraRuleFolder } from './yara-rules';

export interface AgentServiceDeps {
  /** socnoc.db (opened by the caller): agents, tokens, configurations and commands live there. */
  db: SqliteDb;
  /** The CA and server certificate are kept under `<dataDir>/agents/tls`. */
  dataDir: string;
  bus: EventBus;
  logger: Logger;
  metrics: Metrics;
  audit?: AgentAuditSink;
  /**
   * Applied to every event an agent ships, after the server's own fields are set and before it is
   * published: app/ passes one that parses tailed syslog-style lines and journald entries with the
   * syslog collector's normalizers (core does not import collectors). Must not throw.
   */
  normalize?: AgentEventNormalizer;
  now?: () => number;
}

export interface AgentService {
  registry: AgentRegistry;
  tokens: EnrollmentTokenStore;
  configs: AgentConfigStore;
  commands: CommandQueue;
  stats: AgentServerStats;
  audit?: AgentAuditSink;
  caFingerprint: string;
  /** Where the agent channel listens (port resolved when 0 was configured). */
  address: { host: string; port: number };
  /** Queues a command (playbooks' contain.isolate_host calls this); audited. */
  sendCommand(agentId: string, type: CommandType, args: Record<string, unknown>, actor: string): AgentCommand;
  revoke(agentId: string, actor: string): Promise<AgentRecord>;
  /** One offline sweep now (also runs on a timer). */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

export async function createAgentService(deps: AgentServiceDeps, config: AgentsConfig): Promise<AgentService> {
  const now = deps.now ?? Date.now;
  const logger = deps.logger.child({ component: 'agents' });
  migrateAgentTables(deps.db);
  const pki = await ensureAgentPki(deps.dataDir, config.serverNames);
  const registry = new AgentRegistry(deps.db, now);
  const tokens = new EnrollmentTokenStore(deps.db, now);
  const configs = new AgentConfigStore(deps.db, config.defaultConfig, now);
  const commands = new CommandQueue(deps.db, { now });
  const yaraRules = new YaraRuleFolder(resolve(config.yaraRulesDir));
  const inFlight = { read: (): number => 0 };
  const stats = registerAgentMetrics(deps.metrics, registry, () => inFlight.read());
  const ch = new AgentChannel({ config, pki, registry, tokens, configs, commands, yaraRules, bus: deps.bus, stats, logger, audit: deps.audit, normalize: deps.normalize, now });
  inFlight.read = () => ch.inFlight;
  const bound = await ch.listen(config.listen.host, config.listen.port);
  logger.info({ host: config.listen.host, port: bound.port, ca_sha256: pki.caFingerprint }, 'agent channel listening');

  const sweep = async (): Promise<void> => {
    const heartbeatMs = config.defaultConfig.heartbeatSeconds * 1000;
    const gone = registry.markStale(now() - heartbeatMs * config.offlineAfterHeartbeats);
    await registry.flushGradually();
    // A network outage can take thousands offline at once: one log line for them, not one each.
    if (gone.length > 20) logger.warn({ count: gone.length, agents: gone.slice(0, 20).map((a) => a.id) }, 'agents offline');
    for (const agent of gone) {
      if (gone.length <= 20) logger.warn({ agent: agent.id, hostname: agent.hostname, agency: agent.agency }, 'agent offline');
      ch.statusBatch.add(agent, 'agent-offline');
    }
    // One bus batch for all of them (a network outage can take thousands offline at once).
    await ch.statusBatch.flush();
  };
  const sweepEveryMs = Math.max(1000, Math.min(config.defaultConfig.heartbeatSeconds * 1000, 30_000));
  const timer = setInterval(() => {
    sweep().catch((err: unknown) => logger.error({ err }, 'agent offline sweep failed'));
  }, sweepEveryMs);
  timer.unref();

  return {
    registry,
    tokens,
    configs,
    commands,
    stats,
    audit: deps.audit,
    caFingerprint: pki.caFingerprint,
    address: { host: config.listen.host, port: bound.port },
    sendCommand(agentId, type, args, actor) {
      const agent = registry.get(agentId);
      if (agent === undefined) throw new Error(`agent "${agentId}": not enrolled`);
      if (agent.revokedAt !== null) throw new Error(`agent "${agentId}": revoked`);
      const cmd = commands.create(agent, type, args, actor);
      stats.commandsCreated++;
      deps.audit?.append({ actor, action: 'agent.command.created', organization: agent.agency, target: agent.id, details: { command: cmd.id, type, args: JSON.stringify(cmd.args).slice(0, 500) } });
      return cmd;
    },
    async revoke(agentId, actor) {
      const agent = registry.revoke(agentId, actor);
      if (agent === undefined) throw new Error(`agent "${agentId}": not enrolled`);
      commands.wake(agentId);
      deps.audit?.append({ actor, action: 'agent.revoked', organization: agent.agency, target: agent.id, details: { hostname: agent.hostname } });
      await ch.publishStatus(agent, 'agent-revoked');
      return agent;
    },
    sweep,
    async stop() {
      clearInterval(timer);
      commands.wake();
      await ch.close();
      registry.flush();
    },
  };
}
