/**
 * One TCP or TLS syslog connection: a framer on core/net's backpressured connection (pause, idle timer,
 * drain at stop). Shared by tcp.ts and tls.ts through stream-listener.ts.
 *
 * When the FrameHandler returns false the frame was not taken: it waits, with every later frame
 * already de-framed from the same chunk, and `resume()` offers them again, in order, before reading more.
 */
import type { Socket } from 'node:net';
import { BackpressuredConnection } from '../../../core/net/backpressured-connection';
import type { ConnectionSet } from '../../../core/net/connection-set';
import { SyslogFramer, type FrameOutput, type FramingErrorReason } from './framing';
import type { ListenerErrorReason } from './options';
import { describePeer } from './peer';
import type { FrameErrorHandler, FrameHandler, PeerInfo } from './types';

/** Where a connection's frames and failures go. */
export interface FrameSink {
  readonly onFrame: FrameHandler;
  readonly onError: FrameErrorHandler;
}

export class StreamConnection extends BackpressuredConnection<string> implements FrameOutput {
  readonly peer: PeerInfo;
  private readonly label: string;
  private readonly framer: SyslogFramer;

  constructor(
    socket: Socket,
    peer: PeerInfo,
    private readonly owner: FrameSink,
    /** The listener's connections: told when this one pauses and when it is done. */
    private readonly tracker: ConnectionSet<StreamConnection>,
    maxMessageSize: number,
    idleTimeoutMs: number,
  ) {
    super(socket, idleTimeoutMs, true);
    this.peer = peer;
    this.label = describePeer(peer);
    this.framer = new SyslogFramer(maxMessageSize);
  }

  get pendingFrames(): number {
    return this.queuedItems;
  }

  // FrameOutput: called by the framer for each frame of a chunk.
  frame(text: string): void {
    this.offer(text);
  }

  frameError(reason: FramingErrorReason, detail: string): void {
    this.report(reason, detail);
  }

  /** stop() gave up waiting for downstream: count what is left and let go. */
  abandon(): void {
    const left = this.queuedItems;
    if (left > 0) this.report('dropped_at_stop', `${left} frames not handed over before stop`);
    this.letGo();
    this.settle();
  }

  protected deliver(text: string): boolean {
    try {
      return this.owner.onFrame(text, this.peer);
    } catch (err) {
      // A throwing handler must not kill the connection or loop on the same frame: drop it.
      this.report('handler_error', `frame handler threw: ${(err as Error).message}`);
      return true;
    }
  }

  protected readChunk(chunk: Buffer): void {
    if (!this.framer.push(chunk, this)) this.endInput();
  }

  /** The unterminated last LF frame is handed over. */
  protected inputEnding(): void {
    this.framer.end(this);
  }

  protected notifyPaused(): void {
    this.tracker.connectionPaused(this);
  }

  protected notifyDone(): void {
    this.tracker.connectionDone(this);
  }

  protected report(reason: ListenerErrorReason, detail: string): void {
    this.owner.onError(reason, this.peer, `${this.label}: ${detail}`);
  }
}
