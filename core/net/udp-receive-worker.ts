/**
 * The receive thread of a UDP listener (flows, syslog; see udp-receive-thread.ts): it only reads
 * datagrams and moves them to the main thread in batches, so work that holds the main thread (a flow
 * minute close, a batch of events encoded for the store, a garbage collection) cannot let the kernel
 * buffer fill (libuv reads at most 32 datagrams per loop turn, and here the turns are never held up).
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import { bindUdpWithFallback } from './udp-bind';
import type { ReceiveBatch, ReceiveThreadCommand, ReceiveThreadData, ReceiveThreadMessage } from './udp-receive-protocol';

// The staging buffer holds ~170 full-MTU datagrams; a bigger datagram gets a buffer of its own size.
const BATCH_BYTES = 256 * 1024;
// A batch goes at most this long after its first datagram. Posting at the end of every loop turn sent
// batches of one or two datagrams at 10,000 datagrams/s, and the wake-ups of both threads per post and
// acknowledgement cost ~1 us of CPU per flow (38 flows a datagram, NetFlow) on top of ~1 us for the rest.
const FLUSH_DELAY_MS = 1;

class ReceiveThread {
  private socket: Socket | undefined;
  /** Staging, reused: a batch posts a copy of exactly its bytes (a fresh 256 KiB buffer per batch cost more to zero than to copy at low rates). */
  private bytes = new Uint8Array(BATCH_BYTES);
  private used = 0;
  private ends: number[] = [];
  private addresses: string[] = [];
  private ports: number[] = [];
  private inFlight = 0;
  private dropped = 0;
  private flushQueued = false;

  constructor(
    private readonly o: ReceiveThreadData,
    private readonly post: (m: ReceiveThreadMessage, transfer?: ArrayBuffer[]) => void,
  ) {}

  async start(): Promise<void> {
    const logger = { info: (message: string) => this.post({ type: 'log', level: 'info', message }), warn: (message: string) => this.post({ type: 'log', level: 'warn', message }) };
    let socket: Socket;
    try {
      socket = await bindUdpWithFallback(this.o.host, this.o.port, this.o.receiveBufferBytes, this.o.label, logger);
    } catch (err) {
      this.post({ type: 'bind_failed', message: (err as Error).message });
      return;
    }
    socket.on('message', this.onMessage);
    socket.on('error', (err: Error) => this.post({ type: 'socket_error', message: err.message }));
    this.socket = socket;
    const a = socket.address();
    this.post({ type: 'bound', address: a.address, port: a.port, recvBufferSize: socket.getRecvBufferSize() });
  }

  private readonly onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    const n = msg.length;
    if (this.inFlight + this.used + n > this.o.maxInFlightBytes) {
      this.dropped++;
      return;
    }
    if (this.used + n > this.bytes.length) {
      this.flush();
      if (n > this.bytes.length) this.bytes = new Uint8Array(n);
    }
    this.bytes.set(msg, this.used);
    this.used += n;
    this.ends.push(this.used);
    this.addresses.push(rinfo.address);
    this.ports.push(rinfo.port);
    if (this.ends.length >= this.o.batchDatagrams) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      setTimeout(this.flushSoon, FLUSH_DELAY_MS);
    }
  };

  private readonly flushSoon = (): void => {
    this.flushQueued = false;
    this.flush();
  };

  flush(): void {
    if (this.ends.length === 0) return;
    const batch: ReceiveBatch = {
      type: 'batch',
      data: this.bytes.slice(0, this.used).buffer,
      ends: Uint32Array.from(this.ends),
      addresses: this.addresses,
      ports: Uint16Array.from(this.ports),
      dropped: this.dropped,
    };
    this.inFlight += this.used;
    this.used = 0;
    this.dropped = 0;
    this.ends = [];
    this.addresses = [];
    this.ports = [];
    this.post(batch, [batch.data]);
  }

  ack(bytes: number): void {
    this.inFlight -= bytes;
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
    this.flush();
    this.post({ type: 'stopped', dropped: this.dropped });
  }
}

const port = parentPort;
if (port) {
  const thread = new ReceiveThread(workerData as ReceiveThreadData, (m, transfer) => port.postMessage(m, transfer));
  port.on('message', (c: ReceiveThreadCommand) => {
    if (c.type === 'ack') thread.ack(c.bytes);
    else void thread.stop().then(() => port.close());
  });
  void thread.start();
}
