/**
 * Syslog over UDP (RFC 5426): one datagram is one message. Trailing LF/CR/NUL bytes are removed
 * (many senders end datagrams with LF); a datagram longer than maxMessageSize is cut to it. When
 * the FrameHandler returns false the message is dropped and counted: UDP has no backpressure.
 *
 * With `receiveThread` the socket is read in a thread of its own (core/net/udp-receive-thread.ts)
 * and datagrams reach this thread in batches: while this thread is held (a batch of events encoded
 * for the store, a garbage collection), they wait in memory instead of overflowing the kernel buffer.
 * Measured (bench/syslog.ts, UDP over loopback, 4 MiB buffer): in 3 s steps at 50,000 messages/s the
 * main-thread socket lost 0-3,607 of 150,000 (each one a kernel RcvbufErrors), the receive thread 0
 * in 4 of 4 runs; but held 30 s at 50,000/s, beyond what the pipeline sustains over UDP (~46,000/s),
 * the main-thread socket lost 107,734 of 1,500,000 and the receive thread 157,000, with RSS 524 vs
 * 726 MiB: it reads every datagram, also those it then drops, where the kernel drops for free. Hence
 * off by default (syslog.udpReceiveThread).
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { bindUdpWithFallback, warnIfReceiveBufferShort } from '../../../core/net/udp-bind';
import { UdpReceiveThread } from '../../../core/net/udp-receive-thread';
import { decodeFrame, DEFAULT_MAX_MESSAGE_SIZE, utf8BoundaryBefore } from './framing';
import { DEFAULT_UDP_RECEIVE_BUFFER_BYTES, type BaseListenerOptions, type ListenerErrorReason } from './options';
import { describeListener, describePeer, makePeer } from './peer';
import type { FrameErrorHandler, FrameHandler, PeerInfo, SyslogListener } from './types';

export interface UdpListenerOptions extends BaseListenerOptions {
  /** SO_RCVBUF requested (syslog.udpReceiveBufferBytes); bursts beyond it are lost in the kernel. */
  receiveBufferBytes?: number;
  /** Read the socket in a receive thread (syslog.udpReceiveThread). */
  receiveThread?: boolean;
  /** Receive thread: bytes handed over and not yet handled, beyond which datagrams are dropped (syslog.udpReceiveThreadMaxBytes). */
  receiveThreadMaxBytes?: number;
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
  private thread: UdpReceiveThread | undefined;
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
    if (this.socket || this.thread) return;
    if (this.options.receiveThread === true) {
      await this.startThread();
      return;
    }
    const socket = await bindUdpWithFallback(this.host, this.port, this.receiveBufferBytes, this.label, this.options.logger);
    socket.on('error', this.onSocketError);
    socket.on('message', this.onMessage);
    this.socket = socket;
    const bound = socket.address();
    this.label = describeListener('udp', this.name, bound.address, bound.port);
    warnIfReceiveBufferShort(this.getRecvBufferSize(), this.receiveBufferBytes, this.label, 'bursts', this.options.logger);
    this.options.logger?.info(`${this.label}: listening, receive buffer ${this.getRecvBufferSize()} bytes`);
  }

  private async startThread(): Promise<void> {
    const logger = this.options.logger;
    const thread = new UdpReceiveThread({
      host: this.host,
      port: this.port,
      receiveBufferBytes: this.receiveBufferBytes,
      label: this.label,
      maxInFlightBytes: this.options.receiveThreadMaxBytes,
      onDatagram: (datagram, address, port) => this.onMessage(datagram, { address, port }),
      onDropped: (count) => {
        const here = this.address();
        this.onError('receive_thread_full', makePeer('udp', this.name, here.address, here.port), `${this.label}: receive thread full, ${count} datagrams dropped`, count);
      },
      onLog: (level, message) => (level === 'warn' ? logger?.warn(message) : logger?.info(message)),
      onError: (reason, message) => {
        const here = this.address();
        this.report(reason, makePeer('udp', this.name, here.address, here.port), message);
      },
    });
    const bound = await thread.start();
    this.thread = thread;
    this.label = describeListener('udp', this.name, bound.address, bound.port);
    warnIfReceiveBufferShort(bound.recvBufferSize, this.receiveBufferBytes, this.label, 'bursts', logger);
    logger?.info(`${this.label}: listening in a receive thread, receive buffer ${bound.recvBufferSize} bytes`);
  }

  getRecvBufferSize(): number {
    if (this.thread) return this.thread.bound?.recvBufferSize ?? 0;
    return this.socket ? this.socket.getRecvBufferSize() : 0;
  }

  private readonly onMessage = (msg: Buffer, rinfo: Pick<RemoteInfo, 'address' | 'port'>): void => {
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
    const thread = this.thread;
    if (thread) {
      // The thread hands over what it still holds before it ends.
      await thread.stop();
      this.thread = undefined;
      return;
    }
    const socket = this.socket;
    if (!socket) return;
    this.socket = undefined;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /** Datagrams are never paused: a full queue drops them. */
  resume(): void {}

  address(): { address: string; port: number } {
    const bound = this.thread?.bound;
    if (bound !== undefined) return { address: bound.address, port: bound.port };
    if (!this.socket) return { address: this.host, port: this.port };
    const a = this.socket.address();
    return { address: a.address, port: a.port };
  }
}

export function createUdpListener(options: UdpListenerOptions): UdpSyslogListener {
  return new UdpListener(options);
}
