/** Agent lifecycle as events on the bus (`event.dataset: agent.status`), so NOC rules can alert on an agent gone silent. */
import { newEventId, type EcsEvent } from '../event';
import type { AgentRecord } from './registry';

export type AgentStatusAction = 'agent-enrolled' | 'agent-online' | 'agent-offline' | 'agent-revoked';

const MESSAGES: Record<AgentStatusAction, string> = {
  'agent-enrolled': 'enrolled',
  'agent-online': 'back online',
  'agent-offline': 'offline: no heartbeat',
  'agent-revoked': 'revoked',
};

export function agentStatusEvent(agent: AgentRecord, action: AgentStatusAction, now: number): EcsEvent {
  const ts = new Date(now).toISOString();
  return {
    '@timestamp': ts,
    message: `agent ${agent.hostname} (${agent.id}) ${MESSAGES[action]}; last seen ${new Date(agent.lastSeen).toISOString()}`,
    event: {
      id: newEventId(),
      created: ts,
      ingested: ts,
      kind: 'state',
      category: ['host'],
      type: [action === 'agent-offline' || action === 'agent-revoked' ? 'end' : 'start'],
      action,
      dataset: 'agent.status',
      module: 'socnoc_agent',
      severity: action === 'agent-offline' ? 5 : 1,
    },
    organization: { id: agent.agency },
    agent: { id: agent.id, name: agent.hostname, type: 'socnoc-agent', version: agent.version },
    host: { name: agent.hostname, hostname: agent.hostname },
    labels: { agent_status: action === 'agent-offline' || action === 'agent-revoked' ? 'offline' : 'online', agent_group: agent.group },
  };
}
