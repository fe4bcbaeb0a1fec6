/**
 * Deduplication keys. Two matches fold into one alert when they share rule, agency and group key
 * within the dedup window (see AlertStore.record):
 * - correlations: the group key is the correlation's group-by values;
 * - single-event rules: the rule's own `socnoc.dedup_by` fields (all of them), else the first of
 *   the configured `dedupFields` (default source.ip, user.name, host.name) present in the event —
 *   one attacker address, else one account, else one host. No field present: one alert per rule
 *   and agency per window.
 */
import { createHash } from 'node:crypto';
import { getField } from '../../core/event';

/** Values are capped so a hostile field cannot bloat every alert and key. */
const MAX_VALUE_LENGTH = 256;

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > MAX_VALUE_LENGTH ? value.slice(0, MAX_VALUE_LENGTH) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}

/** A field's value as text: a scalar, or the first scalar of an array; undefined when absent or empty. */
export function fieldText(event: unknown, field: string): string | undefined {
  let value = getField(event, field);
  if (Array.isArray(value)) value = value.length > 0 ? value[0] : undefined;
  const text = scalarText(value);
  return text === undefined || text === '' ? undefined : text;
}

/**
 * The key entity of a single-event match. `all`: every listed field present (a rule's own
 * dedup_by); otherwise the first present one.
 */
export function entityGroup(event: unknown, fields: readonly string[], all: boolean): Record<string, string> {
  const group: Record<string, string> = {};
  for (const field of fields) {
    const text = fieldText(event, field);
    if (text === undefined) continue;
    group[field] = text;
    if (!all) break;
  }
  return group;
}

/** `source.ip="203.0.113.45" user.name="root"`: sorted by field, values JSON-quoted so no two groups collide. */
export function groupKeyOf(group: Readonly<Record<string, string>>): string {
  const fields = Object.keys(group);
  if (fields.length === 0) return '';
  if (fields.length > 1) fields.sort();
  let key = '';
  for (const f of fields) key += (key === '' ? '' : ' ') + f + '=' + JSON.stringify(group[f]);
  return key;
}

/** Fixed-length index key for rule + agency + group key. */
export function alertDedupKey(ruleId: string, organization: string, groupKey: string): string {
  return createHash('sha256').update(ruleId).update('\u0000').update(organization).update('\u0000').update(groupKey).digest('base64url');
}
