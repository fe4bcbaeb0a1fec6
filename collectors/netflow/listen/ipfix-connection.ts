/**
 * One IPFIX-over-TCP connection: a deframer on core/net's backpressured connection (pause, idle timer,
 * drain at stop).
 *
 * When the consumer refuses a message (the pipeline queue is full) it keeps the part it could not pass
 * on; the later messages already deframed from the same chunk wait, and `resume()` first lets the
 * consumer flush, then offers them in order, then reads again. Nothing read is dropped, except at
 * stop() after its timeout (counted).
 */
import type { Socket } from 'node:net';
import { BackpressuredConnection } from '../../../core/net/backpressured-connection';
import type { ConnectionSet } from '../../../core/net/connection-set';
import { hostPort } from '../../../core/net/host-port';
import { IpfixStreamDeframer } from '../decode/ipfix-stream';
import type { FlowErrorHandler, FlowListenerErrorReason, FlowMessageConsumer, FlowPeer } from './types';

export class IpfixConnection extends BackpressuredConnection<Buffer> {
  readonly peer: FlowPeer;
  private readonly label: string;
  private readonly deframer = new IpfixStreamDeframer();

  constructor(
    socket: Socket,
    peer: FlowPeer,
    private readonly onError: FlowErrorHandler,
    /** The listener's connections: told when this one pauses and when it is done. */
    private readonly tracker: ConnectionSet<IpfixConnection>,
    private readonly consumer: FlowMessageConsumer,
    idleTimeoutMs: number,
  ) {
    super(socket, idleTimeoutMs, false);
    this.peer = peer;
    this.label = `netflow tcp ${hostPort(peer.address, peer.port)} (listener "${peer.listener}")`;
  }

  /** stop() gave up waiting for downstream: hand the consumer what is left to count, and let go. */
  abandon(): void {
    if (this.done) return;
    const undelivered = this.letGo();
    this.done = true;
    this.closeConsumer(undelivered);
    this.tracker.connectionDone(this);
  }

  protected deliver(msg: Buffer): boolean {
    try {
      return this.consumer.message(msg);
    } catch (err) {
      // A throwing consumer must not kill the connection or loop on the same message: drop it.
      this.report('handler_error', `message handler threw: ${(err as Error).message}`);
      return true;
    }
  }

  protected override flushKept(): boolean {
    try {
      return this.consumer.flush();
    } catch (err) {
      this.report('handler_error', `flush threw: ${(err as Error).message}`);
      return true;
    }
  }

  protected readChunk(chunk: Buffer): void {
    const messages = this.deframer.push(chunk);
    for (let i = 0; i < messages.length; i++) this.offer(messages[i]);
    const lost = this.deframer.error;
    if (lost !== null) {
      this.report('tcp_framing_lost', `${lost.message}; connection closed`);
      this.endInput();
    }
  }

  protected inputEnding(): void {
    const partial = this.deframer.bufferedBytes;
    if (partial > 0 && this.deframer.error === null) this.report('tcp_incomplete_message', `stream ended inside a message (${partial} bytes), discarded`);
  }

  protected notifyPaused(): void {
    this.tracker.connectionPaused(this);
  }

  protected notifyDone(): void {
    this.closeConsumer(null);
    this.tracker.connectionDone(this);
  }

  protected report(reason: FlowListenerErrorReason, detail: string): void {
    this.onError(reason, this.peer, `${this.label}: ${detail}`);
  }

  private closeConsumer(undelivered: readonly Buffer[] | null): void {
    try {
      this.consumer.close(undelivered);
    } catch (err) {
      this.report('handler_error', `close threw: ${(err as Error).message}`);
    }
  }
}
