/**
 * The listener half shared by TCP and TLS: accepting, connection limits, resume-all and stop.
 * tcp.ts and tls.ts only build the server and say which event carries a ready socket.
 */
import type { AddressInfo, Server, Socket } from 'node:net';
import { ConnectionSet, type ConnectionSetStats } from '../../../core/net/connection-set';
import { hostPort } from '../../../core/net/host-port';
import { listenWithFallback } from '../../../core/net/listen';
import { DEFAULT_MAX_MESSAGE_SIZE } from './framing';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_STOP_TIMEOUT_MS,
  type BaseListenerOptions,
  type ListenerErrorReason,
} from './options';
import { describeListener, makePeer } from './peer';
import { StreamConnection, type FrameSink } from './stream-connection';
import type { FrameErrorHandler, FrameHandler, SyslogListener } from './types';

export interface StreamListenerOptions extends BaseListenerOptions {
  /** Close a connection after this long without data (0 disables). Default 10 minutes. */
  idleTimeoutMs?: number;
  /** Connections beyond this are refused and counted. Default 10,000. */
  maxConnections?: number;
  /** How long stop() waits for a paused downstream to take frames already read. Default 5 s. */
  stopTimeoutMs?: number;
}

export type StreamListenerStats = ConnectionSetStats;

export interface StreamSyslogListener extends SyslogListener {
  stats(): StreamListenerStats;
}

type Transport = 'tcp' | 'tls';

/**
 * Admission check for a ready socket (TLS client certificates): the subject to put in PeerInfo,
 * or why the client is refused.
 */
export type ClientCheck = (socket: Socket) => { subject?: string; refusal?: string };

export class StreamListener implements StreamSyslogListener, FrameSink {
  readonly name: string;
  readonly onFrame: FrameHandler;
  readonly onError: FrameErrorHandler;
  private readonly options: StreamListenerOptions;
  private readonly maxMessageSize: number;
  private readonly idleTimeoutMs: number;
  private readonly maxConnections: number;
  private readonly connections = new ConnectionSet<StreamConnection>();
  /** Every accepted TCP socket, including TLS ones still in their handshake. */
  private readonly rawSockets = new Set<Socket>();
  private listening = false;
  private label: string;

  constructor(
    private readonly server: Server,
    private readonly transport: Transport,
    /** 'connection' for net.Server, 'secureConnection' for tls.Server (after the handshake). */
    readyEvent: 'connection' | 'secureConnection',
    options: StreamListenerOptions,
    private readonly checkClient?: ClientCheck,
  ) {
    this.options = options;
    this.name = options.name;
    this.onFrame = options.onFrame;
    this.onError = options.onError;
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.label = describeListener(transport, this.name, options.host, options.port);
    // Node refuses sockets beyond maxConnections itself and emits 'drop' for each.
    server.maxConnections = this.maxConnections;
    server.on('connection', this.onRawSocket);
    server.on(readyEvent, this.onConnection);
    server.on('drop', this.onDrop);
    server.on('error', this.onServerError);
  }

  async start(): Promise<void> {
    if (this.listening) return;
    await listenWithFallback(this.server, this.options.host, this.options.port, this.label, this.options.logger);
    this.listening = true;
    const a = this.address();
    this.label = describeListener(this.transport, this.name, a.address, a.port);
    this.options.logger?.info(`${this.label}: listening`);
  }

  async stop(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const drained = this.connections.drain(this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    // TLS sockets still in their handshake belong to no connection yet.
    for (const socket of this.rawSockets) socket.destroy();
    await drained;
    await serverClosed;
  }

  /** Offers pending frames again on every paused connection, then lets them read. */
  resume(): void {
    this.connections.resumeAll();
  }

  address(): { address: string; port: number } {
    const a = this.server.address() as AddressInfo | null;
    return a ? { address: a.address, port: a.port } : { address: this.options.host, port: this.options.port };
  }

  stats(): StreamListenerStats {
    return this.connections.stats();
  }

  /**
   * Errors that belong to no accepted connection (refused sockets, TLS handshakes): `what` is
   * completed with the peer, e.g. `tls handshake failed` → `... tls handshake failed from 10.1.2.3:4711: reason`.
   */
  reportUnaccepted(reason: ListenerErrorReason, address: string | undefined, port: number | undefined, what: string, why: string): void {
    const peer = makePeer(this.transport, this.name, address, port);
    this.onError(reason, peer, `${this.label}: ${what} from ${hostPort(peer.address, peer.port)}: ${why}`);
  }

  private readonly onRawSocket = (socket: Socket): void => {
    this.rawSockets.add(socket);
    socket.once('close', () => this.rawSockets.delete(socket));
  };

  private readonly onConnection = (socket: Socket): void => {
    if (!this.listening) {
      socket.destroy();
      return;
    }
    let subject: string | undefined;
    if (this.checkClient) {
      const verdict = this.checkClient(socket);
      if (verdict.refusal !== undefined) {
        this.reportUnaccepted('tls_handshake_failed', socket.remoteAddress, socket.remotePort, 'tls handshake failed', verdict.refusal);
        socket.destroy();
        return;
      }
      subject = verdict.subject;
    }
    this.connections.countAccepted();
    const peer = makePeer(this.transport, this.name, socket.remoteAddress, socket.remotePort, subject);
    this.connections.add(new StreamConnection(socket, peer, this, this.connections, this.maxMessageSize, this.idleTimeoutMs));
  };

  private readonly onDrop = (data?: { remoteAddress?: string; remotePort?: number }): void => {
    this.reportUnaccepted('too_many_connections', data?.remoteAddress, data?.remotePort, 'connection refused', `${this.maxConnections} connections already open`);
  };

  private readonly onServerError = (err: Error): void => {
    // Errors after listen (EMFILE on accept...) must not crash the process; listen errors are
    // thrown by start().
    if (!this.listening) return;
    const a = this.address();
    this.onError('socket_error', makePeer(this.transport, this.name, a.address, a.port), `${this.label}: ${err.message}`);
  };
}
