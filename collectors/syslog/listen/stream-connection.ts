/**
 * One TCP or TLS syslog connection: a framer, backpressure and an idle timer. Shared by tcp.ts and
 * tls.ts through stream-listener.ts.
 *
 * Backpressure: when the FrameHandler returns false the frame was not taken. The socket is paused
 * (the kernel buffer fills and TCP flow control slows the sender), that frame and every later one
 * already de-framed from the same chunk wait in `pending`, and `resume()` offers them again, in
 * order, before reading more. While paused the idle timer is off: the silence is ours.
 */
import type { Socket } from 'node:net';
import { SyslogFramer, type FrameOutput, type FramingErrorReason } from './framing';
import type { ListenerErrorReason } from './options';
import { describePeer } from './peer';
import type { FrameErrorHandler, FrameHandler, PeerInfo } from './types';

/** What a connection needs from the listener that owns it. */
export interface ConnectionOwner {
  readonly onFrame: FrameHandler;
  readonly onError: FrameErrorHandler;
  connectionPaused(connection: StreamConnection): void;
  /** The socket is closed and every frame read from it was handed over (or given up at stop). */
  connectionDone(connection: StreamConnection): void;
}

export class StreamConnection implements FrameOutput {
  readonly peer: PeerInfo;
  private readonly label: string;
  private readonly framer: SyslogFramer;
  private pending: string[] = [];
  private pendingHead = 0;
  private paused = false;
  private inputEnded = false;
  private socketClosed = false;
  private done = false;

  constructor(
    private readonly socket: Socket,
    peer: PeerInfo,
    private readonly owner: ConnectionOwner,
    maxMessageSize: number,
    private readonly idleTimeoutMs: number,
  ) {
    this.peer = peer;
    this.label = describePeer(peer);
    this.framer = new SyslogFramer(maxMessageSize);
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

  get pendingFrames(): number {
    return this.pending.length - this.pendingHead;
  }

  // FrameOutput: called by the framer for each frame of a chunk.
  frame(text: string): void {
    if (this.paused) {
      this.pending.push(text);
    } else if (!this.deliver(text)) {
      this.pending.push(text);
      this.pause();
    }
  }

  frameError(reason: FramingErrorReason, detail: string): void {
    this.report(reason, detail);
  }

  /** Offers the pending frames again; reads from the socket once they are all taken. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    while (this.pendingHead < this.pending.length) {
      if (!this.deliver(this.pending[this.pendingHead])) {
        this.paused = true;
        this.owner.connectionPaused(this);
        return;
      }
      this.pendingHead++;
    }
    this.pending = [];
    this.pendingHead = 0;
    if (this.inputEnded) {
      this.settle();
    } else {
      if (this.idleTimeoutMs > 0) this.socket.setTimeout(this.idleTimeoutMs);
      this.socket.resume();
    }
  }

  /**
   * No more input will be read (peer closed, idle, fatal framing error, listener stopping): the
   * unterminated last LF frame is handed over, the socket is destroyed, and the connection is
   * done once its pending frames are taken.
   */
  endInput(): void {
    if (this.inputEnded) return;
    this.inputEnded = true;
    this.framer.end(this);
    if (!this.socketClosed) this.socket.destroy();
    this.settle();
  }

  /** stop() gave up waiting for downstream: count what is left and let go. */
  abandon(): void {
    const left = this.pendingFrames;
    if (left > 0) this.report('dropped_at_stop', `${left} frames not handed over before stop`);
    this.pending = [];
    this.pendingHead = 0;
    this.paused = false;
    this.inputEnded = true;
    if (!this.socketClosed) this.socket.destroy();
    this.settle();
  }

  private deliver(text: string): boolean {
    try {
      return this.owner.onFrame(text, this.peer);
    } catch (err) {
      // A throwing handler must not kill the connection or loop on the same frame: drop it.
      this.report('handler_error', `frame handler threw: ${(err as Error).message}`);
      return true;
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

  private settle(): void {
    if (this.done || !this.socketClosed || this.paused || this.pendingHead < this.pending.length) return;
    this.done = true;
    this.owner.connectionDone(this);
  }

  private report(reason: ListenerErrorReason, detail: string): void {
    this.owner.onError(reason, this.peer, `${this.label}: ${detail}`);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.inputEnded) return;
    if (!this.framer.push(chunk, this)) this.endInput();
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
