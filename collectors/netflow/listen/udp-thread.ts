/**
 * A flow UDP listener whose socket lives in a receive thread (core/net/udp-receive-thread.ts): the main
 * thread gets datagrams in batches and hands each to `onDatagram` as the plain listener does, so a minute
 * close or a day-file write holding the main thread delays datagrams instead of losing them in a full
 * kernel buffer. Bounded: at most `maxInFlightBytes` posted and not yet handled; drops beyond are counted
 * through `onDropped`.
 */
import { hostPort } from '../../../core/net/host-port';
import { unmapIPv4 } from '../../../core/net/ip';
import { warnIfReceiveBufferShort } from '../../../core/net/udp-bind';
import { UdpReceiveThread } from '../../../core/net/udp-receive-thread';
import { describeFlowListener } from './label';
import type { FlowPeer } from './types';
import type { FlowUdpListener, FlowUdpListenerOptions } from './udp';

export { DEFAULT_MAX_IN_FLIGHT_BYTES } from '../../../core/net/udp-receive-thread';

export class ThreadUdpFlowListener implements FlowUdpListener {
  readonly name: string;
  readonly transport = 'udp' as const;
  private readonly thread: UdpReceiveThread;

  constructor(
    private readonly options: FlowUdpListenerOptions,
    private label: string,
  ) {
    this.name = options.name;
    const logger = options.logger;
    this.thread = new UdpReceiveThread({
      host: options.host,
      port: options.port,
      receiveBufferBytes: options.receiveBufferBytes,
      label,
      maxInFlightBytes: options.maxInFlightBytes,
      onDatagram: (datagram, address, port) => this.onDatagram(datagram, address, port),
      onDropped: options.onDropped,
      onLog: (level, message) => (level === 'warn' ? logger?.warn(message) : logger?.info(message)),
      onError: (reason, message) => {
        const here = this.address();
        options.onError(reason, { address: here.address, port: here.port, transport: 'udp', listener: this.name }, message);
      },
    });
  }

  async start(): Promise<void> {
    const wanted = this.options.receiveBufferBytes;
    const bound = await this.thread.start();
    this.label = describeFlowListener('udp', this.name, bound.address, bound.port);
    this.options.logger?.info(`${this.label}: listening in a receive thread, receive buffer ${bound.recvBufferSize} bytes (${wanted} requested)`);
    warnIfReceiveBufferShort(bound.recvBufferSize, wanted, this.label, 'flow bursts', this.options.logger);
  }

  getRecvBufferSize(): number {
    return this.thread.bound?.recvBufferSize ?? 0;
  }

  private onDatagram(datagram: Buffer, address: string, port: number): void {
    // A view into the batch, no copy (the template cache copies the data sets it holds).
    const peer: FlowPeer = { address: unmapIPv4(address), port, transport: 'udp', listener: this.name };
    try {
      this.options.onDatagram(datagram, peer);
    } catch (err) {
      this.options.onError('handler_error', peer, `${this.label}: datagram from ${hostPort(peer.address, peer.port)}: handler threw: ${(err as Error).message}`);
    }
  }

  /** Closes the socket, hands over what the thread still held, and waits for the thread to end. */
  stop(): Promise<void> {
    return this.thread.stop();
  }

  /** Datagrams are never paused: a full queue drops them. */
  resume(): void {}

  address(): { address: string; port: number } {
    const bound = this.thread.bound;
    return bound === undefined ? { address: this.options.host, port: this.options.port } : { address: bound.address, port: bound.port };
  }
}
