/**
 * Binding with the dual-stack fallback: '::' accepts IPv4 and IPv6 on Linux, but a host booted
 * with IPv6 disabled refuses it, so the listener retries on '0.0.0.0' and says so.
 */
import type { Server } from 'node:net';
import type { ListenerLogger } from './options';

const IPV6_UNAVAILABLE = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL', 'EPROTONOSUPPORT']);

export function isIpv6Unavailable(host: string, err: unknown): boolean {
  return host === '::' && IPV6_UNAVAILABLE.has((err as NodeJS.ErrnoException).code ?? '');
}

function listenOnce(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
}

/** Listens on host:port; '::' falls back to '0.0.0.0' when IPv6 is unavailable. */
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
