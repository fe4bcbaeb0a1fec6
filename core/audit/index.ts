/**
 * The audit capability: an append-only, hash-chained log in `<dataDir>/audit.db`, the HTTP trail
 * of user actions (core/http/audit-trail.ts), its routes, and `socnoc audit verify`.
 */
import { Counter } from 'prom-client';
import { isAbsolute, join } from 'node:path';
import type { Logger } from 'pino';
import type { HttpModule } from '../http/deps';
import type { AuditSink } from '../http/audit-trail';
import type { Metrics } from '../metrics';
import type { AuditConfig } from './config';
import { auditHttpModule } from './http';
import { openAuditLog, type AuditLog } from './log';

export { auditConfigSchema, type AuditConfig } from './config';
export { AuditLog, openAuditLog, verifyAuditChain, MAX_AUDIT_LIMIT, type AuditFilter, type AuditPage } from './log';
export { runAuditVerify } from './cli';
export { auditHttpModule } from './http';
export { redactDetails, REDACTED } from './redact';
export { GENESIS_HASH, auditHash, canonicalAuditText } from './chain';
export * from './types';

export interface AuditDeps {
  dataDir: string;
  metrics: Metrics;
  logger: Logger;
  now?: () => number;
}

export interface AuditCapability {
  /** The log; undefined when audit.enabled is false. */
  log: AuditLog | undefined;
  /** What other modules append to (a no-op when disabled): playbooks, the CLI, the HTTP trail. */
  sink: AuditSink;
  /** For createHttpApp's `audit` dependency; undefined when disabled. */
  trail: { sink: AuditSink; skipPaths: readonly string[] } | undefined;
  /** GET /api/v1/audit and /audit/verify; undefined when disabled. */
  httpModule: HttpModule | undefined;
  stop(): void;
}

const DISABLED_SINK: AuditSink = { append: () => 0 };

export function createAudit(deps: AuditDeps, config: AuditConfig): AuditCapability {
  if (!config.enabled) {
    deps.logger.warn({ component: 'audit' }, 'audit log disabled in the configuration: user and playbook actions are not recorded');
    return { log: undefined, sink: DISABLED_SINK, trail: undefined, httpModule: undefined, stop: () => undefined };
  }
  const file = isAbsolute(config.file) ? config.file : join(deps.dataDir, config.file);
  const log = openAuditLog(file, { now: deps.now });
  new Counter({
    name: 'socnoc_audit_records_total',
    help: 'Audit records appended by this process',
    registers: [deps.metrics.registry],
    collect() {
      this.reset();
      this.inc(log.appended);
    },
  });
  return {
    log,
    sink: log,
    trail: { sink: log, skipPaths: config.trail.skipPaths },
    httpModule: auditHttpModule({ audit: log, now: deps.now }),
    stop: () => log.close(),
  };
}
