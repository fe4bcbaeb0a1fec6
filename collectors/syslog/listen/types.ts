/** The boundary between syslog transports (UDP/TCP/TLS sockets and framing) and parsing. */

export interface PeerInfo {
  /** Remote address as the socket reports it, with IPv4-mapped IPv6 (::ffff:a.b.c.d) unwrapped. */
  address: string;
  port: number;
  transport: 'udp' | 'tcp' | 'tls';
  /** Name of the listener that received it (config key), used for agency mapping and metrics. */
  listener: string;
  /** Subject CN of a verified TLS client certificate, when client certificates are required. */
  clientCertSubject?: string;
}

/**
 * Receives one complete syslog message (one datagram or one TCP frame, trailing CR/LF removed).
 * Returns false when downstream is full: stream listeners pause reading until `resume` is called
 * on them; datagram listeners count the message as dropped.
 */
export type FrameHandler = (frame: string, peer: PeerInfo) => boolean;

/**
 * Failure accounting shared by listeners: oversized frames, bad octet counts, TLS handshake errors...
 * `count` (default 1) is how many messages the report stands for (a receive thread's drops).
 */
export type FrameErrorHandler = (reason: string, peer: PeerInfo, detail?: string, count?: number) => void;

export interface SyslogListener {
  readonly name: string;
  start(): Promise<void>;
  /** Stops accepting; existing connections are ended after their buffered frames are handed over. */
  stop(): Promise<void>;
  /** Resumes every paused connection (called when the pipeline queue drains). */
  resume(): void;
  /** Address actually bound (port 0 in tests picks a free one). */
  address(): { address: string; port: number };
}
