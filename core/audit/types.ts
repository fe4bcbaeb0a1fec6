/** The audit record: who did what, when, to which object, with what result. */

export const AUDIT_ACTOR_TYPES = ['user', 'token', 'playbook', 'agent', 'system', 'anonymous'] as const;
/** `user`: a console session; `token`: an API token (id = its owner's username); `agent`: an endpoint agent (id = agent id); `anonymous`: no valid credential. */
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

export const AUDIT_RESULTS = ['ok', 'denied', 'error'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

/** What a caller hands to `AuditLog.append`. */
export interface AuditEntry {
  actor: { type: AuditActorType; id: string };
  /** `<object>.<verb>`, e.g. `alert.update`, `user.create`, `playbook.step`. */
  action: string;
  object?: { type: string; id?: string | null } | null;
  /** The agency the object belongs to; null for system-wide objects (users, tokens, settings). */
  organization?: string | null;
  result: AuditResult;
  /** Context; keys naming secrets (password, token, secret…) are redacted before storing. */
  details?: Record<string, unknown>;
  /** Epoch ms; default now. */
  time?: number;
}

/** A stored record, as `list` returns it. */
export interface AuditRecord {
  seq: number;
  time: string;
  actor: { type: AuditActorType; id: string };
  action: string;
  object: { type: string; id: string | null } | null;
  organization: string | null;
  result: AuditResult;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  /** Records read (up to and including the first bad one). */
  checked: number;
  /** Hash of the last good record (the chain head when ok). */
  head: string;
  firstBad?: { seq: number; reason: string };
}
