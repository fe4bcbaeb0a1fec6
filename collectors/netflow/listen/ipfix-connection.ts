/**
 * One IPFIX-over-TCP connection: a deframer, backpressure and an idle timer.
 *
 * Backpressure: when the consumer refuses a message (the pipeline queue is full) it keeps the part it could
 * not pass on; the socket is paused (the kernel buffer fills and TCP flow control slows the exporter), the
 * later messages already deframed from the same chunk wait in `queued`, and `resume()` first lets the
 * consumer flush, then offers the queued messages in order, then reads again. Nothing read is dropped,
 * except at stop() after its timeout (counted). While paused the idle timer is off: the silence is ours.
 */
import type { Socket } from 'node:net';
import { IpfixStreamDeframer } from '../decode/ipfix-stream';
import { hostPort } from '../../syslog/listen/peer';
import type { FlowErrorHandler, FlowListenerErrorReason, FlowMessageConsumer, FlowPeer } from './types';

/** What a connection needs from the listener that owns it. */
export interface IpfixConnectionOwner {
  readonly onError: FlowErrorHandler;
  connectionPaused(connection: IpfixConnection): void;
  /** The socket is closed and everything read from it was handed over (or given up at stop). */
  connectionDone(connection: IpfixConnection): void;
}

export class IpfixConnection {
  readonly peer: FlowPeer;
  private readonly label: string;
  private readonly deframer = new IpfixStreamDeframer();
  private queued: Buffer[] = [];
  private queuedHead = 0;
  private paused = false;
  private inputEnded = false;
  private socketClosed = false;
  private done = false;

  constructor(
    private readonly socket: Socket,
    peer: FlowPeer,
    private readonly owner: IpfixConnectionOwner,
    private readonly consumer: FlowMessageConsumer,
    private readonly idleTimeoutMs: number,
  ) {
    this.peer = peer;
    this.label = `netflow tcp ${hostPort(peer.address, peer.port)} (listener "${peer.listener}")`;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('timeout', this.onTimeout);
    socket.on('error', this.onSocketError);
    socket.on('close', this.onClose);
    if (idleTimeoutMs > 0) socket.setTimeout(idleTimeoutMs);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Lets the consumer pass on what it kept, offers the queued messages, then reads again. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (!this.flushConsumer()) {
      this.stayPaused();
      return;
    }
    while (this.queuedHead < this.queued.length) {
      const msg = this.queued[this.queuedHead++];
      if (!this.deliver(msg)) {
        this.stayPaused();
        return;
      }
    }
    this.queued = [];
    this.queuedHead = 0;
    if (this.inputEnded) {
      this.settle();
    } else {
      if (this.idleTimeoutMs > 0) this.socket.setTimeout(this.idleTimeoutMs);
      this.socket.resume();
    }
  }

  /**
   * No more input will be read (peer closed, idle, lost framing, listener stopping): the socket is
   * destroyed, and the connection is done once what it read has been taken.
   */
  endInput(): void {
    if (this.inputEnded) return;
    this.inputEnded = true;
    const partial = this.deframer.bufferedBytes;
    if (partial > 0 && this.deframer.error === null) this.report('tcp_incomplete_message', `stream ended inside a message (${partial} bytes), discarded`);
    if (!this.socketClosed) this.socket.destroy();
    this.settle();
  }

  /** stop() gave up waiting for downstream: hand the consumer what is left to count, and let go. */
  abandon(): void {
    if (this.done) return;
    const undelivered = this.queued.slice(this.queuedHead);
    this.queued = [];
    this.queuedHead = 0;
    this.paused = false;
    this.inputEnded = true;
    if (!this.socketClosed) this.socket.destroy();
    this.done = true;
    this.closeConsumer(undelivered);
    this.owner.connectionDone(this);
  }

  private offer(msg: Buffer): void {
    if (this.paused) this.queued.push(msg);
    else if (!this.deliver(msg)) this.pause();
  }

  private deliver(msg: Buffer): boolean {
    try {
      return this.consumer.message(msg);
    } catch (err) {
      // A throwing consumer must not kill the connection or loop on the same message: drop it.
      this.report('handler_error', `message handler threw: ${(err as Error).message}`);
      return true;
    }
  }

  private flushConsumer(): boolean {
    try {
      return this.consumer.flush();
    } catch (err) {
      this.report('handler_error', `flush threw: ${(err as Error).message}`);
      return true;
    }
  }

  private closeConsumer(undelivered: readonly Buffer[] | null): void {
    try {
      this.consumer.close(undelivered);
    } catch (err) {
      this.report('handler_error', `close threw: ${(err as Error).message}`);
    }
  }

  private pause(): void {
    this.paused = true;
    if (!this.socketClosed) {
      this.socket.pause();
      this.socket.setTimeout(0);
    }
    this.owner.connectionPaused(this);
  }

  private stayPaused(): void {
    this.paused = true;
    this.owner.connectionPaused(this);
  }

  private settle(): void {
    if (this.done || !this.socketClosed || this.paused || this.queuedHead < this.queued.length) return;
    this.done = true;
    this.closeConsumer(null);
    this.owner.connectionDone(this);
  }

  private report(reason: FlowListenerErrorReason, detail: string): void {
    this.owner.onError(reason, this.peer, `${this.label}: ${detail}`);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.inputEnded) return;
    const messages = this.deframer.push(chunk);
    for (let i = 0; i < messages.length; i++) this.offer(messages[i]);
    const lost = this.deframer.error;
    if (lost !== null) {
      this.report('tcp_framing_lost', `${lost.message}; connection closed`);
      this.endInput();
    }
  };

  private readonly onEnd = (): void => {
    this.endInput();
  };

  private readonly onTimeout = (): void => {
    this.report('idle_timeout', `no data for ${this.idleTimeoutMs} ms, closed`);
    this.endInput();
  };

  private readonly onSocketError = (err: Error): void => {
    this.report('connection_error', err.message);
  };

  private readonly onClose = (): void => {
    this.socketClosed = true;
    this.endInput();
    this.settle();
  };
}
