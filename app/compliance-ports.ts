/**
 * Connects compliance's read-only ports (dashboards/compliance/ports.ts) to the modules `socnoc
 * start` builds, and opens the same stores for `socnoc report …` while the server runs or is
 * stopped. Only app/ may know both sides, so the adapters live here.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CommandQueue } from '../core/agents/commands';
import { AgentRegistry } from '../core/agents/registry';
import { openAuditLog, type AuditLog } from '../core/audit';
import type { EventStore } from '../core/store/event-store';
import type { SqliteDb } from '../core/store/sqlite';
import { SqliteEventStore } from '../core/store/sqlite-event-store';
import { AgencyResolver } from '../core/tenancy';
import { DeviceInventory } from '../collectors/snmp/inventory/store';
import { loadSecretBox } from '../collectors/snmp';
import { complianceMappingsOf } from '../correlation/alerts/rule-info';
import { AlertStore } from '../correlation/alerts/store';
import { CLOSED_ALERT_STATUSES, type Alert } from '../correlation/alerts/types';
import { IncidentService, IncidentStore, type DueItem, type Incident, type TimelineEntry } from '../correlation/incidents';
import type { IntelFeeds } from '../correlation/intel';
import { builtinSigmaRulesDir, ruleSources, type DetectionRules, type DetectionStage } from '../correlation/runtime';
import { loadDetectionRules } from '../correlation/runtime/rule-loader';
import { RuleToggles } from '../correlation/runtime/rule-toggles';
import type {
  AgentHealthFacts,
  AgentHealthPort,
  AlertFacts,
  AlertPort,
  CompliancePorts,
  DeviceMonitoringPort,
  IncidentFacts,
  IncidentPort,
  IntelFeedPort,
  RuleCoverageFacts,
  RuleCoveragePort,
} from '../dashboards/compliance';
import type { SocnocConfig } from './config';

/** Heartbeat `stats` keys an agent may report (epoch ms or ISO 8601); the registry keeps them as sent. */
const STAT_LAST_SCAN = 'yara_last_scan';
const STAT_RULES_UPDATED = 'yara_rules_updated';
const STAT_CLOCK_OFFSET = 'clock_offset_ms';
/** Commands looked at per agent for its last completed on-demand YARA scan. */
const COMMANDS_PER_AGENT = 50;
const INCIDENT_PAGE = 500;

function epochOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  if (typeof value === 'string' && value !== '') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

function latest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.max(a, b);
}

/**
 * Agents from the registry: clock offset from the last inventory (the agent measures it against
 * the server's Date header) or a heartbeat stat; last malware scan from a completed `yara_scan`
 * command or a heartbeat stat. Scheduled scans without matches leave no other trace.
 */
export function agentHealthPort(registry: AgentRegistry, commands?: Pick<CommandQueue, 'listForAgent'>): AgentHealthPort {
  return {
    agents(organizations) {
      return registry.list(organizations === undefined ? undefined : [...organizations]).map((a): AgentHealthFacts => {
        const inventory = registry.inventory(a.id)?.inventory;
        const offset = a.stats[STAT_CLOCK_OFFSET] ?? inventory?.[STAT_CLOCK_OFFSET];
        const scanCommand = commands?.listForAgent(a.id, COMMANDS_PER_AGENT).find((c) => c.type === 'yara_scan' && c.status === 'succeeded' && c.completed_at !== null);
        return {
          id: a.id,
          hostname: a.hostname,
          organization: a.agency,
          status: a.status,
          lastSeen: a.lastSeen,
          revoked: a.revokedAt !== null,
          clockOffsetMs: typeof offset === 'number' && Number.isFinite(offset) ? Math.round(offset) : null,
          lastMalwareScan: latest(epochOf(a.stats[STAT_LAST_SCAN]), epochOf(scanCommand?.completed_at)),
          signaturesUpdated: epochOf(a.stats[STAT_RULES_UPDATED]),
        };
      });
    },
  };
}

/** Devices of the SNMP inventory with their polling state. Devices do not report a clock offset over SNMP. */
export function deviceMonitoringPort(inventory: Pick<DeviceInventory, 'list'>): DeviceMonitoringPort {
  return {
    devices(organizations) {
      return inventory.list(organizations).map((d) => ({
        id: d.id,
        name: d.name,
        address: d.address,
        organization: d.organizationId,
        status: d.status,
        lastPolled: d.lastPolled !== undefined ? epochOf(d.lastPolled) : null,
        clockOffsetMs: null,
      }));
    },
  };
}

/**
 * Enabled rules with their `socnoc:` mappings: detection rules that raise alerts by themselves and
 * correlations. Rules that only feed correlations count as not enabled (they raise nothing alone).
 */
export function ruleCoveragePort(current: () => DetectionRules | undefined): RuleCoveragePort {
  let cachedFor: DetectionRules | undefined;
  let cached: RuleCoverageFacts[] = [];
  return {
    rules() {
      const loaded = current();
      if (loaded === undefined) return [];
      if (loaded === cachedFor) return cached;
      const out: RuleCoverageFacts[] = [];
      for (const r of loaded.rules) out.push({ id: r.id ?? r.title, title: r.title, enabled: r.standalone, compliance: complianceMappingsOf(r.rule.raw) });
      for (const c of loaded.correlations) out.push({ id: c.id ?? c.name ?? c.title, title: c.title, enabled: true, compliance: complianceMappingsOf(c.raw) });
      cachedFor = loaded;
      cached = out;
      return out;
    },
  };
}

/**
 * A detection stage that only remembers the rules of each (re)load, for the rule coverage port:
 * the engine hands correlations to stages only. Its per-event step does nothing.
 */
export function ruleSnapshotStage(): { stage: DetectionStage; current(): DetectionRules | undefined } {
  let rules: DetectionRules | undefined;
  return {
    stage: {
      name: 'compliance-rule-snapshot',
      load(next) {
        rules = next;
      },
      process() {
        // Nothing per event: compliance reads the rule list only.
      },
    },
    current: () => rules,
  };
}

/** When the timeline first moved the incident to `contained` (the record keeps no column for it). */
function firstContained(timeline: readonly TimelineEntry[]): number | null {
  for (const t of timeline) if (t.kind === 'status_change' && t.data.to === 'contained') return epochOf(t.time);
  return null;
}

function incidentFacts(incident: Incident & { due: DueItem[] }, alerts: Pick<AlertStore, 'get'> | undefined, timeline: readonly TimelineEntry[] | undefined): IncidentFacts {
  let firstEventAt: number | null = null;
  if (alerts !== undefined) {
    for (const id of incident.alert_ids) {
      const a = alerts.get(id);
      if (a !== undefined) firstEventAt = firstEventAt === null ? Date.parse(a.first_seen) : Math.min(firstEventAt, Date.parse(a.first_seen));
    }
  }
  return {
    id: incident.id,
    organization: incident.organization.id,
    firstEventAt,
    detectedAt: Date.parse(incident.detected_at),
    acknowledgedAt: epochOf(incident.acknowledged_at),
    resolvedAt: epochOf(incident.resolved_at),
    serious: incident.serious,
    openedAt: Date.parse(incident.opened_at),
    containedAt: timeline !== undefined ? firstContained(timeline) : undefined,
    closedAt: epochOf(incident.closed_at),
    status: incident.status,
    reports: incident.due
      .filter((d) => d.kind === 'report')
      .map((d) => ({ key: d.key, regime: d.regime, dueAt: epochOf(d.due_at), submittedAt: d.status === 'submitted' || d.status === 'submitted_late' ? epochOf(d.done_at) : null })),
  };
}

/**
 * Incidents detected in the window, newest first through the service's pages, with their report
 * deadlines; with `detail`, the containment time from each incident's timeline.
 */
export function incidentPort(service: Pick<IncidentService, 'list'> & Partial<Pick<IncidentService, 'detail'>>, alerts?: Pick<AlertStore, 'get'>): IncidentPort {
  return {
    incidents({ organizations, from, to }) {
      const out: IncidentFacts[] = [];
      for (let offset = 0; ; offset += INCIDENT_PAGE) {
        const page = service.list({ organizations, limit: INCIDENT_PAGE, offset });
        let newest = 0;
        for (const inc of page.incidents) {
          const detected = Date.parse(inc.detected_at);
          newest = Math.max(newest, detected, Date.parse(inc.opened_at));
          if (detected >= from && detected < to) out.push(incidentFacts(inc, alerts, service.detail?.(inc.id).timeline));
        }
        // Pages run newest first by opening; once a whole page predates the window, older ones do too.
        if (page.incidents.length < INCIDENT_PAGE || newest < from) break;
      }
      return out;
    },
  };
}

function firstEventValue(alert: Alert, path: readonly string[]): string | null {
  for (const e of alert.events) {
    let v: unknown = e;
    for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

/** Alerts first seen in the window, from the alert store's search (sorted by first_seen). */
export function alertPort(alerts: Pick<AlertStore, 'search'>): AlertPort {
  return {
    alerts({ organizations, from, to, limit }) {
      const out: AlertFacts[] = [];
      let cursor: string | undefined;
      do {
        const page = alerts.search({ organizations, from, to, sort: 'first_seen', order: 'desc', limit: Math.min(500, limit - out.length), cursor });
        for (const a of page.alerts) {
          const firstSeen = Date.parse(a.first_seen);
          if (firstSeen < from) continue;
          out.push({
            id: a.id,
            organization: a.organization.id,
            severity: a.severity,
            ruleName: a.rule.name,
            firstSeen,
            count: a.count,
            techniques: a.mappings.attack.techniques,
            sourceIp: a.group['source.ip'] ?? firstEventValue(a, ['source', 'ip']),
            destination: a.group['destination.ip'] ?? a.group['host.name'] ?? firstEventValue(a, ['destination', 'ip']) ?? firstEventValue(a, ['host', 'name']),
            status: a.status,
            ruleId: a.rule.id,
            tags: a.rule.tags,
            dataset: firstEventValue(a, ['event', 'dataset']),
            compliance: a.mappings.compliance,
            // The store keeps no resolution column; a closed alert's last lifecycle change is its closing.
            closedAt: CLOSED_ALERT_STATUSES.includes(a.status) ? epochOf(a.updated_at) : null,
          });
        }
        cursor = page.next ?? undefined;
      } while (cursor !== undefined && out.length < limit);
      return out;
    },
  };
}

export function intelFeedPort(feeds: Pick<IntelFeeds, 'statuses'>): IntelFeedPort {
  return { feeds: () => feeds.statuses().map((s) => ({ name: s.name, enabled: s.enabled, lastSuccess: s.lastSuccess > 0 ? s.lastSuccess : null, indicators: s.indicators })) };
}

/** The running modules, as app/start.ts holds them; any left out makes its evidence "not observable". */
export interface ComplianceSources {
  events?: EventStore;
  audit?: AuditLog;
  agents?: { registry: AgentRegistry; commands?: Pick<CommandQueue, 'listForAgent'> };
  inventory?: Pick<DeviceInventory, 'list'>;
  rules?: () => DetectionRules | undefined;
  incidents?: Pick<IncidentService, 'list' | 'detail'>;
  alerts?: Pick<AlertStore, 'get' | 'search'>;
  intel?: Pick<IntelFeeds, 'statuses'>;
}

export function compliancePorts(src: ComplianceSources): CompliancePorts {
  return {
    events: src.events,
    audit: src.audit,
    agents: src.agents !== undefined ? agentHealthPort(src.agents.registry, src.agents.commands) : undefined,
    devices: src.inventory !== undefined ? deviceMonitoringPort(src.inventory) : undefined,
    rules: src.rules !== undefined ? ruleCoveragePort(src.rules) : undefined,
    incidents: src.incidents !== undefined ? incidentPort(src.incidents, src.alerts) : undefined,
    intel: src.intel !== undefined ? intelFeedPort(src.intel) : undefined,
    alerts: src.alerts !== undefined ? alertPort(src.alerts) : undefined,
  };
}

function openReadOnly(file: string): SqliteDb | undefined {
  if (!existsSync(file)) return undefined;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

export interface OpenedCompliancePorts {
  ports: CompliancePorts;
  /** `<dataDir>/socnoc.db` read-only (systems register, evidence documents); undefined before the first start. */
  coreDb: SqliteDb | undefined;
  close(): Promise<void>;
}

/**
 * For `socnoc report …`: the stores the server writes, opened read-only beside it (SQLite WAL lets
 * a reader in while the server writes), except the audit log, which the report's digest is
 * appended to (AuditLog appends in an IMMEDIATE transaction, so two processes extend one chain).
 * Intel feed state lives in the server's memory only: threat-intel evidence is not observable here.
 */
export function openCompliancePortsReadOnly(config: SocnocConfig, env: NodeJS.ProcessEnv = process.env): OpenedCompliancePorts {
  const dataDir = resolve(config.dataDir);
  const opened: SqliteDb[] = [];
  const track = (db: SqliteDb | undefined): SqliteDb | undefined => {
    if (db !== undefined) opened.push(db);
    return db;
  };
  const coreDb = track(openReadOnly(join(dataDir, 'socnoc.db')));
  const alertsDb = track(openReadOnly(join(dataDir, 'alerts.db')));
  const snmpDb = track(openReadOnly(join(dataDir, 'snmp.db')));
  const src: ComplianceSources = {};
  let events: SqliteEventStore | undefined;
  let audit: AuditLog | undefined;
  try {
    const eventsDir = join(dataDir, 'events');
    if (existsSync(eventsDir)) src.events = events = new SqliteEventStore({ dir: eventsDir });
    if (config.audit.enabled) src.audit = audit = openAuditLog(isAbsolute(config.audit.file) ? config.audit.file : join(dataDir, config.audit.file));
    if (coreDb !== undefined && hasTable(coreDb, 'agents')) src.agents = { registry: new AgentRegistry(coreDb), commands: new CommandQueue(coreDb) };
    if (alertsDb !== undefined && hasTable(alertsDb, 'alerts')) {
      const alerts = new AlertStore(alertsDb, { dedupWindowMs: config.correlation.dedupWindowMinutes * 60_000, maxSampleEvents: config.correlation.maxSampleEvents, maxEventIds: config.correlation.maxEventIds });
      src.alerts = alerts;
      if (hasTable(alertsDb, 'incidents')) src.incidents = new IncidentService({ store: new IncidentStore(alertsDb), alerts }, config.incidents);
    }
    // The inventory needs the key only to decrypt credentials, which listing never does; without a key file the server never stored a device.
    const keyKnown = (env.SOCNOC_SECRET_KEY ?? '') !== '' || existsSync(join(dataDir, 'secret.key'));
    if (snmpDb !== undefined && keyKnown && hasTable(snmpDb, 'snmp_devices')) {
      src.inventory = new DeviceInventory({ db: snmpDb, box: loadSecretBox({ dataDir, env }), agencies: new AgencyResolver(config.agencies), configDevices: config.devices, defaultIntervalSeconds: config.snmp.poller.defaultIntervalSeconds });
    }
    if (config.correlation.enabled) {
      const disabled = [...config.correlation.sigma.disabled, ...(alertsDb !== undefined && hasTable(alertsDb, 'rule_toggles') ? new RuleToggles(alertsDb).disabledRules() : [])];
      const loaded = loadDetectionRules(ruleSources(config.correlation.sigma.includeBuiltin ? builtinSigmaRulesDir() : undefined, config.correlation.sigma.paths), {
        placeholders: config.correlation.sigma.placeholders,
        unresolvedPlaceholders: config.correlation.sigma.unresolvedPlaceholders,
        disabled,
      });
      src.rules = () => loaded.detection;
    }
  } catch (err) {
    for (const db of opened) db.close();
    audit?.close();
    void events?.close();
    throw err;
  }
  return {
    ports: compliancePorts(src),
    coreDb,
    async close() {
      await events?.close();
      audit?.close();
      for (const db of opened) db.close();
    },
  };
}

function hasTable(db: SqliteDb, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
