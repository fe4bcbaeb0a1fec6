/**
 * Adapters from the playbooks' ports (playbooks/ports.ts) to the modules `socnoc start` builds:
 * audit log, incidents, threat intel, device inventory and agents (assets), GeoIP, agent commands.
 * Playbooks never import these modules; app/ connects them here.
 */
import type { AgentService } from '../core/agents';
import type { AuditEntry } from '../core/audit';
import type { AuditSink as CoreAuditSink } from '../core/http/audit-trail';
import type { GeoIpLookup } from '../collectors/netflow';
import type { DeviceInventory } from '../collectors/snmp/inventory/store';
import type { AlertSeverity } from '../correlation/alerts';
import { ALERT_SEVERITIES } from '../correlation/alerts';
import type { IncidentService } from '../correlation/incidents';
import { INCIDENT_STATUSES, type IncidentStatus } from '../correlation/incidents/types';
import type { IntelIndex } from '../correlation/intel/intel-index';
import type { AgentCommandPort, AssetPort, AssetRecord, AuditRecord, AuditSink, GeoIpPort, IncidentPort, IntelPort, PlaybookPorts } from '../playbooks/ports';
import type { AlertStore } from '../correlation/alerts';
import { parseActor } from './audit-adapters';
import { PLAYBOOK_TIMELINE_ACTIONS, playbookTimelineEntry } from '../correlation/incidents/timeline-entries';

const AUDIT_RESULT: Record<AuditRecord['result'], AuditEntry['result']> = { success: 'ok', failure: 'error', pending: 'ok', skipped: 'ok', denied: 'denied' };

export function playbookAuditSink(sink: CoreAuditSink): AuditSink {
  return {
    append(record: AuditRecord): void {
      const colon = record.object.indexOf(':');
      const object = colon > 0 ? { type: record.object.slice(0, colon), id: record.object.slice(colon + 1) } : { type: record.object, id: null };
      // pending/skipped are outcomes worth reading in the log; the chain's result field has three values.
      const details = record.result === 'pending' || record.result === 'skipped' ? { ...record.details, outcome: record.result } : record.details;
      sink.append({ actor: parseActor(record.actor), action: record.action, object, organization: record.organization, result: AUDIT_RESULT[record.result], details });
    },
  };
}

function severityOf(value: string | undefined): AlertSeverity | undefined {
  return value !== undefined && (ALERT_SEVERITIES as readonly string[]).includes(value) ? (value as AlertSeverity) : undefined;
}

function statusOf(value: string | undefined): IncidentStatus | undefined {
  if (value === undefined) return undefined;
  if (!(INCIDENT_STATUSES as readonly string[]).includes(value)) throw new Error(`incident status "${value}": expected one of ${INCIDENT_STATUSES.join(', ')}`);
  return value as IncidentStatus;
}

export function playbookIncidentPort(service: IncidentService): IncidentPort {
  return {
    create(input) {
      // The grouper may already have put the alert in an incident (or a retried step opened it before a
      // crash): the playbook continues with that incident rather than opening a second one.
      for (const alertId of input.alert_ids) {
        const seq = service.store.incidentOfAlert(alertId);
        const existing = seq !== undefined ? service.store.head(seq) : undefined;
        if (existing !== undefined) return { id: existing.id };
      }
      const incident = service.createIncident(
        { organization: { id: input.organization }, title: input.title, alertIds: input.alert_ids, severity: severityOf(input.severity), details: input.description !== undefined ? { description: input.description } : undefined },
        `playbook:${input.idempotency_key ?? 'run'}`,
      );
      return { id: incident.id };
    },
    update(id, change) {
      service.updateIncident(id, { status: statusOf(change.status), severity: severityOf(change.severity), assignee: change.assignee }, 'playbook');
      if (change.alert_ids !== undefined && change.alert_ids.length > 0) service.addAlerts(id, change.alert_ids, 'playbook');
    },
    addTimeline(id, entry) {
      service.addTimelineEntry(id, { kind: 'playbook_step', message: entry.text, data: { kind: entry.kind, ...entry.details } }, entry.actor);
    },
  };
}

export function playbookIntelPort(index: IntelIndex, now: () => number = Date.now): IntelPort {
  return {
    lookup(values) {
      const nowSec = Math.floor(now() / 1000);
      return values.flatMap((value) =>
        index.lookup(value, nowSec).map((m) => ({ value: m.value, type: m.indicator.type, source: m.feed.name, confidence: m.indicator.confidence, description: m.indicator.meta.description ?? m.indicator.meta.name })),
      );
    },
  };
}

/** Assets are what socnoc knows of a host: a polled network device, or a host with an enrolled agent. */
export function playbookAssetPort(inventory: DeviceInventory, agents: AgentService | undefined): AssetPort {
  return {
    lookup(hostOrIp, organization) {
      const orgs = organization !== undefined ? [organization] : undefined;
      const device = inventory.list(orgs).find((d) => d.address === hostOrIp || d.name === hostOrIp || d.sys.name === hostOrIp);
      if (device !== undefined) {
        const asset: AssetRecord = { id: `device:${device.id}`, name: device.name, ip: [device.address], organization: device.organizationId, kind: 'network-device', vendor: device.vendor, status: device.status, tags: device.tags };
        return asset;
      }
      const agent = agents?.registry.list(orgs ? [...orgs] : undefined).find((a) => a.hostname === hostOrIp || a.address === hostOrIp || a.id === hostOrIp);
      if (agent !== undefined) {
        return { id: `agent:${agent.id}`, name: agent.hostname, ip: [agent.address], organization: agent.agency, kind: 'endpoint', agent_status: agent.status, os: agent.os };
      }
      return undefined;
    },
  };
}

export function playbookGeoIpPort(geoip: GeoIpLookup): GeoIpPort {
  return {
    lookup(ip) {
      const answer = geoip.lookup(ip);
      return answer === null ? undefined : { country_iso_code: answer.countryIsoCode, asn: answer.asNumber, as_organization: answer.asOrganization };
    },
  };
}

export function playbookAgentPort(agents: AgentService): AgentCommandPort {
  const resolve = (target: string, organization: string): string => {
    const found = agents.registry.list([organization]).find((a) => a.id === target || a.hostname === target || a.address === target);
    if (found === undefined) throw new Error(`no agent of agency ${organization} for "${target}" (by id, host name or address)`);
    if (found.revokedAt !== null) throw new Error(`agent ${found.id} (${found.hostname}) is revoked`);
    return found.id;
  };
  return {
    isolate(target, reason, organization) {
      const cmd = agents.sendCommand(resolve(target, organization), 'isolate', { reason }, 'playbook');
      return { command_id: cmd.id, status: cmd.status };
    },
    release(target, reason, organization) {
      const cmd = agents.sendCommand(resolve(target, organization), 'release', { reason }, 'playbook');
      return { command_id: cmd.id, status: cmd.status };
    },
  };
}

export interface PlaybookPortSources {
  audit: CoreAuditSink;
  alerts: AlertStore;
  incidents: IncidentService;
  intel: IntelIndex;
  inventory: DeviceInventory;
  agents: AgentService | undefined;
  geoip: GeoIpLookup | null;
}

/**
 * Records playbook steps in the audit log and, when the run's alert belongs to an incident, on that
 * incident's timeline too (step outcomes and approval decisions, PLAYBOOK_TIMELINE_ACTIONS), so
 * analysts read what automation did where they work.
 */
export function incidentTimelineMirror(audit: AuditSink, service: IncidentService): AuditSink {
  return {
    async append(record: AuditRecord): Promise<void> {
      await audit.append(record);
      // Simulated runs changed nothing: they stay in the audit log and off the incident's record.
      if (!PLAYBOOK_TIMELINE_ACTIONS.has(record.action) || record.details.simulated === true) return;
      const alertId = record.details.alert_id;
      if (typeof alertId !== 'string') return;
      const seq = service.store.incidentOfAlert(alertId);
      const incident = seq !== undefined ? service.store.head(seq) : undefined;
      const entry = playbookTimelineEntry(record);
      if (incident !== undefined && entry !== undefined) service.addTimelineEntry(incident.id, entry, record.actor);
    },
  };
}

export function playbookPorts(src: PlaybookPortSources): PlaybookPorts {
  return {
    audit: incidentTimelineMirror(playbookAuditSink(src.audit), src.incidents),
    alerts: src.alerts,
    incidents: playbookIncidentPort(src.incidents),
    intel: playbookIntelPort(src.intel),
    assets: playbookAssetPort(src.inventory, src.agents),
    geoip: src.geoip !== null ? playbookGeoIpPort(src.geoip) : undefined,
    agents: src.agents !== undefined ? playbookAgentPort(src.agents) : undefined,
  };
}
