/**
 * The flow collector: one listener per configured socket (UDP for NetFlow v5/v9, IPFIX and sFlow; TCP for
 * IPFIX), one template cache for all of them. Every decoded flow is folded into the per-minute aggregates
 * (with a data folder) and, per `netflow.rawFlows` / `netflow.toCorrelation`, normalized into an ECS event
 * offered to the pipeline (stored, or marked for correlation only). Decoding and normalizing never throw;
 * the only losses are counted ones: malformed packets (failed, by reason) and, on UDP, records the full
 * queue refused (dropped, `queue_full`; they are still in the aggregates).
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Metrics } from '../../core/metrics';
import type { IngestSink } from '../../core/pipeline/types';
import type { AgencyResolver } from '../../core/tenancy';
import type { FlowListenerConfig, NetflowConfig } from './config';
import { FlowTemplateCache } from './decode';
import { FlowIngest } from './ingest';
import { createIpfixTcpListener } from './listen/tcp';
import type { FlowErrorHandler, FlowListener } from './listen/types';
import { createFlowUdpListener } from './listen/udp';
import { FlowFormatCounts, flowMetricSources } from './metrics';
import { FlowNormalizer, type InterfaceNameResolver } from './normalize';
import { FlowAggregateReader } from './aggregate/aggregate-query';
import { FlowAggregation } from './aggregate/flow-aggregation';
import { flowAggregateMetricSources } from './aggregate/metrics';
import { GeoIpLookup } from './geoip/lookup';
import type { FlowEventMode } from './ingest';
import { FlowCorrelationFilter, type IntelAddressPredicate } from './correlation-filter';

/** Dropped-metric reason for datagrams (not records) the receive thread dropped at its in-flight bound. */
const RECEIVE_THREAD_DROP = 'receive_thread_full';

export { netflowConfigSchema, checkNetflowConfig, type NetflowConfig, type FlowListenerConfig } from './config';
export { NO_INTERFACE_NAMES, InterfaceNameTable, type InterfaceNameResolver } from './normalize';
export type { FlowListener } from './listen/types';
export { GeoIpLookup, isPublicAddress, type GeoIpAnswer, type GeoIpOptions } from './geoip';
export { FlowCorrelationFilter, type IntelAddressPredicate } from './correlation-filter';
export { flowsHttpModule, type FlowsHttpDeps } from './http';
export type { FlowAggregateReader } from './aggregate/aggregate-query';

export interface FlowCollectorDeps {
  sink: IngestSink;
  agencies: AgencyResolver;
  metrics: Metrics;
  logger: Logger;
  /** Interface names for observer.*.interface.name; none by default (the NOC inventory plugs in here). */
  interfaceNames?: InterfaceNameResolver;
  /**
   * Data folder: aggregates go to `<dataDir>/flows/`. Without it no aggregates are kept (tests of the
   * listeners alone).
   */
  dataDir?: string;
  /**
   * GeoIP for flow events. undefined: built from `netflow.geoip` (the shipped country database unless
   * configured); null: none. Pass one shared instance to give other modules the same lookups.
   */
  geoip?: GeoIpLookup | null;
  /**
   * Threat-intel address test (any agency's feeds): flows from or to such an address are published for
   * detection although no flow rule selects them (netflow.correlation.flows: matching). None: only the
   * rule-shaped selection; intel then sees only those flows (docs/flows.md).
   */
  intelAddress?: IntelAddressPredicate;
}

export interface FlowCollector {
  start(): Promise<void>;
  stop(): Promise<void>;
  listeners(): FlowListener[];
  /** Reads the aggregates (for flowsHttpModule); null when aggregation is off or no dataDir was given. */
  aggregates(): FlowAggregateReader | null;
  /** The GeoIP service flows use, or null. */
  geoip(): GeoIpLookup | null;
}

/** What becomes of flow events (see ingest.ts). */
export function flowEventMode(config: NetflowConfig): FlowEventMode {
  if (config.rawFlows.enabled) return 'stored';
  return config.toCorrelation ? 'correlation' : 'none';
}

/** GeoIP as `netflow.geoip` configures it; null when disabled. Throws naming the file when a database cannot be read. */
export function createGeoIpLookup(config: NetflowConfig['geoip']): GeoIpLookup | null {
  if (!config.enabled) return null;
  return new GeoIpLookup({ countryDatabase: config.countryDatabase, asnDatabase: config.asnDatabase, cacheSize: config.cacheSize });
}

export function flowInputName(listener: string): string {
  return `netflow/${listener}`;
}

/** The collector's parts short of sockets: shared by every listener (and driven directly by the CPU benchmark). */
export interface FlowCollectorParts {
  cache: FlowTemplateCache;
  geoip: GeoIpLookup | null;
  normalizer: FlowNormalizer;
  aggregation: FlowAggregation | null;
  reader: FlowAggregateReader | null;
  flowEvents: FlowEventMode;
  /** Which flows `correlation` mode publishes. */
  correlationFilter: FlowCorrelationFilter;
  /** The ingest of one listener (metrics input `netflow/<name>`), counted in `counts`. */
  ingest(lc: Pick<FlowListenerConfig, 'name' | 'agency'>, counts: FlowFormatCounts): FlowIngest;
}

export function createFlowCollectorParts(deps: FlowCollectorDeps, config: NetflowConfig, log: Logger): FlowCollectorParts {
  const cache = new FlowTemplateCache({
    templateTimeoutMs: config.templateTimeoutSeconds * 1000,
    maxDomains: config.maxTemplateDomains,
    pendingMaxSets: config.earlyDataMaxSets,
    pendingMaxBytes: config.earlyDataMaxBytes,
    pendingMaxAgeMs: config.earlyDataMaxAgeSeconds * 1000,
  });
  const geoip = deps.geoip === undefined ? createGeoIpLookup(config.geoip) : deps.geoip;
  const normalizer = new FlowNormalizer({ agencies: deps.agencies, internalNetworks: config.internalNetworks, interfaceNames: deps.interfaceNames, geoip: geoip ?? undefined });
  const flowEvents = flowEventMode(config);
  const agg = config.aggregate;
  const aggregation =
    config.enabled && agg.enabled && deps.dataDir !== undefined
      ? new FlowAggregation(
          {
            dir: join(deps.dataDir, 'flows'),
            retentionDays: agg.retentionDays,
            maxKeysPerMinute: agg.maxKeysPerMinute,
            maxKeysPerHour: agg.maxKeysPerHour,
            graceSeconds: agg.graceSeconds,
            maxLatenessSeconds: agg.maxLatenessSeconds,
            servicePorts: agg.servicePorts,
            summary: config.summary,
            baseline: config.baseline,
            newServices: config.newServices,
          },
          {
            sink: deps.sink,
            summaryStats: deps.metrics.input('netflow/summary'),
            exporterAgency: (e) => normalizer.exporterAgency(e),
            isInternal: (ip) => normalizer.isInternal(ip),
            agencyName: (id) => deps.agencies.get(id)?.name ?? id,
            logger: log,
          },
        )
      : null;
  const reader = aggregation?.reader ?? (deps.dataDir !== undefined ? new FlowAggregateReader(join(deps.dataDir, 'flows')) : null);
  const correlationFilter = new FlowCorrelationFilter(config.correlation, deps.intelAddress ?? null);
  return {
    cache,
    geoip,
    normalizer,
    aggregation,
    reader,
    flowEvents,
    correlationFilter,
    ingest: (lc, counts) =>
      new FlowIngest({ sink: deps.sink, stats: deps.metrics.input(flowInputName(lc.name)), counts, cache, normalizer, listenerAgency: lc.agency, logger: log, aggregation, flowEvents, correlationFilter }),
  };
}

export function createFlowCollector(deps: FlowCollectorDeps, config: NetflowConfig): FlowCollector {
  const log = deps.logger.child({ component: 'netflow' });
  const parts = createFlowCollectorParts(deps, config, log);
  const { cache, geoip, aggregation, reader } = parts;
  const sources = flowMetricSources(deps.metrics.registry);
  const aggregateSources = flowAggregateMetricSources(deps.metrics.registry);
  const counts: FlowFormatCounts[] = [];
  const listeners: FlowListener[] = [];
  let running = false;

  function errorHandler(input: string): FlowErrorHandler {
    const stats = deps.metrics.input(input);
    return (reason, peer, detail) => {
      stats.fail(reason);
      log.debug({ listener: peer.listener, peer: `${peer.address}:${peer.port}`, reason }, detail);
    };
  }

  function build(lc: FlowListenerConfig): FlowListener {
    const input = flowInputName(lc.name);
    const c = new FlowFormatCounts(input);
    counts.push(c);
    sources.inputs.add(c);
    const ingest = parts.ingest(lc, c);
    if (lc.transport === 'udp') {
      return createFlowUdpListener({
        name: lc.name,
        host: lc.host,
        port: lc.port,
        receiveBufferBytes: config.udpReceiveBufferBytes,
        onDatagram: ingest.onDatagram,
        onError: errorHandler(input),
        logger: log,
        receiveThread: config.receiveThread,
        maxInFlightBytes: config.receiveThreadMaxBytes,
        onDropped: (datagrams) => ingest.dropped(RECEIVE_THREAD_DROP, datagrams, 'any (receive thread)'),
      });
    }
    return createIpfixTcpListener({
      name: lc.name,
      host: lc.host,
      port: lc.port,
      createConsumer: ingest.createConsumer,
      onError: errorHandler(input),
      idleTimeoutMs: config.tcpIdleTimeoutSeconds * 1000,
      maxConnections: config.maxConnections,
      logger: log,
    });
  }

  function resumeAll(): void {
    if (!running) return;
    for (const l of listeners) l.resume();
    deps.sink.onDrain(resumeAll);
  }

  async function stop(): Promise<void> {
    running = false;
    const stopping = listeners.splice(0);
    await Promise.all(stopping.map((l) => l.stop()));
    for (const c of counts.splice(0)) sources.inputs.delete(c);
    sources.caches.delete(cache);
    sources.filters.delete(parts.correlationFilter);
    // After the listeners: the last flows are in the minutes written here.
    if (aggregation !== null && aggregateSources.aggregations.has(aggregation)) {
      await aggregation.stop();
      aggregateSources.aggregations.delete(aggregation);
    }
    if (geoip !== null) aggregateSources.geoips.delete(geoip);
  }

  return {
    async start() {
      if (!config.enabled || running) return;
      running = true;
      sources.caches.add(cache);
      sources.filters.add(parts.correlationFilter);
      if (geoip !== null) aggregateSources.geoips.add(geoip);
      if (aggregation !== null) {
        aggregation.start();
        aggregateSources.aggregations.add(aggregation);
      }
      try {
        for (const lc of config.listeners) {
          const listener = build(lc);
          await listener.start();
          listeners.push(listener);
          const addr = listener.address();
          log.info({ listener: lc.name, transport: lc.transport, address: addr.address, port: addr.port }, 'flow listener started');
        }
      } catch (err) {
        await stop();
        throw err;
      }
      deps.sink.onDrain(resumeAll);
    },
    stop,
    listeners: () => listeners,
    aggregates: () => reader,
    geoip: () => geoip,
  };
}
