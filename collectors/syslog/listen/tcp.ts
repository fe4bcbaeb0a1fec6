/** Syslog over plain TCP (RFC 6587): octet-counted or LF-framed, detected per frame. */
import { createServer } from 'node:net';
import { StreamListener, type StreamListenerOptions, type StreamSyslogListener } from './stream-listener';

export type TcpListenerOptions = StreamListenerOptions;

export function createTcpListener(options: TcpListenerOptions): StreamSyslogListener {
  // noDelay is irrelevant for a receiver that never writes; keepAlive finds peers that vanished.
  const server = createServer({ keepAlive: true, keepAliveInitialDelay: 60_000 });
  return new StreamListener(server, 'tcp', 'connection', options);
}
