/**
 * Adapters from the capabilities' own audit entry shapes to core/audit's record. Capabilities
 * declare the small sink they need (so they do not depend on the audit module); app/ connects them.
 */
import type { AuditActorType, AuditEntry } from '../core/audit';
import type { AuditSink } from '../core/http/audit-trail';
import type { AgentAuditEntry, AgentAuditSink } from '../core/agents';

/** `kind:id` actor strings → the audit log's typed actor; enrolment tokens are not API tokens, so they say so. */
export function parseActor(actor: string): AuditEntry['actor'] {
  const colon = actor.indexOf(':');
  const kind = colon > 0 ? actor.slice(0, colon) : '';
  const id = colon > 0 ? actor.slice(colon + 1) : actor;
  const types: Record<string, AuditActorType> = { user: 'user', agent: 'agent', playbook: 'playbook', system: 'system' };
  if (kind === 'token') return { type: 'token', id: `enrolment-token:${id}` };
  return types[kind] !== undefined ? { type: types[kind], id } : { type: 'system', id: actor };
}

export function agentAuditSink(sink: AuditSink): AgentAuditSink {
  return {
    append(entry: AgentAuditEntry): number {
      const object = { type: entry.action.split('.').slice(0, -1).join('.') || 'agent', id: entry.target || null };
      return sink.append({ actor: parseActor(entry.actor), action: entry.action, object, organization: entry.organization, result: 'ok', details: entry.details });
    },
  };
}
