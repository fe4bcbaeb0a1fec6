/**
 * Sigma correlation rules as a detection stage: the CorrelationEngine of sigma/correlate fed with
 * every event's matches. A reload builds a new engine and hands it the old one's windows (state of
 * correlations whose definition changed is dropped by the engine); state is saved to SQLite every
 * `saveIntervalMs` and on stop, and restored at start, so a restart resumes half-filled windows.
 * Windows that close with time are evaluated after each batch, at the batch's last event time.
 */
import type { Logger } from 'pino';
import type { EcsEvent } from '../../core/event';
import type { SqliteDb } from '../../core/store/sqlite';
import { CorrelationEngine, CorrelationStateStore, eventTimeMs, type CorrelationEngineOptions, type CorrelationHit } from '../sigma/correlate';
import type { DetectionHit, DetectionStage } from './types';

export interface CorrelationStageOptions extends CorrelationEngineOptions {
  logger: Logger;
  /** Where window state survives restarts (table namespace `correlation_state`); none: memory only. */
  stateDb?: SqliteDb;
  /** Default 30 s. */
  saveIntervalMs?: number;
  now?: () => number;
}

function toDetectionHit(h: CorrelationHit): DetectionHit {
  return {
    rule: h.correlation,
    events: h.events,
    group: h.groupKey,
    time: h.lastSeenMs,
    organization: h.organizationId !== undefined ? { id: h.organizationId } : undefined,
  };
}

function pushStandalone(out: readonly CorrelationHit[], hits: DetectionHit[]): void {
  for (let i = 0; i < out.length; i++) if (out[i].standalone) hits.push(toDetectionHit(out[i]));
}

export function sigmaCorrelationStage(options: CorrelationStageOptions): DetectionStage {
  const log = options.logger;
  const state = options.stateDb !== undefined ? new CorrelationStateStore(options.stateDb) : undefined;
  const saveIntervalMs = options.saveIntervalMs ?? 30_000;
  const now = options.now ?? Date.now;
  let engine: CorrelationEngine | undefined;
  let lastEvent: EcsEvent | undefined;
  let lastSave = now();

  const save = (): void => {
    if (state === undefined || engine === undefined) return;
    try {
      state.save(engine.snapshot());
    } catch (err) {
      log.error({ err }, 'saving correlation state failed; windows will start empty after a restart');
    }
    lastSave = now();
  };

  return {
    name: 'sigma-correlation',
    load(rules) {
      const next = new CorrelationEngine(rules.rules, rules.correlations, options);
      let saved: unknown;
      try {
        saved = engine !== undefined ? engine.snapshot() : state?.load();
        if (saved !== undefined) {
          const restored = next.restore(saved);
          if (restored.discarded.length > 0) log.info({ discarded: restored.discarded }, 'correlation state of changed or removed rules dropped');
        }
      } catch (err) {
        log.error({ err }, 'correlation state could not be restored; windows start empty');
      }
      for (const e of next.errors) {
        log.warn({ file: e.correlation.location.file, line: e.correlation.location.line, document: e.correlation.title }, `correlation not evaluated: ${e.reason}`);
      }
      engine = next;
    },
    process(event, matches, hits) {
      lastEvent = event;
      if (engine === undefined || matches.length === 0) return;
      pushStandalone(engine.process(event, matches), hits);
    },
    flush(hits) {
      if (engine === undefined) return;
      if (lastEvent !== undefined) {
        const t = eventTimeMs(lastEvent);
        if (!Number.isNaN(t)) pushStandalone(engine.advance(t), hits);
        lastEvent = undefined;
      }
      if (state !== undefined && now() - lastSave >= saveIntervalMs) save();
    },
    stop() {
      save();
    },
  };
}
