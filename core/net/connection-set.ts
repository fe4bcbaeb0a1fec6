/**
 * The accepted connections of a stream listener (syslog TCP/TLS, IPFIX TCP): which are open, which are
 * paused because downstream is full, resume-all when it drains, and a stop that lets every connection
 * hand over what it read before giving up after a timeout.
 */

/** What the set needs from one connection. */
export interface DrainableConnection {
  /** Offers what waits again, then reads from the socket. */
  resume(): void;
  /** Reads no more; done once what was read is handed over. */
  endInput(): void;
  /** Gives up on handing over what is left (counted by the connection) and lets go. */
  abandon(): void;
}

export interface ConnectionSetStats {
  /** Connections open now (including closed ones whose data still waits for downstream). */
  connections: number;
  /** Connections paused because downstream is full. */
  pausedConnections: number;
  /** Connections accepted since start. */
  accepted: number;
}

export class ConnectionSet<C extends DrainableConnection> {
  private readonly open = new Set<C>();
  private readonly paused = new Set<C>();
  private accepted = 0;
  private whenAllDone: (() => void) | undefined;

  /** Counts a socket the listener accepted (even one it then fails to set up). */
  countAccepted(): void {
    this.accepted++;
  }

  add(connection: C): void {
    this.open.add(connection);
  }

  /** The connection paused: resumeAll() will offer it again. */
  connectionPaused(connection: C): void {
    this.paused.add(connection);
  }

  /** The socket is closed and everything read from it was handed over (or given up at stop). */
  connectionDone(connection: C): void {
    this.open.delete(connection);
    this.paused.delete(connection);
    this.checkAllDone();
  }

  /** Lets every paused connection offer again (called when downstream drains). */
  resumeAll(): void {
    if (this.paused.size === 0) return;
    const waiting = Array.from(this.paused);
    this.paused.clear();
    for (const connection of waiting) connection.resume();
  }

  stats(): ConnectionSetStats {
    return { connections: this.open.size, pausedConnections: this.paused.size, accepted: this.accepted };
  }

  /**
   * Ends input on every connection now, then waits until all are done or `timeoutMs` passes, after
   * which the rest are abandoned.
   */
  async drain(timeoutMs: number): Promise<void> {
    const allDone = new Promise<void>((resolve) => {
      this.whenAllDone = resolve;
    });
    for (const connection of Array.from(this.open)) connection.endInput();
    this.checkAllDone();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const timedOut = await Promise.race([allDone.then(() => false), gaveUp]);
    clearTimeout(timer);
    if (timedOut) for (const connection of Array.from(this.open)) connection.abandon();
  }

  private checkAllDone(): void {
    if (this.whenAllDone && this.open.size === 0) {
      const resolve = this.whenAllDone;
      this.whenAllDone = undefined;
      resolve();
    }
  }
}
