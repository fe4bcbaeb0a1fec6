/**
 * The composition root of `socnoc start`: builds every module from the configuration, connects
 * them through the bus and mounts their HTTP routes. Nothing else in the code base wires modules.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { createAgentService, agentsHttpModule, type AgentService } from '../core/agents';
import { createAudit, type AuditCapability } from '../core/audit';
import { createAuthStores, ensureAdmin, type TokenStore, type UserStore } from '../core/auth';
import { InProcessBus, type EventBus } from '../core/bus';
import { createHttpApp, startHttpServer, type HttpModule, type RunningHttpServer } from '../core/http';
import { retentionHttpModule } from '../core/http/routes/retention';
import { Metrics } from '../core/metrics';
import { EventPipeline } from '../core/pipeline/event-pipeline';
import type { EventStore } from '../core/store/event-store';
import { openSqlite, type SqliteDb } from '../core/store/sqlite';
import { WorkerEventStore } from '../core/store/worker-event-store';
import { AgencyResolver } from '../core/tenancy';
import { createSyslogCollector, type SyslogCollector } from '../collectors/syslog';
import { createFlowCollector, flowsHttpModule, type FlowCollector } from '../collectors/netflow';
import { createSnmpNoc, loadSecretBox, type SnmpCollector, type SnmpNoc } from '../collectors/snmp';
import { registerAlertMetrics } from '../correlation/alerts';
import { correlationHttpModule } from '../correlation/http';
import { createIncidents, type Incidents } from '../correlation/incidents';
import { createIntel, type IntelCapability } from '../correlation/intel';
import { agencyCounter, consoleHttpModule, tallyPerAgency } from '../dashboards/http';
import { ruleTitlesFrom } from '../dashboards/rule-titles';
import { createCompliance, type ComplianceCapability } from '../dashboards/compliance';
import { createDetectionEngine, sigmaCorrelationStage, type DetectionEngine } from '../correlation/runtime';
import { agentAuditSink } from './audit-adapters';
import { createAgentLogNormalizer } from './agent-normalize';
import { recordDeadlineBreach } from './deadline-alerts';
import { compliancePorts, ruleSnapshotStage } from './compliance-ports';
import { createFlowInterfaceNames } from './flow-interface-names';
import { playbookPorts } from './playbook-ports';
import { createPlaybooks, type Playbooks } from '../playbooks';
import { createEmailSender } from '../playbooks/actions/email-transport';
import type { SocnocConfig } from './config';
import { VERSION } from './version';

export interface RunningSocnoc {
  config: SocnocConfig;
  http: RunningHttpServer;
  syslog: SyslogCollector;
  netflow: FlowCollector;
  snmp: SnmpCollector;
  /** Device inventory, discovery, metrics store (the NOC side of SNMP). */
  noc: SnmpNoc;
  detection: DetectionEngine;
  incidents: Incidents;
  intel: IntelCapability;
  compliance: ComplianceCapability;
  playbooks: Playbooks;
  pipeline: EventPipeline;
  metrics: Metrics;
  events: EventStore;
  users: UserStore;
  tokens: TokenStore;
  audit: AuditCapability;
  /** The endpoint agents' service (enrolment, ingest listener, commands); undefined when agents.enabled is false. */
  agents: AgentService | undefined;
  /** Stops inputs, flushes every queue to the store, then closes the stores and the HTTP server. */
  stop(): Promise<void>;
}

const HOUR_MS = 3_600_000;

export function coreDbPath(dataDir: string): string {
  return join(dataDir, 'socnoc.db');
}

/** The auth stores over the data folder's main database (also used by the CLI's user and token commands). */
export function openCoreStores(config: SocnocConfig): { db: SqliteDb; users: UserStore; tokens: TokenStore } {
  const db = openSqlite(coreDbPath(resolve(config.dataDir)));
  return { db, ...createAuthStores(db, { sessionTtlMinutes: config.http.sessionTtlMinutes }) };
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Builds the event store; the embedded SQLite store by default (Elasticsearch will plug in here). */
  createEventStore?: (dir: string) => EventStore;
}

export async function startSocnoc(config: SocnocConfig, logger: Logger, options: StartOptions = {}): Promise<RunningSocnoc> {
  const env = options.env ?? process.env;
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o750 });
  const metrics = new Metrics();
  const agencies = new AgencyResolver(config.agencies);

  const { db, users, tokens } = openCoreStores(config);
  const admin = await ensureAdmin(users, { dataDir, env });
  if (admin.created && admin.passwordFile) logger.warn({ file: admin.passwordFile }, 'created user "admin"; its generated password is in this file (read it, then delete it)');
  else if (admin.created) logger.info('created user "admin" with the password from SOCNOC_ADMIN_PASSWORD');

  const audit = createAudit({ dataDir, metrics, logger }, config.audit);

  const eventsDir = join(dataDir, 'events');
  const events: EventStore = options.createEventStore ? options.createEventStore(eventsDir) : new WorkerEventStore({ dir: eventsDir });
  const bus: EventBus = new InProcessBus();
  // The store leaves out events marked for detection only (socnoc.store: false, core/event-hints).
  bus.subscribe('events', 'store', (batch) => events.append(batch));

  // Alerts live in their own file so detection's batch writes never wait on session writes in socnoc.db.
  const alertsDb = openSqlite(join(dataDir, 'alerts.db'));
  const detection = createDetectionEngine({ bus, db: alertsDb, logger, metrics }, config.correlation);
  detection.addStage(sigmaCorrelationStage({ logger: logger.child({ component: 'correlation' }), stateDb: alertsDb }));
  const incidents = createIncidents(
    { db: alertsDb, logger: logger.child({ component: 'incidents' }), metrics, alerts: detection.alerts, onBreach: (b) => recordDeadlineBreach(detection.alerts, b) },
    config.incidents,
  );
  detection.onAlerts((changes) => incidents.onAlerts(changes));
  const intel = createIntel({ logger: logger.child({ component: 'intel' }), metrics, dataDir }, config.intel);
  detection.addStage(intel.stage);
  // Compliance evidence reads which rules are enabled and what they map to.
  const complianceRules = ruleSnapshotStage();
  detection.addStage(complianceRules.stage);
  // Feeds load in the background: a slow feed URL must not hold up syslog listeners.
  void intel.start();
  await detection.start();
  registerAlertMetrics(metrics, detection.alerts, { agencies: config.agencies.map((a) => a.id) });

  const agents = config.agents.enabled ? await createAgentService({ db, dataDir, bus, logger, metrics, audit: agentAuditSink(audit.sink), normalize: createAgentLogNormalizer({ timezone: config.syslog.timezone }) }, config.agents) : undefined;

  const pipeline = new EventPipeline({ ...config.pipeline, bus, metrics, logger: logger.child({ component: 'pipeline' }) });

  const retention = async (): Promise<void> => {
    try {
      const dropped = await events.applyRetention(Date.now() - config.retention.days * 86_400_000);
      if (dropped > 0) logger.info({ partitions: dropped, days: config.retention.days }, 'retention dropped old event partitions');
    } catch (err) {
      logger.error({ err }, 'retention failed');
    }
  };
  await retention();
  const retentionTimer = setInterval(() => void retention(), HOUR_MS);
  retentionTimer.unref();

  // Devices and their metrics in their own files (metrics in per-day/per-month tier files): poll results are written every interval and must not wait on sessions.
  const snmpDb = openSqlite(join(dataDir, 'snmp.db'));
  const noc = createSnmpNoc({ sink: pipeline, agencies, metrics, logger, db: snmpDb, metricsDir: join(dataDir, 'snmp-metrics'), box: loadSecretBox({ dataDir, env }), configDevices: config.devices }, config.snmp);
  const snmp = noc.collector;

  // One SMTP client for playbook notifications and scheduled compliance reports.
  const mailer = createEmailSender(config.smtp);
  const compliance = createCompliance(
    {
      mail: { send: async (m) => void (await mailer.send({ to: [...m.to], subject: m.subject, text: m.text, attachments: m.attachments })) },
      db,
      dataDir,
      logger: logger.child({ component: 'compliance' }),
      metrics,
      ports: compliancePorts({
        events,
        audit: audit.log,
        agents: agents !== undefined ? { registry: agents.registry, commands: agents.commands } : undefined,
        inventory: noc.inventory,
        rules: complianceRules.current,
        incidents: incidents.service,
        alerts: detection.alerts,
        intel: intel.feeds,
      }),
    },
    config.compliance,
  );

  // Built before the HTTP app (its routes read the aggregates); start() binds the sockets later.
  const flowInterfaceNames = createFlowInterfaceNames({ inventory: noc.inventory, poller: noc.collector.poller });
  // Flows to or from an address any intel feed lists become events, so the intel stage sees them.
  const intelAddress = (ip: string): boolean => intel.index.hasIp(ip, Math.floor(Date.now() / 1000));
  const netflow = createFlowCollector({ sink: pipeline, agencies, metrics, logger, dataDir, interfaceNames: flowInterfaceNames, intelAddress }, config.netflow);

  // Playbooks act on alerts once everything they reach (incidents, intel, assets, agents, GeoIP) exists.
  const playbooksDb = openSqlite(join(dataDir, 'playbooks.db'));
  const playbooks = createPlaybooks(
    {
      db: playbooksDb,
      logger,
      metrics,
      email: mailer,
      ports: playbookPorts({ audit: audit.sink, alerts: detection.alerts, incidents: incidents.service, intel: intel.index, inventory: noc.inventory, agents, geoip: netflow.geoip() }),
    },
    { playbooks: config.playbooks, smtp: config.smtp, socEmail: config.soc_email, agencyNames: new Map(config.agencies.map((a) => [a.id, a.name])) },
  );
  detection.onAlerts((changes) => playbooks.runner.onAlertChanges(changes, detection.alerts));

  const modules: HttpModule[] = [playbooks.http, flowsHttpModule({ aggregates: netflow.aggregates() }), compliance.httpModule, noc.httpModule, incidents.http, intel.http, correlationHttpModule({ alerts: detection.alerts, catalog: detection, users, audit: audit.sink })];
  if (audit.httpModule) modules.push(audit.httpModule);
  if (agents) modules.push(agentsHttpModule(agents));
  // Last: the console's mount catches every GET path the API modules did not claim.
  modules.push(
    retentionHttpModule({
      retentionDays: config.retention.days,
      eventsDir,
      otherSettings: [
        { key: 'snmp.metrics.rawRetentionDays', days: config.snmp.metrics.rawRetentionDays },
        { key: 'snmp.metrics.fiveMinuteRetentionDays', days: config.snmp.metrics.fiveMinuteRetentionDays },
        { key: 'snmp.metrics.hourlyRetentionDays', days: config.snmp.metrics.hourlyRetentionDays },
        { key: 'netflow.aggregate.retentionDays', days: config.netflow.aggregate.retentionDays },
      ],
    }),
  );
  const counts = {
    devices: agencyCounter('devices', () => noc.inventory.countByOrganization()),
    ...(agents !== undefined ? { agents: agencyCounter('agents', () => tallyPerAgency(agents.registry.list(undefined), (a) => a.agency)) } : {}),
  };
  const ruleTitles = (): ReturnType<typeof ruleTitlesFrom> => ruleTitlesFrom(detection.ruleDocuments());
  modules.push(consoleHttpModule({ config: config.console, agencies: config.agencies, logger: logger.child({ component: 'console' }), users, ruleTitles, counts }));
  const app = createHttpApp({ config, users, tokens, events, metrics: metrics.registry, logger: logger.child({ component: 'http' }), version: VERSION, audit: audit.trail, modules });
  const http = await startHttpServer(app, config.http.host, config.http.port, logger);
  logger.info({ port: http.address().port }, 'http api listening');

  const syslog = createSyslogCollector({ sink: pipeline, agencies, metrics, logger, dataDir }, config.syslog);
  try {
    await syslog.start();
    await netflow.start();
    await noc.start();
  } catch (err) {
    await Promise.all([syslog.stop(), netflow.stop(), noc.stop()]);
    flowInterfaceNames.stop();
    await agents?.stop();
    await pipeline.stop();
    await http.close();
    await detection.stop();
    await playbooks.stop();
    playbooksDb.close();
    await incidents.stop();
    await intel.stop();
    compliance.stop();
    alertsDb.close();
    snmpDb.close();
    await events.close();
    audit.stop();
    db.close();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    config,
    http,
    syslog,
    netflow,
    snmp,
    noc,
    detection,
    incidents,
    intel,
    compliance,
    playbooks,
    pipeline,
    metrics,
    events,
    users,
    tokens,
    audit,
    agents,
    stop() {
      stopping ??= (async () => {
        clearInterval(retentionTimer);
        await Promise.all([syslog.stop(), netflow.stop(), noc.stop()]);
        flowInterfaceNames.stop();
        await agents?.stop();
        await pipeline.stop();
        await http.close();
        await detection.stop();
        await playbooks.stop();
        playbooksDb.close();
        await incidents.stop();
        await intel.stop();
        compliance.stop();
        alertsDb.close();
        snmpDb.close();
            await events.close();
        await bus.close();
        audit.stop();
        db.close();
      })();
      return stopping;
    },
  };
}
