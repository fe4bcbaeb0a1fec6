/**
 * A flow UDP listener whose socket lives in a receive thread (udp-receive-worker.ts): the main thread gets
 * datagrams in batches and hands each to `onDatagram` as the plain listener does, so a minute close or a
 * day-file write holding the main thread delays datagrams instead of losing them in a full kernel buffer.
 * Bounded: the thread keeps at most `maxInFlightBytes` posted and not yet handled, and drops (and counts,
 * through `onDropped`) beyond.
 */
import type { Worker } from 'node:worker_threads';
import { hostPort } from '../../../core/net/host-port';
import { unmapIPv4 } from '../../../core/net/ip';
import { warnIfReceiveBufferShort } from '../../../core/net/udp-bind';
import { startModuleWorker } from '../../../core/worker-thread';
import { describeFlowListener } from './label';
import type { FlowPeer } from './types';
import type { FlowUdpListener, FlowUdpListenerOptions } from './udp';
import type { ReceiveBatch, ReceiveThreadCommand, ReceiveThreadData, ReceiveThreadMessage } from './udp-thread-protocol';

/** 64 MiB: ~45,000 full-MTU datagrams, seconds of a busy exporter while the main thread is held. */
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;
const BATCH_DATAGRAMS = 256;

interface Bound {
  address: string;
  port: number;
  recvBufferSize: number;
}

export class ThreadUdpFlowListener implements FlowUdpListener {
  readonly name: string;
  readonly transport = 'udp' as const;
  private worker: Worker | undefined;
  private bound: Bound | undefined;
  private stopping: Promise<void> | undefined;
  private onStopped: (() => void) | undefined;

  constructor(
    private readonly options: FlowUdpListenerOptions,
    private label: string,
  ) {
    this.name = options.name;
  }

  async start(): Promise<void> {
    if (this.worker) return;
    const { host, port, logger } = this.options;
    const wanted = this.options.receiveBufferBytes;
    const data: ReceiveThreadData = {
      host,
      port,
      receiveBufferBytes: wanted,
      label: this.label,
      maxInFlightBytes: this.options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES,
      batchDatagrams: BATCH_DATAGRAMS,
    };
    const worker = startModuleWorker(__dirname, 'udp-receive-worker', data as unknown as Record<string, unknown>);
    this.worker = worker;
    try {
      this.bound = await new Promise<Bound>((resolve, reject) => {
        worker.on('message', (m: ReceiveThreadMessage) => {
          if (m.type === 'bound') resolve(m);
          else if (m.type === 'bind_failed') reject(new Error(m.message));
          else this.onThreadMessage(m);
        });
        worker.once('error', (err: Error) => reject(new Error(`${this.label}: receive thread failed: ${err.message}`)));
        worker.once('exit', (code: number) => reject(new Error(`${this.label}: receive thread exited with code ${code} before binding`)));
      });
    } catch (err) {
      this.worker = undefined;
      await worker.terminate();
      throw err;
    }
    worker.removeAllListeners('error');
    worker.removeAllListeners('exit');
    worker.on('error', (err: Error) => this.reportError(`receive thread failed: ${err.message}`));
    worker.on('exit', () => {
      if (this.worker === worker && this.stopping === undefined) this.reportError('receive thread exited');
      this.onStopped?.();
    });
    this.label = describeFlowListener('udp', this.name, this.bound.address, this.bound.port);
    const granted = this.bound.recvBufferSize;
    logger?.info(`${this.label}: listening in a receive thread, receive buffer ${granted} bytes (${wanted} requested)`);
    warnIfReceiveBufferShort(granted, wanted, this.label, 'flow bursts', logger);
  }

  getRecvBufferSize(): number {
    return this.bound && this.worker ? this.bound.recvBufferSize : 0;
  }

  private onThreadMessage(m: ReceiveThreadMessage): void {
    switch (m.type) {
      case 'batch':
        this.onBatch(m);
        break;
      case 'log':
        if (m.level === 'warn') this.options.logger?.warn(m.message);
        else this.options.logger?.info(m.message);
        break;
      case 'socket_error':
        this.reportError(m.message);
        break;
      case 'stopped':
        if (m.dropped > 0) this.options.onDropped?.(m.dropped);
        break;
    }
  }

  private onBatch(b: ReceiveBatch): void {
    if (b.dropped > 0) this.options.onDropped?.(b.dropped);
    const { ends, addresses, ports } = b;
    const onDatagram = this.options.onDatagram;
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i];
      // A view into the batch, no copy (the template cache copies the data sets it holds).
      const datagram = Buffer.from(b.data, start, end - start);
      const peer: FlowPeer = { address: unmapIPv4(addresses[i]), port: ports[i], transport: 'udp', listener: this.name };
      try {
        onDatagram(datagram, peer);
      } catch (err) {
        this.options.onError('handler_error', peer, `${this.label}: datagram from ${hostPort(peer.address, peer.port)}: handler threw: ${(err as Error).message}`);
      }
      start = end;
    }
    this.command({ type: 'ack', bytes: start });
  }

  private command(c: ReceiveThreadCommand): void {
    this.worker?.postMessage(c);
  }

  private reportError(message: string): void {
    const here = this.address();
    this.options.onError('socket_error', { address: here.address, port: here.port, transport: 'udp', listener: this.name }, `${this.label}: ${message}`);
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

  /** Datagrams are never paused: a full queue drops them. */
  resume(): void {}

  address(): { address: string; port: number } {
    if (!this.bound || !this.worker) return { address: this.options.host, port: this.options.port };
    return { address: this.bound.address, port: this.bound.port };
  }
}
