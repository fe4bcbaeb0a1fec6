/**
 * Which playbooks an alert change starts. Patterns are compiled once per load; matching an alert
 * is a few string comparisons per playbook.
 */
import { ALERT_SEVERITIES, type Alert, type AlertSeverity } from '../correlation/alerts/types';
import type { TriggerDefinition } from './definition';

export type AlertChangeKind = 'created' | 'updated';

/** `*` matches any run of characters; case-insensitive, as rule titles are written by people. */
export function globMatcher(pattern: string): (value: string) => boolean {
  const m = lowerGlobMatcher(pattern);
  return (value) => m(value.toLowerCase());
}

/** The matcher for values already in lower case (lowered once per alert, not once per pattern). */
function lowerGlobMatcher(pattern: string): (v: string) => boolean {
  const p = pattern.toLowerCase();
  if (!p.includes('*')) return (v) => v === p;
  const parts = p.split('*');
  const first = parts[0];
  const last = parts[parts.length - 1];
  const middle = parts.slice(1, -1).filter((s) => s !== '');
  return (v) => {
    if (v.length < first.length + last.length || !v.startsWith(first) || !v.endsWith(last)) return false;
    let at = first.length;
    const end = v.length - last.length;
    for (const m of middle) {
      const found = v.indexOf(m, at);
      if (found < 0 || found + m.length > end) return false;
      at = found + m.length;
    }
    return true;
  };
}

function anyOf(patterns: readonly string[]): ((value: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  const matchers = patterns.map(lowerGlobMatcher);
  return (value) => {
    const v = value.toLowerCase();
    for (const m of matchers) if (m(v)) return true;
    return false;
  };
}

const RANK: Record<AlertSeverity, number> = Object.fromEntries(ALERT_SEVERITIES.map((s, i) => [s, i])) as Record<AlertSeverity, number>;

export interface CompiledTrigger {
  matches(alert: Alert, change: AlertChangeKind): boolean;
}

export function compileTrigger(t: TriggerDefinition): CompiledTrigger {
  const rule = anyOf(t.rules);
  const tag = anyOf(t.tags);
  const dataset = anyOf(t.datasets);
  const eventType = anyOf(t.event_types);
  const agencies = t.agencies.length > 0 ? new Set(t.agencies) : undefined;
  const minRank = t.min_severity === undefined ? -1 : RANK[t.min_severity];
  const onCreated = t.on.includes('created');
  const onUpdated = t.on.includes('updated');
  return {
    matches(alert, change) {
      if (change === 'created' ? !onCreated : !onUpdated) return false;
      if (alert.count < t.min_count) return false;
      if (RANK[alert.severity] < minRank) return false;
      if (agencies && !agencies.has(alert.organization.id)) return false;
      if (rule && !rule(alert.rule.id) && !rule(alert.rule.name)) return false;
      if (tag && !alert.rule.tags.some(tag)) return false;
      if (dataset && !alert.events.some((e) => e.event.dataset !== undefined && dataset(e.event.dataset))) return false;
      if (eventType && !alert.events.some((e) => (e.event.type ?? []).some(eventType) || (e.event.category ?? []).some(eventType))) return false;
      return true;
    },
  };
}
