/**
 * RFC 6587 stream de-framing for syslog over TCP and TLS: a pure, incremental state machine that
 * turns socket chunks into complete messages. No sockets here; one framer per connection.
 *
 * Framing is chosen per frame, as rsyslog's imtcp does: a frame starting with a digit 1-9 is octet
 * counted (`LEN SP MSG`, RFC 6587 §3.4.1); anything else is non-transparent framing (§3.4.2)
 * ended by LF, with NUL also accepted as a terminator (old syslog-ng and some Java senders) and a
 * CR before the LF dropped (CRLF senders).
 *
 * Size limits:
 * - An octet count above the maximum cannot be skipped safely (the count itself may be garbage),
 *   so it is a fatal error: `push` returns false and the connection must be closed.
 * - An LF frame longer than the maximum is truncated to the maximum (on a UTF-8 character
 *   boundary), reported once as `frame_truncated`, and the rest up to the next terminator is
 *   discarded, so the stream resyncs at the next LF. rsyslog truncates too; unlike its default it
 *   does not treat the remainder as a new message, since that remainder has no header.
 * - Digits not followed by SP (a line such as `2024-05-01 12:00:00 host app: msg`) are not a
 *   count: the frame is read again as an LF frame from its first byte.
 *
 * Every frame loses its trailing CR, LF and NUL bytes (rsyslog's RSYSLOG_SyslogProtocol23Format
 * puts a `\n` inside octet-counted frames); frames that are empty afterwards are skipped, since a
 * bare LF between frames is a common keep-alive.
 */

/** Receives what the framer finds; implemented once per connection (no per-chunk closures). */
export interface FrameOutput {
  frame(text: string): void;
  frameError(reason: FramingErrorReason, detail: string): void;
}

export type FramingErrorReason = 'frame_too_large' | 'frame_truncated' | 'incomplete_frame';

export const DEFAULT_MAX_MESSAGE_SIZE = 65536;

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const SP = 0x20;
const DIGIT_0 = 0x30;
const DIGIT_1 = 0x31;
const DIGIT_9 = 0x39;
/** Ten digits already exceed any sane maximum; stop reading a count there. */
const MAX_COUNT_DIGITS = 10;

const enum State {
  FrameStart,
  OctetCount,
  OctetBody,
  LineBody,
  LineDiscard,
  Failed,
}

/** Decodes buf[start, end) as UTF-8 after removing trailing CR/LF/NUL; '' when nothing is left. */
export function decodeFrame(buf: Buffer, start: number, end: number): string {
  while (end > start) {
    const c = buf[end - 1];
    if (c !== LF && c !== CR && c !== NUL) break;
    end--;
  }
  return end > start ? buf.toString('utf8', start, end) : '';
}

/** Largest end ≤ `end` that does not split a UTF-8 sequence starting at or after `start`. */
export function utf8BoundaryBefore(buf: Buffer, start: number, end: number): number {
  if (end >= buf.length) return end;
  let cut = end;
  // Step back over continuation bytes (10xxxxxx) so the cut lands before a lead byte.
  while (cut > start && cut > end - 4 && (buf[cut] & 0xc0) === 0x80) cut--;
  return (buf[cut] & 0xc0) === 0x80 ? end : cut;
}

export class SyslogFramer {
  /** LF frames cut to the maximum so far. */
  truncatedFrames = 0;
  /** Complete frames handed to the output so far. */
  frames = 0;

  private state = State.FrameStart;
  private count = 0;
  private countDigits = 0;
  /** True while the digits of the current count all lie in the chunk being pushed. */
  private countInChunk = false;
  private countStart = 0;
  private remaining = 0;
  /** Bytes of the current frame from earlier chunks. */
  private parts: Buffer[] = [];
  private partsLength = 0;

  constructor(readonly maxMessageSize: number = DEFAULT_MAX_MESSAGE_SIZE) {
    if (!Number.isInteger(maxMessageSize) || maxMessageSize < 1) {
      throw new RangeError(`syslog framer: maxMessageSize must be a positive integer, got ${maxMessageSize}`);
    }
  }

  /** True once a fatal framing error was reported; later pushes are ignored. */
  get failed(): boolean {
    return this.state === State.Failed;
  }

  /**
   * Consumes one chunk, handing every complete frame to `out`. Returns false when the stream
   * cannot be resynced (the error was reported through `out`) and the connection must close.
   */
  push(chunk: Buffer, out: FrameOutput): boolean {
    const n = chunk.length;
    const max = this.maxMessageSize;
    let pos = 0;
    // Next LF / NUL at or after the search point: -2 not searched yet, -1 none left in this chunk.
    // Caching them keeps the scan linear when one chunk carries many frames.
    let nextLf = -2;
    let nextNul = -2;
    this.countInChunk = false;

    while (pos < n) {
      switch (this.state) {
        case State.FrameStart: {
          const c = chunk[pos];
          if (c >= DIGIT_1 && c <= DIGIT_9) {
            this.state = State.OctetCount;
            this.count = 0;
            this.countDigits = 0;
            this.countInChunk = true;
            this.countStart = pos;
          } else if (c === LF || c === CR || c === NUL) {
            pos++; // stray terminator between frames
          } else {
            this.state = State.LineBody;
          }
          break;
        }

        case State.OctetCount: {
          while (pos < n) {
            const c = chunk[pos];
            if (c < DIGIT_0 || c > DIGIT_9) break;
            this.count = this.count * 10 + (c - DIGIT_0);
            pos++;
            if (++this.countDigits > MAX_COUNT_DIGITS) {
              this.fail(out, `frame length ${this.count}... exceeds max ${max}`);
              return false;
            }
          }
          if (pos === n) break;
          if (chunk[pos] === SP) {
            pos++;
            if (this.count > max) {
              this.fail(out, `frame length ${this.count} exceeds max ${max}`);
              return false;
            }
            this.state = State.OctetBody;
            this.remaining = this.count;
          } else {
            // Not a count after all: reread the digits as the start of an LF frame.
            this.state = State.LineBody;
            if (this.countInChunk) {
              pos = this.countStart;
            } else {
              const digits = Buffer.from(String(this.count), 'latin1');
              this.parts.push(digits);
              this.partsLength += digits.length;
            }
          }
          break;
        }

        case State.OctetBody: {
          const available = n - pos;
          if (available < this.remaining) {
            this.keep(chunk, pos, n);
            this.remaining -= available;
            pos = n;
            break;
          }
          const end = pos + this.remaining;
          this.emit(chunk, pos, end, out);
          pos = end;
          this.state = State.FrameStart;
          break;
        }

        case State.LineBody:
        case State.LineDiscard: {
          if (nextLf !== -1 && nextLf < pos) nextLf = chunk.indexOf(LF, pos);
          if (nextNul !== -1 && nextNul < pos) nextNul = chunk.indexOf(NUL, pos);
          const term = nextLf === -1 ? nextNul : nextNul === -1 || nextLf < nextNul ? nextLf : nextNul;
          const end = term === -1 ? n : term;
          if (this.state === State.LineDiscard) {
            if (term !== -1) this.state = State.FrameStart;
            pos = term === -1 ? n : term + 1;
            break;
          }
          if (this.partsLength + (end - pos) > max) {
            this.emitTruncated(chunk, pos, out);
            this.state = term === -1 ? State.LineDiscard : State.FrameStart;
            pos = term === -1 ? n : term + 1;
            break;
          }
          if (term === -1) {
            this.keep(chunk, pos, n);
            pos = n;
            break;
          }
          this.emit(chunk, pos, term, out);
          pos = term + 1;
          this.state = State.FrameStart;
          break;
        }

        case State.Failed:
          return false;
      }
    }
    return this.state !== State.Failed;
  }

  /**
   * The peer closed the stream. An unterminated LF frame is handed over as the last message
   * (rsyslog does the same); an unfinished octet-counted frame is reported and dropped.
   */
  end(out: FrameOutput): void {
    if (this.state === State.LineBody && this.partsLength > 0) {
      const joined = Buffer.concat(this.parts, this.partsLength);
      this.resetParts();
      this.emit(joined, 0, joined.length, out);
    } else if (this.state === State.OctetBody) {
      out.frameError('incomplete_frame', `stream ended inside an octet-counted frame (${this.count - this.remaining} of ${this.count} bytes)`);
    } else if (this.state === State.OctetCount) {
      out.frameError('incomplete_frame', `stream ended inside an octet count (${this.count})`);
    }
    this.resetParts();
    if (this.state !== State.Failed) this.state = State.FrameStart;
  }

  private fail(out: FrameOutput, detail: string): void {
    this.state = State.Failed;
    this.resetParts();
    out.frameError('frame_too_large', detail);
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    if (end > start) {
      this.parts.push(chunk.subarray(start, end));
      this.partsLength += end - start;
    }
  }

  private resetParts(): void {
    if (this.partsLength > 0 || this.parts.length > 0) {
      this.parts = [];
      this.partsLength = 0;
    }
  }

  /** Emits held parts + chunk[start, end) as one frame. */
  private emit(chunk: Buffer, start: number, end: number, out: FrameOutput): void {
    let text: string;
    if (this.partsLength === 0) {
      text = decodeFrame(chunk, start, end);
    } else {
      this.parts.push(chunk.subarray(start, end));
      const joined = Buffer.concat(this.parts, this.partsLength + (end - start));
      this.resetParts();
      text = decodeFrame(joined, 0, joined.length);
    }
    if (text.length > 0) {
      this.frames++;
      out.frame(text);
    }
  }

  /** Emits the first maxMessageSize bytes of held parts + chunk[start, …). */
  private emitTruncated(chunk: Buffer, start: number, out: FrameOutput): void {
    const max = this.maxMessageSize;
    let buf: Buffer;
    let from: number;
    let to: number;
    if (this.partsLength === 0) {
      buf = chunk;
      from = start;
      to = start + max;
    } else {
      this.parts.push(chunk.subarray(start, Math.min(chunk.length, start + max - this.partsLength + 4)));
      buf = Buffer.concat(this.parts);
      this.resetParts();
      from = 0;
      to = max;
    }
    const cut = utf8BoundaryBefore(buf, from, to);
    this.truncatedFrames++;
    out.frameError('frame_truncated', `frame longer than max ${max} bytes, truncated`);
    const text = decodeFrame(buf, from, cut);
    if (text.length > 0) {
      this.frames++;
      out.frame(text);
    }
  }
}
