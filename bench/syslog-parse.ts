/**
 * Syslog parser throughput: parses the real-world fixture corpus of collectors/syslog/parse/testdata
 * repeatedly, per format, and prints lines/s on one core.
 *   npx tsc -p tsconfig.build.json && node dist/bench/syslog-parse.js [--seconds 2]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseCef, parseLeef, parseRfc3164, parseRfc5424, parseSyslogLine } from '../collectors/syslog/parse';

/** The repository root, whether this runs from bench/ or from dist/bench/. */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`bench/syslog-parse: no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

function octetCountedFrames(buf: Buffer): string[] {
  const frames: string[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const sp = buf.indexOf(0x20, pos);
    const len = Number(buf.subarray(pos, sp).toString('ascii'));
    frames.push(buf.subarray(sp + 1, sp + 1 + len).toString('utf8'));
    pos = sp + 1 + len;
  }
  return frames;
}

function loadCorpus(): string[] {
  const dir = join(repoRoot(), 'collectors', 'syslog', 'parse', 'testdata');
  const lines: string[] = [];
  for (const file of readdirSync(dir).sort()) {
    const path = join(dir, file);
    if (file.endsWith('.octet-counted')) lines.push(...octetCountedFrames(readFileSync(path)));
    else if (file.endsWith('.txt')) lines.push(...readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0));
  }
  return lines;
}

const opts = { timezone: 'Asia/Ho_Chi_Minh', now: Date.now() };

/** Runs `parse` over `lines` until `seconds` have passed; returns lines per second. */
function measure(lines: readonly string[], seconds: number, parse: (line: string) => number): { rate: number; check: number } {
  let check = 0;
  for (let i = 0; i < 20_000; i++) check += parse(lines[i % lines.length]); // warm-up for the JIT
  let count = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < lines.length; i++) check += parse(lines[i]);
    count += lines.length;
    elapsed = process.hrtime.bigint() - start;
  }
  return { rate: count / (Number(elapsed) / 1e9), check };
}

function main(): void {
  const secondsArg = process.argv.indexOf('--seconds');
  const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 2;
  const corpus = loadCorpus();
  const rfc5424 = corpus.filter((l) => parseRfc5424(l, opts) !== null);
  const rfc3164 = corpus.filter((l) => parseRfc5424(l, opts) === null && parseSyslogLine(l, opts).format === 'rfc3164');
  const messages = corpus.map((l) => parseSyslogLine(l, opts).message);
  const cef = messages.filter((m) => parseCef(m) !== null);
  const leef = messages.filter((m) => parseLeef(m) !== null);

  const runs: Array<[string, readonly string[], (line: string) => number]> = [
    ['parseRfc3164 (3164 + forward-format lines)', rfc3164, (l) => parseRfc3164(l, opts).message.length],
    ['parseRfc5424 (5424 lines)', rfc5424, (l) => parseRfc5424(l, opts)?.message.length ?? 0],
    ['parseSyslogLine (whole mixed corpus)', corpus, (l) => parseSyslogLine(l, opts).message.length],
    ['parseCef (CEF payloads)', cef, (m) => parseCef(m)?.severity ?? 0],
    ['parseLeef (LEEF payloads)', leef, (m) => parseLeef(m)?.eventId.length ?? 0],
  ];
  console.log(`node ${process.version}, corpus ${corpus.length} lines (${rfc3164.length} 3164, ${rfc5424.length} 5424, ${cef.length} CEF, ${leef.length} LEEF), ${seconds}s per run`);
  let check = 0;
  for (const [name, lines, parse] of runs) {
    const result = measure(lines, seconds, parse);
    check += result.check;
    const avgLength = Math.round(lines.reduce((sum, l) => sum + l.length, 0) / lines.length);
    console.log(`${name.padEnd(44)} ${Math.round(result.rate).toLocaleString('en-US').padStart(11)} lines/s  (avg ${avgLength} chars)`);
  }
  if (check === -1) console.log(check); // keeps the results observable so the work is not optimised away
}

main();
