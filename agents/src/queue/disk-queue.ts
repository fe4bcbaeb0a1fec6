/**
 * The agent's store-and-forward queue: every event is appended (and fsync'd) to a segment file
 * before anything else happens to it, and leaves only when the server has acknowledged its batch.
 *
 * Layout under `<home>/queue`: `<seq>.seg` files of NDJSON lines, plus `ack.json` (segment and byte
 * offset up to which the server acknowledged, written by rename). Lines starting with `#` are
 * checkpoint markers (file offsets, journald cursors) written in the same append as the events they
 * cover, so that "events queued" and "source position advanced" are one fsync: a crash can never
 * queue lines twice or skip them. Such an append opens with a `#~` line and ends with its markers;
 * a write cut short (SIGKILL between pages, power lost before the fsync) can leave whole event lines
 * without the markers after them, and reopening cuts the file back to that `#~` so that the source,
 * still at its old position, reads them again once instead of twice. Every new segment starts with
 * the full marker state, so the newest segment alone restores it.
 *
 * When the queue exceeds its byte cap the oldest whole segments are dropped, unsent, and their events
 * counted (`droppedEvents`): the newest data is kept, as the operator investigating now needs it.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  ftruncateSync,
} from 'node:fs';
import { join } from 'node:path';

export interface QueuePosition {
  segment: number;
  offset: number;
}

export interface QueueOptions {
  dir: string;
  maxBytes: number;
  segmentBytes: number;
}

export interface QueueBatch {
  lines: string[];
  bytes: number;
  end: QueuePosition;
}

export interface QueueStats {
  pendingBytes: number;
  segments: number;
  droppedEvents: number;
  droppedSegments: number;
  appendedEvents: number;
}

interface AckState extends QueuePosition {
  droppedEvents: number;
  droppedSegments: number;
}

const NL = 10;
const HASH = 35;
/** Opens an append that carries markers (see the header): `#~`. */
const BEGIN_LINE = '#~';
const TILDE = 126;

function segName(n: number): string {
  return `${String(n).padStart(12, '0')}.seg`;
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function countEventLines(buf: Buffer, from: number): number {
  let n = 0;
  let start = from;
  while (start < buf.length) {
    let end = buf.indexOf(NL, start);
    if (end < 0) end = buf.length;
    if (end > start && buf[start] !== HASH) n++;
    start = end + 1;
  }
  return n;
}

export class DiskQueue {
  private readonly dir: string;
  private segments: number[] = [];
  private fd = -1;
  private current = 0;
  private currentSize = 0;
  private ack: AckState = { segment: 0, offset: 0, droppedEvents: 0, droppedSegments: 0 };
  private readonly markers = new Map<string, unknown>();
  private totalBytes = 0;
  private appendedEvents = 0;
  /** Wakes a sender waiting for data. */
  private waiter: (() => void) | undefined;

  constructor(private readonly options: QueueOptions) {
    this.dir = options.dir;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    for (const f of readdirSync(this.dir)) if (f.endsWith('.tmp')) unlinkSync(join(this.dir, f));
    this.segments = readdirSync(this.dir)
      .filter((f) => /^\d{12}\.seg$/.test(f))
      .map((f) => Number(f.slice(0, 12)))
      .sort((a, b) => a - b);
    const ackFile = join(this.dir, 'ack.json');
    if (existsSync(ackFile)) this.ack = JSON.parse(readFileSync(ackFile, 'utf8')) as AckState;
    if (this.segments.length === 0) this.createSegment(Math.max(1, this.ack.segment));
    else this.openLast();
    if (this.ack.segment < this.segments[0]) this.ack = { ...this.ack, segment: this.segments[0], offset: 0 };
    for (const s of this.segments) this.totalBytes += s === this.current ? this.currentSize : statSync(this.path(s)).size;
  }

  private path(n: number): string {
    return join(this.dir, segName(n));
  }

  /**
   * Opens the newest segment for appends, cutting what a crash left of an unfinished append (a
   * half-written line; the lines of a marked append whose markers never made it), and restores
   * markers from it.
   */
  private openLast(): void {
    this.current = this.segments[this.segments.length - 1];
    this.fd = openSync(this.path(this.current), 'r+');
    const buf = readFileSync(this.path(this.current));
    let size = buf.length;
    if (size > 0 && buf[size - 1] !== NL) size = buf.lastIndexOf(NL) + 1;
    let start = 0;
    let openAppend = -1;
    while (start < size) {
      const end = buf.indexOf(NL, start);
      if (buf[start] === HASH) {
        if (end === start + 2 && buf[start + 1] === TILDE) openAppend = start;
        else {
          openAppend = -1;
          const m = JSON.parse(buf.toString('utf8', start + 1, end)) as Record<string, unknown>;
          for (const [k, v] of Object.entries(m)) this.markers.set(k, v);
        }
      }
      start = end + 1;
    }
    if (openAppend >= 0) size = openAppend;
    if (size < buf.length) {
      ftruncateSync(this.fd, size);
      fsyncSync(this.fd);
    }
    this.currentSize = size;
  }

  /** A new segment appears complete or not at all: written as .tmp with the marker state, then renamed. */
  private createSegment(n: number): void {
    if (this.fd >= 0) closeSync(this.fd);
    const head = this.markers.size > 0 ? `#${JSON.stringify(Object.fromEntries(this.markers))}\n` : '';
    const tmp = `${this.path(n)}.tmp`;
    writeFileSync(tmp, head);
    const tfd = openSync(tmp, 'r+');
    fsyncSync(tfd);
    closeSync(tfd);
    renameSync(tmp, this.path(n));
    fsyncDir(this.dir);
    this.segments.push(n);
    this.current = n;
    this.fd = openSync(this.path(n), 'r+');
    this.currentSize = Buffer.byteLength(head);
    this.totalBytes += this.currentSize;
  }

  /** The last value stored under a marker key (e.g. a file's inode and offset). */
  marker<T>(key: string): T | undefined {
    return this.markers.get(key) as T | undefined;
  }

  /**
   * Appends serialized events and marker updates durably (one write, one fsync). Returns when they
   * are on disk.
   */
  append(lines: readonly string[], markers?: Record<string, unknown>): void {
    if (lines.length === 0 && markers === undefined) return;
    let text = lines.length > 0 ? `${lines.join('\n')}\n` : '';
    if (markers !== undefined) {
      if (text.length > 0) text = `${BEGIN_LINE}\n${text}`;
      for (const [k, v] of Object.entries(markers)) this.markers.set(k, v);
      text += `#${JSON.stringify(markers)}\n`;
    }
    const buf = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < buf.length) written += writeSync(this.fd, buf, written, buf.length - written, this.currentSize + written);
    fsyncSync(this.fd);
    this.currentSize += buf.length;
    this.totalBytes += buf.length;
    this.appendedEvents += lines.length;
    if (this.currentSize >= this.options.segmentBytes) this.createSegment(this.current + 1);
    this.enforceCap();
    if (lines.length > 0 && this.waiter !== undefined) {
      const wake = this.waiter;
      this.waiter = undefined;
      wake();
    }
  }

  /** Drops the oldest whole segments (never the one being written) until under the cap; counts their events. */
  private enforceCap(): void {
    while (this.totalBytes > this.options.maxBytes && this.segments.length > 1) {
      const oldest = this.segments[0];
      const file = this.path(oldest);
      const buf = readFileSync(file);
      const from = oldest === this.ack.segment ? this.ack.offset : oldest < this.ack.segment ? buf.length : 0;
      this.ack.droppedEvents += countEventLines(buf, from);
      this.ack.droppedSegments++;
      this.segments.shift();
      this.totalBytes -= buf.length;
      unlinkSync(file);
      if (this.ack.segment <= oldest) {
        this.ack.segment = this.segments[0];
        this.ack.offset = 0;
      }
      this.writeAck();
    }
  }

  private writeAck(): void {
    const file = join(this.dir, 'ack.json');
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.ack));
    const fd = openSync(tmp, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
  }

  /**
   * The next unacknowledged events from `from` (default: the acknowledged position), up to the
   * limits; a single line larger than maxBytes is still returned alone.
   */
  read(maxEvents: number, maxBytes: number, from: QueuePosition = this.ack): QueueBatch | undefined {
    let segment = from.segment;
    let offset = from.offset;
    if (segment < this.segments[0]) {
      segment = this.segments[0];
      offset = 0;
    }
    const lines: string[] = [];
    let bytes = 0;
    while (lines.length < maxEvents && bytes < maxBytes) {
      const size = segment === this.current ? this.currentSize : this.segmentSize(segment);
      if (offset >= size) {
        const next = this.segments.find((s) => s > segment);
        if (next === undefined) break;
        segment = next;
        offset = 0;
        continue;
      }
      const want = Math.min(size - offset, Math.max(maxBytes - bytes, 64 * 1024));
      const buf = Buffer.allocUnsafe(want);
      const fd = segment === this.current ? this.fd : openSync(this.path(segment), 'r');
      let got: number;
      try {
        got = readSync(fd, buf, 0, want, offset);
      } finally {
        if (fd !== this.fd) closeSync(fd);
      }
      let start = 0;
      let budgetReached = false;
      while (start < got) {
        const end = buf.indexOf(NL, start);
        if (end < 0 || end >= got) break;
        const len = end - start;
        if (lines.length >= maxEvents || (bytes > 0 && bytes + len > maxBytes)) {
          budgetReached = true;
          break;
        }
        if (buf[start] !== HASH && len > 0) {
          lines.push(buf.toString('utf8', start, end));
          bytes += len + 1;
        }
        start = end + 1;
      }
      offset += start;
      if (budgetReached) break;
      if (start === 0) {
        // No line ends within the read: one line longer than the budget, read exactly that line.
        const line = this.readLongLine(segment, offset, size);
        if (line === undefined) break;
        if (line.length > 0 && line.text.charCodeAt(0) !== HASH) {
          lines.push(line.text);
          bytes += line.length + 1;
        }
        offset += line.length + 1;
      }
      if (bytes >= maxBytes) break;
    }
    if (lines.length === 0) return undefined;
    return { lines, bytes, end: { segment, offset } };
  }

  private readLongLine(segment: number, offset: number, size: number): { text: string; length: number } | undefined {
    const buf = Buffer.allocUnsafe(size - offset);
    const fd = openSync(this.path(segment), 'r');
    try {
      readSync(fd, buf, 0, buf.length, offset);
    } finally {
      closeSync(fd);
    }
    const end = buf.indexOf(NL);
    if (end < 0) return undefined;
    return { text: buf.toString('utf8', 0, end), length: end };
  }

  private segmentSize(n: number): number {
    try {
      return statSync(this.path(n)).size;
    } catch {
      return 0;
    }
  }

  /** Records that the server acknowledged everything before `end`, and deletes finished segments. */
  commit(end: QueuePosition): void {
    if (end.segment < this.ack.segment || (end.segment === this.ack.segment && end.offset <= this.ack.offset)) return;
    this.ack.segment = end.segment;
    this.ack.offset = end.offset;
    this.writeAck();
    while (this.segments.length > 1 && this.segments[0] < this.ack.segment) {
      const n = this.segments.shift() as number;
      const file = this.path(n);
      this.totalBytes -= statSync(file).size;
      unlinkSync(file);
    }
  }

  /** Resolves when new events are appended, or after `ms`. */
  waitForData(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve();
      }, ms);
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  stats(): QueueStats {
    let pending = 0;
    for (const s of this.segments) {
      const size = s === this.current ? this.currentSize : this.segmentSize(s);
      if (s > this.ack.segment) pending += size;
      else if (s === this.ack.segment) pending += Math.max(0, size - this.ack.offset);
    }
    return { pendingBytes: pending, segments: this.segments.length, droppedEvents: this.ack.droppedEvents, droppedSegments: this.ack.droppedSegments, appendedEvents: this.appendedEvents };
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
