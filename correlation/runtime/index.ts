/** The detection runtime: rules loaded and reloaded, events matched from the bus, alerts stored. */
export { createDetectionEngine, EVENTS_SUBJECT, CORRELATION_GROUP, type DetectionEngine, type DetectionEngineDeps } from './engine';
export { sigmaCorrelationStage, type CorrelationStageOptions } from './correlation-stage';
export type { DetectionHit, DetectionRules, DetectionStage, RuleCatalog, RuleLoadError, RuleLoadInfo, RuleSummary } from './types';
export { BUILTIN_RULESET, BUILTIN_NON_RULE_ENTRIES, ruleSources, type RuleSource } from './rule-loader';
export { builtinSigmaRulesDir, socnocPackageRoot } from './package-root';
