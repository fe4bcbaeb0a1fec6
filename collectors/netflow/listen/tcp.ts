/**
 * IPFIX over TCP (RFC 7011 s10.4): one IpfixConnection per exporter connection, each with its own
 * consumer (templates are scoped to the transport session). Accepting, connection limits, resume-all and
 * a stop that waits for paused connections to hand over what they read.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { ConnectionSet, type ConnectionSetStats } from '../../../core/net/connection-set';
import { hostPort } from '../../../core/net/host-port';
import { unmapIPv4 } from '../../../core/net/ip';
import { listenWithFallback, type ListenerLogger } from '../../../core/net/listen';
import { IpfixConnection } from './ipfix-connection';
import type { FlowConsumerFactory, FlowErrorHandler, FlowListener, FlowMessageConsumer, FlowPeer } from './types';
import { describeFlowListener } from './label';

export interface IpfixTcpListenerOptions {
  name: string;
  host: string;
  port: number;
  createConsumer: FlowConsumerFactory;
  onError: FlowErrorHandler;
  /** Close a connection after this long without data; 0 never. */
  idleTimeoutMs: number;
  /** Connections beyond this are refused and counted. */
  maxConnections: number;
  /** How long stop() waits for a paused downstream to take what connections read. Default 5 s. */
  stopTimeoutMs?: number;
  logger?: ListenerLogger;
}

export type IpfixTcpListenerStats = ConnectionSetStats;

export interface IpfixTcpListener extends FlowListener {
  stats(): IpfixTcpListenerStats;
}

const DEFAULT_STOP_TIMEOUT_MS = 5000;

class TcpFlowListener implements IpfixTcpListener {
  readonly name: string;
  readonly transport = 'tcp' as const;
  readonly onError: FlowErrorHandler;
  private readonly server: Server;
  private readonly connections = new ConnectionSet<IpfixConnection>();
  private listening = false;
  private label: string;

  constructor(private readonly options: IpfixTcpListenerOptions) {
    this.name = options.name;
    this.onError = options.onError;
    this.label = describeFlowListener('tcp', options.name, options.host, options.port);
    // keepAlive finds exporters that vanished without a FIN.
    this.server = createServer({ keepAlive: true, keepAliveInitialDelay: 60_000 });
    // Node refuses sockets beyond maxConnections itself and emits 'drop' for each.
    this.server.maxConnections = options.maxConnections;
    this.server.on('connection', this.onConnection);
    this.server.on('drop', this.onDrop);
    this.server.on('error', this.onServerError);
  }

  async start(): Promise<void> {
    if (this.listening) return;
    await listenWithFallback(this.server, this.options.host, this.options.port, this.label, this.options.logger);
    this.listening = true;
    const a = this.address();
    this.label = describeFlowListener('tcp', this.name, a.address, a.port);
    this.options.logger?.info(`${this.label}: listening`);
  }

  async stop(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.connections.drain(this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    await serverClosed;
  }

  resume(): void {
    this.connections.resumeAll();
  }

  address(): { address: string; port: number } {
    const a = this.server.address() as AddressInfo | null;
    return a ? { address: a.address, port: a.port } : { address: this.options.host, port: this.options.port };
  }

  stats(): IpfixTcpListenerStats {
    return this.connections.stats();
  }

  private peer(address: string | undefined, port: number | undefined): FlowPeer {
    return { address: address === undefined ? 'unknown' : unmapIPv4(address), port: port ?? 0, transport: 'tcp', listener: this.name };
  }

  private readonly onConnection = (socket: Socket): void => {
    if (!this.listening) {
      socket.destroy();
      return;
    }
    this.connections.countAccepted();
    const peer = this.peer(socket.remoteAddress, socket.remotePort);
    let consumer: FlowMessageConsumer;
    try {
      consumer = this.options.createConsumer(peer);
    } catch (err) {
      this.onError('handler_error', peer, `${this.label}: connection from ${hostPort(peer.address, peer.port)}: consumer factory threw: ${(err as Error).message}`);
      socket.destroy();
      return;
    }
    this.connections.add(new IpfixConnection(socket, peer, this.onError, this.connections, consumer, this.options.idleTimeoutMs));
  };

  private readonly onDrop = (data?: { remoteAddress?: string; remotePort?: number }): void => {
    const peer = this.peer(data?.remoteAddress, data?.remotePort);
    this.onError('too_many_connections', peer, `${this.label}: connection from ${hostPort(peer.address, peer.port)} refused: ${this.options.maxConnections} connections already open`);
  };

  private readonly onServerError = (err: Error): void => {
    // Errors after listen (EMFILE on accept...) must not crash the process; listen errors are thrown by start().
    if (!this.listening) return;
    const a = this.address();
    this.onError('socket_error', this.peer(a.address, a.port), `${this.label}: ${err.message}`);
  };
}

export function createIpfixTcpListener(options: IpfixTcpListenerOptions): IpfixTcpListener {
  return new TcpFlowListener(options);
}
