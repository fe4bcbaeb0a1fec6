/** Shapes of the API answers the console reads (see /api/v1/openapi.json); optional members belong to capabilities that may not be installed. */

export const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ALERT_STATUSES = ['new', 'acknowledged', 'in_progress', 'resolved', 'false_positive'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const ROLES = ['admin', 'soc_analyst', 'noc_operator', 'auditor', 'agency_admin'] as const;
export type Role = (typeof ROLES)[number];

export interface UserJson {
  username: string;
  role: Role;
  agencies: string[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
  /** Console language the user chose (kept on the server); null until chosen. */
  locale?: 'vi' | 'en' | null;
}

export interface Me {
  user: UserJson;
  agencies: 'all' | string[];
  permissions: string[];
  credential: { kind: 'session' | 'api'; via: 'cookie' | 'bearer'; expiresAt: string | null };
}

export interface Agency {
  id: string;
  name: string;
  /** Source networks of the agency (socnoc.yaml). */
  cidrs?: string[];
  /** Users given this agency; absent when the server does not count them. */
  users?: number;
  /** Devices and agents of the agency, counted by the server; absent without the permission to read them or the capability. */
  devices?: number;
  agents?: number;
}

export interface TokenJson {
  id: string;
  username: string;
  kind: 'session' | 'api';
  name: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** An ECS event, nested as stored. */
export interface EcsEvent {
  '@timestamp': string;
  message?: string;
  event: { id: string; dataset?: string; original?: string; [k: string]: unknown };
  organization?: { id: string; name?: string };
  [field: string]: unknown;
}

export interface AlertComment {
  id?: string;
  author: string;
  text: string;
  time: string;
}

export interface AlertSuppression {
  id: string;
  rule_id: string;
  organization: string | null;
  match: Record<string, string | string[]>;
  reason: string;
  owner: string;
  created_at: string;
  expires_at: string | null;
  expired: boolean;
  hits: number;
  last_hit: string | null;
}

export interface AlertHistoryEntry {
  time: string;
  actor: string;
  kind: string;
  from?: string | null;
  to?: string | null;
  text?: string | null;
  [k: string]: unknown;
}

export interface Alert {
  id: string;
  status: AlertStatus;
  severity: Severity;
  rule: { id: string; name: string; tags: string[]; level: Severity; ruleset: string };
  mappings: { attack: { techniques: string[]; tactics: string[] }; compliance: Record<string, string[]> };
  organization: { id: string; name?: string };
  first_seen: string;
  last_seen: string;
  count: number;
  group_key: string;
  group: Record<string, string>;
  event_ids: string[];
  events: EcsEvent[];
  created_at: string;
  updated_at: string;
  /** Alert lifecycle (issue 6), when installed. */
  assignee?: string | null;
  comments?: AlertComment[];
  history?: AlertHistoryEntry[];
}

export interface AlertPage {
  total: number;
  alerts: Alert[];
  next: string | null;
}

export interface RuleSummary {
  kind: 'rule' | 'correlation';
  id: string | null;
  name: string | null;
  title: string;
  level: string | null;
  status: string | null;
  logsource: { product?: string; category?: string; service?: string } | null;
  type: string | null;
  tags: string[];
  enabled: boolean;
  /** Why it does not run: correlation.sigma.disabled or the API switch. */
  disabled_by?: 'config' | 'api' | null;
  standalone: boolean;
  ruleset: string;
  file: string;
  line: number;
  previous_version: boolean;
}

export interface RuleList {
  total: number;
  loaded_at: string | null;
  errors: number;
  rules: RuleSummary[];
}

export interface RuleError {
  file: string;
  line: number;
  kind: string;
  reason: string;
  document: string | null;
  status: string | null;
  ruleset: string | null;
  kept_previous: boolean;
}

export interface EventPage {
  total: number;
  events: EcsEvent[];
  next: string | null;
}

export interface Histogram {
  intervalMs: number;
  buckets: Array<{ start: string; count: number }>;
}

export interface TopValues {
  field: string;
  values: Array<{ value: string; count: number }>;
}

/** Issue 4 contract. */
export type DeviceStatus = 'up' | 'down' | 'unreachable' | 'unknown';
export interface Device {
  id: string;
  name: string;
  address: string;
  status: DeviceStatus;
  organization: { id: string };
  sys?: { name?: string | null; descr?: string | null; uptime_s?: number | null; location?: string };
  vendor?: string | null;
  last_polled?: string | null;
  last_error?: string;
  missed_polls?: number;
  cpu_load_pct?: number;
  memory_used_pct?: number;
  parent?: string | null;
  tags?: string[];
}

/** collectors/snmp/http.ts: rates come from the last two polls, absent until then. */
export interface DeviceInterface {
  index: number;
  name: string;
  alias?: string;
  admin_status?: string;
  oper_status?: string;
  speed_bps?: number;
  in_bps?: number;
  out_bps?: number;
  in_errors_ps?: number;
  out_errors_ps?: number;
  in_discards_ps?: number;
  out_discards_ps?: number;
  utilization_pct?: number;
}

export interface DiscoverySweep {
  id: number;
  running: boolean;
  started_at: string;
  finished_at?: string;
  ranges: string[];
  addresses: number;
  probed: number;
  found: number;
  created: number;
  updated: number;
  errors: string[];
}

/** A time series point as the metrics routes return it: [ISO time or epoch ms, value]. */
export interface SeriesPoint {
  time: string | number;
  value: number | null;
}

/** Issue 5 contract. */
export const FLOW_TOP_BY = ['source.ip', 'destination.ip', 'destination.port', 'conversation', 'agency'] as const;
export type FlowTopBy = (typeof FLOW_TOP_BY)[number];
export interface FlowTopRow {
  key: string;
  bytes: number;
  packets: number;
  flows: number;
}
