/** The agent capability's tables in socnoc.db (namespace `agents`). Append-only migrations. */
import { applyMigrations, type SqliteDb } from '../store/sqlite';

const MIGRATIONS = [
  `CREATE TABLE agent_enrollment_tokens (
     id TEXT PRIMARY KEY,
     secret_hash TEXT NOT NULL,
     agency TEXT NOT NULL,
     group_name TEXT NOT NULL DEFAULT '',
     max_uses INTEGER NOT NULL,
     uses INTEGER NOT NULL DEFAULT 0,
     expires_at INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     revoked_at INTEGER
   );
   CREATE TABLE agents (
     id TEXT PRIMARY KEY,
     agency TEXT NOT NULL,
     group_name TEXT NOT NULL DEFAULT '',
     hostname TEXT NOT NULL,
     version TEXT NOT NULL,
     os TEXT NOT NULL DEFAULT '{}',
     secret_hash TEXT NOT NULL,
     enrolled_at INTEGER NOT NULL,
     enrolled_with TEXT NOT NULL,
     last_seen INTEGER NOT NULL,
     status TEXT NOT NULL,
     address TEXT NOT NULL DEFAULT '',
     revoked_at INTEGER,
     revoked_by TEXT,
     inventory TEXT,
     inventory_at INTEGER,
     stats TEXT NOT NULL DEFAULT '{}'
   );
   CREATE INDEX agents_agency ON agents(agency);
   CREATE TABLE agent_configs (
     agency TEXT NOT NULL,
     group_name TEXT NOT NULL,
     config TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     updated_by TEXT NOT NULL,
     PRIMARY KEY (agency, group_name)
   );
   CREATE TABLE agent_commands (
     id TEXT PRIMARY KEY,
     agent_id TEXT NOT NULL,
     agency TEXT NOT NULL,
     type TEXT NOT NULL,
     args TEXT NOT NULL,
     status TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     delivered_at INTEGER,
     completed_at INTEGER,
     result TEXT
   );
   CREATE INDEX agent_commands_agent ON agent_commands(agent_id, status, created_at);`,
];

export function migrateAgentTables(db: SqliteDb): void {
  applyMigrations(db, 'agents', MIGRATIONS);
}
