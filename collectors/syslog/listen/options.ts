/** Options, defaults and failure reasons shared by the UDP, TCP and TLS syslog listeners. */
import type { ListenerLogger } from '../../../core/net/listen';
import type { FrameErrorHandler, FrameHandler } from './types';

/**
 * Stable labels passed as `reason` to the FrameErrorHandler (metrics label values); the detail
 * string names the listener, the peer and the specifics.
 */
export type ListenerErrorReason =
  /** Octet count above maxMessageSize (stream closed: it cannot be resynced). */
  | 'frame_too_large'
  /** LF frame or datagram longer than maxMessageSize, cut to it. */
  | 'frame_truncated'
  /** Stream ended inside an octet-counted frame. */
  | 'incomplete_frame'
  | 'empty_datagram'
  /** FrameHandler returned false for a datagram: the message is dropped. */
  | 'queue_full'
  /** The UDP receive thread held its maximum of bytes not yet handled: datagrams dropped there. */
  | 'receive_thread_full'
  /** FrameHandler threw: the frame is dropped. */
  | 'handler_error'
  | 'idle_timeout'
  | 'too_many_connections'
  | 'connection_error'
  | 'tls_handshake_failed'
  /** Frames still waiting for a paused downstream when stop() gave up. */
  | 'dropped_at_stop'
  | 'socket_error';

export interface BaseListenerOptions {
  /** Listener name from the configuration (PeerInfo.listener, metrics label). */
  name: string;
  /** Bind address; '::' is dual-stack and falls back to '0.0.0.0' where IPv6 is unavailable. */
  host: string;
  port: number;
  /** syslog.maxMessageSize, in bytes. */
  maxMessageSize?: number;
  onFrame: FrameHandler;
  onError: FrameErrorHandler;
  logger?: ListenerLogger;
}

export const DEFAULT_UDP_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_MAX_CONNECTIONS = 10_000;
/** How long stop() waits for a paused downstream to take the frames already read. */
export const DEFAULT_STOP_TIMEOUT_MS = 5000;
export const DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS = 30_000;
