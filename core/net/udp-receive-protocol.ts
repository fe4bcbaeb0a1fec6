/**
 * Messages between a UDP listener (udp-receive-thread.ts) and its receive thread (udp-receive-worker.ts).
 * A batch carries its datagrams back to back in one transferred ArrayBuffer: datagram i is bytes
 * ends[i-1]..ends[i].
 */

export interface ReceiveThreadData {
  host: string;
  port: number;
  receiveBufferBytes: number;
  /** Names the listener in bind errors. */
  label: string;
  /** Bytes posted and not yet acknowledged, beyond which datagrams are dropped and counted. */
  maxInFlightBytes: number;
  /** A batch is posted at this many datagrams, or 1 ms after its first datagram. */
  batchDatagrams: number;
}

export interface ReceiveBatch {
  type: 'batch';
  data: ArrayBuffer;
  ends: Uint32Array;
  /** Sender addresses as Node reports them (IPv4-mapped IPv6 not yet unwrapped). */
  addresses: string[];
  ports: Uint16Array;
  /** Datagrams dropped since the last batch because the in-flight bound was reached. */
  dropped: number;
}

export type ReceiveThreadMessage =
  | { type: 'bound'; address: string; port: number; recvBufferSize: number }
  | { type: 'bind_failed'; message: string }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'socket_error'; message: string }
  | ReceiveBatch
  | { type: 'stopped'; dropped: number };

export type ReceiveThreadCommand = { type: 'ack'; bytes: number } | { type: 'stop' };
