/**
 * The flow collector: one listener per configured socket (UDP for NetFlow v5/v9, IPFIX and sFlow; TCP for
 * IPFIX), one template cache for all of them, every record normalized into an ECS event and offered to the
 * pipeline. Decoding and normalizing never throw; the only losses are counted ones: malformed packets
 * (failed, by reason) and, on UDP, records the full queue refused (dropped, `queue_full`).
 */
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

export { netflowConfigSchema, checkNetflowConfig, type NetflowConfig, type FlowListenerConfig } from './config';
export { NO_INTERFACE_NAMES, InterfaceNameTable, type InterfaceNameResolver } from './normalize';
export type { FlowListener } from './listen/types';

export interface FlowCollectorDeps {
  sink: IngestSink;
  agencies: AgencyResolver;
  metrics: Metrics;
  logger: Logger;
  /** Interface names for observer.*.interface.name; none by default (the NOC inventory plugs in here). */
  interfaceNames?: InterfaceNameResolver;
}

export interface FlowCollector {
  start(): Promise<void>;
  stop(): Promise<void>;
  listeners(): FlowListener[];
}

export function flowInputName(listener: string): string {
  return `netflow/${listener}`;
}

export function createFlowCollector(deps: FlowCollectorDeps, config: NetflowConfig): FlowCollector {
  const log = deps.logger.child({ component: 'netflow' });
  const cache = new FlowTemplateCache({
    templateTimeoutMs: config.templateTimeoutSeconds * 1000,
    maxDomains: config.maxTemplateDomains,
    pendingMaxSets: config.earlyDataMaxSets,
    pendingMaxBytes: config.earlyDataMaxBytes,
    pendingMaxAgeMs: config.earlyDataMaxAgeSeconds * 1000,
  });
  const normalizer = new FlowNormalizer({ agencies: deps.agencies, internalNetworks: config.internalNetworks, interfaceNames: deps.interfaceNames });
  const sources = flowMetricSources(deps.metrics.registry);
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
    const stats = deps.metrics.input(input);
    const c = new FlowFormatCounts(input);
    counts.push(c);
    sources.inputs.add(c);
    const ingest = new FlowIngest({ sink: deps.sink, stats, counts: c, cache, normalizer, listenerAgency: lc.agency, logger: log });
    if (lc.transport === 'udp') {
      return createFlowUdpListener({
        name: lc.name,
        host: lc.host,
        port: lc.port,
        receiveBufferBytes: config.udpReceiveBufferBytes,
        onDatagram: ingest.onDatagram,
        onError: errorHandler(input),
        logger: log,
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
  }

  return {
    async start() {
      if (!config.enabled || running) return;
      running = true;
      sources.caches.add(cache);
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
  };
}
