/**
 * CorrelationEngine: evaluates Sigma correlation rules over the stream of (event, rules it
 * matched) that SigmaRuleSet.match produces. Each matched rule that a correlation references
 * becomes an occurrence in that correlation's group window; a correlation that fires yields a
 * CorrelationHit, which in turn is an occurrence for correlations that reference it (chains).
 *
 * Time is event time (`@timestamp`). The highest event time seen is the watermark: windows that
 * end before it are closed or dropped, so memory follows the traffic of the last timespan, capped
 * per rule. State can be saved (`snapshot`) and restored across restarts.
 */
import type { EcsEvent } from '../../../core/event';
import type { CompiledSigmaRule } from '../compile';
import { FieldAccessor } from '../event-view';
import type { FieldMappings } from '../field-mapping';
import { defaultFieldMappings } from '../load';
import type { SigmaCorrelation } from '../types';
import { Correlator } from './correlator';
import { eventTimeMs } from './event-time';
import { RefFields, type ReferenceTarget } from './ref-fields';
import { parseCorrelationSnapshot, type CorrelationSnapshot } from './snapshot';
import type { CorrelationEngineOptions, CorrelationEngineStats, CorrelationHit, CorrelationSetupError } from './types';
import type { Occurrence } from './windows';

interface Feed {
  correlator: Correlator;
  /** Position of the correlator in evaluation order (referenced correlations first). */
  order: number;
  ref: number;
  fields: RefFields;
  /** What the correlation type reads from the condition field. */
  reads: 'none' | 'key' | 'number';
}

export interface CorrelationEngineInit extends CorrelationEngineOptions {
  /** Field mappings the rules were compiled with (default: rules/sigma/mappings). */
  mappings?: FieldMappings;
}

export interface RestoreResult {
  /** Groups restored. */
  groups: number;
  /** Saved correlation rules not restored: no longer loaded, or changed since the save. */
  discarded: string[];
}

const NO_HITS: readonly CorrelationHit[] = Object.freeze([]);

function readsOf(c: SigmaCorrelation): Feed['reads'] {
  if (c.type === 'value_count' || c.type === 'value_percentile') return 'key';
  if (c.type === 'value_sum' || c.type === 'value_avg') return 'number';
  return 'none';
}

function addFeed<K>(map: Map<K, Feed[]>, key: K, feed: Feed): void {
  const list = map.get(key);
  if (list) list.push(feed);
  else map.set(key, [feed]);
}

function byOrderThenLastRefFirst(a: Feed, b: Feed): number {
  return a.order - b.order || b.ref - a.ref;
}

export class CorrelationEngine {
  /** Correlation rules that could not be set up (and are not evaluated). */
  readonly errors: CorrelationSetupError[] = [];
  /** In evaluation order: a correlation comes after those it references. */
  private readonly correlators: Correlator[] = [];
  private readonly byRule = new Map<CompiledSigmaRule, Feed[]>();
  private readonly byCorrelation = new Map<SigmaCorrelation, Feed[]>();
  private readonly scope: FieldAccessor | undefined;
  private readonly pending: Feed[] = [];
  private out: CorrelationHit[] = [];
  private watermark = -Infinity;
  private nextSweep = -Infinity;
  private noTimestamp = 0;

  constructor(rules: readonly CompiledSigmaRule[], correlations: readonly SigmaCorrelation[], options: CorrelationEngineInit = {}) {
    const limits = {
      maxGroups: options.maxGroupsPerRule ?? 10_000,
      sampleSize: options.sampleSize ?? 5,
      maxEntriesPerGroup: options.maxEntriesPerGroup ?? 10_000,
    };
    const scopeField = options.scopeField === undefined ? 'organization.id' : options.scopeField;
    this.scope = scopeField ? new FieldAccessor([scopeField]) : undefined;
    const mappings = correlations.length > 0 ? (options.mappings ?? defaultFieldMappings()) : undefined;

    const rulesByRef = new Map<string, CompiledSigmaRule>();
    for (const r of rules) {
      if (r.id !== undefined) rulesByRef.set(r.id, r);
      if (r.name !== undefined && !rulesByRef.has(r.name)) rulesByRef.set(r.name, r);
    }
    const corrByRef = new Map<string, SigmaCorrelation>();
    for (const c of correlations) {
      if (c.id !== undefined) corrByRef.set(c.id, c);
      if (c.name !== undefined && !corrByRef.has(c.name)) corrByRef.set(c.name, c);
    }

    // Depth-first so that a referenced correlation is set up (and ordered) before its referrers.
    const state = new Map<SigmaCorrelation, 'visiting' | Correlator | CorrelationSetupError>();
    const setup = (c: SigmaCorrelation): Correlator | CorrelationSetupError => {
      const known = state.get(c);
      if (known === 'visiting') return this.fail(c, 'correlation references form a cycle');
      if (known !== undefined) return known;
      state.set(c, 'visiting');
      const targets: ReferenceTarget[] = [];
      let problem: CorrelationSetupError | undefined;
      for (const ref of c.rules) {
        const rule = rulesByRef.get(ref);
        const inner = rule === undefined ? corrByRef.get(ref) : undefined;
        if (rule !== undefined) targets.push({ kind: 'rule', rule });
        else if (inner !== undefined) {
          const set = setup(inner);
          if (!(set instanceof Correlator)) {
            problem = this.fail(c, `references correlation '${ref}', which is not evaluated`);
            break;
          }
          targets.push({ kind: 'correlation', correlation: inner, leaves: leavesOf(inner) });
        } else {
          problem = this.fail(c, `references '${ref}', which is no loaded rule id or name`);
          break;
        }
      }
      const fieldCount = c.condition.field?.length ?? 0;
      if (problem === undefined && (c.type === 'value_sum' || c.type === 'value_avg') && fieldCount !== 1) {
        problem = this.fail(c, `${c.type} takes exactly one condition field (got ${fieldCount})`);
      }
      if (problem !== undefined) {
        state.set(c, problem);
        return problem;
      }
      const correlator = new Correlator(c, limits, (hit) => this.emit(hit));
      const order = this.correlators.length;
      this.correlators.push(correlator);
      state.set(c, correlator);
      c.rules.forEach((ref, i) => {
        const target = targets[i];
        const feed: Feed = { correlator, order, ref: i, fields: new RefFields(c, ref, target, mappings as FieldMappings), reads: readsOf(c) };
        if (target.kind === 'rule') addFeed(this.byRule, target.rule, feed);
        else addFeed(this.byCorrelation, target.correlation, feed);
      });
      return correlator;
    };
    const leavesOf = (c: SigmaCorrelation, seen = new Set<SigmaCorrelation>()): CompiledSigmaRule[] => {
      if (seen.has(c)) return [];
      seen.add(c);
      return c.rules.flatMap((ref) => {
        const rule = rulesByRef.get(ref);
        if (rule !== undefined) return [rule];
        const inner = corrByRef.get(ref);
        return inner !== undefined ? leavesOf(inner, seen) : [];
      });
    };
    for (const c of correlations) setup(c);

    // generate: false (the default) hides what a correlation references, correlations included.
    for (const c of this.correlators) {
      if (c.correlation.generate) continue;
      for (const ref of c.correlation.rules) {
        const inner = rulesByRef.has(ref) ? undefined : corrByRef.get(ref);
        const hidden = inner !== undefined ? this.correlators.find((x) => x.correlation === inner) : undefined;
        if (hidden !== undefined) hidden.standalone = false;
      }
    }
  }

  private fail(c: SigmaCorrelation, reason: string): CorrelationSetupError {
    const error = { correlation: c, reason };
    this.errors.push(error);
    return error;
  }

  /** Correlation rules being evaluated. */
  get correlations(): SigmaCorrelation[] {
    return this.correlators.map((c) => c.correlation);
  }

  /** True when the rule feeds at least one correlation (callers may skip others cheaply). */
  feeds(rule: CompiledSigmaRule): boolean {
    return this.byRule.has(rule);
  }

  /**
   * Feeds one event and the rules it matched; returns the correlations that fired (including
   * chained ones and closing windows that ended before this event). Feed every event that
   * matched a rule; events without a time are counted and skipped.
   */
  process(event: EcsEvent, matched: readonly CompiledSigmaRule[]): readonly CorrelationHit[] {
    if (matched.length === 0 || this.byRule.size === 0) return NO_HITS;
    const pending = this.pending;
    pending.length = 0;
    for (let i = 0; i < matched.length; i++) {
      const feeds = this.byRule.get(matched[i]);
      if (feeds !== undefined) for (let j = 0; j < feeds.length; j++) pending.push(feeds[j]);
    }
    if (pending.length === 0) return NO_HITS;
    const ts = eventTimeMs(event);
    if (Number.isNaN(ts)) {
      this.noTimestamp++;
      return NO_HITS;
    }
    // temporal_ordered: one event's matches go last rule first, so it cannot make two steps.
    if (pending.length > 1) pending.sort(byOrderThenLastRefFirst);
    this.out = [];
    if (ts > this.watermark) {
      this.watermark = ts;
      // Sweeping only frees memory and emits closed windows earlier; once per second of event
      // time is enough (an occurrence for a closed window's group closes it itself).
      if (ts >= this.nextSweep) {
        this.nextSweep = ts + 1000;
        this.sweepAll();
      }
    }
    const scope = this.scope !== undefined ? scopeText(this.scope.read(event)) : undefined;
    const events = [event];
    for (let i = 0; i < pending.length; i++) this.offer(pending[i], event, undefined, ts, ts, events, 1, scope);
    return this.takeOut();
  }

  /** Event time reached `timeMs` without events (idle feeds): closes and drops ended windows. */
  advance(timeMs: number): readonly CorrelationHit[] {
    this.out = [];
    if (timeMs > this.watermark) {
      this.watermark = timeMs;
      this.sweepAll();
    }
    return this.takeOut();
  }

  /**
   * End of input (a file replay): evaluates every window that is only tested when it closes.
   * Not for a live stream, where those windows are still collecting.
   */
  flush(): readonly CorrelationHit[] {
    this.out = [];
    for (const c of this.correlators) c.flush();
    return this.takeOut();
  }

  private takeOut(): readonly CorrelationHit[] {
    const out = this.out;
    this.out = [];
    return out.length === 0 ? NO_HITS : out;
  }

  private sweepAll(): void {
    for (const c of this.correlators) c.sweep(this.watermark);
  }

  private emit(hit: CorrelationHit): void {
    this.out.push(hit);
    const feeds = this.byCorrelation.get(hit.correlation);
    if (feeds === undefined) return;
    for (const feed of feeds) this.offer(feed, undefined, hit, hit.lastSeenMs, hit.firstSeenMs, hit.events, hit.eventCount, hit.organizationId);
  }

  private offer(
    feed: Feed,
    event: EcsEvent | undefined,
    hit: CorrelationHit | undefined,
    ts: number,
    firstTs: number,
    events: readonly EcsEvent[],
    count: number,
    scope: string | undefined,
  ): void {
    const correlator = feed.correlator;
    const values = new Array<string>(correlator.correlation.groupBy.length);
    if (!feed.fields.groupValues(event, hit, values)) {
      correlator.stats.missingGroupField++;
      return;
    }
    let key = '';
    let num = Number.NaN;
    if (feed.reads === 'key') {
      const k = feed.fields.conditionKey(event, hit);
      if (k === undefined) {
        correlator.stats.missingConditionField++;
        return;
      }
      key = k;
    } else if (feed.reads === 'number') {
      num = feed.fields.conditionNumber(event, hit);
      if (!Number.isFinite(num)) {
        correlator.stats.missingConditionField++;
        return;
      }
    }
    const o: Occurrence = { ts, firstTs, ref: feed.ref, events, count, key, num };
    correlator.offer(o, values, scope);
  }

  stats(): CorrelationEngineStats {
    return {
      noTimestamp: this.noTimestamp,
      watermark: Number.isFinite(this.watermark) ? this.watermark : null,
      correlations: this.correlators.map((c) => c.currentStats()),
    };
  }

  /** Plain JSON-serializable state: every open group of every correlation rule. */
  snapshot(): CorrelationSnapshot {
    return {
      version: 1,
      savedAt: new Date().toISOString(),
      watermark: Number.isFinite(this.watermark) ? this.watermark : null,
      correlations: this.correlators.map((c) => c.save()),
    };
  }

  /**
   * Restores a snapshot (from `snapshot()`, possibly through JSON). State of correlation rules that
   * are no longer loaded or have changed shape (type, rules, group-by, timespan, condition,
   * aliases) is discarded. Throws on a malformed snapshot.
   */
  restore(snapshot: unknown): RestoreResult {
    const parsed = parseCorrelationSnapshot(snapshot);
    const byKey = new Map(this.correlators.map((c) => [c.key, c]));
    const result: RestoreResult = { groups: 0, discarded: [] };
    for (const saved of parsed.correlations) {
      const c = byKey.get(saved.key);
      if (c === undefined || c.fingerprint !== saved.fingerprint) {
        result.discarded.push(saved.key);
        continue;
      }
      result.groups += c.load(saved);
    }
    if (parsed.watermark !== null && parsed.watermark > this.watermark) this.watermark = parsed.watermark;
    return result;
  }
}

function scopeText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}
