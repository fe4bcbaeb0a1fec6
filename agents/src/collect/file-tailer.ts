/**
 * Follows one log file by polling (fs.watch misses renames on some file systems and says nothing
 * about truncation). Handles rotation by rename (the old file is read on until it has been quiet
 * for `graceMs`, since writers keep appending to it until they reopen), copytruncate and truncation
 * (size below the offset: start again at 0), and resumes from the queue's markers after a restart,
 * finding a rotated-away file by its inode.
 *
 * Known limit shared by every tailer: lines written between copytruncate's copy and its truncate,
 * or a file truncated and refilled past the old offset within one poll, cannot be told apart.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DiskQueue } from '../queue/disk-queue';
import { eventLine, type HostFields } from './event-builder';

export interface TailSpec {
  path: string;
  dataset: string;
  format: 'text' | 'json';
}

interface Position {
  ino: number;
  off: number;
}

interface TailMarker extends Position {
  old?: Position;
}

interface OpenFile {
  fd: number;
  ino: number;
  off: number;
  /** Last time the file grew (for the rotated file's grace period). */
  quietSince: number;
  size: number;
}

const MAX_LINE = 64 * 1024;
const READ_CHUNK = 1024 * 1024;
/** File text queued per append (one fsync): about a thousand lines, a few MB of transient strings (measured: 1 MB rounds held twice the memory). */
const APPEND_MAX_BYTES = 256 * 1024;
/** Rounds per poll: 4 MB of file text (~25,000 syslog lines) every tailPollMs at most, far above what a server takes from one agent. */
const POLL_MAX_ROUNDS = 16;
const NL = 10;
/** The time zone of the host's clock, which writes syslog-style headers without one (ECS event.timezone). */
const LOCAL_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

let sharedReadBuffer: Buffer | undefined;
/** One read buffer for every tailer: reads are synchronous and lines are copied out as strings. */
function readBuffer(): Buffer {
  if (sharedReadBuffer === undefined) sharedReadBuffer = Buffer.allocUnsafe(READ_CHUNK);
  return sharedReadBuffer;
}

export class FileTailer {
  private cur: OpenFile | undefined;
  private old: OpenFile | undefined;
  private readonly key: string;
  /** File bytes the current round may still queue. */
  private budget = 0;
  linesRead = 0;

  constructor(
    private readonly spec: TailSpec,
    private readonly queue: DiskQueue,
    private readonly host: HostFields,
    private readonly graceMs = 5000,
    private readonly now: () => number = Date.now,
  ) {
    this.key = `tail:${spec.path}`;
    this.resume();
  }

  private resume(): void {
    const m = this.queue.marker<TailMarker>(this.key);
    if (m === undefined) return;
    let st;
    try {
      st = statSync(this.spec.path);
    } catch {
      st = undefined;
    }
    if (m.old !== undefined) this.old = this.openByInode(m.old);
    if (st !== undefined && st.ino === m.ino) {
      this.cur = this.openPath(m.off);
    } else {
      // Rotated while we were down: finish the file we were reading if it is still next to the path.
      const rotated = this.openByInode(m);
      if (rotated !== undefined) {
        if (this.old !== undefined) closeSync(this.old.fd);
        this.old = rotated;
      }
    }
  }

  /** Finds a file in the log's folder (e.g. auth.log.1) by inode, opened at the offset. */
  private openByInode(pos: Position): OpenFile | undefined {
    const dir = dirname(this.spec.path);
    const base = basename(this.spec.path);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return undefined;
    }
    for (const name of names) {
      if (!name.startsWith(base)) continue;
      const file = join(dir, name);
      try {
        if (statSync(file).ino !== pos.ino) continue;
        const fd = openSync(file, 'r');
        return { fd, ino: pos.ino, off: pos.off, quietSince: this.now(), size: -1 };
      } catch {
        continue;
      }
    }
    return undefined;
  }

  private openPath(off: number): OpenFile | undefined {
    let fd: number;
    try {
      fd = openSync(this.spec.path, 'r');
    } catch {
      return undefined;
    }
    const st = fstatSync(fd);
    return { fd, ino: st.ino, off: st.size < off ? 0 : off, quietSince: this.now(), size: st.size };
  }

  /**
   * One poll: read what is new, up to POLL_MAX_ROUNDS; returns the number of lines queued. A
   * backlog (a burst, or a file that grew while the agent was down) is queued in rounds of at most
   * APPEND_MAX_BYTES of file text, each with its own checkpoint, so memory stays bounded however
   * far behind the tailer is (one append of a 25 MB burst held ~500 MB of strings).
   */
  poll(): number {
    let st;
    try {
      st = statSync(this.spec.path);
    } catch {
      st = undefined;
    }
    if (this.cur !== undefined && (st === undefined || st.ino !== this.cur.ino)) {
      // Renamed away (or deleted): read it on for the grace period, follow the new file.
      if (this.old !== undefined) this.finishOld(true);
      this.old = this.cur;
      this.old.quietSince = this.now();
      this.cur = undefined;
    }
    if (this.cur === undefined && st !== undefined) this.cur = this.openPath(0);
    let total = 0;
    // A backlog is read over several polls: one poll of a 1M-line file held the event loop for
    // seconds (no heartbeats, no sending) and the server marked the agent offline.
    for (let r = 0; r < POLL_MAX_ROUNDS; r++) {
      const round = this.pollRound();
      total += round.lines;
      if (!round.more) break;
    }
    this.linesRead += total;
    return total;
  }

  /** Reads up to the round budget from the rotated and the current file and queues it with the checkpoint. */
  private pollRound(): { lines: number; more: boolean } {
    const lines: string[] = [];
    this.budget = APPEND_MAX_BYTES;
    if (this.old !== undefined) {
      const size = fstatSync(this.old.fd).size;
      if (size !== this.old.size) {
        this.old.size = size;
        this.old.quietSince = this.now();
      }
      this.readNew(this.old, lines, false);
    }
    if (this.cur !== undefined && this.budget > 0) {
      const size = fstatSync(this.cur.fd).size;
      if (size < this.cur.off) this.cur.off = 0; // truncated or copytruncate'd
      this.readNew(this.cur, lines, false);
    }
    const more = this.budget <= 0;
    let oldDone = false;
    if (!more && this.old !== undefined && this.now() - this.old.quietSince >= this.graceMs) {
      this.readNew(this.old, lines, true);
      oldDone = true;
    }
    const marker: TailMarker | undefined = this.cur !== undefined ? { ino: this.cur.ino, off: this.cur.off } : this.old !== undefined ? { ino: this.old.ino, off: this.old.off } : undefined;
    if (marker !== undefined && this.old !== undefined && this.cur !== undefined && !oldDone) marker.old = { ino: this.old.ino, off: this.old.off };
    const prev = this.queue.marker<TailMarker>(this.key);
    const changed = marker !== undefined && (prev === undefined || prev.ino !== marker.ino || prev.off !== marker.off || prev.old?.off !== marker.old?.off || prev.old?.ino !== marker.old?.ino);
    if (lines.length > 0 || changed) this.queue.append(lines, marker !== undefined ? { [this.key]: marker } : undefined);
    if (oldDone) this.finishOld(false);
    return { lines: lines.length, more };
  }

  private finishOld(flush: boolean): void {
    const old = this.old;
    if (old === undefined) return;
    if (flush) {
      // Rotated twice within one poll: whatever the older file still holds, in bounded appends.
      for (;;) {
        const lines: string[] = [];
        this.budget = APPEND_MAX_BYTES;
        this.readNew(old, lines, true);
        this.queue.append(lines);
        if (this.budget > 0) break;
      }
    }
    closeSync(old.fd);
    this.old = undefined;
  }

  /**
   * Reads complete lines from the file's offset, until the round's budget is spent (`budget <= 0`
   * afterwards means more may follow); with `flushPartial` also an unterminated last line.
   */
  private readNew(f: OpenFile, out: string[], flushPartial: boolean): void {
    const buf = readBuffer();
    while (this.budget > 0) {
      const got = readSync(f.fd, buf, 0, READ_CHUNK, f.off);
      if (got === 0) return;
      let start = 0;
      for (;;) {
        const end = buf.indexOf(NL, start);
        if (end < 0 || end >= got) break;
        this.pushLine(buf, start, end, f.off + start, out);
        start = end + 1;
        // The rest of the chunk is read again next round (page cache): the round's budget holds.
        if (start >= this.budget) break;
      }
      if (start === 0 && got === READ_CHUNK) {
        // A line longer than the chunk: once it is complete, keep its first MAX_LINE bytes and skip to its end.
        const nl = this.skipToNewline(f.fd, f.off + READ_CHUNK);
        if (nl < 0) return;
        this.pushLine(buf, 0, MAX_LINE, f.off, out);
        this.budget -= nl + 1 - f.off;
        f.off = nl + 1;
        continue;
      }
      if (start < got && flushPartial && got < READ_CHUNK && start < this.budget) {
        this.pushLine(buf, start, got, f.off + start, out);
        start = got;
      }
      f.off += start;
      this.budget -= start;
      if (got < READ_CHUNK) return;
    }
  }

  private skipToNewline(fd: number, from: number): number {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    let pos = from;
    for (;;) {
      const got = readSync(fd, buf, 0, READ_CHUNK, pos);
      if (got === 0) return -1;
      const i = buf.indexOf(NL);
      if (i >= 0 && i < got) return pos + i;
      pos += got;
    }
  }

  private pushLine(buf: Buffer, start: number, end: number, offset: number, out: string[]): void {
    let stop = end;
    if (stop > start && buf[stop - 1] === 13) stop--; // CRLF files
    const truncated = stop - start > MAX_LINE;
    const text = buf.toString('utf8', start, truncated ? start + MAX_LINE : stop);
    if (text.length === 0) return;
    const body: Record<string, unknown> = {
      message: text,
      event: { kind: 'event', dataset: this.spec.dataset, timezone: LOCAL_TIME_ZONE },
      log: { file: { path: this.spec.path }, offset },
    };
    if (truncated) body.tags = ['truncated'];
    if (this.spec.format === 'json') {
      try {
        const parsed = JSON.parse(text) as unknown;
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
          body.json = parsed;
          const msg = (parsed as Record<string, unknown>).message ?? (parsed as Record<string, unknown>).msg;
          if (typeof msg === 'string') body.message = msg;
          (body.event as Record<string, unknown>).original = text;
        }
      } catch {
        body.tags = ['json_parse_failure'];
      }
    }
    out.push(eventLine(body, this.host));
  }

  close(): void {
    if (this.cur !== undefined) closeSync(this.cur.fd);
    if (this.old !== undefined) closeSync(this.old.fd);
    this.cur = undefined;
    this.old = undefined;
  }
}
