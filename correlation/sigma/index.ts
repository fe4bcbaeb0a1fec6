/** Public API of the Sigma engine (what app/ and the CLI wire). */
export { loadSigmaRules, defaultFieldMappings, defaultLogsourceTable, defaultSigmaDataDir } from './load';
export type { LoadSigmaOptions, LoadSigmaResult } from './load';
export { compileRule, SigmaRuleError } from './compile';
export type { CompiledSigmaRule, CompileOptions } from './compile';
export { SigmaRuleSet } from './ruleset';
export type { SigmaRuleSetOptions } from './ruleset';
export { FieldMappings, loadFieldMappings } from './field-mapping';
export { LogsourceTable, loadLogsourceTable } from './logsource';
export type { EventLogsource } from './logsource';
export { parseSigmaText } from './parse';
export type * from './types';
export { CorrelationEngine, CorrelationStateStore, CorrelationStatePersister, openCorrelationStateStore } from './correlate';
export type { CorrelationHit, CorrelationEngineInit, CorrelationEngineOptions, CorrelationEngineStats, CorrelationSnapshot, RestoreResult } from './correlate';
