/**
 * Binding a stream server (TCP, TLS, HTTP) with the dual-stack fallback: '::' accepts IPv4 and IPv6
 * on Linux, but a host booted with IPv6 disabled refuses it, so the caller retries on '0.0.0.0'.
 */
import type { Server } from 'node:net';

/** The part of a pino logger the listeners use. */
export interface ListenerLogger {
  info(msg: string): void;
  warn(msg: string): void;
}

const IPV6_UNAVAILABLE = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL', 'EPROTONOSUPPORT']);

/** True when binding `host` failed only because this machine has no IPv6. */
export function isIpv6Unavailable(host: string, err: unknown): boolean {
  return host === '::' && IPV6_UNAVAILABLE.has((err as NodeJS.ErrnoException).code ?? '');
}

/** server.listen as a promise that rejects with the bind error. */
export function listenOnce(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
}

/** Listens on host:port; '::' falls back to '0.0.0.0' when IPv6 is unavailable. `what` names the listener in errors. */
export async function listenWithFallback(server: Server, host: string, port: number, what: string, logger?: ListenerLogger): Promise<void> {
  try {
    await listenOnce(server, host, port);
  } catch (err) {
    if (!isIpv6Unavailable(host, err)) throw new Error(`${what}: cannot listen on ${host}:${port}: ${(err as Error).message}`, { cause: err });
    logger?.warn(`${what}: IPv6 unavailable (${(err as Error).message}), listening on 0.0.0.0:${port} instead`);
    try {
      await listenOnce(server, '0.0.0.0', port);
    } catch (err4) {
      throw new Error(`${what}: cannot listen on 0.0.0.0:${port}: ${(err4 as Error).message}`, { cause: err4 });
    }
  }
}
