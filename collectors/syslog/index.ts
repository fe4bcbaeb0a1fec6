/**
 * The syslog collector: one listener per configured socket; every frame is parsed, mapped to its
 * agency, normalized into an ECS event and offered to the pipeline. Parsing and normalizing never
 * throw (a frame they cannot read is still stored as raw text), so the only losses are counted
 * ones: oversize frames and, on UDP, a full queue.
 */
import type { Logger } from 'pino';
import type { InputStats, Metrics } from '../../core/metrics';
import type { IngestSink } from '../../core/pipeline/types';
import type { AgencyResolver } from '../../core/tenancy';
import { ensureSelfSignedCert } from '../../core/net/self-signed';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SyslogConfig, SyslogListenerConfig } from './config';
import type { FrameErrorHandler, FrameHandler, SyslogListener } from './listen/types';
import { createUdpListener } from './listen/udp';
import { createTcpListener } from './listen/tcp';
import { createTlsListener } from './listen/tls';
import { parseSyslogLine } from './parse';
import { buildSyslogEvent } from './to-event';

/** Listener reasons that mean a whole received message was lost (the others are framing or connection failures). */
const LOSSES = new Set(['queue_full', 'receive_thread_full', 'dropped_at_stop', 'handler_error']);
/** Listener reasons that are one received message which could not be delivered (a truncated frame is still delivered). */
const BAD_MESSAGES = new Set(['empty_datagram', 'frame_too_large', 'incomplete_frame']);

/**
 * A frame with no <PRI> that holds control characters or invalid UTF-8 is noise (a port
 * scan, a misdirected binary protocol), not a log line: it is counted as failed, not stored.
 * Headerless printable text is kept, since some devices send bare lines.
 */
export function looksBinary(frame: string): boolean {
  for (let i = 0; i < frame.length; i++) {
    const c = frame.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 0xfffd || c === 127) return true;
  }
  return false;
}

export interface SyslogCollectorDeps {
  sink: IngestSink;
  agencies: AgencyResolver;
  metrics: Metrics;
  logger: Logger;
  dataDir: string;
}

export interface SyslogCollector {
  start(): Promise<void>;
  stop(): Promise<void>;
  listeners(): SyslogListener[];
}

export function createSyslogCollector(deps: SyslogCollectorDeps, config: SyslogConfig): SyslogCollector {
  const listeners: SyslogListener[] = [];
  const log = deps.logger.child({ component: 'syslog' });
  const parseOpts = { timezone: config.timezone, now: 0 };

  function frameHandler(listenerConfig: SyslogListenerConfig, stats: InputStats): FrameHandler {
    const listenerAgency = listenerConfig.agency;
    // TCP and TLS pause their socket when refused; UDP cannot wait and drops.
    const pausable = listenerConfig.protocol !== 'udp';
    return (frame, peer) => {
      const now = Date.now();
      parseOpts.now = now;
      const msg = parseSyslogLine(frame, parseOpts);
      // No <PRI> (even if a timestamp or a Cisco sequence number was guessed) and binary: noise.
      if (msg.facility === undefined && looksBinary(frame)) {
        stats.received++;
        stats.fail('not_syslog');
        return true;
      }
      const agency = deps.agencies.resolve(peer.address, listenerAgency);
      const event = buildSyslogEvent(msg, { original: frame, receivedAt: now, peerAddress: peer.address, organization: agency, timezone: config.timezone });
      if (!deps.sink.offer(event, stats, pausable)) return false;
      // Counted only once taken: a refused stream frame is redelivered on resume, and a refused
      // datagram comes back through the error handler as `queue_full`.
      stats.received++;
      stats.parsed++;
      return true;
    };
  }

  function errorHandler(stats: InputStats): FrameErrorHandler {
    return (reason, peer, detail, count = 1) => {
      if (LOSSES.has(reason)) {
        stats.received += count;
        stats.drop(reason, count);
        return;
      }
      // A message that arrived but cannot become an event counts as received too, so that
      // received = parsed + failed messages + dropped; connection-level failures are not messages.
      if (BAD_MESSAGES.has(reason)) stats.received++;
      stats.fail(reason);
      log.debug({ listener: peer.listener, peer: `${peer.address}:${peer.port}`, reason, detail }, 'syslog frame rejected');
    };
  }

  async function build(lc: SyslogListenerConfig): Promise<SyslogListener> {
    const stats = deps.metrics.input(`syslog/${lc.name}`);
    const common = {
      name: lc.name,
      host: lc.host,
      port: lc.port,
      maxMessageSize: config.maxMessageSize,
      onFrame: frameHandler(lc, stats),
      onError: errorHandler(stats),
      logger: log,
    };
    if (lc.protocol === 'udp') {
      return createUdpListener({
        ...common,
        receiveBufferBytes: config.udpReceiveBufferBytes,
        receiveThread: config.udpReceiveThread,
        receiveThreadMaxBytes: config.udpReceiveThreadMaxBytes,
      });
    }
    const stream = { ...common, idleTimeoutMs: config.tcpIdleTimeoutSeconds * 1000, maxConnections: config.maxConnections };
    if (lc.protocol === 'tcp') return createTcpListener(stream);
    let cert: string;
    let key: string;
    if (lc.cert !== undefined && lc.key !== undefined) {
      cert = readFileSync(lc.cert, 'utf8');
      key = readFileSync(lc.key, 'utf8');
    } else if (lc.cert === undefined && lc.key === undefined) {
      const pair = await ensureSelfSignedCert(join(deps.dataDir, 'tls'), `syslog-${lc.name}`);
      if (pair.generated) log.warn({ listener: lc.name, cert: pair.certFile }, 'no certificate configured for the TLS listener: generated a self-signed one');
      cert = pair.cert;
      key = pair.key;
    } else {
      throw new Error(`syslog listener ${lc.name}: set both cert and key, or neither`);
    }
    const ca = lc.ca !== undefined ? readFileSync(lc.ca, 'utf8') : undefined;
    if (lc.requireClientCert && ca === undefined) throw new Error(`syslog listener ${lc.name}: requireClientCert needs a ca bundle`);
    return createTlsListener({ ...stream, cert, key, ca, requireClientCert: lc.requireClientCert });
  }

  return {
    async start() {
      if (!config.enabled) return;
      for (const lc of config.listeners) {
        const listener = await build(lc);
        await listener.start();
        listeners.push(listener);
        const addr = listener.address();
        log.info({ listener: lc.name, protocol: lc.protocol, address: addr.address, port: addr.port }, 'syslog listener started');
      }
      deps.sink.onDrain(function resumeAll() {
        for (const l of listeners) l.resume();
        deps.sink.onDrain(resumeAll);
      });
    },
    async stop() {
      await Promise.all(listeners.map((l) => l.stop()));
    },
    listeners: () => listeners,
  };
}
