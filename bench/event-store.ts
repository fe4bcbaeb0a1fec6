/**
 * Event store benchmark: append throughput of ~1 KB realistic ECS events in batches, bytes on disk per
 * event, main-thread cost, and the speed of typical queries over what was stored.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/event-store.js [--events=400000] [--batch=2000] [--store=sqlite,worker,worker-pipelined] [--parse-us=0] [--ids=v7,random]
 *
 * `--parse-us=N` keeps the calling thread busy N µs per event before each append, standing in for the
 * syslog parser that shares the thread, to show what the worker buys when the calling thread has work.
 * `worker` awaits each batch before sending the next; `worker-pipelined` keeps up to 3 batches in
 * flight, as a pipeline that keeps parsing while storage commits would. "main µs/event" is the time
 * the calling thread was busy (event-loop utilisation), i.e. what storing takes away from parsing.
 * `--ids` picks how event ids are made: `v7` (what newEventId makes: time-ordered) or `random`
 * (version 4), to show what id order costs the (timestamp, id) index; each store runs once per mode.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { EcsEvent } from '../core/event';
import { timeOrderedUuid } from '../core/event-id';
import { parseQuery } from '../core/query/parse';
import type { EventStore } from '../core/store/event-store';
import { encodeEventRows } from '../core/store/event-rows';
import { SqliteEventStore } from '../core/store/sqlite-event-store';
import { WorkerEventStore } from '../core/store/worker-event-store';
import { SampleEventGenerator } from './sample-ecs-events';

interface Options {
  events: number;
  batch: number;
  stores: string[];
  /** Busy µs per event on the calling thread before append, standing in for syslog parsing. */
  parseUs: number;
  ids: IdMode[];
}

type IdMode = 'v7' | 'random';

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { events: 400_000, batch: 2000, stores: ['sqlite', 'worker', 'worker-pipelined'], parseUs: 0, ids: ['v7'] };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=');
    if (key === 'events') options.events = Number(value);
    else if (key === 'batch') options.batch = Number(value);
    else if (key === 'store') options.stores = value.split(',');
    else if (key === 'parse-us') options.parseUs = Number(value);
    else if (key === 'ids') options.ids = value.split(',').map((m) => {
      if (m !== 'v7' && m !== 'random') throw new Error(`bench/event-store: --ids takes v7 and/or random, not ${m}`);
      return m;
    });
    else throw new Error(`bench/event-store: unknown option ${arg}`);
  }
  if (!Number.isInteger(options.events) || options.events < 1) throw new Error('bench/event-store: --events must be a positive integer');
  if (!Number.isInteger(options.batch) || options.batch < 1) throw new Error('bench/event-store: --batch must be a positive integer');
  return options;
}

const POOL_SIZE = 20_000;
const START = Date.UTC(2026, 10, 27, 1);

/** A pool of generated events reused with fresh ids and times, so generation stays out of the timing. */
class EventFeed {
  private readonly pool: EcsEvent[] = [];
  private produced = 0;
  idMode: IdMode = 'v7';

  constructor() {
    const generator = new SampleEventGenerator();
    for (let i = 0; i < POOL_SIZE; i++) {
      const event = generator.event(START);
      this.pool.push(event);
    }
  }

  /** The next batch: ~100 events per ms; one in five carries a whole-second time, as RFC 3164 senders do. */
  batch(size: number): EcsEvent[] {
    const out: EcsEvent[] = new Array<EcsEvent>(size);
    for (let i = 0; i < size; i++) {
      const n = this.produced++;
      const slot = n % POOL_SIZE;
      const event = this.pool[slot];
      let ts = START + Math.floor(n / 100);
      if (n % 5 === 0) ts -= ts % 1000;
      event['@timestamp'] = new Date(ts).toISOString();
      event.event.id = this.idMode === 'v7' ? timeOrderedUuid() : randomUUID();
      out[i] = event;
    }
    return out;
  }
}

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

function bytesOnDisk(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) total += statSync(join(dir, name)).size;
  return total;
}

function format(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

async function timeQuery(label: string, run: () => Promise<unknown>): Promise<void> {
  const start = performance.now();
  const result = await run();
  const ms = performance.now() - start;
  const shown = typeof result === 'number' ? String(result) : Array.isArray(result) ? `${result.length} rows` : 'ok';
  console.log(`    ${label.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms   ${shown}`);
}

async function benchStore(kind: string, options: Options, feed: EventFeed): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `socnoc-bench-${kind}-`));
  const store: EventStore = kind === 'sqlite' ? new SqliteEventStore({ dir }) : new WorkerEventStore({ dir });
  const batches = Math.ceil(options.events / options.batch);
  const inFlight = kind === 'worker-pipelined' ? 3 : 1;
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let b = 0; b < batches; b++) {
    const size = Math.min(options.batch, options.events - b * options.batch);
    if (options.parseUs > 0) busyFor((size * options.parseUs) / 1000);
    pending.push(store.append(feed.batch(size)));
    if (pending.length >= inFlight) await pending.shift();
  }
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  const stored = await store.count({});
  const cpuPerEvent = (cpu.user + cpu.system) / options.events;
  // A synchronous store never lets the event loop idle, so utilisation says nothing there.
  const mainThread = kind === 'sqlite' ? 'all on the main thread' : `main thread busy ${(elu.utilization * 100).toFixed(0)}% = ${((elu.active * 1000) / options.events).toFixed(2)} µs/event`;
  console.log(`  ${kind}, ${feed.idMode} ids: ${format(options.events / seconds)} events/s (${options.events} events in ${seconds.toFixed(2)} s); CPU ${cpuPerEvent.toFixed(2)} µs/event (all threads, ${format(1e6 / cpuPerEvent)} events per CPU-second); ${mainThread}; stored ${stored}`);

  console.log('  queries:');
  const from = START;
  const to = START + 3600_000;
  await timeQuery('count all', () => store.count({}));
  await timeQuery('count user.name:root', () => store.count({ query: parseQuery('user.name:root') }));
  await timeQuery('count event.category:authentication (array)', () => store.count({ query: parseQuery('event.category:authentication') }));
  await timeQuery('count source.port >= 30000', () => store.count({ query: parseQuery('source.port >= 30000') }));
  await timeQuery('count free text "Failed password"', () => store.count({ query: parseQuery('"Failed password"') }));
  await timeQuery('count free text wp-login', () => store.count({ query: parseQuery('wp-login') }));
  await timeQuery('search first page of 50 (with total), one agency', () => store.search({ limit: 50, organizations: ['so-yte'] }).then((r) => r.total));
  await timeQuery('search 50, user.name:adm* and event.outcome:failure', () =>
    store.search({ limit: 50, query: parseQuery('user.name:adm* and event.outcome:failure') }).then((r) => r.events),
  );
  await timeQuery('topValues source.ip size 10', () => store.topValues({ field: 'source.ip', size: 10 }));
  await timeQuery('histogram 1 s buckets over an hour', () => store.histogram({ intervalMs: 1000, from, to }));
  await store.close();
  const bytes = bytesOnDisk(dir);
  console.log(`  disk: ${format(bytes / options.events)} bytes/event (${(bytes / 1048576).toFixed(1)} MiB)\n`);
  rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const feed = new EventFeed();
  const sample = feed.batch(options.batch);
  let json = 0;
  for (const e of sample) json += JSON.stringify(e).length;
  const parsing = options.parseUs > 0 ? `, ${options.parseUs} µs/event of simulated parsing on the calling thread` : '';
  console.log(`event-store bench: ${options.events} events, batches of ${options.batch}, ~${Math.round(json / sample.length)} bytes of JSON per event${parsing}`);

  // The part of append that runs on the calling thread whichever store is used.
  const feedCpu0 = process.cpuUsage();
  for (let i = 0; i < 20; i++) feed.batch(options.batch);
  const feedCpu = process.cpuUsage(feedCpu0);
  const encodeCpu0 = process.cpuUsage();
  for (let i = 0; i < 20; i++) encodeEventRows(feed.batch(options.batch));
  const encodeCpu = process.cpuUsage(encodeCpu0);
  const perEvent = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / (20 * options.batch);
  console.log(`  bench feed (fresh ids and times, counted in the figures below): ${perEvent(feedCpu).toFixed(2)} µs/event`);
  console.log(`  encode rows (JSON.stringify and columns, on the calling thread): ${(perEvent(encodeCpu) - perEvent(feedCpu)).toFixed(2)} µs/event\n`);

  for (const kind of options.stores) {
    if (kind !== 'sqlite' && kind !== 'worker' && kind !== 'worker-pipelined') throw new Error(`bench/event-store: unknown store ${kind}`);
    for (const mode of options.ids) {
      feed.idMode = mode;
      await benchStore(kind, options, feed);
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
