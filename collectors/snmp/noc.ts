/**
 * The whole NOC capability in one factory for app/: the device inventory (config devices merged
 * with the encrypted store), the SNMP collector polling it, the metrics store fed by every poll,
 * Prometheus gauges, discovery, and the HTTP module. The caller opens the SQLite databases
 * (inventory and metrics may share one; a separate metrics file keeps its write volume apart).
 */
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { Metrics } from '../../core/metrics';
import type { IngestSink } from '../../core/pipeline/types';
import type { SqliteDb } from '../../core/store/sqlite';
import type { AgencyResolver } from '../../core/tenancy';
import type { HttpModule } from '../../core/http/deps';
import type { DeviceConfig, SnmpConfig } from './config';
import { createSnmpDiscovery, type SnmpDiscovery } from './discovery/sweep';
import { devicesHttpModule } from './http';
import { createSnmpCollector, type SnmpCollector } from './collector';
import type { SecretBox } from './inventory/secret-box';
import { DeviceInventory } from './inventory/store';
import { registerSnmpPrometheus } from './metrics-store/prometheus';
import { SnmpMetricsStore } from './metrics-store/store';
import { ROLLUP_MS } from './metrics-store/series';

export interface SnmpNocDeps {
  sink: IngestSink;
  agencies: AgencyResolver;
  metrics: Metrics;
  logger: Logger;
  /** Holds the inventory (snmp_devices); e.g. `<dataDir>/snmp.db`. */
  db: SqliteDb;
  /** Folder of the time series files (raw per day, rollups per day and month); e.g. `<dataDir>/snmp-metrics`. */
  metricsDir?: string;
  /** @deprecated the single-file store of the first version; its folder then holds `snmp-metrics/`. */
  metricsDb?: SqliteDb;
  /** From loadSecretBox({ dataDir }). */
  box: SecretBox;
  /** The `devices:` list of socnoc.yaml. */
  configDevices: readonly DeviceConfig[];
}

export interface SnmpNoc {
  readonly inventory: DeviceInventory;
  readonly collector: SnmpCollector;
  readonly metricsStore?: SnmpMetricsStore;
  readonly discovery: SnmpDiscovery;
  /** The /api/v1/devices routes. */
  readonly httpModule: HttpModule;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const HOUR_MS = 3_600_000;

function metricsDirOf(deps: SnmpNocDeps): string {
  if (deps.metricsDir !== undefined) return deps.metricsDir;
  const file = (deps.metricsDb ?? deps.db).name;
  if (file === ':memory:' || file === '') throw new Error('snmp metrics: give metricsDir (the folder of the time series files)');
  return join(dirname(file), 'snmp-metrics');
}

export function createSnmpNoc(deps: SnmpNocDeps, config: SnmpConfig): SnmpNoc {
  const log = deps.logger.child({ component: 'snmp-noc' });
  const inventory = new DeviceInventory({
    db: deps.db,
    box: deps.box,
    agencies: deps.agencies,
    configDevices: deps.configDevices,
    defaultIntervalSeconds: config.poller.defaultIntervalSeconds,
    onSecretError: (id, err) => log.error({ device: id, err: err.message }, 'device credentials cannot be decrypted; not polled'),
  });
  const rotated = inventory.rotateCredentials();
  if (rotated > 0) log.info({ devices: rotated }, 're-encrypted device credentials with the current secret key');
  const collector = createSnmpCollector({ sink: deps.sink, agencies: deps.agencies, metrics: deps.metrics, logger: deps.logger, devices: inventory.deviceSource() }, config);
  const metricsStore = config.metrics.enabled ? new SnmpMetricsStore(metricsDirOf(deps), config.metrics) : undefined;
  // Always built: the API may start an ad-hoc sweep even with no configured range.
  const discovery = createSnmpDiscovery({ inventory, logger: deps.logger, metrics: deps.metrics }, config.discovery);
  registerSnmpPrometheus(deps.metrics, collector.poller);
  if (metricsStore !== undefined) {
    new Counter({
      name: 'socnoc_snmp_metric_rows_written_total',
      help: 'Rows written to the SNMP metrics store (one per device and per interface per poll)',
      registers: [deps.metrics.registry],
      collect() {
        this.reset();
        this.inc(metricsStore.rowsWritten);
      },
    });
  }

  collector.poller.onPoll((r) => {
    const sys = r.sample?.system;
    inventory.recordPoll(r.deviceId, { status: r.status, at: r.at, sys: sys !== undefined ? { name: sys.name, descr: sys.descr, objectId: sys.objectId } : undefined });
    // A poll that was under way when its device was deleted must not bring its series back.
    if (metricsStore !== undefined && inventory.get(r.deviceId) !== undefined) metricsStore.record(r);
  });

  const timers: NodeJS.Timeout[] = [];
  // Rollups (in a worker thread) and retention (file unlinks) run one after the other, never together.
  let maintenance: Promise<void> = Promise.resolve();
  const maintain = (what: string, fn: () => number | Promise<number>): void => {
    maintenance = maintenance.then(async () => {
      try {
        const n = await fn();
        if (n > 0) log.debug({ rows: n }, what);
      } catch (err) {
        log.error({ err: (err as Error).message }, `${what} failed`);
      }
    });
  };

  return {
    inventory,
    collector,
    metricsStore,
    discovery,
    httpModule: devicesHttpModule({ inventory, poller: collector.poller, agencies: deps.agencies, metricsStore, discovery, maxAdHocAddresses: config.discovery.maxAdHocAddresses }),
    async start() {
      await collector.start();
      discovery.start();
      if (metricsStore !== undefined) {
        maintain('snmp metrics retention', () => metricsStore.applyRetention());
        // ~0.75 s of SQLite every 5 minutes at 2,000 devices × 50 interfaces: off the poller's thread.
        const rollup = setInterval(() => maintain('snmp metrics rollup', () => metricsStore.rollupInWorker()), ROLLUP_MS);
        const retention = setInterval(() => maintain('snmp metrics retention', () => metricsStore.applyRetention()), HOUR_MS);
        rollup.unref();
        retention.unref();
        timers.push(rollup, retention);
      }
    },
    async stop() {
      for (const t of timers.splice(0)) clearInterval(t);
      await discovery.stop();
      await collector.stop();
      await maintenance;
      await metricsStore?.stopRollupThread();
      metricsStore?.close();
    },
  };
}
