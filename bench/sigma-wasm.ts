/**
 * The literal scans in WebAssembly (correlation/sigma/wasm-scan.ts) against the JS scan, CPU time:
 *   - per value, warm: the CommandLine values of run (d) of bench/sigma.ts through the largest
 *     case-folded index (SigmaHQ's CommandLine literals) and its cased one, and every EventData
 *     value through the Windows keyword index (slot 0); memo off (unique values), postings marked
 *     in a MarkSink as the rule set does; both scans must find the same literals and marks;
 *   - with --ab, whole matching: two rule sets over every Windows rule in one process, one sealed
 *     with WebAssembly scans and one without, alternating fresh 2,000-event batches of (d) (then
 *     (b)'s events) in both orders, matchBatch in batches of 500; matches must be the same.
 *     --null builds both without WebAssembly (what order and placement alone do to the ratio).
 *
 *   node dist/bench/sigma-wasm.js [--sigmahq DIR] [--rounds N] [--events N] [--ab [--null]]
 */
import { join, resolve } from 'node:path';
import { defaultLogsourceTable, loadSigmaRules, SigmaRuleSet, type CompiledSigmaRule } from '../correlation/sigma';
import { MarkSink, type LiteralIndex } from '../correlation/sigma/literal-index';
import { createWasmScanArena, type WasmScanArena } from '../correlation/sigma/wasm-scan';
import { rng, windowsEvent, withUniqueValues } from './sigma-events';

interface TableInternals {
  folded: Map<number, LiteralIndex>;
  cased: Map<number, LiteralIndex>;
  accessors: { paths: readonly string[] }[];
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** CPU nanoseconds per value of one pass of `values` through `index`. */
function pass(index: LiteralIndex, values: readonly string[], sink: MarkSink, owner: object, generation: { g: number }): number {
  const start = process.cpuUsage();
  for (let v = 0; v < values.length; v++) {
    sink.next();
    index.scan([values[v]], owner, ++generation.g, sink);
  }
  const cpu = process.cpuUsage(start);
  return ((cpu.user + cpu.system) * 1000) / values.length;
}

/** The found literals with their position bits, and the marks, of every value. */
function results(index: LiteralIndex, values: readonly string[], sink: MarkSink, owner: object, generation: { g: number }): string {
  const parts: string[] = [];
  for (const v of values) {
    sink.next();
    index.scan([v], owner, ++generation.g, sink);
    const ids = Array.from(index.found.subarray(0, index.foundCount)).sort((a, b) => a - b);
    const marks = Array.from(sink.list.subarray(0, sink.count), (e) => `${e}/${sink.groups[e]}`).sort();
    parts.push(`${ids.map((id) => `${id}:${index.where[id]}`).join(',')} | ${marks.join(',')}`);
  }
  return parts.join('\n');
}

function compare(label: string, index: LiteralIndex, values: readonly string[], rounds: number, entries: number): void {
  const arena = createWasmScanArena() as WasmScanArena;
  const sink = new MarkSink(entries);
  const owner = {};
  const generation = { g: 0 };
  index.memo = null;
  index.useWasm(arena);
  index.scanInJs = true;
  const expected = results(index, values, sink, owner, generation);
  index.scanInJs = false;
  if (results(index, values, sink, owner, generation) !== expected) throw new Error(`${label}: the WebAssembly scan found other literals or marks than the JS scan`);
  const js: number[] = [];
  const wasm: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Both orders, so neither gains from running second.
    for (const useWasm of r % 2 === 0 ? [false, true] : [true, false]) {
      index.scanInJs = !useWasm;
      (useWasm ? wasm : js).push(pass(index, values, sink, owner, generation));
    }
  }
  const chars = mean(values.map((v) => v.length));
  const j = median(js);
  const w = median(wasm);
  console.log(`${label}: ${values.length} values, mean ${chars.toFixed(0)} characters; JS ${j.toFixed(0)} ns, WASM ${w.toFixed(0)} ns a value (CPU, medians of ${rounds}); WASM/JS ${(w / j).toFixed(3)}`);
}

/** Whole matching, a rule set with WebAssembly scans against one without, in one process. */
function abRun(windows: CompiledSigmaRule[], rounds: number, nullRun: boolean): void {
  const build = (wasm: boolean): SigmaRuleSet => new SigmaRuleSet(windows, { logsources: defaultLogsourceTable(), wasmScans: wasm });
  const sets = [build(false), build(!nullRun)];
  const ru = rng(43);
  const rv = rng(44);
  const rb = rng(42);
  const repeating = Array.from({ length: 20_000 }, () => windowsEvent(rb));
  const freshUnique = (): Record<string, unknown>[] => JSON.parse(JSON.stringify(Array.from({ length: 2_000 }, () => withUniqueValues(windowsEvent(ru), rv)))) as Record<string, unknown>[];
  const out: (readonly CompiledSigmaRule[])[] = [];
  const run = (set: SigmaRuleSet, events: Record<string, unknown>[]): { cpu: number; digest: string } => {
    const ids: string[] = [];
    const start = process.cpuUsage();
    for (let s = 0; s < events.length; s += 500) {
      set.matchBatch(events.slice(s, s + 500), out);
      for (const m of out) ids.push(m.length === 0 ? '' : m.map((r) => r.id ?? r.title).join(','));
    }
    const cpu = process.cpuUsage(start);
    return { cpu: (cpu.user + cpu.system) / events.length, digest: ids.join('\n') };
  };
  for (const set of sets) run(set, repeating);
  for (const [label, next] of [['(d)', freshUnique], ['(b)', () => repeating.slice(0, 2_000)]] as const) {
    const ratios: number[][] = [[], []];
    const per: number[][] = [[], []];
    for (let r = 0; r < rounds; r++) {
      const batch = next();
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      const got = order.map((k) => run(sets[k], batch));
      if (got[0].digest !== got[1].digest) throw new Error(`${label}: the two rule sets matched differently`);
      const js = got[order.indexOf(0)].cpu;
      const wasm = got[order.indexOf(1)].cpu;
      per[0].push(js);
      per[1].push(wasm);
      ratios[r % 2].push(js / wasm);
    }
    const first = mean(ratios[0]);
    const second = mean(ratios[1]);
    console.log(
      `${label} ${rounds} rounds of 2,000 events: JS ${mean(per[0]).toFixed(2)} µs, ${nullRun ? 'JS again' : 'WASM'} ${mean(per[1]).toFixed(2)} µs an event (CPU); ` +
        `speed-up JS first ${first.toFixed(3)}, other first ${second.toFixed(3)}, geometric mean ${Math.sqrt(first * second).toFixed(3)}x`,
    );
  }
}

function main(): void {
  const sigmahq = resolve(arg('--sigmahq', join('..', 'shared', 'sigma', 'sigmahq')));
  const rounds = Number(arg('--rounds', '15'));
  const count = Number(arg('--events', '20000'));
  const loaded = loadSigmaRules(['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((f) => join(sigmahq, f)));
  const windows = loaded.rules.filter((r) => r.logsource.product === 'windows');
  if (process.argv.includes('--ab')) {
    abRun(windows, rounds, process.argv.includes('--null'));
    return;
  }
  // Without arenas of its own: each index compared is placed in an arena with the comparison's sink.
  const set = new SigmaRuleSet(windows, { logsources: defaultLogsourceTable(), wasmScans: false });
  const table = (set as unknown as { table: TableInternals }).table;
  const ru = rng(43);
  const rv = rng(44);
  const data = Array.from({ length: count }, () => (withUniqueValues(windowsEvent(ru), rv).winlog as { event_data: Record<string, unknown> }).event_data);
  const commandLines = data.map((d) => d.CommandLine).filter((v): v is string => typeof v === 'string');
  const eventData = data.flatMap((d) => Object.values(d)).filter((v): v is string => typeof v === 'string');
  const commandLine = [...table.folded.values()].sort((a, b) => b.size - a.size)[0];
  console.log(`largest folded index: slot ${commandLine.slot} (${table.accessors[commandLine.slot].paths[0]}), ${commandLine.size} literals, ${commandLine.states} states`);
  compare('CommandLine folded', commandLine, commandLines, rounds, windows.length);
  const cased = table.cased.get(commandLine.slot);
  if (cased !== undefined) compare(`CommandLine cased (${cased.size} literals)`, cased, commandLines, rounds, windows.length);
  const keyword = table.folded.get(0);
  if (keyword !== undefined) {
    console.log(`slot 0: ${table.accessors[0].paths[0]}, ${keyword.size} literals, ${keyword.states} states`);
    compare('keyword index over EventData values', keyword, eventData, rounds, windows.length);
  }
}

main();
