/**
 * The server side of the endpoint agent. app/ calls `createAgentService` and mounts
 * `agentsHttpModule`; the CLI's `socnoc agent token create` calls `createAgentToken`.
 */
import { join } from 'node:path';
import { openSqlite, type SqliteDb } from '../store/sqlite';
import { parseDuration } from './duration';
import { DEFAULT_TOKEN_LIFETIME_MS, EnrollmentTokenStore } from './enrollment-tokens';
import { ensureAgentPki } from './pki';
import { migrateAgentTables } from './schema';

export { agentsConfigSchema, DEFAULT_AGENTS_CONFIG, type AgentsConfig } from './config';
export { agentConfigSchema, type AgentConfig } from './agent-config';
export { agentsHttpModule } from './http';
export { createAgentService, type AgentService, type AgentServiceDeps } from './service';
export type { AgentEventNormalizer } from './channel';
export { COMMAND_TYPES, type AgentCommand, type CommandType } from './commands';
export type { AgentAuditEntry, AgentAuditSink } from './audit';
export { parseDuration } from './duration';

export interface AgentTokenOptions {
  agency: string;
  group?: string;
  uses?: number;
  /** `24h`, `7d`… or milliseconds. */
  expires?: string | number;
  createdBy?: string;
}

/**
 * Creates an enrolment token for `socnoc agent token create`. Opens `<dataDir>/socnoc.db` unless a
 * database is given; creates the agent CA on first use so the token can carry its fingerprint.
 */
export async function createAgentToken(dataDir: string, options: AgentTokenOptions, db?: SqliteDb, serverNames: readonly string[] = []): Promise<string> {
  const expiresInMs = options.expires === undefined ? DEFAULT_TOKEN_LIFETIME_MS : typeof options.expires === 'number' ? options.expires : parseDuration(options.expires);
  const pki = await ensureAgentPki(dataDir, serverNames);
  const own = db === undefined;
  const conn = db ?? openSqlite(join(dataDir, 'socnoc.db'));
  try {
    migrateAgentTables(conn);
    return new EnrollmentTokenStore(conn).create({ agency: options.agency, group: options.group, uses: options.uses, expiresInMs, createdBy: options.createdBy ?? 'cli' }, pki.caFingerprint).token;
  } finally {
    if (own) conn.close();
  }
}
