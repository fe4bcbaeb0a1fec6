/**
 * Console plumbing for the rules commands: the streams they write to, buffered writes that wait
 * for a slow reader (so a large replay does not pile up output in memory), and a progress line
 * drawn on stderr only when it is a terminal.
 */
import { once } from 'node:events';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Collects lines and writes them in blocks, waiting for 'drain' when the stream is full. */
export class BufferedWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly blockChars = 256 * 1024,
  ) {}

  line(text: string): void {
    this.parts.push(text, '\n');
    this.size += text.length + 1;
  }

  get full(): boolean {
    return this.size >= this.blockChars;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
}

export function isTty(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

/** `\r  37%  120,000 events  52,000 ev/s`, redrawn at most every 200 ms. */
export class ProgressLine {
  private last = 0;
  private readonly started = Date.now();
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly totalBytes: number | undefined,
  ) {}

  update(bytes: number, events: number): void {
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const pct = this.totalBytes ? `${Math.min(100, Math.floor((100 * bytes) / this.totalBytes))}%`.padStart(4) : '';
    const rate = Math.round(events / Math.max(0.001, (now - this.started) / 1000));
    this.stream.write(`\r${pct}  ${events.toLocaleString('en-US')} events  ${rate.toLocaleString('en-US')} ev/s\x1b[K`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
