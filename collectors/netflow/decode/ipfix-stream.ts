/**
 * IPFIX over TCP (RFC 7011 s10.4): messages back to back on the stream, each self-delimited by the
 * 16-bit length at offset 2. This splits chunks into whole messages. A header that cannot start a message
 * means the stream has lost its framing: nothing can resync it, so the caller must close the connection.
 * The whole messages before the bad header are still returned (they were framed correctly), and `error`
 * says what went wrong; like the decoders, push never throws.
 */
import { readU16 } from './bytes';
import { FlowDecodeError } from './errors';
import { IPFIX_HEADER_LENGTH } from './ipfix';

export class IpfixStreamDeframer {
  private held: Buffer | null = null;
  private consumed = 0;
  /** Set once framing is lost; every later push returns nothing. */
  error: FlowDecodeError | null = null;

  /** Bytes received but not yet a whole message (at most one message: < 64 KiB). */
  get bufferedBytes(): number {
    return this.held === null ? 0 : this.held.length;
  }

  /** Whole messages completed by this chunk, in order. Check `error` afterwards. */
  push(chunk: Buffer): Buffer[] {
    if (this.error !== null) return [];
    const buf = this.held === null ? chunk : Buffer.concat([this.held, chunk]);
    this.held = null;
    const messages: Buffer[] = [];
    let pos = 0;
    while (buf.length - pos >= 4) {
      const version = readU16(buf, pos);
      const length = readU16(buf, pos + 2);
      if (version !== 10 || length < IPFIX_HEADER_LENGTH) {
        const at = this.consumed + pos;
        this.error =
          version !== 10
            ? new FlowDecodeError('bad_version', `ipfix tcp stream: version ${version} at byte ${at}, expected 10`, at)
            : new FlowDecodeError('bad_length', `ipfix tcp stream: message length ${length} < 16 at byte ${at}`, at);
        return messages;
      }
      if (buf.length - pos < length) break;
      messages.push(buf.subarray(pos, pos + length));
      pos += length;
    }
    this.consumed += pos;
    // Copy the tail so the caller's chunk (and older messages) are not kept alive by it.
    if (pos < buf.length) this.held = Buffer.from(buf.subarray(pos));
    return messages;
  }
}
