/**
 * Auto-resolution: a rule that reports a recovery names, in its `socnoc:` block, the rules whose
 * open alerts it clears for the same entity:
 *
 *   socnoc:
 *     dedup_by: [snmp.device.id]
 *     resolves:
 *       - 3d9f2f31-5d1a-4b1e-9848-80257939af21            # same group key as this rule's alert
 *       - rule: 10f474de-eca5-4a5d-8f41-34c3b77ad09e      # the target's group built from this event:
 *         group: {snmp.device.parent: snmp.device.id}     #   target field: field of the resolving event
 *
 * When it fires, open alerts (new, acknowledged, in progress) of those rules in the same agency with
 * that group key, last seen no later than the recovery, become `resolved` with a history entry by
 * `system` ("cleared by <title>"). Looked up through the dedup key index: one indexed read per
 * target, and only for hits of rules that declare `resolves`.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from '../../core/store/sqlite';
import { alertDedupKey, fieldText, groupKeyOf } from './dedup';
import type { AlertLifecycle } from './lifecycle';
import { OPEN_ALERT_STATUSES, type AlertHit } from './types';

/** One rule whose alerts a recovery clears. */
export interface ResolveTarget {
  ruleId: string;
  /** Target group field → field of the resolving event; absent: the resolving alert's own group. */
  group?: ReadonlyArray<readonly [string, string]>;
}

/** The actor recorded in the history of an alert cleared by a recovery. */
export const AUTO_RESOLVE_ACTOR = 'system';

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The `socnoc.resolves` list of a rule; undefined when absent or empty. Entries that are neither a
 * rule id nor `{rule, group}` with string values are reported through `problems` and skipped.
 */
export function resolveTargetsOf(block: Record<string, unknown> | undefined, problems?: string[]): ResolveTarget[] | undefined {
  const value = block?.resolves;
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const out: ResolveTarget[] = [];
  for (const entry of list) {
    if (typeof entry === 'string' && entry !== '') {
      out.push({ ruleId: entry });
      continue;
    }
    if (isRecord(entry) && typeof entry.rule === 'string' && entry.rule !== '' && isRecord(entry.group)) {
      const pairs: Array<readonly [string, string]> = [];
      for (const [target, source] of Object.entries(entry.group)) {
        if (typeof source === 'string' && source !== '') pairs.push([target, source]);
      }
      if (pairs.length > 0 && pairs.length === Object.keys(entry.group).length) {
        out.push({ ruleId: entry.rule, group: pairs });
        continue;
      }
    }
    problems?.push(`socnoc.resolves: entry ${JSON.stringify(entry)?.slice(0, 200)} is neither a rule id nor {rule, group: {field: field}}`);
  }
  return out.length > 0 ? out : undefined;
}

interface OpenRow {
  id: string;
}

const OPEN_STATUS_SQL = OPEN_ALERT_STATUSES.map((s) => `'${s}'`).join(', ');

export class AlertAutoResolver {
  private readonly selectOpen: Statement<[string, number], OpenRow>;

  constructor(
    db: SqliteDb,
    private readonly lifecycle: AlertLifecycle,
  ) {
    this.selectOpen = db.prepare<[string, number], OpenRow>(`SELECT id FROM alerts WHERE dedup_key = ? AND status IN (${OPEN_STATUS_SQL}) AND last_seen <= ?`);
  }

  /** Resolves the open alerts `hit` clears; returns their ids. Call inside the recording transaction. */
  resolve(hit: AlertHit): string[] {
    const targets = hit.resolves;
    if (targets === undefined || targets.length === 0) return [];
    const out: string[] = [];
    const org = hit.organization.id;
    for (const target of targets) {
      const groupKey = target.group === undefined ? groupKeyOf(hit.group) : this.mappedGroupKey(hit, target.group);
      if (groupKey === undefined) continue;
      const rows = this.selectOpen.all(alertDedupKey(target.ruleId, org, groupKey), hit.time);
      for (const row of rows) {
        this.lifecycle.update(row.id, { status: 'resolved', comment: `cleared by ${hit.rule.name}` }, AUTO_RESOLVE_ACTOR);
        out.push(row.id);
      }
    }
    return out;
  }

  /** The target's group from the resolving event's fields; undefined when one is missing. */
  private mappedGroupKey(hit: AlertHit, pairs: ReadonlyArray<readonly [string, string]>): string | undefined {
    const event = hit.events[hit.events.length - 1];
    if (event === undefined) return undefined;
    const group: Record<string, string> = {};
    for (const [target, source] of pairs) {
      const text = fieldText(event, source);
      if (text === undefined) return undefined;
      group[target] = text;
    }
    return groupKeyOf(group);
  }
}
