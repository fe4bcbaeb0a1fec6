/** The `socnoc rules …` commands; app/cli.ts wires them (and the syslog line converter). */
export { runRulesValidate, formatValidation, RULES_VALIDATE_USAGE } from './rules-validate';
export { runRulesTest, RULES_TEST_USAGE } from './rules-test';
export type { RulesTestDeps } from './rules-test';
export type { CliIo } from './output';
export type { SyslogLineToEvent, InputFormat } from './event-input';
