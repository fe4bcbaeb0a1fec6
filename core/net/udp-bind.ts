/**
 * Binding a UDP socket for a receiver (syslog, flows, traps): a large SO_RCVBUF asked for up front,
 * since senders burst and Node reads one datagram per event, and the dual-stack fallback of listen.ts.
 */
import { createSocket, type Socket, type SocketType } from 'node:dgram';
import { isIpv6Unavailable, type ListenerLogger } from './listen';

/** Creates and binds one socket; rejects with the bind error (the socket closed). */
export function openUdpSocket(type: SocketType, host: string, port: number, receiveBufferBytes: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    let socket: Socket;
    try {
      socket = createSocket({ type, ipv6Only: false, recvBufferSize: receiveBufferBytes });
    } catch (err) {
      reject(err);
      return;
    }
    const onBindError = (err: Error): void => {
      socket.close();
      reject(err);
    };
    socket.once('error', onBindError);
    socket.bind({ address: host, port }, () => {
      socket.removeListener('error', onBindError);
      resolve(socket);
    });
  });
}

/**
 * Binds host:port ('udp6' for an IPv6 host); '::' falls back to '0.0.0.0' when IPv6 is unavailable,
 * with a warning. `label` names the listener in errors: `syslog udp listener "udp" on [::]:514`.
 */
export async function bindUdpWithFallback(host: string, port: number, receiveBufferBytes: number, label: string, logger?: ListenerLogger): Promise<Socket> {
  try {
    return await openUdpSocket(host.includes(':') ? 'udp6' : 'udp4', host, port, receiveBufferBytes);
  } catch (err) {
    if (!isIpv6Unavailable(host, err)) throw new Error(`${label}: cannot bind: ${(err as Error).message}`, { cause: err });
    logger?.warn(`${label}: IPv6 unavailable (${(err as Error).message}), listening on 0.0.0.0:${port} instead`);
    try {
      return await openUdpSocket('udp4', '0.0.0.0', port, receiveBufferBytes);
    } catch (err4) {
      throw new Error(`${label}: cannot bind 0.0.0.0:${port}: ${(err4 as Error).message}`, { cause: err4 });
    }
  }
}

/**
 * Warns when the kernel granted less receive buffer than asked (capped by net.core.rmem_max), with
 * the sysctl that raises the cap. `lost` says what is lost: `bursts`, `flow bursts`.
 */
export function warnIfReceiveBufferShort(granted: number, wanted: number, label: string, lost: string, logger?: ListenerLogger): void {
  if (granted >= wanted) return;
  logger?.warn(
    `${label}: UDP receive buffer is ${granted} bytes, ${wanted} requested; ${lost} will be lost in the kernel. ` +
      `Raise the cap with: sysctl -w net.core.rmem_max=${wanted} (persist it in /etc/sysctl.d/)`,
  );
}
