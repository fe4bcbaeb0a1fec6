/**
 * The boundary between flow transports (UDP sockets, IPFIX TCP connections) and decoding: listeners hand
 * over raw datagrams and whole IPFIX messages with the peer they came from; they never decode.
 */

export interface FlowPeer {
  /** Remote address with IPv4-mapped IPv6 (::ffff:a.b.c.d) unwrapped: the exporter. */
  address: string;
  port: number;
  transport: 'udp' | 'tcp';
  /** Listener name from the configuration (metrics input `netflow/<name>`). */
  listener: string;
}

/** One UDP datagram. UDP has no backpressure: the handler drops (and counts) what it cannot pass on. */
export type DatagramHandler = (datagram: Buffer, peer: FlowPeer) => void;

/**
 * What one IPFIX-over-TCP connection feeds, in stream order. The collector makes one per connection (its
 * template scope is the transport session, RFC 7011 s8).
 */
export interface FlowMessageConsumer {
  /**
   * Takes one whole IPFIX message. False when downstream is full: the consumer keeps what it could not
   * pass on, and the connection pauses until `flush` returns true.
   */
  message(msg: Buffer): boolean;
  /** Passes on what `message` kept back; true once nothing is left. */
  flush(): boolean;
  /**
   * The connection is over. `undelivered` is null after a normal end; when stop() gave up waiting for
   * downstream it holds the messages never given to `message` (the consumer counts them and what it
   * still keeps as dropped).
   */
  close(undelivered: readonly Buffer[] | null): void;
}

export type FlowConsumerFactory = (peer: FlowPeer) => FlowMessageConsumer;

/**
 * Stable failure reasons (metrics label values); the detail string names the listener, the peer and the
 * specifics. Decode failures are counted by the collector with the decoder's own reasons.
 */
export type FlowListenerErrorReason =
  /** The IPFIX TCP stream held a header that cannot start a message: the connection is closed. */
  | 'tcp_framing_lost'
  /** The TCP stream ended inside a message. */
  | 'tcp_incomplete_message'
  | 'idle_timeout'
  | 'too_many_connections'
  | 'connection_error'
  | 'socket_error'
  /** A handler threw (a bug): the datagram or message is dropped, the listener keeps going. */
  | 'handler_error';

export type FlowErrorHandler = (reason: FlowListenerErrorReason, peer: FlowPeer, detail: string) => void;

export interface FlowListener {
  readonly name: string;
  readonly transport: 'udp' | 'tcp';
  start(): Promise<void>;
  /** Stops accepting; TCP connections are ended after what they read is handed over (or given up at timeout). */
  stop(): Promise<void>;
  /** Lets paused TCP connections offer again (called when the pipeline queue drains); no-op for UDP. */
  resume(): void;
  /** Address actually bound (port 0 in tests picks a free one). */
  address(): { address: string; port: number };
}

