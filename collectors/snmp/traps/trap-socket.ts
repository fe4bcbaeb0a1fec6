/**
 * The UDP socket under net-snmp's trap receiver, owned by socnoc. net-snmp's Listener creates and
 * binds its own socket without telling when binding is done or which port 0 became, and answers
 * informs before its callback sees them. Through its `dgramModule` option it gets this facade
 * instead: binding is ours (awaited, dual-stack, large receive buffer), its handler runs inside a
 * try/catch, and the replies it sends while handling a datagram (inform acknowledgements, USM
 * reports) are held until the handler returns, then sent unless the datagram was refused. So an
 * inform that cannot be queued is not acknowledged, and the sender retries it.
 */
import type { RemoteInfo, Socket, SocketType } from 'node:dgram';
import { isIpv6Unavailable } from '../../../core/net/listen';
import { openUdpSocket } from '../../../core/net/udp-bind';

type MessageHandler = (msg: Buffer, rinfo: RemoteInfo) => void;

interface HeldReply {
  buffer: Buffer;
  port: number;
  address: string;
}

export interface TrapSocketEvents {
  /** Called first for every datagram; false drops it before net-snmp sees it (and holds no reply). */
  screen(msg: Buffer, rinfo: RemoteInfo): boolean;
  /** net-snmp's handler threw (a library defect on a strange datagram); the datagram is lost. */
  onHandlerError(err: Error, rinfo: RemoteInfo): void;
  onSocketError(err: Error): void;
  onSendError(err: Error, address: string, port: number): void;
}

export class TrapSocket {
  private socket: Socket | undefined;
  private handler: MessageHandler | undefined;
  private readonly held: HeldReply[] = [];
  private inDatagram = false;
  private refused = false;

  constructor(private readonly events: TrapSocketEvents) {}

  /** Binds host:port; '::' is dual-stack and falls back to 0.0.0.0 where IPv6 is disabled. */
  async bind(host: string, port: number, receiveBufferBytes: number): Promise<{ fellBackToIPv4: boolean }> {
    const type: SocketType = host.includes(':') ? 'udp6' : 'udp4';
    try {
      this.socket = await openUdpSocket(type, host, port, receiveBufferBytes);
      this.listen(this.socket);
      return { fellBackToIPv4: false };
    } catch (err) {
      if (!isIpv6Unavailable(host, err)) throw err;
      this.socket = await openUdpSocket('udp4', '0.0.0.0', port, receiveBufferBytes);
      this.listen(this.socket);
      return { fellBackToIPv4: true };
    }
  }

  private listen(socket: Socket): void {
    socket.on('message', this.onMessage);
    socket.on('error', (err) => this.events.onSocketError(err));
  }

  /** For the callback: refuse the datagram being handled, so its held replies are not sent. */
  refuseCurrent(): void {
    if (this.inDatagram) this.refused = true;
  }

  private readonly onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    const handler = this.handler;
    if (handler === undefined || !this.events.screen(msg, rinfo)) return;
    this.inDatagram = true;
    this.refused = false;
    try {
      handler(msg, rinfo);
    } catch (err) {
      this.refused = true;
      this.events.onHandlerError(err as Error, rinfo);
    } finally {
      this.inDatagram = false;
    }
    if (this.held.length === 0) return;
    if (!this.refused) for (const r of this.held) this.sendNow(r.buffer, r.port, r.address);
    this.held.length = 0;
  };

  private sendNow(buffer: Buffer, port: number, address: string): void {
    this.socket?.send(buffer, 0, buffer.length, port, address, (err) => {
      if (err) this.events.onSendError(err, address, port);
    });
  }

  /** The object net-snmp's Listener receives from `dgramModule.createSocket()`. */
  netSnmpDgramModule(): { createSocket(): NetSnmpSocket } {
    const facade: NetSnmpSocket = {
      on: (event, fn) => {
        if (event === 'message') this.handler = fn as MessageHandler;
        return facade;
      },
      bind: () => undefined,
      send: (buffer, offset, length, port, address) => {
        const bytes = offset === 0 && length === buffer.length ? buffer : buffer.subarray(offset, offset + length);
        if (this.inDatagram) this.held.push({ buffer: bytes, port, address });
        else this.sendNow(bytes, port, address);
      },
      close: (callback) => {
        callback?.();
      },
      address: () => this.address(),
    };
    return { createSocket: () => facade };
  }

  address(): { address: string; family: string; port: number } {
    if (this.socket === undefined) return { address: '', family: '', port: 0 };
    return this.socket.address();
  }

  getRecvBufferSize(): number {
    return this.socket?.getRecvBufferSize() ?? 0;
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    this.handler = undefined;
    if (socket !== undefined) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

/** What net-snmp's Listener calls on a socket (index.js Listener.startListening/send/close). */
export interface NetSnmpSocket {
  on(event: string, fn: (...args: never[]) => void): NetSnmpSocket;
  bind(port?: number, address?: string): void;
  send(buffer: Buffer, offset: number, length: number, port: number, address: string, cb?: (err: Error | null) => void): void;
  close(callback?: () => void): void;
  address(): { address: string; family: string; port: number };
}
