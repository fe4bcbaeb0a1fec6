/**
 * A set of compiled rules sharing one field table, indexed by logsource and prefiltered by
 * literals:
 *   1. routing — an event is derived to (product, services, categories) once, and meets only the
 *      rules whose logsource keys are all absent or equal to the event's (cached per distinct
 *      event logsource);
 *   2. prefilter — each field the candidates' prefilters need is scanned once with its shared
 *      Aho-Corasick index (or looked up in its numeric index); a literal or number found marks
 *      the rules posted under it (prefilter.ts), collected in a list;
 *   3. evaluation — the rules without a usable prefilter, then the marked candidates, run their
 *      matcher; matches are returned in rule order.
 */
import type { EcsEvent } from '../../core/event';
import type { CompiledSigmaRule } from './compile';
import { EventView, FieldTable } from './event-view';
import { MarkSink, type LiteralIndex } from './literal-index';
import type { NumberIndex } from './number-index';
import { LogsourceTable, type EventLogsource } from './logsource';
import type { Matcher } from './matchers';
import { rulePrefilter } from './prefilter';

export interface SigmaRuleSetOptions {
  /** How events are derived to logsources; without a table every event has no logsource. */
  logsources?: LogsourceTable;
  /**
   * 'logsource' (default): route by logsource. 'all': every rule sees every event (for testing
   * rules against events that carry no routing fields).
   */
  routing?: 'logsource' | 'all';
  /** Literal prefilters (default true); off evaluates every routed rule, for comparison. */
  prefilter?: boolean;
  /** Literal scans of ASCII values in WebAssembly (default true; wasm-scan.ts); off for comparison. */
  wasmScans?: boolean;
}

interface Entry {
  rule: CompiledSigmaRule;
  matcher: Matcher;
  index: number;
  /** No usable prefilter: always evaluated. */
  always: boolean;
  /** Prefilter is empty: the rule can never match (e.g. a placeholder with no values). */
  never: boolean;
  /** Bits of the prefilter groups that must all be found before the rule runs. */
  groups: number;
  indexes: LiteralIndex[];
  numberIndexes: NumberIndex[];
}

interface Candidates {
  /** Position in the rule set's list of prepared candidate sets (groups a batch, see matchBatch). */
  id: number;
  entries: Entry[];
  /** Entry indexes of the candidates without a prefilter: always evaluated. */
  always: Int32Array;
  /** 1 for the prefiltered candidates: evaluated when a scan marks them. */
  member: Uint8Array;
  /** Literal and numeric indexes to consult so that every prefiltered entry can be marked. */
  scans: LiteralIndex[];
  numbers: NumberIndex[];
}

const NO_MATCHES: readonly CompiledSigmaRule[] = Object.freeze([]);

function bucketKey(product: string, category: string, service: string): string {
  return `${product}\u0000${category}\u0000${service}`;
}

export class SigmaRuleSet {
  readonly rules: readonly CompiledSigmaRule[];
  private readonly table = new FieldTable();
  private readonly view: EventView;
  private readonly entries: Entry[];
  private readonly buckets = new Map<string, Entry[]>();
  private readonly candidateCache = new Map<string, Candidates>();
  private readonly logsources: LogsourceTable;
  private readonly routing: 'logsource' | 'all';
  private readonly sink: MarkSink;
  private readonly matchers: Matcher[];
  /** Per entry: its `groups` bits. */
  private readonly needed: Uint8Array;
  /** Entry indexes of the current event's matches (before sorting into rule order). */
  private readonly hits: Int32Array;
  private allCandidates: Candidates | undefined;
  /** Every prepared candidate set, by id. */
  private readonly prepared: Candidates[] = [];
  /** matchBatch scratch: each event's candidate set id, events per id, the grouped order. */
  private batchIds = new Int32Array(0);
  private batchOrder = new Int32Array(0);
  private groupCounts = new Int32Array(0);

  constructor(rules: readonly CompiledSigmaRule[], options: SigmaRuleSetOptions = {}) {
    this.rules = rules;
    const usePrefilter = options.prefilter ?? true;
    this.entries = rules.map((rule, index) => {
      const matcher = rule.bind(this.table);
      const groups = usePrefilter ? rulePrefilter(rule.tree, this.table) : null;
      const indexes = new Set<LiteralIndex>();
      const numberIndexes = new Set<NumberIndex>();
      (groups ?? []).forEach((keys, group) => {
        for (const k of keys) {
          if (k.kind === 'literal') {
            k.index.addPosting(k.id, index, group);
            indexes.add(k.index);
          } else {
            k.index.addPosting(k.value, index, group);
            numberIndexes.add(k.index);
          }
        }
      });
      return {
        rule,
        matcher,
        index,
        always: groups === null,
        never: groups !== null && groups.some((g) => g.length === 0),
        groups: groups === null ? 0 : (1 << groups.length) - 1,
        indexes: [...indexes],
        numberIndexes: [...numberIndexes],
      };
    });
    this.table.seal(options.wasmScans ?? true);
    this.view = new EventView(this.table);
    this.sink = new MarkSink(this.entries.length);
    this.hits = new Int32Array(this.entries.length);
    this.needed = Uint8Array.from(this.entries, (e) => e.groups);
    this.matchers = this.entries.map((e) => e.matcher);
    this.logsources = options.logsources ?? new LogsourceTable({});
    this.routing = options.routing ?? 'logsource';
    for (const e of this.entries) {
      const ls = e.rule.logsource;
      const key = bucketKey(ls.product ?? '', ls.category ?? '', ls.service ?? '');
      let bucket = this.buckets.get(key);
      if (!bucket) this.buckets.set(key, (bucket = []));
      bucket.push(e);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** The logsource the set derives for an event (for diagnostics and the CLI). */
  logsourceOf(event: EcsEvent | Record<string, unknown>): EventLogsource {
    return this.logsources.derive(event);
  }

  /** Rules that could apply to the event by logsource, in rule order. */
  candidates(event: EcsEvent | Record<string, unknown>): readonly CompiledSigmaRule[] {
    return this.candidatesFor(event).entries.map((e) => e.rule);
  }

  /** Rules whose detection (and filters) match the event, in rule order. */
  match(event: EcsEvent | Record<string, unknown>): readonly CompiledSigmaRule[] {
    return this.matchWith(event, this.candidatesFor(event));
  }

  /**
   * match() for every event of a batch: `out[i]` receives the matches of `events[i]`. The events
   * are evaluated grouped by logsource (stable within a group), so the literal automata and
   * matchers of one logsource stay in cache across its events instead of being evicted by every
   * other event type in between (a 10,900-literal CommandLine automaton scanned cold costs about
   * twice as much). Matching one event does not depend on the others: the results are those of
   * match(), in the batch's order.
   */
  matchBatch(events: readonly (EcsEvent | Record<string, unknown>)[], out: (readonly CompiledSigmaRule[])[]): void {
    const n = events.length;
    out.length = n;
    if (this.batchIds.length < n) {
      this.batchIds = new Int32Array(n);
      this.batchOrder = new Int32Array(n);
    }
    const ids = this.batchIds;
    for (let i = 0; i < n; i++) ids[i] = this.candidatesFor(events[i]).id;
    const groups = this.prepared.length;
    if (this.groupCounts.length < groups + 1) this.groupCounts = new Int32Array(Math.max(groups + 1, 2 * this.groupCounts.length));
    // Counting sort by candidate set: counts become each group's first slot in `order`.
    const counts = this.groupCounts;
    counts.fill(0, 0, groups + 1);
    for (let i = 0; i < n; i++) counts[ids[i] + 1]++;
    for (let g = 1; g <= groups; g++) counts[g] += counts[g - 1];
    const order = this.batchOrder;
    for (let i = 0; i < n; i++) order[counts[ids[i]]++] = i;
    const prepared = this.prepared;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      out[i] = this.matchWith(events[i], prepared[ids[i]]);
    }
  }

  private matchWith(event: EcsEvent | Record<string, unknown>, candidates: Candidates): readonly CompiledSigmaRule[] {
    if (candidates.entries.length === 0) return NO_MATCHES;
    const view = this.view;
    view.reset(event);
    const sink = this.sink;
    sink.next();
    const scans = candidates.scans;
    for (let i = 0; i < scans.length; i++) {
      const idx = scans[i];
      idx.scan(view.strings(idx.slot), view, view.generation, sink);
    }
    const numbers = candidates.numbers;
    for (let i = 0; i < numbers.length; i++) numbers[i].mark(view.raw(numbers[i].slot), sink);
    // Only the unfiltered candidates and the marked ones run (marks may name entries of other
    // logsources: the indexes are shared by the whole set).
    const matchers = this.matchers;
    const hits = this.hits;
    let found = 0;
    const always = candidates.always;
    for (let i = 0; i < always.length; i++) {
      const e = always[i];
      if (matchers[e].test(view)) hits[found++] = e;
    }
    const marked = sink.list;
    const member = candidates.member;
    const groups = sink.groups;
    const needed = this.needed;
    for (let i = 0; i < sink.count; i++) {
      const e = marked[i];
      if (member[e] === 1 && groups[e] === needed[e] && matchers[e].test(view)) hits[found++] = e;
    }
    view.reset(undefined);
    return found === 0 ? NO_MATCHES : this.inRuleOrder(found);
  }

  /** The rules of `hits[0..found)` in rule order. */
  private inRuleOrder(found: number): CompiledSigmaRule[] {
    const order = this.hits.subarray(0, found).sort();
    const out: CompiledSigmaRule[] = [];
    for (let i = 0; i < order.length; i++) out.push(this.rules[order[i]]);
    return out;
  }

  private candidatesFor(event: unknown): Candidates {
    if (this.routing === 'all') return (this.allCandidates ??= this.prepare(this.entries));
    const ls = this.logsources.derive(event);
    let cached = this.candidateCache.get(ls.key);
    if (cached === undefined) {
      cached = this.prepare(this.collect(ls));
      this.candidateCache.set(ls.key, cached);
    }
    return cached;
  }

  private prepare(entries: Entry[]): Candidates {
    const live = entries.filter((e) => !e.never);
    const scans = new Set<LiteralIndex>();
    const numbers = new Set<NumberIndex>();
    for (const e of live) {
      for (const idx of e.indexes) scans.add(idx);
      for (const idx of e.numberIndexes) numbers.add(idx);
    }
    const member = new Uint8Array(this.entries.length);
    for (const e of live) if (!e.always) member[e.index] = 1;
    const always = Int32Array.from(live.filter((e) => e.always), (e) => e.index);
    const prepared: Candidates = { id: this.prepared.length, entries: live, always, member, scans: [...scans], numbers: [...numbers] };
    this.prepared.push(prepared);
    return prepared;
  }

  private collect(ls: EventLogsource): Entry[] {
    const products = ls.product !== undefined ? [ls.product, ''] : [''];
    const services = [...ls.services, ''];
    const categories = [...ls.categories, ''];
    const seen = new Set<Entry>();
    for (const p of products) {
      for (const c of categories) {
        for (const s of services) {
          const bucket = this.buckets.get(bucketKey(p, c, s));
          if (bucket) for (const e of bucket) seen.add(e);
        }
      }
    }
    return [...seen].sort((a, b) => a.index - b.index);
  }
}
