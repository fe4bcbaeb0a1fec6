/**
 * The configured feeds: each is read at start and every `refreshMinutes`, its indicators indexed
 * and swapped into the IntelIndex. A read that fails (unreachable URL, a document that is not a
 * bundle) keeps the last good set and is logged and counted; indicators without their own expiry
 * stop matching `expiryDays` after the feed last listed them, so a feed that stays broken ages out.
 * A URL feed's last good set is also kept on disk (`cacheDir`) and used when the first read after a
 * start fails; its age counts from the read that produced it.
 */
import type { Logger } from 'pino';
import type { IntelFeedConfig } from '../config';
import { FeedIndex } from '../feed-index';
import type { IntelIndex } from '../intel-index';
import type { FeedStats, IntelStats } from '../metrics';
import type { ImportIssue, IndicatorType, ParsedIndicator } from '../types';
import { loadFeedCache, saveFeedCache } from './feed-cache';
import { feedSource, readFeed, type FeedReadState } from './read-feed';

export type FeedState = 'disabled' | 'loading' | 'ok' | 'failed';

export interface FeedStatus {
  name: string;
  format: IntelFeedConfig['format'];
  /** File path or URL (without credentials). */
  source: string;
  enabled: boolean;
  /** ok: the last read succeeded; failed: it did not (the previous set, if any, still matches). */
  state: FeedState;
  indicators: number;
  byType: Partial<Record<IndicatorType, number>>;
  /** Epoch ms; 0: never. */
  lastAttempt: number;
  /** Last read that succeeded, changed or not. */
  lastSuccess: number;
  /** Last read that produced a new indicator set. */
  lastChange: number;
  lastError: string | undefined;
  nextRefresh: number;
  refreshes: number;
  failures: number;
  durationMs: number;
  bytes: number;
  /** Entries of the last new set: rejected as invalid, not supported, skipped on purpose, repeated. */
  invalid: number;
  unsupported: number;
  skipped: number;
  duplicates: number;
  errors: ImportIssue[];
  unsupportedList: ImportIssue[];
  /** Epoch ms of the read whose on-disk copy is matching now because the feed could not be read; 0: none. */
  fromCache: number;
}

export interface IntelFeedsDeps {
  index: IntelIndex;
  logger: Logger;
  stats: IntelStats;
  now?: () => number;
  /** Folder for the last good set of URL feeds; undefined: memory only. */
  cacheDir?: string;
}

type FeedDeps = IntelFeedsDeps & { now: () => number };

class IntelFeed {
  readonly status: FeedStatus;
  private readState: FeedReadState = {};
  private current: FeedIndex | undefined;
  private running: Promise<FeedStatus> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly stats: FeedStats;

  constructor(
    readonly config: IntelFeedConfig,
    private readonly deps: FeedDeps,
  ) {
    this.stats = deps.stats.feed(config.name);
    this.status = {
      name: config.name,
      format: config.format,
      source: feedSource(config),
      enabled: config.enabled,
      state: config.enabled ? 'loading' : 'disabled',
      indicators: 0,
      byType: {},
      lastAttempt: 0,
      lastSuccess: 0,
      lastChange: 0,
      lastError: undefined,
      nextRefresh: 0,
      refreshes: 0,
      failures: 0,
      durationMs: 0,
      bytes: 0,
      invalid: 0,
      unsupported: 0,
      skipped: 0,
      duplicates: 0,
      errors: [],
      unsupportedList: [],
      fromCache: 0,
    };
  }

  get index(): FeedIndex | undefined {
    return this.current;
  }

  /** One read at a time: a refresh asked for during a read waits for that read. */
  refresh(force: boolean): Promise<FeedStatus> {
    if (this.running !== undefined) return this.running;
    const run = this.read(force).finally(() => {
      this.running = undefined;
      this.schedule();
    });
    this.running = run;
    return run;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped || !this.config.enabled || this.config.refreshMinutes === 0) {
      this.status.nextRefresh = 0;
      return;
    }
    const delay = this.config.refreshMinutes * 60_000;
    this.status.nextRefresh = this.deps.now() + delay;
    this.timer = setTimeout(() => void this.refresh(false), delay);
    this.timer.unref();
  }

  private publish(index: FeedIndex, seenAt: number): void {
    const config = this.config;
    const lastSeen = Math.floor(seenAt / 1000);
    this.deps.index.setFeed({
      name: config.name,
      index,
      lastSeen,
      defaultUntil: config.expiryDays > 0 ? lastSeen + Math.round(config.expiryDays * 86_400) : 0,
      agencies: config.agencies !== undefined ? new Set(config.agencies) : undefined,
      level: config.level,
    });
  }

  private async read(force: boolean): Promise<FeedStatus> {
    const { logger, now } = this.deps;
    const status = this.status;
    const started = now();
    status.lastAttempt = started;
    status.refreshes++;
    try {
      const result = await readFeed(this.config, this.readState, force);
      this.readState = result.state;
      const finished = now();
      if (!result.changed) {
        this.stats.refreshNotModified++;
        if (this.current !== undefined) this.publish(this.current, finished);
      } else {
        const report = result.report;
        const index = this.install(report.indicators, finished);
        status.fromCache = 0;
        Object.assign(status, {
          lastChange: finished,
          bytes: result.bytes,
          invalid: report.invalid,
          unsupported: report.unsupported,
          skipped: report.skipped,
          duplicates: index.duplicates,
          errors: report.errors,
          unsupportedList: report.unsupportedList,
        });
        this.stats.refreshOk++;
        this.stats.indicators = index.size;
        this.stats.rejected = report.invalid + report.unsupported;
        logger.info(
          { feed: this.config.name, indicators: index.size, invalid: report.invalid, unsupported: report.unsupported, skipped: report.skipped, duplicates: index.duplicates, documents: result.documents, bytes: result.bytes, ms: finished - started },
          'intel feed loaded',
        );
        for (const e of report.errors.slice(0, 5)) logger.warn({ feed: this.config.name, position: e.position }, `intel entry rejected: ${e.position}: ${e.reason}`);
        await this.saveCache(report.indicators, finished);
      }
      status.state = 'ok';
      status.lastSuccess = finished;
      status.lastError = undefined;
      status.durationMs = finished - started;
    } catch (err) {
      status.state = 'failed';
      status.failures++;
      status.lastError = (err as Error).message;
      status.durationMs = now() - started;
      this.stats.refreshFailed++;
      if (this.current === undefined) await this.loadCache();
      logger.warn(
        { feed: this.config.name, err: (err as Error).message, kept: status.indicators },
        this.current !== undefined ? 'intel feed refresh failed; the previous indicators keep matching' : 'intel feed could not be loaded; it matches nothing until it loads',
      );
    }
    return status;
  }

  /** Indexes a set, swaps it in and updates the counts shown in the status. */
  private install(indicators: ParsedIndicator[], readAt: number): FeedIndex {
    const index = new FeedIndex(indicators, { defaultConfidence: this.config.confidence, loadedAt: Math.floor(readAt / 1000), previous: this.current });
    this.current = index;
    this.publish(index, readAt);
    const byType: Partial<Record<IndicatorType, number>> = {};
    for (const ind of index.all) byType[ind.type] = (byType[ind.type] ?? 0) + 1;
    this.status.indicators = index.size;
    this.status.byType = byType;
    return index;
  }

  private async saveCache(indicators: readonly ParsedIndicator[], readAt: number): Promise<void> {
    const dir = this.deps.cacheDir;
    if (dir === undefined || this.config.url === undefined) return;
    try {
      await saveFeedCache(dir, this.config.name, indicators, readAt);
    } catch (err) {
      this.deps.logger.warn({ feed: this.config.name, err: (err as Error).message }, 'intel feed could not be cached on disk; a restart while it is unreachable will match nothing from it');
    }
  }

  private async loadCache(): Promise<void> {
    const dir = this.deps.cacheDir;
    if (dir === undefined || this.config.url === undefined) return;
    try {
      const cached = await loadFeedCache(dir, this.config.name);
      if (cached === undefined) return;
      this.install(cached.indicators, cached.savedAt);
      this.status.fromCache = cached.savedAt;
      this.stats.indicators = this.status.indicators;
      this.deps.logger.info({ feed: this.config.name, indicators: this.status.indicators, savedAt: new Date(cached.savedAt).toISOString() }, 'intel feed unreachable: matching its last good set from disk');
    } catch (err) {
      this.deps.logger.warn({ feed: this.config.name, err: (err as Error).message }, 'intel feed cache unreadable');
    }
  }
}

export class IntelFeeds {
  private readonly feeds = new Map<string, IntelFeed>();

  constructor(configs: readonly IntelFeedConfig[], deps: IntelFeedsDeps) {
    const full: FeedDeps = { ...deps, now: deps.now ?? Date.now };
    for (const c of configs) this.feeds.set(c.name, new IntelFeed(c, full));
  }

  /** Reads every enabled feed; resolves when each first read has settled (failures are logged, not thrown). */
  async start(): Promise<void> {
    await Promise.all([...this.feeds.values()].filter((f) => f.config.enabled).map((f) => f.refresh(false)));
  }

  stop(): void {
    for (const f of this.feeds.values()) f.stop();
  }

  names(): string[] {
    return [...this.feeds.keys()];
  }

  config(name: string): IntelFeedConfig | undefined {
    return this.feeds.get(name)?.config;
  }

  status(name: string): FeedStatus | undefined {
    return this.feeds.get(name)?.status;
  }

  statuses(): FeedStatus[] {
    return [...this.feeds.values()].map((f) => f.status);
  }

  /** Re-reads a feed now, ignoring If-None-Match/If-Modified-Since and file times; undefined when unknown. */
  refresh(name: string): Promise<FeedStatus> | undefined {
    return this.feeds.get(name)?.refresh(true);
  }
}
