/** The one error type the flow decoders report: a reason code for metrics, a message naming input and cause. */

export type FlowDecodeErrorReason =
  /** The packet ends before a header, set, record or field it announces. */
  | 'truncated'
  /** Unknown protocol version (not 5, 9, 10, or sFlow 5). */
  | 'bad_version'
  /** A length field that is impossible: a set shorter than its header, a message length past the datagram. */
  | 'bad_length'
  /** A template or options template that cannot describe records (reserved ID, no fields, zero-size record). */
  | 'bad_template'
  /** A count in the packet that exceeds what the packet or a sane limit can hold. */
  | 'too_many'
  /** A bug caught at the top level: anything other than the above. */
  | 'internal';

export class FlowDecodeError extends Error {
  readonly reason: FlowDecodeErrorReason;
  /** Byte offset in the packet where decoding stopped. */
  readonly offset: number;

  constructor(reason: FlowDecodeErrorReason, message: string, offset: number) {
    super(message);
    this.name = 'FlowDecodeError';
    this.reason = reason;
    this.offset = offset;
  }
}

/** Wraps anything thrown below the top-level decode so only FlowDecodeError leaves a decoder. */
export function toFlowDecodeError(err: unknown, what: string): FlowDecodeError {
  if (err instanceof FlowDecodeError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new FlowDecodeError('internal', `${what}: ${detail}`, -1);
}
