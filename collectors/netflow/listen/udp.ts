/**
 * Flow datagrams over UDP (NetFlow v5/v9, IPFIX, sFlow): one datagram is one export packet, handed over
 * as it arrived. The socket asks for a large receive buffer, since exporters flush their caches in bursts
 * and Node reads one datagram per event; the size the kernel granted is logged, with the sysctl to raise
 * it when it falls short.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { hostPort } from '../../../core/net/host-port';
import { unmapIPv4 } from '../../../core/net/ip';
import type { ListenerLogger } from '../../../core/net/listen';
import { bindUdpWithFallback, warnIfReceiveBufferShort } from '../../../core/net/udp-bind';
import { describeFlowListener } from './label';
import type { DatagramHandler, FlowErrorHandler, FlowListener, FlowPeer } from './types';
import { ThreadUdpFlowListener } from './udp-thread';

export interface FlowUdpListenerOptions {
  name: string;
  /** '::' is dual-stack and falls back to '0.0.0.0' where IPv6 is unavailable. */
  host: string;
  port: number;
  /** SO_RCVBUF requested (netflow.udpReceiveBufferBytes). */
  receiveBufferBytes: number;
  onDatagram: DatagramHandler;
  onError: FlowErrorHandler;
  logger?: ListenerLogger;
  /** Receive in a worker thread (netflow.receiveThread) so a busy main thread does not lose datagrams. */
  receiveThread?: boolean;
  /** Receive thread: bytes handed over and not yet handled, beyond which datagrams are dropped. */
  maxInFlightBytes?: number;
  /** Receive thread: datagrams it dropped at the in-flight bound (the collector counts them as dropped). */
  onDropped?: (datagrams: number) => void;
}

export interface FlowUdpListener extends FlowListener {
  /** SO_RCVBUF as the kernel granted it (Linux reports twice the request, capped by net.core.rmem_max). */
  getRecvBufferSize(): number;
}

class UdpFlowListener implements FlowUdpListener {
  readonly name: string;
  readonly transport = 'udp' as const;
  private socket: Socket | undefined;
  private label: string;

  constructor(private readonly options: FlowUdpListenerOptions) {
    this.name = options.name;
    this.label = describeFlowListener('udp', options.name, options.host, options.port);
  }

  async start(): Promise<void> {
    if (this.socket) return;
    const { host, port, logger } = this.options;
    const wanted = this.options.receiveBufferBytes;
    const socket = await bindUdpWithFallback(host, port, wanted, this.label, logger);
    socket.on('error', this.onSocketError);
    socket.on('message', this.onMessage);
    this.socket = socket;
    const bound = socket.address();
    this.label = describeFlowListener('udp', this.name, bound.address, bound.port);
    const granted = this.getRecvBufferSize();
    logger?.info(`${this.label}: listening, receive buffer ${granted} bytes (${wanted} requested)`);
    warnIfReceiveBufferShort(granted, wanted, this.label, 'flow bursts', logger);
  }

  getRecvBufferSize(): number {
    return this.socket ? this.socket.getRecvBufferSize() : 0;
  }

  private readonly onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    const peer: FlowPeer = { address: unmapIPv4(rinfo.address), port: rinfo.port, transport: 'udp', listener: this.name };
    try {
      this.options.onDatagram(msg, peer);
    } catch (err) {
      this.options.onError('handler_error', peer, `${this.label}: datagram from ${hostPort(peer.address, peer.port)}: handler threw: ${(err as Error).message}`);
    }
  };

  private readonly onSocketError = (err: Error): void => {
    const here = this.address();
    this.options.onError('socket_error', { address: here.address, port: here.port, transport: 'udp', listener: this.name }, `${this.label}: ${err.message}`);
  };

  async stop(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    this.socket = undefined;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /** Datagrams are never paused: a full queue drops them. */
  resume(): void {}

  address(): { address: string; port: number } {
    if (!this.socket) return { address: this.options.host, port: this.options.port };
    const a = this.socket.address();
    return { address: a.address, port: a.port };
  }
}

export function createFlowUdpListener(options: FlowUdpListenerOptions): FlowUdpListener {
  if (options.receiveThread === true) return new ThreadUdpFlowListener(options, describeFlowListener('udp', options.name, options.host, options.port));
  return new UdpFlowListener(options);
}
