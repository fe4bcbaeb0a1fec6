/**
 * One accepted stream socket read with backpressure and an idle timer: the lifecycle shared by syslog
 * TCP/TLS connections and IPFIX TCP connections. A subclass turns chunks into items (frames, messages)
 * and hands each to downstream.
 *
 * Backpressure: when downstream refuses an item the socket is paused (the kernel buffer fills and TCP
 * flow control slows the sender), later items already cut from the same chunk wait in the queue, and
 * `resume()` offers them again, in order, before reading more. While paused the idle timer is off: the
 * silence is ours. Whether a refused item is queued for another offer (`retryRefused`) or was kept by
 * downstream itself is the subclass's choice.
 */
import type { Socket } from 'node:net';

/** Failure reasons this class reports; each subclass's reason type includes them. */
export type ConnectionLifecycleReason = 'idle_timeout' | 'connection_error';

export abstract class BackpressuredConnection<T> {
  private queue: T[] = [];
  private queueHead = 0;
  private paused = false;
  private inputEnded = false;
  private socketClosed = false;
  /** Set once the owner was told the connection is over. */
  protected done = false;

  constructor(
    protected readonly socket: Socket,
    protected readonly idleTimeoutMs: number,
    /** True: a refused item is offered again on resume; false: downstream kept it (and is flushed first). */
    private readonly retryRefused: boolean,
  ) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('timeout', this.onTimeout);
    socket.on('error', this.onSocketError);
    socket.on('close', this.onClose);
    if (idleTimeoutMs > 0) socket.setTimeout(idleTimeoutMs);
  }

  /** Hands one item downstream; false when downstream is full. Must not throw. */
  protected abstract deliver(item: T): boolean;
  /** Cuts a chunk into items and offers each (`offer`); ends input itself on a fatal framing error. */
  protected abstract readChunk(chunk: Buffer): void;
  /** Input is ending: hand over or count a partial last item. */
  protected abstract inputEnding(): void;
  protected abstract report(reason: ConnectionLifecycleReason, detail: string): void;
  /** Tells the owner this connection paused (it will call resume() when downstream drains). */
  protected abstract notifyPaused(): void;
  /** Tells the owner the socket is closed and everything read was handed over. */
  protected abstract notifyDone(): void;

  /** Before offering the queue again: lets downstream pass on what it kept; false when still full. */
  protected flushKept(): boolean {
    return true;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Items read but not handed over yet. */
  get queuedItems(): number {
    return this.queue.length - this.queueHead;
  }

  /** Offers the queued items again; reads from the socket once they are all taken. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (!this.flushKept()) {
      this.stayPaused();
      return;
    }
    while (this.queueHead < this.queue.length) {
      const taken = this.deliver(this.queue[this.queueHead]);
      if (taken || !this.retryRefused) this.queueHead++;
      if (!taken) {
        this.stayPaused();
        return;
      }
    }
    this.queue = [];
    this.queueHead = 0;
    if (this.inputEnded) {
      this.settle();
    } else {
      if (this.idleTimeoutMs > 0) this.socket.setTimeout(this.idleTimeoutMs);
      this.socket.resume();
    }
  }

  /**
   * No more input will be read (peer closed, idle, fatal framing error, listener stopping): the socket
   * is destroyed, and the connection is done once what it read has been taken.
   */
  endInput(): void {
    if (this.inputEnded) return;
    this.inputEnded = true;
    this.inputEnding();
    if (!this.socketClosed) this.socket.destroy();
    this.settle();
  }

  /** stop() gave up waiting for downstream (see subclasses' abandon()). */
  abstract abandon(): void;

  /** Empties the queue, stops reading and destroys the socket; returns what was never handed over. */
  protected letGo(): T[] {
    const left = this.queue.slice(this.queueHead);
    this.queue = [];
    this.queueHead = 0;
    this.paused = false;
    this.inputEnded = true;
    if (!this.socketClosed) this.socket.destroy();
    return left;
  }

  /** Hands an item over, or queues it while paused. */
  protected offer(item: T): void {
    if (this.paused) {
      this.queue.push(item);
    } else if (!this.deliver(item)) {
      if (this.retryRefused) this.queue.push(item);
      this.pause();
    }
  }

  /** Done once the socket is closed and nothing waits. */
  protected settle(): void {
    if (this.done || !this.socketClosed || this.paused || this.queueHead < this.queue.length) return;
    this.done = true;
    this.notifyDone();
  }

  private pause(): void {
    this.paused = true;
    if (!this.socketClosed) {
      this.socket.pause();
      this.socket.setTimeout(0);
    }
    this.notifyPaused();
  }

  private stayPaused(): void {
    this.paused = true;
    this.notifyPaused();
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.inputEnded) return;
    this.readChunk(chunk);
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
