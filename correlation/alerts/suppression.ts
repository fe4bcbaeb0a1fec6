/**
 * Suppression rules: matches that would raise or fold into an alert are counted instead. Kept in
 * the alerts database (table alert_suppressions) and mirrored in memory, indexed by rule id, so a
 * detection batch pays one Map lookup per hit when no suppression names its rule (and nothing at
 * all when there are none). Hit counts accumulate in memory and are written by the same
 * transaction that stores the batch's alerts.
 */
import type { Statement } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { SqliteDb } from '../../core/store/sqlite';
import { fieldText } from './dedup';
import type { AlertHit, AlertSuppression } from './types';

/** The rule id that matches every rule. */
export const ANY_RULE = '*';
export const MAX_SUPPRESSION_MATCHERS = 20;
export const MAX_SUPPRESSION_VALUES = 100;

export interface SuppressionInput {
  ruleId: string;
  organization?: string | null;
  match?: Record<string, string | string[]>;
  reason: string;
  owner: string;
  /** Epoch ms; undefined or null: never. */
  expiresAt?: number | null;
}

/** What may change after creation; the rule, agency and owner stay (delete and recreate instead). */
export interface SuppressionChanges {
  match?: Record<string, string | string[]>;
  reason?: string;
  expiresAt?: number | null;
}

export class SuppressionInputError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`suppression ${field}: ${reason}`);
    this.name = 'SuppressionInputError';
  }
}

interface SuppressionRow {
  id: string;
  rule_id: string;
  org: string | null;
  matchers: string;
  reason: string;
  owner: string;
  created_at: number;
  expires_at: number | null;
  hits: number;
  last_hit: number | null;
}

/** The in-memory form used per hit: matchers as parallel arrays, expiry as a number. */
interface ActiveSuppression {
  id: string;
  org: string | null;
  fields: string[];
  values: string[][];
  expiresAt: number;
  /** Hits since the last flush. */
  pending: number;
  lastHit: number;
}

function normalizeMatch(match: Record<string, string | string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (match === undefined) return out;
  const fields = Object.keys(match);
  if (fields.length > MAX_SUPPRESSION_MATCHERS) throw new SuppressionInputError('match', `at most ${MAX_SUPPRESSION_MATCHERS} fields, got ${fields.length}`);
  for (const field of fields) {
    if (!/^[A-Za-z0-9_@][A-Za-z0-9_@.-]*$/.test(field)) throw new SuppressionInputError(`match.${field.slice(0, 60)}`, 'expected an ECS field name');
    const raw = match[field];
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.length === 0 || values.length > MAX_SUPPRESSION_VALUES) throw new SuppressionInputError(`match.${field}`, `give 1 to ${MAX_SUPPRESSION_VALUES} values`);
    for (const v of values) if (typeof v !== 'string' || v === '') throw new SuppressionInputError(`match.${field}`, 'values must be non-empty strings');
    out[field] = [...values];
  }
  return out;
}

function toSuppression(row: SuppressionRow): AlertSuppression {
  const stored = JSON.parse(row.matchers) as Record<string, string[]>;
  const match: Record<string, string | string[]> = {};
  for (const [field, values] of Object.entries(stored)) match[field] = values.length === 1 ? values[0] : values;
  return {
    id: row.id,
    rule_id: row.rule_id,
    organization: row.org,
    match,
    reason: row.reason,
    owner: row.owner,
    created_at: new Date(row.created_at).toISOString(),
    expires_at: row.expires_at === null ? null : new Date(row.expires_at).toISOString(),
    hits: row.hits,
    last_hit: row.last_hit === null ? null : new Date(row.last_hit).toISOString(),
  };
}

export class AlertSuppressions {
  private readonly byRule = new Map<string, ActiveSuppression[]>();
  private readonly byId = new Map<string, ActiveSuppression>();
  private readonly dirty = new Set<ActiveSuppression>();
  /** Hits muted since the store opened (socnoc_alerts_suppressed_total). */
  suppressedTotal = 0;
  private readonly selectAll: Statement<[], SuppressionRow>;
  private readonly selectOne: Statement<[string], SuppressionRow>;
  private readonly insert: Statement<[Record<string, string | number | null>]>;
  private readonly addHits: Statement<[number, number, string]>;

  constructor(
    private readonly db: SqliteDb,
    private readonly now: () => number,
  ) {
    this.selectAll = db.prepare<[], SuppressionRow>('SELECT * FROM alert_suppressions ORDER BY created_at, rowid');
    this.selectOne = db.prepare<[string], SuppressionRow>('SELECT * FROM alert_suppressions WHERE id = ?');
    this.insert = db.prepare(
      `INSERT INTO alert_suppressions (id, rule_id, org, matchers, reason, owner, created_at, expires_at)
       VALUES (@id, @ruleId, @org, @matchers, @reason, @owner, @createdAt, @expiresAt)`,
    );
    this.addHits = db.prepare<[number, number, string]>('UPDATE alert_suppressions SET hits = hits + ?, last_hit = MAX(COALESCE(last_hit, 0), ?) WHERE id = ?');
    for (const row of this.selectAll.all()) this.index(row);
  }

  /** Whether any suppression exists (expired ones included until deleted). */
  get size(): number {
    return this.byId.size;
  }

  /** The suppression muting this hit at `now`, counting the hit on it; undefined when none applies. */
  suppress(hit: AlertHit, now: number): string | undefined {
    const s = this.find(this.byRule.get(hit.rule.id), hit, now) ?? this.find(this.byRule.get(ANY_RULE), hit, now);
    if (s === undefined) return undefined;
    s.pending++;
    s.lastHit = now;
    this.dirty.add(s);
    this.suppressedTotal++;
    return s.id;
  }

  /** Writes the hit counts gathered since the last call; run inside the batch's transaction. */
  flushHits(): void {
    if (this.dirty.size === 0) return;
    for (const s of this.dirty) {
      this.addHits.run(s.pending, s.lastHit, s.id);
      s.pending = 0;
    }
    this.dirty.clear();
  }

  create(input: SuppressionInput): AlertSuppression {
    if (input.ruleId.length === 0 || input.ruleId.length > 200) throw new SuppressionInputError('rule_id', 'give a rule id (1-200 characters) or *');
    if (input.reason.trim() === '') throw new SuppressionInputError('reason', 'say why these matches are muted');
    const now = this.now();
    if (input.expiresAt !== undefined && input.expiresAt !== null && input.expiresAt <= now) throw new SuppressionInputError('expires_at', 'must be in the future');
    const id = randomUUID();
    this.insert.run({
      id,
      ruleId: input.ruleId,
      org: input.organization ?? null,
      matchers: JSON.stringify(normalizeMatch(input.match)),
      reason: input.reason,
      owner: input.owner,
      createdAt: now,
      expiresAt: input.expiresAt ?? null,
    });
    const row = this.selectOne.get(id)!;
    this.index(row);
    return toSuppression(row);
  }

  update(id: string, changes: SuppressionChanges): AlertSuppression | undefined {
    const row = this.selectOne.get(id);
    if (row === undefined) return undefined;
    if (changes.reason !== undefined && changes.reason.trim() === '') throw new SuppressionInputError('reason', 'say why these matches are muted');
    const matchers = changes.match !== undefined ? JSON.stringify(normalizeMatch(changes.match)) : row.matchers;
    const expiresAt = changes.expiresAt !== undefined ? changes.expiresAt : row.expires_at;
    this.flushHits();
    this.db.prepare('UPDATE alert_suppressions SET matchers = ?, reason = ?, expires_at = ? WHERE id = ?').run(matchers, changes.reason ?? row.reason, expiresAt, id);
    const updated = this.selectOne.get(id)!;
    this.unindex(id);
    this.index(updated);
    return toSuppression(updated);
  }

  delete(id: string): boolean {
    this.unindex(id);
    return this.db.prepare('DELETE FROM alert_suppressions WHERE id = ?').run(id).changes > 0;
  }

  get(id: string): AlertSuppression | undefined {
    this.flushHits();
    const row = this.selectOne.get(id);
    return row === undefined ? undefined : toSuppression(row);
  }

  /**
   * Suppressions visible to a caller: undefined `organizations` lists all; otherwise those of the
   * agencies given and the global ones (which mute their alerts too).
   */
  list(organizations?: readonly string[], includeExpired = true): AlertSuppression[] {
    this.flushHits();
    const now = this.now();
    return this.selectAll
      .all()
      .filter((r) => organizations === undefined || r.org === null || organizations.includes(r.org))
      .filter((r) => includeExpired || r.expires_at === null || r.expires_at > now)
      .map(toSuppression);
  }

  private find(list: ActiveSuppression[] | undefined, hit: AlertHit, now: number): ActiveSuppression | undefined {
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (s.expiresAt <= now) continue;
      if (s.org !== null && s.org !== hit.organization.id) continue;
      if (this.matches(s, hit)) return s;
    }
    return undefined;
  }

  /** Every matcher holds: the field's value, from the alert's group or else its first event, is one of those listed. */
  private matches(s: ActiveSuppression, hit: AlertHit): boolean {
    for (let i = 0; i < s.fields.length; i++) {
      const field = s.fields[i];
      const value = hit.group[field] ?? (hit.events.length > 0 ? fieldText(hit.events[0], field) : undefined);
      if (value === undefined || !s.values[i].includes(value)) return false;
    }
    return true;
  }

  private index(row: SuppressionRow): void {
    const matchers = JSON.parse(row.matchers) as Record<string, string[]>;
    const active: ActiveSuppression = {
      id: row.id,
      org: row.org,
      fields: Object.keys(matchers),
      values: Object.values(matchers),
      expiresAt: row.expires_at ?? Number.POSITIVE_INFINITY,
      pending: 0,
      lastHit: row.last_hit ?? 0,
    };
    let list = this.byRule.get(row.rule_id);
    if (list === undefined) {
      list = [];
      this.byRule.set(row.rule_id, list);
    }
    list.push(active);
    this.byId.set(row.id, active);
  }

  private unindex(id: string): void {
    const s = this.byId.get(id);
    if (s === undefined) return;
    this.byId.delete(id);
    this.dirty.delete(s);
    for (const [rule, list] of this.byRule) {
      const at = list.indexOf(s);
      if (at < 0) continue;
      list.splice(at, 1);
      if (list.length === 0) this.byRule.delete(rule);
      break;
    }
  }
}
