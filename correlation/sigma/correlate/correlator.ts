/**
 * One correlation rule's groups: which window each group-by value has, when occurrences are
 * added, when the condition is tested, and what a fire emits. The groups live in one Map whose
 * order is the eviction and expiry order: least recently used first for sliding windows, earliest
 * opened first for closing ones, so both the per-rule cap and expiry work from the front.
 */
import { createHash } from 'node:crypto';
import type { SigmaCorrelation } from '../types';
import { compileCondition, type CompiledCondition } from './condition';
import { KEY_SEPARATOR } from './ref-fields';
import type { CorrelationHit, CorrelatorStats } from './types';
import { createWindow, loadWindow, ShareWindow, DistinctWindow, type CorrelationWindow, type Occurrence, type WindowLimits, type WindowState } from './windows';

interface Group {
  values: string[];
  scope: string | undefined;
  window: CorrelationWindow;
  /** When a closing window opened (its first occurrence). */
  openedAt: number;
  /** Latest occurrence time: a sliding window ends here. */
  newest: number;
}

export interface GroupSnapshot {
  key: string;
  values: string[];
  scope: string | null;
  openedAt: number;
  newest: number;
  window: WindowState;
}

export interface CorrelatorSnapshot {
  key: string;
  fingerprint: string;
  groups: GroupSnapshot[];
}

export interface CorrelatorLimits extends WindowLimits {
  maxGroups: number;
}

/** How snapshots and stats name a correlation rule. */
export function correlationKey(c: SigmaCorrelation): string {
  return c.id ?? c.name ?? `${c.title} (${c.location.file}:${c.location.line})`;
}

/** Changes when anything that shapes the state changes; a snapshot of another shape is not restored. */
export function correlationFingerprint(c: SigmaCorrelation): string {
  const shape = [c.type, c.rules, c.groupBy, c.timespanMs, c.condition.field ?? [], Object.entries(c.condition.operators).sort(), Object.entries(c.aliases).sort()];
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16);
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

export class Correlator {
  readonly key: string;
  readonly fingerprint: string;
  readonly condition: CompiledCondition;
  readonly stats: CorrelatorStats;
  /** False when the correlation only feeds another one with generate: false. */
  standalone = true;
  private groups = new Map<string, Group>();
  private readonly timespan: number;

  constructor(
    readonly correlation: SigmaCorrelation,
    private readonly limits: CorrelatorLimits,
    private readonly emit: (hit: CorrelationHit) => void,
  ) {
    this.key = correlationKey(correlation);
    this.fingerprint = correlationFingerprint(correlation);
    this.condition = compileCondition(correlation);
    this.timespan = correlation.timespanMs;
    this.stats = {
      key: this.key,
      title: correlation.title,
      type: correlation.type,
      groups: 0,
      hits: 0,
      evicted: 0,
      expired: 0,
      late: 0,
      missingGroupField: 0,
      missingConditionField: 0,
      truncated: 0,
    };
  }

  get groupCount(): number {
    return this.groups.size;
  }

  /** Adds one occurrence to its group (group-by values and scope already read). */
  offer(o: Occurrence, values: readonly string[], scope: string | undefined): void {
    const key = scope === undefined ? values.join('\u0000') : scope + '\u0001' + values.join('\u0000');
    if (this.condition.mode === 'closing') this.offerClosing(key, o, values, scope);
    else this.offerSliding(key, o, values, scope);
  }

  private offerSliding(key: string, o: Occurrence, values: readonly string[], scope: string | undefined): void {
    let g = this.groups.get(key);
    if (g !== undefined) {
      // Least recently used order: move to the back.
      this.groups.delete(key);
      this.groups.set(key, g);
    } else g = this.open(key, o.ts, values, scope);
    if (o.ts > g.newest) g.newest = o.ts;
    const w = g.window;
    if (!w.add(o, g.newest - this.timespan)) {
      this.stats.late++;
      return;
    }
    this.stats.truncated += w.takeTruncated();
    const value = w.value(o);
    if (!this.condition.test(value)) return;
    if (w instanceof ShareWindow) {
      if (w.claim(o.key, o.ts)) this.fire(g, value, o.key.split(KEY_SEPARATOR).join(', '));
      return;
    }
    this.fire(g, value, w instanceof DistinctWindow ? w.valueList().join(', ') : undefined);
    w.reset();
  }

  private offerClosing(key: string, o: Occurrence, values: readonly string[], scope: string | undefined): void {
    let g = this.groups.get(key);
    if (g !== undefined && o.ts > g.openedAt + this.timespan) {
      this.groups.delete(key);
      this.close(g);
      g = undefined;
    }
    if (g === undefined) g = this.open(key, o.ts, values, scope);
    if (o.ts < g.openedAt) {
      this.stats.late++;
      return;
    }
    g.window.add(o, -Infinity);
    this.stats.truncated += g.window.takeTruncated();
    if (o.ts > g.newest) g.newest = o.ts;
  }

  private open(key: string, ts: number, values: readonly string[], scope: string | undefined): Group {
    if (this.groups.size >= this.limits.maxGroups) {
      const oldest = this.groups.keys().next().value as string;
      this.groups.delete(oldest);
      this.stats.evicted++;
    }
    const g: Group = { values: values.slice(), scope, window: createWindow(this.correlation, this.condition.mode, this.limits), openedAt: ts, newest: ts };
    this.groups.set(key, g);
    return g;
  }

  /** Tests a closing window's condition once, at its end. */
  private close(g: Group): void {
    this.stats.expired++;
    const w = g.window;
    const value = w.value();
    if (this.condition.test(value)) this.fire(g, value, w instanceof DistinctWindow ? w.valueList().join(', ') : undefined);
  }

  /**
   * Event time has reached `watermark`: sliding groups with nothing left in their window are
   * dropped; closing windows that ended before it are evaluated.
   */
  sweep(watermark: number): void {
    const limit = watermark - this.timespan;
    if (this.condition.mode === 'closing') {
      for (const [key, g] of this.groups) {
        if (g.openedAt >= limit) break;
        this.groups.delete(key);
        this.close(g);
      }
      return;
    }
    for (const [key, g] of this.groups) {
      if (g.newest >= limit) break;
      this.groups.delete(key);
      this.stats.expired++;
    }
  }

  /** Evaluates every open closing window now (end of input); sliding windows have nothing pending. */
  flush(): void {
    if (this.condition.mode !== 'closing') return;
    const groups = [...this.groups.values()];
    this.groups = new Map();
    for (const g of groups) this.close(g);
  }

  private fire(g: Group, value: number, fieldValue: string | undefined): void {
    const w = g.window;
    const groupKey: Record<string, string> = {};
    const names = this.correlation.groupBy;
    for (let i = 0; i < names.length; i++) groupKey[names[i]] = g.values[i];
    const first = w.firstSeen();
    const last = w.lastSeen();
    this.stats.hits++;
    this.emit({
      correlation: this.correlation,
      standalone: this.standalone,
      groupKey,
      organizationId: g.scope,
      value,
      fieldValue,
      events: w.sample(),
      eventCount: w.eventCount(),
      firstSeenMs: first,
      lastSeenMs: last,
      firstSeen: iso(first),
      lastSeen: iso(last),
    });
  }

  currentStats(): CorrelatorStats {
    this.stats.groups = this.groups.size;
    return { ...this.stats };
  }

  save(): CorrelatorSnapshot {
    const groups: GroupSnapshot[] = [];
    for (const [key, g] of this.groups) {
      groups.push({ key, values: g.values, scope: g.scope ?? null, openedAt: g.openedAt, newest: g.newest, window: g.window.save() });
    }
    return { key: this.key, fingerprint: this.fingerprint, groups };
  }

  /** Restores saved groups (in saved order, which is the eviction order); returns how many. */
  load(snapshot: CorrelatorSnapshot): number {
    this.groups = new Map();
    let n = 0;
    // Over the cap (a smaller limit than when saved): keep the most recently used, at the back.
    const saved = snapshot.groups.slice(Math.max(0, snapshot.groups.length - this.limits.maxGroups));
    for (const s of saved) {
      if (s.values.length !== this.correlation.groupBy.length) continue;
      const window = createWindow(this.correlation, this.condition.mode, this.limits);
      if (!loadWindow(window, s.window)) continue;
      this.groups.set(s.key, { values: s.values, scope: s.scope ?? undefined, window, openedAt: s.openedAt, newest: s.newest });
      n++;
    }
    return n;
  }
}
