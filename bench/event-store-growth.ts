/**
 * Event store growth bench: writer CPU per row as a function of the rows already in the day file.
 * Appends syslog-like events (bench/sample-ecs-events.ts) to one day partition through
 * EventPartitionWriter on this thread, and prints, per slice of rows, the CPU µs per row spent in the
 * writer alone (rows are encoded beforehand, outside the timing), the day file and WAL sizes.
 *
 *   npm run build --silent && node dist/bench/event-store-growth.js [--rows=4000000] [--slice=500000] [--batch=2000]
 *
 * CPU time of this thread alone (/proc/thread-self/stat, clock ticks summed around each appendBatches),
 * so neither GC helper threads nor a loaded machine's waits count; SQLite runs on the calling thread,
 * so the figure is the writer thread's cost, as bench/syslog.ts reports it for the store's worker.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EcsEvent } from '../core/event';
import { timeOrderedUuid } from '../core/event-id';
import { partitionDayOf, partitionFileName } from '../core/store/event-partition';
import { EventPartitionWriter } from '../core/store/event-partition-writer';
import { encodeEventRows } from '../core/store/event-rows';
import { SampleEventGenerator } from './sample-ecs-events';

interface Options {
  rows: number;
  slice: number;
  batch: number;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { rows: 4_000_000, slice: 500_000, batch: 2000 };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=');
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`bench/event-store-growth: ${arg} needs a positive integer`);
    if (key === 'rows') options.rows = n;
    else if (key === 'slice') options.slice = n;
    else if (key === 'batch') options.batch = n;
    else throw new Error(`bench/event-store-growth: unknown option ${arg}`);
  }
  return options;
}

const POOL_SIZE = 20_000;
/** Early in a UTC day, so 10 million rows at 100 per ms stay in one day file. */
const START = Date.UTC(2026, 10, 27, 1);

/** Clock ticks per second of /proc times (USER_HZ, 100 on Linux). */
const TICK_US = 10_000;

/** User + system CPU of the calling thread, µs (tick resolution; summed over many calls it averages out). */
function threadCpuUs(): number {
  const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}

function sizeOf(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(0).padStart(6);
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const generator = new SampleEventGenerator();
  const pool: EcsEvent[] = [];
  for (let i = 0; i < POOL_SIZE; i++) pool.push(generator.event(START));
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-bench-growth-'));
  const file = join(dir, partitionFileName(partitionDayOf(START)));
  const writer = new EventPartitionWriter(dir);
  console.log(`event-store growth bench: ${options.rows} rows into one day file, batches of ${options.batch}, CPU µs/row of the writer per slice of ${options.slice}`);
  console.log('  rows so far   writer µs/row   wall µs/row   file MiB   wal MiB');
  const batch: EcsEvent[] = new Array<EcsEvent>(options.batch);
  let produced = 0;
  let sliceCpu = 0;
  let sliceWall = 0;
  let sliceRows = 0;
  let total = 0;
  while (produced < options.rows) {
    const size = Math.min(options.batch, options.rows - produced);
    batch.length = size;
    for (let i = 0; i < size; i++) {
      const n = produced + i;
      const event = pool[n % POOL_SIZE];
      // ~100 events per ms; one in five carries a whole-second time, as RFC 3164 senders do.
      let ts = START + Math.floor(n / 100);
      if (n % 5 === 0) ts -= ts % 1000;
      event['@timestamp'] = new Date(ts).toISOString();
      event.event.id = timeOrderedUuid();
      batch[i] = event;
    }
    produced += size;
    const rows = encodeEventRows(batch);
    const cpu0 = threadCpuUs();
    const wall0 = performance.now();
    const [outcome] = writer.appendBatches([rows]);
    sliceWall += performance.now() - wall0;
    sliceCpu += threadCpuUs() - cpu0;
    sliceRows += size;
    total += outcome.inserted;
    if (sliceRows >= options.slice || produced === options.rows) {
      console.log(
        `  ${String(produced).padStart(11)}   ${(sliceCpu / sliceRows).toFixed(2).padStart(13)}   ${((sliceWall * 1000) / sliceRows).toFixed(2).padStart(11)}   ${mib(sizeOf(file))}   ${mib(sizeOf(`${file}-wal`))}`,
      );
      sliceCpu = 0;
      sliceWall = 0;
      sliceRows = 0;
    }
  }
  writer.close();
  console.log(`  inserted ${total}; file ${mib(sizeOf(file)).trim()} MiB`);
  rmSync(dir, { recursive: true, force: true });
}

main();
