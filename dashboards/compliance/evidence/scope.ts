/** Which agents and devices belong to a system: the declared ones, else all of its agency. */
import type { AgentHealthFacts, DeviceFacts } from '../ports';
import type { EvidenceContext } from './types';

export interface ScopedAgents {
  /** Agents found for the system. */
  agents: AgentHealthFacts[];
  /** Declared agent hosts with no enrolled agent. */
  missing: string[];
}

export async function agentsInScope(ctx: EvidenceContext): Promise<ScopedAgents | undefined> {
  const port = ctx.ports.agents;
  if (port === undefined) return undefined;
  const all = (await port.agents(ctx.organizations)).filter((a) => !a.revoked);
  const declared = ctx.system.assets.agent_hosts;
  if (declared.length === 0) return { agents: all, missing: [] };
  const byHost = new Map(all.map((a) => [a.hostname.toLowerCase(), a]));
  const agents: AgentHealthFacts[] = [];
  const missing: string[] = [];
  for (const h of declared) {
    const a = byHost.get(h.toLowerCase());
    if (a === undefined) missing.push(h);
    else agents.push(a);
  }
  return { agents, missing };
}

export interface ScopedDevices {
  devices: DeviceFacts[];
  /** Declared devices the inventory does not monitor. */
  missing: string[];
}

export async function devicesInScope(ctx: EvidenceContext): Promise<ScopedDevices | undefined> {
  const port = ctx.ports.devices;
  if (port === undefined) return undefined;
  const all = await port.devices(ctx.organizations);
  const declared = ctx.system.assets.devices;
  if (declared.length === 0) return { devices: all, missing: [] };
  const devices: DeviceFacts[] = [];
  const missing: string[] = [];
  for (const d of declared) {
    const found = all.find((x) => (d.address !== undefined && x.address === d.address) || (d.name !== undefined && x.name.toLowerCase() === d.name.toLowerCase()));
    if (found === undefined) missing.push(d.name ?? d.address ?? '?');
    else devices.push(found);
  }
  return { devices, missing };
}
