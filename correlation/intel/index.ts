/**
 * The threat intel capability: feeds (STIX 2.1, MISP, CSV/TXT; files or URLs, refreshed), the
 * index they fill, the detection stage that matches events against it, and the HTTP routes.
 *
 *   const intel = createIntel({ logger, metrics }, config.intel);
 *   engine.addStage(intel.stage);
 *   modules.push(intel.http);
 *   await intel.start();      // first read of every feed settled (failures logged, not thrown)
 *   …
 *   await intel.stop();
 */
import type { Logger } from 'pino';
import type { Metrics } from '../../core/metrics';
import type { HttpModule } from '../../core/http/deps';
import type { DetectionStage } from '../runtime/types';
import type { IntelConfig } from './config';
import { join } from 'node:path';
import { IntelFeeds } from './feeds/intel-feeds';
import { intelHttpModule } from './http';
import { IntelIndex } from './intel-index';
import { intelStats, releaseIntelStats, type IntelStats } from './metrics';
import { intelStage } from './stage';

export interface IntelDeps {
  logger: Logger;
  metrics: Metrics;
  /** Wall clock in ms (expiry, refresh times); replaceable in tests. */
  now?: () => number;
  /** socnoc's data folder: URL feeds keep their last good set in `intel-cache/` there. */
  dataDir?: string;
}

export interface IntelCapability {
  readonly index: IntelIndex;
  readonly feeds: IntelFeeds;
  /** Add to the detection engine; matches nothing when intel is disabled. */
  readonly stage: DetectionStage;
  readonly http: HttpModule;
  readonly stats: IntelStats;
  /** Reads every enabled feed once and schedules the refreshes. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createIntel(deps: IntelDeps, config: IntelConfig): IntelCapability {
  const logger = deps.logger.child({ component: 'intel' });
  const index = new IntelIndex({ maxParentLabels: config.maxParentLabels });
  const stats = intelStats(deps.metrics.registry);
  const cacheDir = deps.dataDir === undefined ? undefined : join(deps.dataDir, 'intel-cache');
  const feeds = new IntelFeeds(config.enabled ? config.feeds : [], { index, logger, stats, now: deps.now, cacheDir });
  const stage = intelStage(index, { minConfidence: config.minConfidence, stats, now: deps.now });
  const http = intelHttpModule({ index, feeds, lookupMaxValues: config.lookupMaxValues, now: deps.now });
  return {
    index,
    feeds,
    stage,
    http,
    stats,
    async start() {
      if (!config.enabled) {
        logger.info('threat intel disabled in the configuration: no feeds read, nothing matched');
        return;
      }
      await feeds.start();
    },
    async stop() {
      feeds.stop();
      releaseIntelStats(deps.metrics.registry, stats);
    },
  };
}

export { intelConfigSchema, type IntelConfig, type IntelFeedConfig } from './config';
export { IntelIndex, type IntelMatch, type IntelFeedView } from './intel-index';
export { intelStage, levelOfConfidence } from './stage';
export { intelHttpModule } from './http';
export { IntelFeeds, type FeedStatus } from './feeds/intel-feeds';
export type { Indicator, IndicatorType } from './types';
