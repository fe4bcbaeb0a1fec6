/** What the agent capability records in the audit log (core/audit provides the sink; app/ passes it in). */
export interface AgentAuditEntry {
  /** `user:<name>`, `token:<enrolment token id>`, `agent:<id>` or `playbook:<id>`. */
  actor: string;
  action: string;
  organization: string;
  target: string;
  details: Record<string, string | number | boolean>;
}

export interface AgentAuditSink {
  append(entry: AgentAuditEntry): unknown;
}
