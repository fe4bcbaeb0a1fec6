/**
 * Sigma matching throughput per core (events per CPU-second of this single-threaded process):
 *   (a) SigmaHQ's Linux, web and network rules over mixed syslog-normalized events (stand-in for
 *       socnoc's own pack until it exists);
 *   (b) SigmaHQ's Windows rules over Sysmon/Security events, from 100 rules to all of them;
 *   (c) every rule over both streams;
 *   (d) every Windows rule over the events of (b) with the values real streams do not repeat
 *       made unique (command lines, GUIDs, user and file names: withUniqueValues), so that
 *       anything cached by field value hits only where real data would repeat; each timed pass
 *       is a new batch (generated untimed), so unique values do not recur between passes.
 *
 *   node dist/bench/sigma.js [--sigmahq DIR] [--seconds S] [--expect-matches DIGEST]
 *                            [--expect-unique DIGEST] [--quick] [--batch N] [--per-event]
 *
 * `--quick` runs only (b) with every Windows rule and (d), and prints both digests.
 * Events go through SigmaRuleSet.matchBatch as the detection runtime does, in batches of N
 * (default 500, the pipeline's default batchSize); `--per-event` calls match() on one event
 * after another instead.
 *
 * Rules come from the SigmaHQ checkout (default ../shared/sigma/sigmahq): rules/,
 * rules-emerging-threats/ and rules-threat-hunting/. Events are synthetic but realistic
 * (bench/sigma-events.ts); most match nothing, so rules are evaluated in full.
 *
 * Matching changes must not change what matches: the last line is a digest of the rules every
 * event of run (c) matched (rule ids in order, per event). `--expect-matches DIGEST` exits 1 when
 * it differs from a digest printed before the change; `--expect-unique` does the same for (d).
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { defaultLogsourceTable, loadSigmaRules, SigmaRuleSet, type CompiledSigmaRule } from '../correlation/sigma';
import { loadSigmaRulesSteps } from '../correlation/sigma/load';
import { runStepsSliced } from '../correlation/sigma/steps';
import { rng, syslogEvent, windowsEvent, withUniqueValues } from './sigma-events';

interface Args {
  sigmahq: string;
  seconds: number;
  expectMatches?: string;
  expectUnique?: string;
  quick: boolean;
  perEvent: boolean;
  batch: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { sigmahq: resolve('..', 'shared', 'sigma', 'sigmahq'), seconds: 2, quick: false, perEvent: false, batch: 500 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--sigmahq') args.sigmahq = resolve(argv[++i]);
    else if (argv[i] === '--seconds') args.seconds = Number(argv[++i]);
    else if (argv[i] === '--expect-matches') args.expectMatches = argv[++i];
    else if (argv[i] === '--expect-unique') args.expectUnique = argv[++i];
    else if (argv[i] === '--quick') args.quick = true;
    else if (argv[i] === '--per-event') args.perEvent = true;
    else if (argv[i] === '--batch') args.batch = Number(argv[++i]);
  }
  if (!Number.isInteger(args.batch) || args.batch < 1) throw new Error(`--batch ${String(args.batch)}: expected a whole number of events, at least 1`);
  return args;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const r = rng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

interface Measurement {
  rules: number;
  eventsPerSecond: number;
  candidatesPerEvent: number;
  matchesPerEvent: number;
  nsPerRuleEvaluation: number;
}

/** How events are matched: match() one by one, or matchBatch over slices of `batch` events. */
interface Mode {
  perEvent: boolean;
  batch: number;
}

/** Matches `events` (see Mode) and calls `onEvent(i, matches)` for each, in order; returns the number of matches. */
function matchAll(set: SigmaRuleSet, events: readonly Record<string, unknown>[], mode: Mode, onEvent?: (i: number, matches: readonly CompiledSigmaRule[]) => void): number {
  let matched = 0;
  if (mode.perEvent) {
    for (let i = 0; i < events.length; i++) {
      const m = set.match(events[i]);
      matched += m.length;
      onEvent?.(i, m);
    }
    return matched;
  }
  const out: (readonly CompiledSigmaRule[])[] = [];
  const size = mode.batch;
  for (let start = 0; start < events.length; start += size) {
    set.matchBatch(events.length <= size ? events : events.slice(start, start + size), out);
    for (let k = 0; k < out.length; k++) {
      matched += out[k].length;
      onEvent?.(start + k, out[k]);
    }
  }
  return matched;
}

/**
 * Events per CPU-second of matching. With `fresh`, every pass is a new batch from it (made outside
 * the timed part), so no value recurs from one pass to the next unless the generator repeats it.
 */
function measure(rules: CompiledSigmaRule[], events: Record<string, unknown>[], seconds: number, mode: Mode, fresh?: () => Record<string, unknown>[]): Measurement {
  const set = new SigmaRuleSet(rules, { logsources: defaultLogsourceTable() });
  let candidates = 0;
  for (const e of events) candidates += set.candidates(e).length;
  // Warm-up so V8 has optimized the matchers before timing.
  matchAll(set, events.length <= 20_000 ? events : events.slice(0, 20_000), mode);
  let processed = 0;
  let matched = 0;
  // CPU time of this process, not wall time: the figure is per core even on a busy machine.
  let cpuSeconds = 0;
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    const batch = fresh !== undefined ? fresh() : events;
    const cpuStart = process.cpuUsage();
    matched += matchAll(set, batch, mode);
    const cpu = process.cpuUsage(cpuStart);
    cpuSeconds += (cpu.user + cpu.system) / 1e6;
    processed += batch.length;
  }
  const eps = processed / cpuSeconds;
  const cpe = candidates / events.length;
  return {
    rules: rules.length,
    eventsPerSecond: eps,
    candidatesPerEvent: cpe,
    matchesPerEvent: matched / processed,
    nsPerRuleEvaluation: cpe > 0 ? 1e9 / eps / cpe : 0,
  };
}

function print(label: string, m: Measurement): void {
  const eps = Math.round(m.eventsPerSecond).toLocaleString('en-US');
  console.log(
    `${label.padEnd(34)} ${String(m.rules).padStart(5)} rules  ${eps.padStart(10)} events/s  ` +
      `${m.candidatesPerEvent.toFixed(0).padStart(5)} candidate rules/event  ${m.nsPerRuleEvaluation.toFixed(0).padStart(4)} ns/rule  ` +
      `${(m.matchesPerEvent * 100).toFixed(2)}% matches`,
  );
}

/** Digest of the rule ids each event matches (in order), and how many matches there were. */
function matchDigest(rules: CompiledSigmaRule[], events: Record<string, unknown>[], mode: Mode): { digest: string; matches: number; rules: number } {
  const set = new SigmaRuleSet(rules, { logsources: defaultLogsourceTable() });
  const hash = createHash('sha256');
  const fired = new Set<string>();
  const matches = matchAll(set, events, mode, (_i, matched) => {
    const ids = matched.map((r) => r.id ?? r.title);
    for (const id of ids) fired.add(id);
    hash.update(ids.join(',') + '\n');
  });
  return { digest: hash.digest('hex').slice(0, 16), matches, rules: fired.size };
}

/** Longest event-loop stall while loading every rule in 10 ms slices (what `socnoc start` and reloads do). */
async function slicedLoadStall(folders: string[]): Promise<{ seconds: number; maxStallMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const t0 = performance.now();
  await runStepsSliced(loadSigmaRulesSteps(folders), 10);
  const seconds = (performance.now() - t0) / 1000;
  delay.disable();
  return { seconds, maxStallMs: delay.max / 1e6 };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const folders = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((f) => join(args.sigmahq, f));
  const t0 = performance.now();
  const loaded = loadSigmaRules(folders);
  const loadSeconds = (performance.now() - t0) / 1000;
  if (loaded.rules.length === 0) {
    console.error(`no rules loaded from ${args.sigmahq} (pass --sigmahq DIR)`);
    process.exitCode = 1;
    return;
  }
  console.log(`node ${process.version}, events per CPU-second; ${loaded.rules.length} SigmaHQ rules loaded and compiled in ${loadSeconds.toFixed(1)} s (${loaded.errors.length} rejected)`);
  if (!args.quick) {
    const sliced = await slicedLoadStall(folders);
    console.log(`loading them again in 10 ms slices: ${sliced.seconds.toFixed(1)} s, longest event-loop stall ${sliced.maxStallMs.toFixed(0)} ms (at once: the whole ${(loadSeconds * 1000).toFixed(0)} ms)`);
  }

  const rules = shuffled(loaded.rules, 7);
  const windows = rules.filter((r) => r.logsource.product === 'windows');
  const other = rules.filter((r) => r.logsource.product !== 'windows');

  const r = rng(42);
  const syslog = Array.from({ length: 20_000 }, () => syslogEvent(r));
  const win = Array.from({ length: 20_000 }, () => windowsEvent(r));
  // Its own generators: the streams above stay as they were before (d) existed.
  const ru = rng(43);
  const rv = rng(44);
  const uniqueBatch = (n: number): Record<string, unknown>[] => Array.from({ length: n }, () => withUniqueValues(windowsEvent(ru), rv));
  const unique = uniqueBatch(20_000);
  // Timed passes of (d) meet new values as a live stream would, in flat strings as from JSON, in
  // batches small enough to die young like the runtime's (a 20,000-event batch would be copied by
  // every scavenge of the timed part).
  const freshUnique = (): Record<string, unknown>[] => JSON.parse(JSON.stringify(uniqueBatch(2_000))) as Record<string, unknown>[];
  if (args.quick) {
    print('(b) windows over sysmon/security', measure(windows, win, args.seconds, args));
    print('(d) windows over unique values', measure(windows, unique, args.seconds, args, freshUnique));
  } else {
    print('(a) linux/web/network over syslog', measure(other, syslog, args.seconds, args));
    for (const n of [100, 500, 1000, 2000, 3000]) {
      if (n > windows.length) break;
      print('(b) windows over sysmon/security', measure(windows.slice(0, n), win, args.seconds, args));
    }
    if (windows.length % 1000 !== 0) print('(b) windows over sysmon/security', measure(windows, win, args.seconds, args));
    print('(d) windows over unique values', measure(windows, unique, args.seconds, args, freshUnique));
    print('(c) all rules over both streams', measure(rules, [...syslog, ...win], args.seconds, args));
  }
  const both = [...syslog, ...win];
  const check = matchDigest(rules, both, args);
  console.log(`matches of (c): ${check.matches} over ${both.length} events by ${check.rules} rules, digest ${check.digest}`);
  const checkUnique = matchDigest(windows, unique, args);
  console.log(`matches of (d): ${checkUnique.matches} over ${unique.length} events by ${checkUnique.rules} rules, digest ${checkUnique.digest}`);
  if (args.expectMatches !== undefined && args.expectMatches !== check.digest) {
    console.error(`match digest ${check.digest} differs from the expected ${args.expectMatches}: matching changed`);
    process.exitCode = 1;
  }
  if (args.expectUnique !== undefined && args.expectUnique !== checkUnique.digest) {
    console.error(`match digest of (d) ${checkUnique.digest} differs from the expected ${args.expectUnique}: matching changed`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
