/**
 * A set of compiled rules sharing one field table, indexed by logsource and prefiltered by
 * literals:
 *   1. routing — an event is derived to (product, services, categories) once, and meets only the
 *      rules whose logsource keys are all absent or equal to the event's (cached per distinct
 *      event logsource);
 *   2. prefilter — each field the candidates' prefilters need is scanned once with its shared
 *      Aho-Corasick index; a literal found marks the rules posted under it (prefilter.ts);
 *   3. evaluation — marked rules, and rules without a usable prefilter, run their matcher.
 */
import type { EcsEvent } from '../../core/event';
import type { CompiledSigmaRule } from './compile';
import { EventView, FieldTable } from './event-view';
import type { LiteralIndex } from './literal-index';
import { LogsourceTable, type EventLogsource } from './logsource';
import type { Matcher } from './matchers';
import { prefilterOf } from './prefilter';

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
}

interface Entry {
  rule: CompiledSigmaRule;
  matcher: Matcher;
  index: number;
  /** No usable prefilter: always evaluated. */
  always: boolean;
  /** Prefilter is empty: the rule can never match (e.g. a placeholder with no values). */
  never: boolean;
  indexes: LiteralIndex[];
}

interface Candidates {
  entries: Entry[];
  /** Entry indexes of `entries`, for the hot loop. */
  order: Int32Array;
  /** Literal indexes to scan so that every prefiltered entry can be marked. */
  scans: LiteralIndex[];
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
  private readonly marks: Uint32Array;
  /** 1 for entries without a prefilter (always evaluated). */
  private readonly always: Uint8Array;
  private readonly matchers: Matcher[];
  private markGeneration = 0;
  private allCandidates: Candidates | undefined;

  constructor(rules: readonly CompiledSigmaRule[], options: SigmaRuleSetOptions = {}) {
    this.rules = rules;
    const usePrefilter = options.prefilter ?? true;
    this.entries = rules.map((rule, index) => {
      const matcher = rule.bind(this.table);
      const keys = usePrefilter ? prefilterOf(rule.tree, this.table) : null;
      const indexes = new Set<LiteralIndex>();
      if (keys !== null) {
        for (const k of keys) {
          k.index.addPosting(k.id, index);
          indexes.add(k.index);
        }
      }
      return { rule, matcher, index, always: keys === null, never: keys !== null && keys.length === 0, indexes: [...indexes] };
    });
    this.table.seal();
    this.view = new EventView(this.table);
    this.marks = new Uint32Array(this.entries.length);
    this.always = Uint8Array.from(this.entries, (e) => (e.always ? 1 : 0));
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
    const candidates = this.candidatesFor(event);
    const order = candidates.order;
    if (order.length === 0) return NO_MATCHES;
    const view = this.view;
    view.reset(event);
    let mark = this.markGeneration + 1;
    if (mark === 0xffffffff) {
      this.marks.fill(0);
      mark = 1;
    }
    this.markGeneration = mark;
    const scans = candidates.scans;
    for (let i = 0; i < scans.length; i++) {
      const idx = scans[i];
      idx.scan(idx.cased ? view.strings(idx.slot) : view.lower(idx.slot), view, view.generation, this.marks, mark);
    }
    let out: CompiledSigmaRule[] | undefined;
    const marks = this.marks;
    const always = this.always;
    const matchers = this.matchers;
    for (let i = 0; i < order.length; i++) {
      const e = order[i];
      if (always[e] === 0 && marks[e] !== mark) continue;
      if (matchers[e].test(view)) (out ??= []).push(this.rules[e]);
    }
    view.reset(undefined);
    return out ?? NO_MATCHES;
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
    for (const e of live) for (const idx of e.indexes) scans.add(idx);
    return { entries: live, order: Int32Array.from(live, (e) => e.index), scans: [...scans] };
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
