/**
 * Listening and stopping. '::' is dual-stack on Linux, but a host booted with IPv6 disabled refuses
 * it, so the server falls back to '0.0.0.0'. close() also ends idle keep-alive connections, which
 * would otherwise hold the process open for the keep-alive timeout.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import { isIpv6Unavailable, listenOnce } from '../net/listen';
/** In-flight requests get this long to finish on close before their connections are cut. */
const CLOSE_GRACE_MS = 5000;

export interface RunningHttpServer {
  address(): AddressInfo;
  close(): Promise<void>;
  readonly server: Server;
}

export async function startHttpServer(app: RequestListener, host: string, port: number, logger?: Logger): Promise<RunningHttpServer> {
  const server = createServer(app);
  // Slowloris guard: a client must send its headers within this time.
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;
  try {
    await listenOnce(server, host, port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (!isIpv6Unavailable(host, err)) throw new Error(`http: cannot listen on ${host}:${port}: ${(err as Error).message}`, { cause: err });
    logger?.warn(`http: IPv6 unavailable (${code}), listening on 0.0.0.0:${port} instead`);
    try {
      await listenOnce(server, '0.0.0.0', port);
    } catch (err4) {
      throw new Error(`http: cannot listen on 0.0.0.0:${port}: ${(err4 as Error).message}`, { cause: err4 });
    }
  }
  let closing: Promise<void> | undefined;
  return {
    server,
    address: () => server.address() as AddressInfo,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        force.unref();
        server.close((err) => {
          clearTimeout(force);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
