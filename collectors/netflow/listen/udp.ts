/**
 * Flow datagrams over UDP (NetFlow v5/v9, IPFIX, sFlow): one datagram is one export packet, handed over
 * as it arrived. The socket asks for a large receive buffer, since exporters flush their caches in bursts
 * and Node reads one datagram per event; the size the kernel granted is logged, with the sysctl to raise
 * it when it falls short.
 */
import { createSocket, type RemoteInfo, type Socket, type SocketType } from 'node:dgram';
import { unmapIPv4 } from '../../../core/net/ip';
import { isIpv6Unavailable } from '../../syslog/listen/bind';
import type { ListenerLogger } from '../../syslog/listen/options';
import { hostPort } from '../../syslog/listen/peer';
import type { DatagramHandler, FlowErrorHandler, FlowListener, FlowPeer } from './types';

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
}

export interface FlowUdpListener extends FlowListener {
  /** SO_RCVBUF as the kernel granted it (Linux reports twice the request, capped by net.core.rmem_max). */
  getRecvBufferSize(): number;
}

export function describeFlowListener(transport: 'udp' | 'tcp', name: string, address: string, port: number): string {
  return `netflow ${transport} listener "${name}" on ${hostPort(address, port)}`;
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
    try {
      this.socket = await this.bind(host.includes(':') ? 'udp6' : 'udp4', host);
    } catch (err) {
      if (!isIpv6Unavailable(host, err)) throw new Error(`${this.label}: cannot bind: ${(err as Error).message}`, { cause: err });
      logger?.warn(`${this.label}: IPv6 unavailable (${(err as Error).message}), listening on 0.0.0.0:${port} instead`);
      try {
        this.socket = await this.bind('udp4', '0.0.0.0');
      } catch (err4) {
        throw new Error(`${this.label}: cannot bind 0.0.0.0:${port}: ${(err4 as Error).message}`, { cause: err4 });
      }
    }
    const bound = this.socket.address();
    this.label = describeFlowListener('udp', this.name, bound.address, bound.port);
    const granted = this.getRecvBufferSize();
    const wanted = this.options.receiveBufferBytes;
    logger?.info(`${this.label}: listening, receive buffer ${granted} bytes (${wanted} requested)`);
    if (granted < wanted) {
      logger?.warn(
        `${this.label}: UDP receive buffer is ${granted} bytes, ${wanted} requested; flow bursts will be lost in the kernel. ` +
          `Raise the cap with: sysctl -w net.core.rmem_max=${wanted} (persist it in /etc/sysctl.d/)`,
      );
    }
  }

  private bind(type: SocketType, host: string): Promise<Socket> {
    return new Promise((resolve, reject) => {
      let socket: Socket;
      try {
        socket = createSocket({ type, ipv6Only: false, recvBufferSize: this.options.receiveBufferBytes });
      } catch (err) {
        reject(err);
        return;
      }
      const onBindError = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', onBindError);
      socket.bind({ address: host, port: this.options.port }, () => {
        socket.removeListener('error', onBindError);
        socket.on('error', this.onSocketError);
        socket.on('message', this.onMessage);
        resolve(socket);
      });
    });
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
  return new UdpFlowListener(options);
}
