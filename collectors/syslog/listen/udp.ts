/**
 * Syslog over UDP (RFC 5426): one datagram is one message. Trailing LF/CR/NUL bytes are removed
 * (many senders end datagrams with LF); a datagram longer than maxMessageSize is cut to it. When
 * the FrameHandler returns false the message is dropped and counted: UDP has no backpressure.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { bindUdpWithFallback, warnIfReceiveBufferShort } from '../../../core/net/udp-bind';
import { decodeFrame, DEFAULT_MAX_MESSAGE_SIZE, utf8BoundaryBefore } from './framing';
import { DEFAULT_UDP_RECEIVE_BUFFER_BYTES, type BaseListenerOptions, type ListenerErrorReason } from './options';
import { describeListener, describePeer, makePeer } from './peer';
import type { FrameErrorHandler, FrameHandler, PeerInfo, SyslogListener } from './types';

export interface UdpListenerOptions extends BaseListenerOptions {
  /** SO_RCVBUF requested (syslog.udpReceiveBufferBytes); bursts beyond it are lost in the kernel. */
  receiveBufferBytes?: number;
}

export interface UdpSyslogListener extends SyslogListener {
  /** SO_RCVBUF as the kernel granted it (Linux reports twice the request, capped by net.core.rmem_max). */
  getRecvBufferSize(): number;
}

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

class UdpListener implements UdpSyslogListener {
  readonly name: string;
  private readonly host: string;
  private readonly port: number;
  private readonly maxMessageSize: number;
  private readonly receiveBufferBytes: number;
  private readonly onFrame: FrameHandler;
  private readonly onError: FrameErrorHandler;
  private readonly options: UdpListenerOptions;
  private socket: Socket | undefined;
  private label: string;

  constructor(options: UdpListenerOptions) {
    this.options = options;
    this.name = options.name;
    this.host = options.host;
    this.port = options.port;
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.receiveBufferBytes = options.receiveBufferBytes ?? DEFAULT_UDP_RECEIVE_BUFFER_BYTES;
    this.onFrame = options.onFrame;
    this.onError = options.onError;
    this.label = describeListener('udp', this.name, this.host, this.port);
  }

  async start(): Promise<void> {
    if (this.socket) return;
    const socket = await bindUdpWithFallback(this.host, this.port, this.receiveBufferBytes, this.label, this.options.logger);
    socket.on('error', this.onSocketError);
    socket.on('message', this.onMessage);
    this.socket = socket;
    const bound = socket.address();
    this.label = describeListener('udp', this.name, bound.address, bound.port);
    warnIfReceiveBufferShort(this.getRecvBufferSize(), this.receiveBufferBytes, this.label, 'bursts', this.options.logger);
    this.options.logger?.info(`${this.label}: listening, receive buffer ${this.getRecvBufferSize()} bytes`);
  }

  getRecvBufferSize(): number {
    return this.socket ? this.socket.getRecvBufferSize() : 0;
  }

  private readonly onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    const peer = makePeer('udp', this.name, rinfo.address, rinfo.port);
    let end = msg.length;
    while (end > 0) {
      const c = msg[end - 1];
      if (c !== LF && c !== CR && c !== NUL) break;
      end--;
    }
    if (end > this.maxMessageSize) {
      this.report('frame_truncated', peer, `${describePeer(peer)}: datagram of ${end} bytes longer than max ${this.maxMessageSize}, truncated`);
      end = utf8BoundaryBefore(msg, 0, this.maxMessageSize);
    }
    const text = decodeFrame(msg, 0, end);
    if (text.length === 0) {
      this.report('empty_datagram', peer, `${describePeer(peer)}: empty datagram (${msg.length} bytes)`);
      return;
    }
    let accepted: boolean;
    try {
      accepted = this.onFrame(text, peer);
    } catch (err) {
      this.report('handler_error', peer, `${describePeer(peer)}: frame handler threw: ${(err as Error).message}`);
      return;
    }
    if (!accepted) this.report('queue_full', peer, `${describePeer(peer)}: queue full, message dropped`);
  };

  private readonly onSocketError = (err: Error): void => {
    const here = this.address();
    this.report('socket_error', makePeer('udp', this.name, here.address, here.port), `${this.label}: ${err.message}`);
  };

  private report(reason: ListenerErrorReason, peer: PeerInfo, detail: string): void {
    this.onError(reason, peer, detail);
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    this.socket = undefined;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /** Datagrams are never paused: a full queue drops them. */
  resume(): void {}

  address(): { address: string; port: number } {
    if (!this.socket) return { address: this.host, port: this.port };
    const a = this.socket.address();
    return { address: a.address, port: a.port };
  }
}

export function createUdpListener(options: UdpListenerOptions): UdpSyslogListener {
  return new UdpListener(options);
}
