/** Alerts: the record, its store (SQLite, deduplicating) and what a rule contributes to it. */
export * from './types';
export { AlertStore, type AlertStoreOptions, type AlertPage } from './store';
export type { AlertHead } from './heads';
export { AlertSearchCursorError, ALERT_SORTS, type AlertSearchParams, type AlertSort, type SortOrder } from './search';
export { AlertLifecycle, AlertNotFoundError, AlertTransitionError, ALERT_TRANSITIONS, canTransition, MAX_COMMENT_LENGTH, type AlertUpdate, type AlertUpdateResult } from './lifecycle';
export { AlertSuppressions, SuppressionInputError, ANY_RULE, type SuppressionInput, type SuppressionChanges } from './suppression';
export { registerAlertMetrics } from './metrics';
export { ALERT_MIGRATIONS, ALERT_TABLE_LAYOUT } from './schema';
export { alertDedupKey, entityGroup, fieldText, groupKeyOf } from './dedup';
export { ruleAlertInfo, attackMappingsOf, complianceMappingsOf, dedupFieldsOf, dedupWindowOf, COMPLIANCE_FRAMEWORKS, DEFAULT_SEVERITY, MAPPINGS_BLOCK } from './rule-info';
export type { AlertRuleSource, RuleAlertInfo } from './rule-info';
