/**
 * Syslog over TLS (RFC 5425, framing as RFC 6587). TLS 1.2 or later only. With
 * requireClientCert the client certificate must chain to `ca`; its subject CN is passed on in
 * PeerInfo.clientCertSubject so that a device can be mapped to its agency by certificate.
 * Handshake failures (wrong version, plaintext on the TLS port, missing or untrusted client
 * certificate, handshake timeout) are counted as `tls_handshake_failed`, never thrown. A client
 * refused for its certificate sees the connection closed right after the handshake.
 */
import type { Socket } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import { DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS } from './options';
import { StreamListener, type StreamListenerOptions, type StreamSyslogListener } from './stream-listener';

type Pem = string | Buffer;

export interface TlsListenerOptions extends StreamListenerOptions {
  /** PEM contents (not paths): server certificate chain and its private key. */
  cert: Pem;
  key: Pem;
  /** PEM CA bundle that client certificates must chain to. */
  ca?: Pem | Pem[];
  requireClientCert: boolean;
  /** Default 30 s: a client that connects and never completes the handshake is dropped. */
  handshakeTimeoutMs?: number;
}

function subjectCn(socket: TLSSocket): string | undefined {
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject) return undefined;
  const cn: unknown = cert.subject.CN;
  if (typeof cn === 'string') return cn;
  if (Array.isArray(cn) && typeof cn[0] === 'string') return cn[0];
  return undefined;
}

/**
 * Client certificate check after the handshake. Node is told not to reject untrusted
 * certificates itself (rejectUnauthorized false) because it then drops the socket silently,
 * losing the peer address and the reason; here each refusal is counted with both.
 */
export function checkClientCertificate(socket: Socket): { subject?: string; refusal?: string } {
  const tlsSocket = socket as TLSSocket;
  const subject = subjectCn(tlsSocket);
  if (tlsSocket.authorized) return { subject };
  const reason = String(tlsSocket.authorizationError ?? 'not authorized');
  if (subject === undefined && reason === 'UNABLE_TO_GET_ISSUER_CERT') return { refusal: 'client certificate required but none was presented' };
  return { refusal: `client certificate${subject === undefined ? '' : ` CN=${subject}`} rejected: ${reason}` };
}

export function createTlsListener(options: TlsListenerOptions): StreamSyslogListener {
  const what = `syslog tls listener "${options.name}"`;
  if (options.requireClientCert && options.ca === undefined) {
    throw new Error(`${what}: requireClientCert needs a ca bundle to verify client certificates`);
  }
  let server;
  try {
    server = createServer({
      cert: options.cert,
      key: options.key,
      ca: options.ca,
      minVersion: 'TLSv1.2',
      requestCert: options.requireClientCert,
      rejectUnauthorized: false, // checked in checkClientCertificate
      handshakeTimeout: options.handshakeTimeoutMs ?? DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
      keepAlive: true,
      keepAliveInitialDelay: 60_000,
    });
  } catch (err) {
    throw new Error(`${what}: invalid certificate, key or CA: ${(err as Error).message}`, { cause: err });
  }
  const listener = new StreamListener(server, 'tls', 'secureConnection', options, options.requireClientCert ? checkClientCertificate : undefined);
  server.on('tlsClientError', (err: Error, socket: TLSSocket) => {
    listener.reportUnaccepted('tls_handshake_failed', socket.remoteAddress, socket.remotePort, 'tls handshake failed', err.message);
    // With a tlsClientError listener Node leaves the socket open (a handshake timeout would keep
    // the client connected forever): close it here.
    socket.destroy();
  });
  return listener;
}
