/**
 * Per-stage CPU cost of the syslog full path, each stage run alone over the same message mix as
 * bench/syslog.ts: TCP de-framing, parsing, building and normalizing the event, encoding store rows
 * (the main thread's share of storing), and the writer thread's SQLite append. Figures are CPU
 * time per message (process.cpuUsage, this thread only), so they hold on a busy machine.
 *
 *   npx tsc -p tsconfig.build.json && node --max-semi-space-size=64 dist/bench/syslog-stages.js [--messages 200000] [--rounds 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EcsEvent } from '../core/event';
import { encodeEventRows, type EventRowBatch } from '../core/store/event-rows';
import { EventPartitionWriter } from '../core/store/event-partition-writer';
import { SyslogFramer, type FrameOutput } from '../collectors/syslog/listen/framing';
import { parseSyslogLine, type SyslogMessage } from '../collectors/syslog/parse';
import { buildBaseEvent } from '../collectors/syslog/to-event';
import { normalizeSyslog } from '../collectors/syslog/normalize';
import { SYSLOG_BENCH_TEMPLATES } from './syslog-templates';

const { values: argv } = parseArgs({
  options: {
    messages: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '3' },
    batch: { type: 'string', default: '2000' },
  },
});
const MESSAGES = Number(argv.messages);
const ROUNDS = Number(argv.rounds);
const BATCH = Number(argv.batch);

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Octet-counted frames of the bench mix, stamped with a moving clock as bench/syslog.ts does. */
function buildChunks(total: number, start: number): Buffer[] {
  const chunks: Buffer[] = [];
  let parts: Buffer[] = [];
  for (let i = 0; i < total; i++) {
    const time = new Date(start + i * 10).toISOString().slice(11, 19);
    const line = Buffer.from(SYSLOG_BENCH_TEMPLATES[i % SYSLOG_BENCH_TEMPLATES.length].replace('10:15:01', time) + i);
    parts.push(Buffer.from(`${line.length} `), line);
    if (parts.length === 1000) {
      chunks.push(Buffer.concat(parts));
      parts = [];
    }
  }
  if (parts.length > 0) chunks.push(Buffer.concat(parts));
  // Cut at 64 KiB like a socket read, so frames straddle chunks.
  const all = Buffer.concat(chunks);
  const out: Buffer[] = [];
  for (let at = 0; at < all.length; at += 65536) out.push(all.subarray(at, Math.min(all.length, at + 65536)));
  return out;
}

class CollectFrames implements FrameOutput {
  readonly frames: string[] = [];
  frame(text: string): void {
    this.frames.push(text);
  }
  frameError(reason: string, detail: string): void {
    throw new Error(`bench framing: ${reason} ${detail}`);
  }
}

interface StageTimes {
  frame: number;
  parse: number;
  build: number;
  normalize: number;
  encode: number;
  write: number;
}

function runRound(dir: string, round: number): StageTimes {
  const start = Date.UTC(2026, 10, 27, 10) + round * 3_600_000;
  const chunks = buildChunks(MESSAGES, start);
  const out = new CollectFrames();
  const framer = new SyslogFramer(65536);

  let t = cpuMicros();
  for (const chunk of chunks) framer.push(chunk, out);
  const frame = cpuMicros() - t;
  const frames = out.frames;

  // Stage by stage per batch, as the pipeline does: holding every event of the round at once would
  // turn the young-generation garbage into old-generation work and bill it to the wrong stage.
  const opts = { timezone: 'UTC', now: start };
  const org = { id: 'unassigned', name: 'Unassigned' };
  const writer = new EventPartitionWriter(dir);
  let parse = 0;
  let build = 0;
  let normalize = 0;
  let encode = 0;
  let write = 0;
  let pendingRows: EventRowBatch[] = [];
  for (let at = 0; at < frames.length; at += BATCH) {
    const n = Math.min(BATCH, frames.length - at);
    const msgs = new Array<SyslogMessage>(n);
    t = cpuMicros();
    for (let i = 0; i < n; i++) msgs[i] = parseSyslogLine(frames[at + i], opts);
    parse += cpuMicros() - t;

    const events = new Array<EcsEvent>(n);
    t = cpuMicros();
    for (let i = 0; i < n; i++) {
      events[i] = buildBaseEvent(msgs[i], { original: frames[at + i], receivedAt: start + at + i, peerAddress: '127.0.0.1', organization: org });
    }
    build += cpuMicros() - t;

    t = cpuMicros();
    for (let i = 0; i < n; i++) normalizeSyslog(msgs[i], events[i]);
    normalize += cpuMicros() - t;

    t = cpuMicros();
    pendingRows.push(encodeEventRows(events));
    encode += cpuMicros() - t;

    // As the worker does under load: the batches that queued up (three in flight) in one call.
    if (pendingRows.length === 3 || at + BATCH >= frames.length) {
      t = cpuMicros();
      writer.appendBatches(pendingRows);
      write += cpuMicros() - t;
      pendingRows = [];
    }
  }
  writer.close();

  const n = frames.length;
  if (n !== MESSAGES) throw new Error(`bench: framed ${n} of ${MESSAGES}`);
  return { frame: frame / n, parse: parse / n, build: build / n, normalize: normalize / n, encode: encode / n, write: write / n };
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-stages-'));
  try {
    console.log(`syslog stages — node ${process.version}, ${MESSAGES} messages per round, CPU µs/message (this thread)`);
    console.log('  round   frame   parse   build  normal  encode | main sum | write (writer thread)');
    for (let r = 0; r < ROUNDS; r++) {
      const s = runRound(dir, r);
      const main = s.frame + s.parse + s.build + s.normalize + s.encode;
      const f = (x: number): string => x.toFixed(2).padStart(6);
      console.log(`  ${String(r + 1).padStart(5)}  ${f(s.frame)}  ${f(s.parse)}  ${f(s.build)}  ${f(s.normalize)}  ${f(s.encode)} |  ${f(main)}  | ${f(s.write)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
