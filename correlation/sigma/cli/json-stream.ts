/**
 * Splits a stream of concatenated JSON values (pretty-printed objects one after another, a JSON
 * array, or evtx_dump's default output, which puts a `Record N` line before each object) into
 * values, fed chunk by chunk so a large file is never held whole. Braces are matched outside
 * strings; a value is parsed only once complete.
 */

export type JsonStreamItem = { ok: true; line: number; value: unknown } | { ok: false; line: number; reason: string };

const RECORD_HEADER = /^Record \d+$/;
/** One value larger than this is not an event: stop buffering it. */
const MAX_VALUE_CHARS = 64 * 1024 * 1024;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;
}

export class JsonStreamSplitter {
  private buf = '';
  private pos = 0;
  /** Line of `pos` (1-based). */
  private line = 1;
  /** Inside a value: its start offset and line, nesting depth and string state. */
  private start = -1;
  private startLine = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  /** Appends text and returns the values (or problems) completed by it. */
  push(text: string): JsonStreamItem[] {
    // Keep an unfinished value from its start; drop everything before.
    const keep = this.start >= 0 ? this.start : this.pos;
    this.buf = keep > 0 ? this.buf.slice(keep) + text : this.buf + text;
    if (this.start >= 0) this.start -= keep;
    this.pos -= keep;
    return this.scan(false);
  }

  /** End of input: what remains must be nothing, or it is an unfinished value. */
  end(): JsonStreamItem[] {
    const out = this.scan(true);
    if (this.start >= 0) out.push({ ok: false, line: this.startLine, reason: 'JSON value not closed at end of input' });
    this.buf = '';
    this.pos = 0;
    this.start = -1;
    return out;
  }

  private scan(final: boolean): JsonStreamItem[] {
    const out: JsonStreamItem[] = [];
    const buf = this.buf;
    let i = this.pos;
    while (i < buf.length) {
      const c = buf.charCodeAt(i);
      if (this.start < 0) {
        if (isSpace(c)) {
          if (c === 10) this.line++;
          i++;
          continue;
        }
        if (c === 123 || c === 91) {
          this.start = i;
          this.startLine = this.line;
          this.depth = 1;
          i++;
          continue;
        }
        // Text between values: evtx_dump's record headers are expected, anything else is reported.
        const nl = buf.indexOf('\n', i);
        if (nl < 0 && !final) break;
        const text = buf.slice(i, nl < 0 ? buf.length : nl).trim();
        if (!RECORD_HEADER.test(text)) out.push({ ok: false, line: this.line, reason: `expected a JSON object, found '${text.slice(0, 40)}'` });
        i = nl < 0 ? buf.length : nl;
        continue;
      }
      if (c === 10) this.line++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) this.inString = false;
      } else if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) this.depth++;
      else if (c === 125 || c === 93) {
        this.depth--;
        if (this.depth === 0) {
          this.emit(buf.slice(this.start, i + 1), out);
          this.start = -1;
        }
      }
      i++;
    }
    this.pos = i;
    if (this.start >= 0 && i - this.start > MAX_VALUE_CHARS) {
      out.push({ ok: false, line: this.startLine, reason: `JSON value larger than ${MAX_VALUE_CHARS} characters` });
      this.start = -1;
      this.depth = 0;
      this.inString = false;
    }
    return out;
  }

  private emit(text: string, out: JsonStreamItem[]): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      out.push({ ok: false, line: this.startLine, reason: `invalid JSON: ${(err as Error).message}` });
      return;
    }
    // A top-level array is a list of events.
    if (Array.isArray(value)) for (const v of value) out.push({ ok: true, line: this.startLine, value: v });
    else out.push({ ok: true, line: this.startLine, value });
  }
}
