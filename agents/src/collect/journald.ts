/**
 * journald through `journalctl -o json --follow`, resuming with `--after-cursor` from the cursor
 * stored as a queue marker together with the entries it covers (so a restart neither repeats nor
 * skips entries). The first run starts at the end of the journal (`-n 0`): history is not replayed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { DiskQueue } from '../queue/disk-queue';
import { eventLine, type HostFields } from './event-builder';

const MARKER = 'journald:cursor';

/** syslog priority → ECS log.level */
const LEVELS = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A field journalctl printed as a byte array (non-UTF-8 or binary content) read as UTF-8 text. */
function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((b) => typeof b === 'number')) return Buffer.from(v as number[]).toString('utf8');
  return undefined;
}

function int(v: unknown): number | undefined {
  const s = str(v);
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isInteger(n) ? n : undefined;
}

/**
 * One `journalctl -o json` record as an ECS event body (fields per systemd.journal-fields(7)):
 * `@timestamp` is when journald received the entry (__REALTIME_TIMESTAMP, microseconds), process.*
 * from the trusted `_` fields, log.syslog.* from the syslog ones, systemd.* as Elastic's journald
 * input names them.
 */
export function journalEntryToEvent(entry: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const micros = int(entry.__REALTIME_TIMESTAMP);
  if (micros !== undefined) body['@timestamp'] = new Date(Math.floor(micros / 1000)).toISOString();
  body.message = text(entry.MESSAGE) ?? '';
  body.event = { kind: 'event', dataset: 'agent.journald' };
  const process: Record<string, unknown> = {};
  const pid = int(entry._PID);
  if (pid !== undefined) process.pid = pid;
  const name = str(entry._COMM); // SYSLOG_IDENTIFIER is the syslog tag (log.syslog.appname); the kernel has no process
  if (name !== undefined) process.name = name;
  const exe = str(entry._EXE);
  if (exe !== undefined) process.executable = exe;
  const cmd = text(entry._CMDLINE);
  if (cmd !== undefined) process.command_line = cmd;
  const uid = str(entry._UID);
  if (uid !== undefined) process.user = { id: uid };
  if (Object.keys(process).length > 0) body.process = process;
  const syslog: Record<string, unknown> = {};
  const prio = int(entry.PRIORITY);
  if (prio !== undefined && prio >= 0 && prio < 8) syslog.severity = { code: prio, name: LEVELS[prio] };
  const facility = int(entry.SYSLOG_FACILITY);
  if (facility !== undefined) syslog.facility = { code: facility };
  const appname = str(entry.SYSLOG_IDENTIFIER);
  if (appname !== undefined) syslog.appname = appname;
  const procid = str(entry.SYSLOG_PID);
  if (procid !== undefined) syslog.procid = procid;
  if (Object.keys(syslog).length > 0) body.log = prio !== undefined && prio >= 0 && prio < 8 ? { level: LEVELS[prio], syslog } : { syslog };
  const systemd: Record<string, unknown> = {};
  const unit = str(entry._SYSTEMD_UNIT);
  if (unit !== undefined) systemd.unit = unit;
  const transport = str(entry._TRANSPORT);
  if (transport !== undefined) systemd.transport = transport;
  const slice = str(entry._SYSTEMD_SLICE);
  if (slice !== undefined) systemd.slice = slice;
  if (Object.keys(systemd).length > 0) body.systemd = systemd;
  body.journald = { cursor: str(entry.__CURSOR), boot_id: str(entry._BOOT_ID), host: str(entry._HOSTNAME) };
  return body;
}

export class JournaldReader {
  private child: ChildProcess | undefined;
  private buffered = '';
  entries = 0;

  constructor(
    private readonly queue: DiskQueue,
    private readonly host: HostFields,
    private readonly matches: readonly string[],
    private readonly log: (msg: string) => void,
    private readonly command = 'journalctl',
  ) {}

  start(): void {
    const cursor = this.queue.marker<string>(MARKER);
    const args = ['-o', 'json', '--follow', '--no-pager', ...(cursor !== undefined ? [`--after-cursor=${cursor}`] : ['-n', '0']), ...this.matches];
    const child = spawn(this.command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => this.onData(chunk));
    child.stderr?.on('data', (d: Buffer) => this.log(`journalctl: ${d.toString('utf8').trim().slice(0, 300)}`));
    child.on('error', (err) => this.log(`journalctl not started: ${err.message}`));
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    const last = this.buffered.lastIndexOf('\n');
    if (last < 0) return;
    const complete = this.buffered.slice(0, last);
    this.buffered = this.buffered.slice(last + 1);
    const lines: string[] = [];
    let cursor: string | undefined;
    for (const text of complete.split('\n')) {
      if (text === '') continue;
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      const c = str(entry.__CURSOR);
      if (c !== undefined) cursor = c;
      lines.push(eventLine(journalEntryToEvent(entry), this.host));
    }
    this.entries += lines.length;
    this.queue.append(lines, cursor !== undefined ? { [MARKER]: cursor } : undefined);
  }

  stop(): void {
    this.child?.kill('SIGTERM');
    this.child = undefined;
  }
}
