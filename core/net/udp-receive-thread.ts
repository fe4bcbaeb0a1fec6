/**
 * A UDP socket read in a thread of its own (udp-receive-worker.ts): the calling thread gets the
 * datagrams in batches, in order, so anything that holds it (a flow minute close, a batch of events
 * encoded for the store, a garbage collection) delays datagrams instead of losing them in a full
 * kernel buffer. Bounded: the thread keeps at most `maxInFlightBytes` posted and not yet handled, and
 * drops (and counts, through `onDropped`) beyond. Used by the flow and syslog UDP listeners.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../worker-thread';
import type { ReceiveBatch, ReceiveThreadCommand, ReceiveThreadData, ReceiveThreadMessage } from './udp-receive-protocol';

/** 64 MiB: ~45,000 full-MTU datagrams, or ~250,000 syslog messages: seconds of a busy sender. */
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;
const BATCH_DATAGRAMS = 256;

export interface UdpReceiveThreadOptions {
  host: string;
  port: number;
  receiveBufferBytes: number;
  /** Names the listener in bind errors and thread failures. */
  label: string;
  maxInFlightBytes?: number;
  /**
   * One datagram: a view into its batch (no copy; keep a copy to hold it past the call) and the
   * sender as Node reports it (IPv4-mapped IPv6 not unwrapped). Should not throw: a throw is
   * reported through onError and the batch goes on.
   */
  onDatagram(datagram: Buffer, address: string, port: number): void;
  /** Datagrams the thread dropped because `maxInFlightBytes` were waiting. */
  onDropped?(count: number): void;
  onLog?(level: 'info' | 'warn', message: string): void;
  /** A socket error, a handler that threw, or the thread failing; the message names the listener. */
  onError(reason: 'socket_error' | 'handler_error', message: string): void;
}

export interface UdpReceiveThreadBound {
  address: string;
  port: number;
  /** SO_RCVBUF as the kernel granted it. */
  recvBufferSize: number;
}

export class UdpReceiveThread {
  private worker: Worker | undefined;
  private boundTo: UdpReceiveThreadBound | undefined;
  private stopping: Promise<void> | undefined;
  private onStopped: (() => void) | undefined;

  constructor(private readonly o: UdpReceiveThreadOptions) {}

  /** Where the socket is bound, once started; undefined before start and after stop. */
  get bound(): UdpReceiveThreadBound | undefined {
    return this.worker === undefined ? undefined : this.boundTo;
  }

  async start(): Promise<UdpReceiveThreadBound> {
    if (this.worker && this.boundTo) return this.boundTo;
    const data: ReceiveThreadData = {
      host: this.o.host,
      port: this.o.port,
      receiveBufferBytes: this.o.receiveBufferBytes,
      label: this.o.label,
      maxInFlightBytes: this.o.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES,
      batchDatagrams: BATCH_DATAGRAMS,
    };
    const worker = startModuleWorker(__dirname, 'udp-receive-worker', data as unknown as Record<string, unknown>);
    this.worker = worker;
    let bound: UdpReceiveThreadBound;
    try {
      bound = await new Promise<UdpReceiveThreadBound>((resolve, reject) => {
        worker.on('message', (m: ReceiveThreadMessage) => {
          if (m.type === 'bound') resolve({ address: m.address, port: m.port, recvBufferSize: m.recvBufferSize });
          else if (m.type === 'bind_failed') reject(new Error(m.message));
          else this.onThreadMessage(m);
        });
        worker.once('error', (err: Error) => reject(new Error(`${this.o.label}: receive thread failed: ${err.message}`)));
        worker.once('exit', (code: number) => reject(new Error(`${this.o.label}: receive thread exited with code ${code} before binding`)));
      });
    } catch (err) {
      this.worker = undefined;
      await worker.terminate();
      throw err;
    }
    worker.removeAllListeners('error');
    worker.removeAllListeners('exit');
    worker.on('error', (err: Error) => this.o.onError('socket_error', `${this.o.label}: receive thread failed: ${err.message}`));
    worker.on('exit', () => {
      if (this.worker === worker && this.stopping === undefined) this.o.onError('socket_error', `${this.o.label}: receive thread exited`);
      this.onStopped?.();
    });
    this.boundTo = bound;
    return bound;
  }

  private onThreadMessage(m: ReceiveThreadMessage): void {
    switch (m.type) {
      case 'batch':
        this.onBatch(m);
        break;
      case 'log':
        this.o.onLog?.(m.level, m.message);
        break;
      case 'socket_error':
        this.o.onError('socket_error', `${this.o.label}: ${m.message}`);
        break;
      case 'stopped':
        if (m.dropped > 0) this.o.onDropped?.(m.dropped);
        break;
    }
  }

  private onBatch(b: ReceiveBatch): void {
    if (b.dropped > 0) this.o.onDropped?.(b.dropped);
    const { ends, addresses, ports } = b;
    const onDatagram = this.o.onDatagram;
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i];
      try {
        onDatagram(Buffer.from(b.data, start, end - start), addresses[i], ports[i]);
      } catch (err) {
        this.o.onError('handler_error', `${this.o.label}: datagram from ${addresses[i]} port ${ports[i]}: handler threw: ${(err as Error).message}`);
      }
      start = end;
    }
    this.command({ type: 'ack', bytes: start });
  }

  private command(c: ReceiveThreadCommand): void {
    this.worker?.postMessage(c);
  }

  /** Closes the socket, hands over what the thread still held, and waits for the thread to end. */
  stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return Promise.resolve();
    // Done when the thread exits: Node delivers its last messages (final batch, drop count) before 'exit'.
    this.stopping ??= new Promise<void>((resolve) => {
      this.onStopped = resolve;
      this.command({ type: 'stop' });
    }).then(() => {
      this.worker = undefined;
      this.stopping = undefined;
      this.onStopped = undefined;
    });
    return this.stopping;
  }
}
