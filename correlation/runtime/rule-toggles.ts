/**
 * Rules switched off through the API (PATCH /api/v1/rules/{id}), kept in SQLite so they stay off
 * across restarts. The engine runs with these and `correlation.sigma.disabled` together: a rule
 * off in either does not run; switching it back on through the API only lifts the API's switch.
 */
import type { Statement } from 'better-sqlite3';
import { applyMigrations, type SqliteDb } from '../../core/store/sqlite';

const MIGRATIONS = [
  `CREATE TABLE rule_toggles (
     rule TEXT PRIMARY KEY,
     actor TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   )`,
];

export interface RuleToggle {
  /** The rule's id (or title for rules without one). */
  rule: string;
  actor: string;
  updatedAt: number;
}

export class RuleToggles {
  private readonly selectAll: Statement<[], { rule: string; actor: string; updated_at: number }>;
  private readonly upsert: Statement<[string, string, number]>;
  private readonly remove: Statement<[string]>;

  constructor(db: SqliteDb) {
    applyMigrations(db, 'rule_toggles', MIGRATIONS);
    this.selectAll = db.prepare('SELECT rule, actor, updated_at FROM rule_toggles ORDER BY rule');
    this.upsert = db.prepare('INSERT INTO rule_toggles (rule, actor, updated_at) VALUES (?, ?, ?) ON CONFLICT(rule) DO UPDATE SET actor = excluded.actor, updated_at = excluded.updated_at');
    this.remove = db.prepare('DELETE FROM rule_toggles WHERE rule = ?');
  }

  /** Rules disabled through the API. */
  list(): RuleToggle[] {
    return this.selectAll.all().map((r) => ({ rule: r.rule, actor: r.actor, updatedAt: r.updated_at }));
  }

  disabledRules(): string[] {
    return this.selectAll.all().map((r) => r.rule);
  }

  /** Returns whether anything changed. */
  set(rule: string, enabled: boolean, actor: string, now: number): boolean {
    const had = this.disabledRules().includes(rule);
    if (enabled) {
      if (!had) return false;
      this.remove.run(rule);
      return true;
    }
    if (had) return false;
    this.upsert.run(rule, actor, now);
    return true;
  }
}
