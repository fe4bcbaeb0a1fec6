/** Agent configuration overrides per agency and per group, and the effective configuration with its version. */
import { createHash } from 'node:crypto';
import type { SqliteDb } from '../store/sqlite';
import { agentConfigOverrideSchema, mergeAgentConfig, type AgentConfig, type AgentConfigOverride } from './agent-config';

export interface StoredOverride {
  organization: { id: string };
  group: string;
  config: AgentConfigOverride;
  updated_at: string;
  updated_by: string;
}

interface Row {
  agency: string;
  group_name: string;
  config: string;
  updated_at: number;
  updated_by: string;
}

export interface EffectiveConfig {
  /** SHA-256 of the configuration JSON: agents re-fetch when the heartbeat answer shows another. */
  version: string;
  config: AgentConfig;
}

export class AgentConfigStore {
  private readonly cache = new Map<string, EffectiveConfig>();

  constructor(
    private readonly db: SqliteDb,
    private readonly base: AgentConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** `group` '' is the agency-wide override. */
  set(agency: string, group: string, override: unknown, by: string): StoredOverride {
    const config = agentConfigOverrideSchema.parse(override);
    const now = this.now();
    this.db
      .prepare(
        'INSERT INTO agent_configs (agency, group_name, config, updated_at, updated_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (agency, group_name) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
      )
      .run(agency, group, JSON.stringify(config), now, by);
    this.cache.clear();
    return { organization: { id: agency }, group, config, updated_at: new Date(now).toISOString(), updated_by: by };
  }

  remove(agency: string, group: string): boolean {
    this.cache.clear();
    return this.db.prepare('DELETE FROM agent_configs WHERE agency = ? AND group_name = ?').run(agency, group).changes > 0;
  }

  list(agencies: string[] | undefined): StoredOverride[] {
    const rows = this.db.prepare('SELECT * FROM agent_configs ORDER BY agency, group_name').all() as Row[];
    return rows
      .filter((r) => agencies === undefined || agencies.includes(r.agency))
      .map((r) => ({ organization: { id: r.agency }, group: r.group_name, config: JSON.parse(r.config) as AgentConfigOverride, updated_at: new Date(r.updated_at).toISOString(), updated_by: r.updated_by }));
  }

  private override(agency: string, group: string): AgentConfigOverride | undefined {
    const row = this.db.prepare('SELECT config FROM agent_configs WHERE agency = ? AND group_name = ?').get(agency, group) as { config: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.config) as AgentConfigOverride);
  }

  effective(agency: string, group: string): EffectiveConfig {
    const key = `${agency}\n${group}`;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      const config = mergeAgentConfig(this.base, this.override(agency, ''), group === '' ? undefined : this.override(agency, group));
      hit = { config, version: createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16) };
      this.cache.set(key, hit);
    }
    return hit;
  }
}
