/**
 * The Alert: what a detection (a Sigma rule, a correlation, later NOC and intel rules) raises, as
 * stored and as the API returns it. Field names follow ECS where ECS has one (`rule.*`,
 * `organization.*`); times are ISO 8601 strings.
 */
import type { EcsEvent } from '../../core/event';
import type { ResolveTarget } from './auto-resolve';

/** The lifecycle (issue 6): detections create `new`; analysts move alerts along. */
export const ALERT_STATUSES = ['new', 'acknowledged', 'in_progress', 'resolved', 'false_positive'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Statuses a new match may fold into; a closed alert is never reopened by deduplication. */
export const OPEN_ALERT_STATUSES: readonly AlertStatus[] = ['new', 'acknowledged', 'in_progress'];
export const CLOSED_ALERT_STATUSES: readonly AlertStatus[] = ['resolved', 'false_positive'];

/** Sigma's levels, lowest first. */
export const ALERT_SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface AlertRule {
  /** The rule's Sigma id (else its name, else its title). */
  id: string;
  /** The rule's title. */
  name: string;
  tags: string[];
  level: AlertSeverity;
  /** Which rule folder it came from: `socnoc` for the built-in pack, else the configured name. */
  ruleset: string;
}

/**
 * What an alert maps to, inherited from its rule: ATT&CK from the `attack.*` tags, compliance from
 * the rule's custom `socnoc:` block (`nist_csf`, `iso27001`, `decree85`, and any further list).
 */
export interface AlertMappings {
  attack: { techniques: string[]; tactics: string[] };
  /** Framework → requirement ids; nist_csf, iso27001 and decree85 are always present. */
  compliance: Record<string, string[]>;
}

export interface AlertOrganization {
  id: string;
  name?: string;
}

export interface Alert {
  id: string;
  status: AlertStatus;
  severity: AlertSeverity;
  rule: AlertRule;
  mappings: AlertMappings;
  organization: AlertOrganization;
  /** Time of the earliest and latest folded match (event time). */
  first_seen: string;
  last_seen: string;
  /** Matches folded into this alert (events for single-event rules, firings for correlations). */
  count: number;
  /** `field="value"` pairs, sorted by field, that identify what the alert is about; '' when nothing does. */
  group_key: string;
  /** The same values as an object: a correlation's group-by values, or a single-event rule's key entity. */
  group: Record<string, string>;
  /** Ids of the first matching events (bounded), to fetch them from the event store. */
  event_ids: string[];
  /** The first matching events, inline (bounded). */
  events: EcsEvent[];
  /** Username the alert is assigned to; null when nobody is. */
  assignee: string | null;
  /** Who made the last lifecycle change (status, assignee, severity, comment); null until someone does. */
  updated_by: string | null;
  /** When the store created and last changed the record (wall clock). */
  created_at: string;
  updated_at: string;
}

/** What an analyst changed on an alert, or a comment; `alertHistory` returns these oldest first. */
export type AlertHistoryKind = 'status' | 'assignee' | 'severity' | 'comment';

export interface AlertHistoryEntry {
  /** Increasing across all alerts; a comment's id. */
  id: number;
  time: string;
  /** Username (or `playbook:<name>`, `system`) that made the change. */
  actor: string;
  kind: AlertHistoryKind;
  /** Previous and new value for status, assignee (null: nobody) and severity; null for comments. */
  from: string | null;
  to: string | null;
  /** The comment's text; null for other kinds. */
  text: string | null;
}

/**
 * Mutes matches instead of raising alerts: a rule id (or `*`), optionally one agency and field
 * values (all must match, against the alert's group values or its first event), until it expires.
 */
export interface AlertSuppression {
  id: string;
  rule_id: string;
  organization: string | null;
  /** ECS field → value, or any of several values. */
  match: Record<string, string | string[]>;
  reason: string;
  owner: string;
  created_at: string;
  /** null: never expires. */
  expires_at: string | null;
  /** Matches muted so far, and when the last one was. */
  hits: number;
  last_hit: string | null;
}

/** One detection to store: a new alert, or folded into an open one with the same dedup key. */
export interface AlertHit {
  rule: AlertRule;
  mappings: AlertMappings;
  organization: AlertOrganization;
  /** Event time of the match, epoch ms. */
  time: number;
  group: Readonly<Record<string, string>>;
  events: readonly EcsEvent[];
  /** The rule's own dedup window (`socnoc.dedup_window`); undefined: the store's default. */
  dedupWindowMs?: number;
  /** Rules whose open alerts for the same entity this hit clears (`socnoc.resolves`, auto-resolve.ts). */
  resolves?: readonly ResolveTarget[];
}

/** What one `record` call did, per alert touched. */
export interface AlertChange {
  id: string;
  created: boolean;
  /** Matches folded in by this call. */
  added: number;
}
