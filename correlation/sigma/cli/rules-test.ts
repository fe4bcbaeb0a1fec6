/**
 * `socnoc rules test --rules PATH… --events FILE`: replays a file of events through the rules
 * (detection and correlation) and prints one JSON line per match on stdout:
 *   {"rule_id", "rule_title", "level", "event_index", "event"}                 a rule match
 *   {"rule_id", "rule_title", "level", "event_indexes", "correlation_type",
 *    "group", "value", "event_count", "first_seen", "last_seen", "event"}       a correlation hit
 * Event indexes count events from 0 in file order. Rules that only feed a correlation
 * (`generate: false`) are not printed unless --all. A summary goes to stderr.
 * Exit codes: 0 done, 1 invalid input records (each named by line) or nothing to test, 2 usage.
 */
import { statSync, createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { EcsEvent } from '../../../core/event';
import type { CompiledSigmaRule } from '../compile';
import { CorrelationEngine, type CorrelationHit } from '../correlate';
import { defaultFieldMappings, defaultLogsourceTable, loadSigmaRules, type LoadSigmaResult } from '../load';
import { formatLoadError, ruleLoadOptions } from '../load-report';
import { SigmaRuleSet } from '../ruleset';
import { EventFileReader, InputFormatError, type InputFormat, type SyslogLineToEvent } from './event-input';
import { BufferedWriter, isTty, ProgressLine, type CliIo } from './output';

export interface RulesTestDeps {
  /** The syslog collector's line → event conversion, wired by app/ (correlation cannot import collectors). */
  syslogLineToEvent?: SyslogLineToEvent;
  /** Input for `--events -` (default process.stdin). */
  stdin?: Readable;
}

export const RULES_TEST_USAGE = `usage: socnoc rules test --rules PATH… --events FILE|- [options]
  --rules PATH        rule file or folder (repeatable; further paths may follow it)
  --events FILE       events: JSON lines (ECS, Winlogbeat, evtx_dump -o jsonl), concatenated
                      JSON (evtx_dump -o json, arrays), or raw syslog lines; '-' reads stdin
  --format F          auto (default), jsonl, json or syslog
  --all               also print matches of rules that only feed a correlation
  --no-routing        run every rule on every event (ignore logsources)
  --sample N          events kept at each end of a correlation window, which
                      event_indexes lists (default 25)
  --placeholders FILE values for %placeholders% (YAML map)
  --mappings DIR      field mapping tables instead of rules/sigma/mappings`;

const MAX_REPORTED_PROBLEMS = 20;
/** Events matched together (SigmaRuleSet.matchBatch), as many as a pipeline batch. */
const MATCH_CHUNK = 500;

interface Counts {
  events: number;
  invalid: number;
  ruleMatches: number;
  correlationHits: number;
  rulesMatched: Set<string>;
  kinds: Map<string, number>;
}

function eventKind(e: Record<string, unknown>): string {
  const ev = e.Event;
  if (ev !== null && typeof ev === 'object' && 'System' in ev) return 'evtx';
  if ('winlog' in e || 'winlog.channel' in e || 'winlog.event_id' in e) return 'winlogbeat';
  return 'ecs';
}

function ruleLine(r: CompiledSigmaRule, index: number, event: Record<string, unknown>): string {
  const out: Record<string, unknown> = { rule_id: r.id ?? null, rule_title: r.title, level: r.level ?? null, event_index: index };
  if (r.name !== undefined) out.rule_name = r.name;
  if (!r.standalone) out.standalone = false;
  out.event = event;
  return JSON.stringify(out);
}

function hitLine(hit: CorrelationHit, indexes: WeakMap<object, number>): string {
  const c = hit.correlation;
  const eventIndexes = [...new Set(hit.events.map((e) => indexes.get(e)).filter((i): i is number => i !== undefined))].sort((a, b) => a - b);
  const out: Record<string, unknown> = { rule_id: c.id ?? null, rule_title: c.title, level: c.level ?? null, event_indexes: eventIndexes };
  if (c.name !== undefined) out.rule_name = c.name;
  if (!hit.standalone) out.standalone = false;
  out.correlation_type = c.type;
  out.group = hit.groupKey;
  if (hit.organizationId !== undefined) out.organization_id = hit.organizationId;
  out.value = hit.value;
  if (hit.fieldValue !== undefined) out.field_value = hit.fieldValue;
  out.event_count = hit.eventCount;
  out.first_seen = hit.firstSeen;
  out.last_seen = hit.lastSeen;
  out.event = hit.events.at(-1) ?? null;
  return JSON.stringify(out);
}

function parseFormat(v: string | undefined): InputFormat | 'auto' | undefined {
  if (v === undefined) return 'auto';
  if (v === 'auto' || v === 'jsonl' || v === 'json' || v === 'syslog') return v;
  return undefined;
}

export async function runRulesTest(args: string[], io: CliIo, deps: RulesTestDeps = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        rules: { type: 'string', multiple: true },
        events: { type: 'string' },
        format: { type: 'string' },
        all: { type: 'boolean' },
        'no-routing': { type: 'boolean' },
        sample: { type: 'string' },
        placeholders: { type: 'string' },
        mappings: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.stderr.write(`rules test: ${(err as Error).message}\n${RULES_TEST_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${RULES_TEST_USAGE}\n`);
    return 0;
  }
  const rulePaths = [...(values.rules ?? []), ...positionals];
  const format = parseFormat(values.format);
  const sample = values.sample === undefined ? 25 : Number(values.sample);
  const usage = (problem: string): number => {
    io.stderr.write(`rules test: ${problem}\n${RULES_TEST_USAGE}\n`);
    return 2;
  };
  if (rulePaths.length === 0) return usage('--rules is required');
  if (values.events === undefined) return usage('--events is required');
  if (format === undefined) return usage(`--format must be auto, jsonl, json or syslog (got '${values.format}')`);
  if (!Number.isInteger(sample) || sample < 1) return usage('--sample must be a positive integer');

  let loaded: LoadSigmaResult;
  let options;
  try {
    options = ruleLoadOptions(values);
    loaded = loadSigmaRules(rulePaths, options);
  } catch (err) {
    io.stderr.write(`rules test: ${(err as Error).message}\n`);
    return 2;
  }
  reportRuleErrors(loaded, io);
  if (loaded.rules.length === 0) {
    io.stderr.write('rules test: no rule loaded\n');
    return 1;
  }
  const set = new SigmaRuleSet(loaded.rules, { logsources: defaultLogsourceTable(), routing: values['no-routing'] ? 'all' : 'logsource' });
  const engine = new CorrelationEngine(loaded.rules, loaded.correlations, { mappings: options.mappings ?? defaultFieldMappings(), sampleSize: sample });
  for (const e of engine.errors) io.stderr.write(`rules test: correlation '${e.correlation.title}' (${e.correlation.location.file}:${e.correlation.location.line}) not evaluated: ${e.reason}\n`);

  const file = values.events;
  let input: Readable;
  let totalBytes: number | undefined;
  if (file === '-') input = deps.stdin ?? process.stdin;
  else {
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      totalBytes = st.size;
    } catch (err) {
      io.stderr.write(`rules test: cannot read events file ${file}: ${(err as Error).message}\n`);
      return 1;
    }
    input = createReadStream(file, { highWaterMark: 1 << 20 });
  }

  const started = Date.now();
  const counts: Counts = { events: 0, invalid: 0, ruleMatches: 0, correlationHits: 0, rulesMatched: new Set(), kinds: new Map() };
  const progress = isTty(io.stderr) ? new ProgressLine(io.stderr, totalBytes) : undefined;
  let bytes = 0;
  const reader = new EventFileReader(input, { format, syslogLineToEvent: deps.syslogLineToEvent, onBytes: (n) => (bytes = n) });
  const out = new BufferedWriter(io.stdout);
  const indexes = new WeakMap<object, number>();
  const showAll = values.all === true;
  const emitHits = (hits: readonly CorrelationHit[]): void => {
    for (const hit of hits) {
      if (!hit.standalone && !showAll) continue;
      counts.correlationHits++;
      counts.rulesMatched.add(hit.correlation.id ?? hit.correlation.title);
      out.line(hitLine(hit, indexes));
    }
  };
  const label = file === '-' ? 'stdin' : file;
  // Events are matched in chunks through matchBatch (grouped by logsource, as the runtime matches
  // bus batches), then reported and correlated in input order.
  const chunk: Array<Record<string, unknown>> = [];
  const chunkIndexes: number[] = [];
  const chunkMatches: (readonly CompiledSigmaRule[])[] = [];
  const matchChunk = (): void => {
    set.matchBatch(chunk, chunkMatches);
    for (let k = 0; k < chunk.length; k++) {
      const event = chunk[k];
      const index = chunkIndexes[k];
      const matched = chunkMatches[k];
      for (const r of matched) {
        if (!r.standalone && !showAll) continue;
        counts.ruleMatches++;
        counts.rulesMatched.add(r.id ?? r.title);
        out.line(ruleLine(r, index, event));
      }
      if (matched.length > 0) emitHits(engine.process(event as EcsEvent, matched));
    }
    chunk.length = 0;
    chunkIndexes.length = 0;
  };
  try {
    for await (const record of reader.records()) {
      if (!record.ok) {
        counts.invalid++;
        if (counts.invalid <= MAX_REPORTED_PROBLEMS) {
          progress?.clear();
          io.stderr.write(`rules test: ${label}:${record.line}: ${record.reason}\n`);
        }
        continue;
      }
      const event = record.event;
      const index = counts.events++;
      indexes.set(event, index);
      const kind = reader.format === 'syslog' ? 'syslog' : eventKind(event);
      counts.kinds.set(kind, (counts.kinds.get(kind) ?? 0) + 1);
      chunk.push(event);
      chunkIndexes.push(index);
      if (progress !== undefined && (index & 1023) === 0) progress.update(bytes, counts.events);
      if (chunk.length < MATCH_CHUNK) continue;
      matchChunk();
      if (out.full) await out.flush();
    }
    matchChunk();
  } catch (err) {
    progress?.clear();
    await out.flush();
    const reason = err instanceof InputFormatError ? err.message : `cannot read: ${(err as Error).message}`;
    io.stderr.write(`rules test: ${label}: ${reason}\n`);
    return 1;
  }
  // End of input: windows that are only tested when they close are tested now.
  emitHits(engine.flush());
  await out.flush();
  progress?.clear();
  if (counts.invalid > MAX_REPORTED_PROBLEMS) io.stderr.write(`rules test: … ${counts.invalid - MAX_REPORTED_PROBLEMS} more invalid records\n`);
  io.stderr.write(summary(counts, reader.format, loaded, engine, Date.now() - started) + '\n');
  if (counts.invalid > 0) return 1;
  return 0;
}

function reportRuleErrors(loaded: LoadSigmaResult, io: CliIo): void {
  const shown = loaded.errors.slice(0, MAX_REPORTED_PROBLEMS);
  for (const e of shown) io.stderr.write(`rules test: rejected ${formatLoadError(e)}\n`);
  if (loaded.errors.length > shown.length) {
    io.stderr.write(`rules test: … ${loaded.errors.length - shown.length} more rejected documents (socnoc rules validate lists them all)\n`);
  }
}

function summary(counts: Counts, format: InputFormat | undefined, loaded: LoadSigmaResult, engine: CorrelationEngine, ms: number): string {
  const kinds = [...counts.kinds.entries()].map(([k, n]) => `${k} ${n}`).join(', ');
  const parts = [
    `rules test: ${counts.events} events${format ? ` (${format}${kinds ? `: ${kinds}` : ''})` : ''} in ${(ms / 1000).toFixed(2)} s`,
    `${counts.ruleMatches} rule matches, ${counts.correlationHits} correlation hits from ${counts.rulesMatched.size} rules`,
    `${loaded.rules.length} rules and ${engine.correlations.length} correlation rules loaded, ${loaded.errors.length} rejected`,
    `${counts.invalid} invalid records`,
  ];
  return parts.join('; ');
}
