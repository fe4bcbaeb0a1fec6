/**
 * The composition root of `socnoc start`: builds every module from the configuration, connects
 * them through the bus and mounts their HTTP routes. Nothing else in the code base wires modules.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { createAuthStores, ensureAdmin, type TokenStore, type UserStore } from '../core/auth';
import { InProcessBus, type EventBus } from '../core/bus';
import { createHttpApp, startHttpServer, type RunningHttpServer } from '../core/http';
import { Metrics } from '../core/metrics';
import { EventPipeline } from '../core/pipeline/event-pipeline';
import type { EventStore } from '../core/store/event-store';
import { openSqlite, type SqliteDb } from '../core/store/sqlite';
import { WorkerEventStore } from '../core/store/worker-event-store';
import { AgencyResolver } from '../core/tenancy';
import { createSyslogCollector, type SyslogCollector } from '../collectors/syslog';
import { createFlowCollector, type FlowCollector } from '../collectors/netflow';
import { configDeviceSource, createSnmpCollector, type SnmpCollector } from '../collectors/snmp';
import { correlationHttpModule } from '../correlation/http';
import { createDetectionEngine, sigmaCorrelationStage, type DetectionEngine } from '../correlation/runtime';
import type { SocnocConfig } from './config';
import { VERSION } from './version';

export interface RunningSocnoc {
  config: SocnocConfig;
  http: RunningHttpServer;
  syslog: SyslogCollector;
  netflow: FlowCollector;
  snmp: SnmpCollector;
  detection: DetectionEngine;
  pipeline: EventPipeline;
  metrics: Metrics;
  events: EventStore;
  users: UserStore;
  tokens: TokenStore;
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

  const eventsDir = join(dataDir, 'events');
  const events: EventStore = options.createEventStore ? options.createEventStore(eventsDir) : new WorkerEventStore({ dir: eventsDir });
  const bus: EventBus = new InProcessBus();
  bus.subscribe('events', 'store', (batch) => events.append(batch));

  // Alerts live in their own file so detection's batch writes never wait on session writes in socnoc.db.
  const alertsDb = openSqlite(join(dataDir, 'alerts.db'));
  const detection = createDetectionEngine({ bus, db: alertsDb, logger, metrics }, config.correlation);
  detection.addStage(sigmaCorrelationStage({ logger: logger.child({ component: 'correlation' }), stateDb: alertsDb }));
  await detection.start();

  // Three batches in flight keep the store's writer thread busy while the main thread parses the next one.
  const pipeline = new EventPipeline({ ...config.pipeline, bus, metrics, maxInFlight: 3, logger: logger.child({ component: 'pipeline' }) });

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

  const app = createHttpApp({ config, users, tokens, events, metrics: metrics.registry, logger: logger.child({ component: 'http' }), version: VERSION, modules: [correlationHttpModule({ alerts: detection.alerts, catalog: detection })] });
  const http = await startHttpServer(app, config.http.host, config.http.port, logger);
  logger.info({ port: http.address().port }, 'http api listening');

  const syslog = createSyslogCollector({ sink: pipeline, agencies, metrics, logger, dataDir }, config.syslog);
  const netflow = createFlowCollector({ sink: pipeline, agencies, metrics, logger }, config.netflow);
  const devices = configDeviceSource(config.devices, config.snmp.poller.defaultIntervalSeconds);
  const snmp = createSnmpCollector({ sink: pipeline, agencies, metrics, logger, devices }, config.snmp);
  try {
    await syslog.start();
    await netflow.start();
    await snmp.start();
  } catch (err) {
    await Promise.all([syslog.stop(), netflow.stop(), snmp.stop()]);
    await pipeline.stop();
    await http.close();
    await detection.stop();
    alertsDb.close();
    await events.close();
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
    detection,
    pipeline,
    metrics,
    events,
    users,
    tokens,
    stop() {
      stopping ??= (async () => {
        clearInterval(retentionTimer);
        await Promise.all([syslog.stop(), netflow.stop(), snmp.stop()]);
        await pipeline.stop();
        await http.close();
        await detection.stop();
        alertsDb.close();
        await events.close();
        await bus.close();
        db.close();
      })();
      return stopping;
    },
  };
}
