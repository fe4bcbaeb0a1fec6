/**
 * What playbooks need from other capabilities, as small interfaces. app/ wires adapters to the
 * real modules (audit log, incidents, threat intel, assets, GeoIP, endpoint agents, alerts), so
 * this folder does not depend on their code.
 */
import type { Alert } from '../correlation/alerts/types';

export interface AuditRecord {
  /** `user:<name>` or `playbook:<id>`. */
  actor: string;
  /** e.g. `playbook.step.start`, `playbook.step.finish`, `playbook.approval.decision`. */
  action: string;
  /** What was acted on, e.g. `playbook_run:<id>`. */
  object: string;
  organization: string;
  result: 'success' | 'failure' | 'pending' | 'skipped' | 'denied';
  details: Record<string, unknown>;
}

export interface AuditSink {
  append(record: AuditRecord): void | Promise<void>;
}

export interface AlertSource {
  /** The alert, or undefined when it does not exist (or is outside `organizations`). */
  get(id: string, organizations?: readonly string[]): Alert | undefined;
  /** Several alerts in one read (the alert store has it); absent ones are missing from the map. */
  getMany?(ids: readonly string[]): Map<string, Alert>;
}

export interface IncidentInput {
  title: string;
  severity: string;
  organization: string;
  alert_ids: string[];
  description?: string;
  /** The step execution's key: the same on a retry after a crash, so the adapter can return the incident it already opened. */
  idempotency_key?: string;
}

export interface IncidentUpdate {
  status?: string;
  severity?: string;
  assignee?: string;
  alert_ids?: string[];
}

export interface IncidentTimelineEntry {
  kind: string;
  text: string;
  actor: string;
  details?: Record<string, unknown>;
}

export interface IncidentPort {
  create(input: IncidentInput): Promise<{ id: string }> | { id: string };
  update(id: string, change: IncidentUpdate): Promise<void> | void;
  addTimeline(id: string, entry: IncidentTimelineEntry): Promise<void> | void;
}

export interface IntelMatch {
  value: string;
  type: string;
  source: string;
  confidence?: number;
  description?: string;
}

export interface IntelPort {
  lookup(values: readonly string[]): Promise<IntelMatch[]> | IntelMatch[];
}

export interface AssetRecord {
  id: string;
  name?: string;
  ip?: string[];
  owner?: string;
  criticality?: string;
  organization?: string;
  [key: string]: unknown;
}

export interface AssetPort {
  /** An asset by host name or IP address. */
  lookup(hostOrIp: string, organization?: string): Promise<AssetRecord | undefined> | AssetRecord | undefined;
}

export interface GeoIpRecord {
  country_iso_code?: string;
  country_name?: string;
  asn?: number;
  as_organization?: string;
}

export interface GeoIpPort {
  lookup(ip: string): GeoIpRecord | undefined | Promise<GeoIpRecord | undefined>;
}

export interface AgentCommandResult {
  /** The command's id at the agent side, to follow it. */
  command_id: string;
  status: string;
}

export interface AgentCommandPort {
  /** Isolates an endpoint (by host name, host id or agent id) from the network, keeping its link to socnoc. */
  isolate(target: string, reason: string, organization: string): Promise<AgentCommandResult> | AgentCommandResult;
  release(target: string, reason: string, organization: string): Promise<AgentCommandResult> | AgentCommandResult;
}

/** The ports a deployment has; a playbook step whose port is missing fails naming it. */
export interface PlaybookPorts {
  audit?: AuditSink;
  alerts?: AlertSource;
  incidents?: IncidentPort;
  intel?: IntelPort;
  assets?: AssetPort;
  geoip?: GeoIpPort;
  agents?: AgentCommandPort;
}
