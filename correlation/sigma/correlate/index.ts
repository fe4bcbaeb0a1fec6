/** Sigma correlation rule evaluation: the engine, its state persistence and its types. */
export { CorrelationEngine } from './engine';
export type { CorrelationEngineInit, RestoreResult } from './engine';
export { CorrelationStateStore, CorrelationStatePersister, openCorrelationStateStore } from './state-store';
export type { PersisterOptions, SaveInfo } from './state-store';
export { parseCorrelationSnapshot, CorrelationSnapshotError } from './snapshot';
export type { CorrelationSnapshot } from './snapshot';
export { compileCondition } from './condition';
export type { EvaluationMode } from './condition';
export { correlationKey } from './correlator';
export { eventTimeMs } from './event-time';
export type { CorrelationHit, CorrelationEngineOptions, CorrelationEngineStats, CorrelatorStats, CorrelationSetupError } from './types';
