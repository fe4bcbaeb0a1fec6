/** Search-language trees that select one log source's events (by sender address, host name or agent id). */
import type { QueryNode } from '../../../core/query/ast';

function term(field: string, value: string): QueryNode {
  return { kind: 'term', field, value, wildcard: false, phrase: false };
}

function anyOf(children: QueryNode[]): QueryNode {
  return children.length === 1 ? children[0] : { kind: 'or', children };
}

/** Syslog puts the sender in observer.ip and log.source.address; agents and normalizers in host.ip. */
export function addressQuery(address: string): QueryNode {
  return anyOf([term('observer.ip', address), term('log.source.address', address), term('host.ip', address)]);
}

export function hostQuery(host: string): QueryNode {
  return anyOf([term('host.name', host), term('observer.hostname', host), term('host.hostname', host)]);
}

export function logSourceQuery(source: { address?: string; host?: string; agent_id?: string }): QueryNode {
  const parts: QueryNode[] = [];
  if (source.address !== undefined) parts.push(addressQuery(source.address));
  if (source.host !== undefined) parts.push(hostQuery(source.host));
  if (source.agent_id !== undefined) parts.push(term('agent.id', source.agent_id));
  return anyOf(parts);
}

export function fieldExists(field: string): QueryNode {
  return { kind: 'exists', field };
}

export { term as termQuery, anyOf };
