/**
 * File integrity monitoring: a SHA-256 baseline of the configured paths, kept in
 * `<home>/fim-baseline.json`, checked in real time through fs.watch (one watch per directory;
 * inotify underneath) and by a periodic full scan that catches what watches miss (overflowed
 * inotify queues, changes while the agent was stopped). The first scan only records the baseline.
 *
 * A change is reported once: the baseline entries behind a batch of change events travel in the same
 * queue append (one fsync) as a `fim:baseline` marker with a generation number, and the baseline file
 * carries the generation it includes. A crash after the append but before the baseline file is
 * rewritten leaves a marker newer than the file; the next start applies it instead of reporting the
 * same changes again.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, readdirSync, watch, type FSWatcher, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readJsonFile, writeFileAtomic } from '../home';
import type { DiskQueue } from '../queue/disk-queue';
import { eventLine, type HostFields } from './event-builder';

export interface FileState {
  sha256: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  ino: number;
}

export interface FimOptions {
  paths: readonly string[];
  maxFileBytes: number;
  watch: boolean;
  baselineFile: string;
}

export type FimChange = 'creation' | 'change' | 'deletion';

/** Baseline entries changed by one commit; null: the file left the baseline. */
type BaselineDelta = Map<string, FileState | null>;

interface BaselineFile {
  generation: number;
  files: Record<string, FileState>;
}

interface BaselineMarker {
  generation: number;
  files: Record<string, FileState | null>;
}

export const FIM_BASELINE_MARKER = 'fim:baseline';

function sameState(a: FileState | undefined, b: FileState): boolean {
  return a !== undefined && a.sha256 === b.sha256 && a.size === b.size && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

/** The saved baseline; files written before generations existed are a bare path → state map. */
function readBaseline(file: string): BaselineFile | undefined {
  const saved = readJsonFile<Record<string, unknown>>(file);
  if (saved === undefined) return undefined;
  if (typeof saved.generation === 'number' && saved.files !== null && typeof saved.files === 'object') return saved as unknown as BaselineFile;
  return { generation: 0, files: saved as Record<string, FileState> };
}

const MAX_DIRS_WATCHED = 10_000;
const MAX_DEPTH = 32;

function hashFile(path: string, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    const s = createReadStream(path, { end: maxBytes - 1 });
    s.on('data', (c) => h.update(c));
    s.on('end', () => resolve(h.digest('hex')));
    s.on('error', reject);
  });
}

const octal = (mode: number): string => (mode & 0o7777).toString(8).padStart(4, '0');

function fileFields(path: string, s: FileState): Record<string, unknown> {
  return {
    path,
    name: basename(path),
    directory: dirname(path),
    type: 'file',
    hash: { sha256: s.sha256 },
    size: s.size,
    mode: octal(s.mode),
    uid: String(s.uid),
    gid: String(s.gid),
    inode: String(s.ino),
    mtime: new Date(s.mtimeMs).toISOString(),
  };
}

/** The ECS event for one change; `action` names the most significant difference. */
export function fimEvent(path: string, type: FimChange, before: FileState | undefined, after: FileState | undefined): Record<string, unknown> | undefined {
  const changes: string[] = [];
  if (before !== undefined && after !== undefined) {
    if (before.sha256 !== after.sha256) changes.push('hash');
    if ((before.mode & 0o7777) !== (after.mode & 0o7777)) changes.push('mode');
    if (before.uid !== after.uid || before.gid !== after.gid) changes.push('owner');
    if (changes.length === 0) return undefined; // touched, same content and attributes
  }
  const action =
    type === 'creation' ? 'file-created' : type === 'deletion' ? 'file-deleted' : changes[0] === 'hash' ? 'file-modified' : changes[0] === 'mode' ? 'file-permissions-changed' : 'file-owner-changed';
  const current = after ?? before;
  const body: Record<string, unknown> = {
    message: `${action.replace('-', ' ')}: ${path}`,
    event: { kind: 'event', category: ['file'], type: [type], action, dataset: 'agent.fim', severity: type === 'change' ? 5 : 3 },
    file: current === undefined ? { path } : fileFields(path, current),
  };
  if (before !== undefined) {
    body.fim = {
      changes,
      previous: { hash: { sha256: before.sha256 }, size: before.size, mode: octal(before.mode), uid: String(before.uid), gid: String(before.gid), mtime: new Date(before.mtimeMs).toISOString() },
    };
  }
  return body;
}

export class FileIntegrityMonitor {
  private baseline = new Map<string, FileState>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private hasBaseline: boolean;
  private generation = 0;
  events = 0;

  constructor(
    private readonly options: FimOptions,
    private readonly queue: DiskQueue,
    private readonly host: HostFields,
    /** Changed or created files, e.g. for a YARA scan. */
    private readonly onChanged: (paths: string[]) => void,
    private readonly log: (msg: string) => void,
  ) {
    const saved = readBaseline(options.baselineFile);
    const marker = queue.marker<BaselineMarker>(FIM_BASELINE_MARKER);
    this.hasBaseline = saved !== undefined;
    if (saved !== undefined) {
      this.baseline = new Map(Object.entries(saved.files));
      this.generation = saved.generation;
      if (marker !== undefined && marker.generation > saved.generation) {
        // Changes already queued (and so reported) whose baseline write a crash cut off.
        for (const [path, state] of Object.entries(marker.files)) {
          if (state === null) this.baseline.delete(path);
          else this.baseline.set(path, state);
        }
        this.generation = marker.generation;
      }
    } else if (marker !== undefined) {
      this.generation = marker.generation; // a new baseline; generations keep rising
    }
  }

  /** Full scan: compares every file under the paths with the baseline. */
  scan(): Promise<void> {
    if (this.scanning !== undefined) return this.scanning;
    this.scanning = this.fullScan().finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  private async fullScan(): Promise<void> {
    const seen = new Set<string>();
    const files: string[] = [];
    for (const root of this.options.paths) this.walk(root, 0, files, seen);
    const lines: string[] = [];
    const changed: string[] = [];
    const delta: BaselineDelta = new Map();
    for (const file of files) await this.check(file, lines, changed, delta, !this.hasBaseline);
    if (this.hasBaseline) {
      for (const [path, before] of this.baseline) {
        if (seen.has(path) || !this.options.paths.some((root) => path === root || path.startsWith(`${root.replace(/\/$/, '')}/`))) continue;
        delta.set(path, null);
        const ev = fimEvent(path, 'deletion', before, undefined);
        if (ev !== undefined) lines.push(eventLine(ev, this.host));
      }
    } else {
      // Paths no longer configured leave the baseline silently.
      for (const path of this.baseline.keys()) if (!seen.has(path)) delta.set(path, null);
    }
    this.hasBaseline = true;
    this.commit(lines, changed, delta);
  }

  private walk(path: string, depth: number, files: string[], seen: Set<string>): void {
    let st: Stats;
    try {
      st = lstatSync(path);
    } catch {
      return;
    }
    if (st.isFile()) {
      files.push(path);
      seen.add(path);
      return;
    }
    if (!st.isDirectory() || depth > MAX_DEPTH) return;
    if (this.options.watch) this.watchDir(path);
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      return;
    }
    for (const name of names) this.walk(join(path, name), depth + 1, files, seen);
  }

  private watchDir(dir: string): void {
    if (this.watchers.has(dir) || this.watchers.size >= MAX_DIRS_WATCHED) return;
    try {
      const w = watch(dir, { persistent: false }, (_type, name) => {
        this.pending.add(name === null ? dir : join(dir, name.toString()));
        this.scheduleFlush();
      });
      w.on('error', () => {
        w.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, w);
    } catch (err) {
      this.log(`fim: cannot watch ${dir}: ${(err as Error).message}`);
    }
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined) return;
    // Editors write a file in several steps: look once things settle.
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.checkPending().catch((err: unknown) => this.log(`fim: ${(err as Error).message}`));
    }, 200);
  }

  private async checkPending(): Promise<void> {
    if (!this.hasBaseline) return;
    const paths = [...this.pending];
    this.pending.clear();
    const lines: string[] = [];
    const changed: string[] = [];
    const delta: BaselineDelta = new Map();
    for (const path of paths) {
      let st: Stats | undefined;
      try {
        st = lstatSync(path);
      } catch {
        st = undefined;
      }
      if (st === undefined) {
        // Deleted: the path itself, or every baseline file below a deleted directory.
        for (const [p, before] of this.baseline) {
          if (p !== path && !p.startsWith(`${path}/`)) continue;
          if (existsSync(p) || delta.get(p) === null) continue;
          delta.set(p, null);
          const ev = fimEvent(p, 'deletion', before, undefined);
          if (ev !== undefined) lines.push(eventLine(ev, this.host));
        }
      } else if (st.isDirectory()) {
        const files: string[] = [];
        this.walk(path, 0, files, new Set());
        for (const f of files) await this.check(f, lines, changed, delta, false);
      } else if (st.isFile()) {
        await this.check(path, lines, changed, delta, false);
      }
    }
    this.commit(lines, changed, delta);
  }

  private async check(path: string, lines: string[], changed: string[], delta: BaselineDelta, silent: boolean): Promise<void> {
    let st: Stats;
    try {
      st = lstatSync(path);
    } catch {
      return;
    }
    if (!st.isFile()) return;
    if (delta.has(path)) return; // seen twice in one pass (a directory event and its file's)
    const before = this.baseline.get(path);
    const same = before !== undefined && before.size === st.size && before.mtimeMs === st.mtimeMs && before.ino === st.ino;
    let sha256: string;
    if (same) sha256 = before.sha256;
    else {
      try {
        sha256 = await hashFile(path, this.options.maxFileBytes);
      } catch {
        return; // vanished or unreadable between stat and read; the next event or scan sees it
      }
    }
    const after: FileState = { sha256, size: st.size, mode: st.mode, uid: st.uid, gid: st.gid, mtimeMs: st.mtimeMs, ino: st.ino };
    if (sameState(before, after)) return;
    delta.set(path, after);
    if (silent) return;
    const ev = fimEvent(path, before === undefined ? 'creation' : 'change', before, after);
    if (ev === undefined) return;
    lines.push(eventLine(ev, this.host));
    if (before === undefined || before.sha256 !== sha256) changed.push(path);
  }

  /**
   * Events and their baseline entries in one queue append, then the baseline file. The baseline
   * changes only here, so a pass still hashing never lends its half-done entries to another's write.
   */
  private commit(lines: string[], changed: string[], delta: BaselineDelta): void {
    if (delta.size === 0 && lines.length === 0 && existsSync(this.options.baselineFile)) return;
    for (const [path, state] of delta) {
      if (state === null) this.baseline.delete(path);
      else this.baseline.set(path, state);
    }
    if (lines.length > 0) {
      this.generation++;
      this.queue.append(lines, { [FIM_BASELINE_MARKER]: { generation: this.generation, files: Object.fromEntries(delta) } satisfies BaselineMarker });
    }
    this.events += lines.length;
    const saved: BaselineFile = { generation: this.generation, files: Object.fromEntries(this.baseline) };
    writeFileAtomic(this.options.baselineFile, JSON.stringify(saved));
    if (changed.length > 0) this.onChanged(changed);
  }

  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
  }
}
