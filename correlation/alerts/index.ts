/** Alerts: the record, its store (SQLite, deduplicating) and what a rule contributes to it. */
export * from './types';
export { AlertStore, type AlertStoreOptions, type AlertPage } from './store';
export { AlertSearchCursorError, type AlertSearchParams } from './search';
export { ALERT_MIGRATIONS, ALERT_TABLE_LAYOUT } from './schema';
export { alertDedupKey, entityGroup, fieldText, groupKeyOf } from './dedup';
export { ruleAlertInfo, attackMappingsOf, complianceMappingsOf, dedupFieldsOf, COMPLIANCE_FRAMEWORKS, DEFAULT_SEVERITY, MAPPINGS_BLOCK } from './rule-info';
export type { AlertRuleSource, RuleAlertInfo } from './rule-info';
