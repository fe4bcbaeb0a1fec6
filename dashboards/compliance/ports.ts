/**
 * What compliance reads from the rest of socnoc, as narrow read-only ports. app/ connects them to
 * the real modules (event store, audit log, agents, SNMP inventory, incidents, intel, rule
 * catalogue, mailer); any port left out makes the evidence it feeds "not observable", and the
 * requirement then asks for manual evidence instead of failing.
 */
import type { EventStore } from '../../core/store/event-store';
import type { AuditEntry, AuditVerifyResult } from '../../core/audit/types';

/** The event store calls evidence needs (core's EventStore satisfies it). */
export type ComplianceEventPort = Pick<EventStore, 'search' | 'count' | 'histogram' | 'topValues'>;

/** The audit log: chain verification as evidence, and where report digests are recorded (core/audit AuditLog fits). */
export interface ComplianceAuditPort {
  verify(): AuditVerifyResult;
  append(entry: AuditEntry): number;
  /** Newest first; monitoring-report evidence looks for `monitoring_report.generate` records. */
  list?(filter: { organizations?: readonly string[]; action?: string; from?: number; limit: number }): { records: Array<{ time: string; details: Record<string, unknown> }> };
}

export interface AgentHealthFacts {
  id: string;
  hostname: string;
  organization: string;
  status: 'online' | 'offline';
  /** Epoch ms of the last contact. */
  lastSeen: number;
  revoked: boolean;
  /** Agent clock minus server clock at the last contact, ms; null when unknown. */
  clockOffsetMs: number | null;
  /** Epoch ms of the last completed malware (YARA) scan; null: never. */
  lastMalwareScan: number | null;
  /** Epoch ms when the agent's malware rules/signatures were last updated; null: unknown. */
  signaturesUpdated: number | null;
}

export interface AgentHealthPort {
  /** Agents of these agencies (undefined: all). */
  agents(organizations: readonly string[] | undefined): Promise<AgentHealthFacts[]> | AgentHealthFacts[];
}

export interface DeviceFacts {
  id: string;
  name: string;
  address: string;
  organization: string;
  /** SNMP polling state. */
  status: 'up' | 'down' | 'unreachable' | 'unknown';
  /** Epoch ms of the last successful poll; null: never. */
  lastPolled: number | null;
  /** Device clock minus poller clock (from sysUpTime/NTP MIBs), ms; null when unknown. */
  clockOffsetMs: number | null;
}

export interface DeviceMonitoringPort {
  devices(organizations: readonly string[] | undefined): Promise<DeviceFacts[]> | DeviceFacts[];
}

export interface RuleCoverageFacts {
  id: string;
  title: string;
  enabled: boolean;
  /** The rule's `socnoc:` compliance mappings: framework (decree85, iso27001, nist_csf) → ids. */
  compliance: Readonly<Record<string, readonly string[]>>;
}

export interface RuleCoveragePort {
  rules(): readonly RuleCoverageFacts[];
}

export interface IncidentReportFacts {
  /** `report.<kind>` as correlation/incidents names it. */
  key: string;
  regime: string | null;
  /** Epoch ms; null while the clock has not started. */
  dueAt: number | null;
  /** Epoch ms the report was submitted; null: not yet. */
  submittedAt: number | null;
}

export interface IncidentFacts {
  id: string;
  organization: string;
  /** Earliest event behind the incident (its first alert's first_seen), epoch ms; null when unknown. */
  firstEventAt: number | null;
  detectedAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  serious: boolean;
  reports: IncidentReportFacts[];
  /** Incident register fields (undefined where a port does not supply them: counted as not recorded). */
  /** Epoch ms the incident was declared (opened as a record). */
  openedAt?: number;
  /** Epoch ms of the first move to `contained`; null: never contained (or contained by resolving directly). */
  containedAt?: number | null;
  /** Epoch ms of closure; null while not closed. */
  closedAt?: number | null;
  /** open, investigating, contained, resolved, closed. */
  status?: string;
}

export interface IncidentPort {
  /** Incidents detected in [from, to) for these agencies (undefined: all). */
  incidents(params: { organizations: readonly string[] | undefined; from: number; to: number }): Promise<IncidentFacts[]> | IncidentFacts[];
}

export interface IntelFeedFacts {
  name: string;
  enabled: boolean;
  /** Epoch ms of the last successful refresh; null: never. */
  lastSuccess: number | null;
  indicators: number;
}

export interface IntelFeedPort {
  feeds(): Promise<IntelFeedFacts[]> | IntelFeedFacts[];
}

export interface AlertFacts {
  id: string;
  organization: string;
  severity: string;
  ruleName: string;
  /** Epoch ms. */
  firstSeen: number;
  count: number;
  techniques: readonly string[];
  /** Values of the alert's group / first event, when present. */
  sourceIp: string | null;
  destination: string | null;
  status: string;
  /** The rule's id (Sigma id), its tags, the first event's event.dataset and the rule's compliance mappings: malware evidence picks alerts by these. */
  ruleId?: string;
  tags?: readonly string[];
  dataset?: string | null;
  compliance?: Readonly<Record<string, readonly string[]>>;
  /** Epoch ms the alert was resolved or marked false positive; null while open. */
  closedAt?: number | null;
}

export interface AlertPort {
  /** Alerts first seen in [from, to) for these agencies; at most `limit`. */
  alerts(params: { organizations: readonly string[] | undefined; from: number; to: number; limit: number }): Promise<AlertFacts[]> | AlertFacts[];
}

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

/** Sends mail (app/ connects playbooks' mailer). */
export interface MailPort {
  send(message: { to: readonly string[]; subject: string; text: string; attachments: MailAttachment[] }): Promise<void>;
}

export interface CompliancePorts {
  events?: ComplianceEventPort;
  audit?: ComplianceAuditPort;
  agents?: AgentHealthPort;
  devices?: DeviceMonitoringPort;
  rules?: RuleCoveragePort;
  incidents?: IncidentPort;
  intel?: IntelFeedPort;
  alerts?: AlertPort;
}
