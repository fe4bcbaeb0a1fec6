/**
 * What an alert inherits from the rule that raised it: its identity and level, its ATT&CK tags and
 * its compliance mappings. Computed once per rule when rules load, never per match.
 *
 * Compliance mappings are a custom top-level block in the rule YAML (Sigma allows custom fields):
 *   socnoc:
 *     nist_csf: [DE.CM-01, DE.AE-02]
 *     iso27001: [A.8.16]
 *     decree85: [TCVN11930-8.2.3]
 *     dedup_by: [source.ip]        # optional: the fields that make two matches "the same" alert
 *     dedup_window: 1h             # optional: this rule's dedup window (s, m, h, d), else the configured one
 *     resolves: [<rule id>]        # optional: open alerts of these rules for the same entity are resolved (auto-resolve.ts)
 */
import { parseDuration } from '../../core/http/time-params';
import type { SigmaLevel } from '../sigma/types';
import { resolveTargetsOf, type ResolveTarget } from './auto-resolve';
import type { AlertMappings, AlertRule, AlertSeverity } from './types';

/** The parts of a Sigma rule or correlation document an alert needs (both document kinds fit). */
export interface AlertRuleSource {
  id?: string;
  name?: string;
  title: string;
  level?: SigmaLevel;
  tags: readonly string[];
  raw: Record<string, unknown>;
}

/** The key of the custom block and the frameworks every alert lists (empty when the rule has none). */
export const MAPPINGS_BLOCK = 'socnoc';
export const COMPLIANCE_FRAMEWORKS = ['nist_csf', 'iso27001', 'decree85'] as const;
/** Keys of the block that are settings, not mappings. */
const SETTINGS_KEYS = new Set(['dedup_by', 'dedup_window', 'resolves']);
/** A week, as the configured window's own bound (correlation.dedupWindowMinutes). */
const MAX_DEDUP_WINDOW_MS = 7 * 86_400_000;

/** Sigma's level is optional; a rule without one raises medium alerts (the middle, neither hidden nor paging). */
export const DEFAULT_SEVERITY: AlertSeverity = 'medium';

export interface RuleAlertInfo {
  rule: AlertRule;
  mappings: AlertMappings;
  /** The rule's own `socnoc.dedup_by`, all of which form the key; undefined: the configured default. */
  dedupBy: readonly string[] | undefined;
  /** The rule's own `socnoc.dedup_window`; undefined: the configured default. */
  dedupWindowMs: number | undefined;
  /** The rule's own `socnoc.resolves`: rules whose open alerts it clears; undefined: none. */
  resolves: readonly ResolveTarget[] | undefined;
}

const TECHNIQUE = /^attack\.t(\d{4})(?:\.(\d{3}))?$/i;
/** Groups (G0016) and software (S0002) name actors and tools, not tactics. */
const GROUP_OR_SOFTWARE = /^attack\.[gs]\d{4}$/i;
const TACTIC = /^attack\.([a-z][a-z_-]*)$/i;

function uniquePush(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** ATT&CK techniques (`T1110.001`) and tactics (`credential-access`) from Sigma's `attack.*` tags. */
export function attackMappingsOf(tags: readonly string[]): AlertMappings['attack'] {
  const techniques: string[] = [];
  const tactics: string[] = [];
  for (const tag of tags) {
    const t = TECHNIQUE.exec(tag);
    if (t !== null) {
      uniquePush(techniques, t[2] === undefined ? `T${t[1]}` : `T${t[1]}.${t[2]}`);
      continue;
    }
    if (GROUP_OR_SOFTWARE.test(tag)) continue;
    const m = TACTIC.exec(tag);
    // Older rules write tactics with underscores (attack.credential_access); ATT&CK's short names use hyphens.
    if (m !== null) uniquePush(tactics, m[1].toLowerCase().replace(/_/g, '-'));
  }
  return { techniques, tactics };
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string' || typeof value === 'number') return [String(value)];
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const v of value) {
    if (typeof v === 'string' || typeof v === 'number') uniquePush(out, String(v));
    else return undefined;
  }
  return out;
}

function mappingsBlock(raw: Record<string, unknown>): Record<string, unknown> | undefined {
  const block = raw[MAPPINGS_BLOCK];
  return block !== null && typeof block === 'object' && !Array.isArray(block) ? (block as Record<string, unknown>) : undefined;
}

/** Framework → requirement ids from the rule's `socnoc:` block; lists of strings only, others ignored. */
export function complianceMappingsOf(raw: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const framework of COMPLIANCE_FRAMEWORKS) out[framework] = [];
  const block = mappingsBlock(raw);
  if (block === undefined) return out;
  for (const [key, value] of Object.entries(block)) {
    if (SETTINGS_KEYS.has(key)) continue;
    const list = stringList(value);
    if (list !== undefined) out[key] = list;
  }
  return out;
}

/** The rule's `socnoc.dedup_by` fields, when it sets them. */
export function dedupFieldsOf(raw: Record<string, unknown>): string[] | undefined {
  const list = stringList(mappingsBlock(raw)?.dedup_by);
  return list !== undefined && list.length > 0 ? list : undefined;
}

/**
 * The rule's `socnoc.dedup_window` (`30m`, `2h`, `1d`) in ms; undefined when absent or unusable
 * (no unit, zero, over a week): the configured window applies then.
 */
export function dedupWindowOf(raw: Record<string, unknown>): number | undefined {
  const value = mappingsBlock(raw)?.dedup_window;
  if (typeof value !== 'string' || !/[a-z]$/.test(value)) return undefined;
  const ms = parseDuration(value.trim());
  return ms !== undefined && ms <= MAX_DEDUP_WINDOW_MS ? ms : undefined;
}

export function ruleAlertInfo(source: AlertRuleSource, ruleset: string): RuleAlertInfo {
  const level = source.level ?? DEFAULT_SEVERITY;
  return {
    rule: { id: source.id ?? source.name ?? source.title, name: source.title, tags: [...source.tags], level, ruleset },
    mappings: { attack: attackMappingsOf(source.tags), compliance: complianceMappingsOf(source.raw) },
    dedupBy: dedupFieldsOf(source.raw),
    dedupWindowMs: dedupWindowOf(source.raw),
    resolves: resolveTargetsOf(mappingsBlock(source.raw)),
  };
}
