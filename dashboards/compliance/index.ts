/**
 * The compliance capability: catalogue, systems register, evidence, assessment, reports (CLI, API,
 * schedules) and Circular 31/2017 monitoring reports. app/ calls `createCompliance` and mounts
 * `httpModule`; `socnoc report …` calls `runComplianceCli` (see docs/compliance.md).
 */
import { isAbsolute, join } from 'node:path';
import { Counter } from 'prom-client';
import type { Logger } from 'pino';
import type { Metrics } from '../../core/metrics';
import type { SqliteDb } from '../../core/store/sqlite';
import type { HttpModule } from '../../core/http/deps';
import { loadComplianceCatalog, type ComplianceCatalog } from './catalog/load';
import type { ComplianceConfig } from './config';
import { ManualEvidenceStore } from './evidence/manual-store';
import { complianceHttpModule } from './http';
import type { CompliancePorts, MailPort } from './ports';
import type { ComplianceReportDeps } from './report/run';
import { ReportScheduler } from './schedule';
import { SystemRegister } from './systems/store';

export { complianceConfigSchema, DEFAULT_COMPLIANCE_CONFIG, type ComplianceConfig } from './config';
export { runComplianceCli, splitConfigFlag, REPORT_USAGE, type ComplianceCliDeps, type OpenedStores } from './cli';
export { generateMonitoringReport, type MonitoringReportRequest } from './monitoring/run';
export { MONITORING_PERIODS, type MonitoringPeriod } from './monitoring/figures';
export { runComplianceReport, generateComplianceReport, parseComplianceReportArgs, type ComplianceReportRequest } from './report/run';
export { loadComplianceCatalog, ComplianceCatalog } from './catalog/load';
export { assessSystem } from './assessment/assess';
export { SystemRegister } from './systems/store';
export { ManualEvidenceStore } from './evidence/manual-store';
export type * from './ports';

export interface ComplianceDeps {
  /** The main database (`<dataDir>/socnoc.db`), opened by the caller. */
  db: SqliteDb;
  dataDir: string;
  logger: Logger;
  metrics: Metrics;
  ports: CompliancePorts;
  mail?: MailPort;
  now?: () => number;
}

export interface ComplianceCapability {
  catalog: ComplianceCatalog;
  systems: SystemRegister;
  documents: ManualEvidenceStore;
  /** What `runComplianceReport` needs (the CLI builds the same from its own opened stores). */
  reportDeps: ComplianceReportDeps;
  httpModule: HttpModule;
  stop(): void;
}

export function createCompliance(deps: ComplianceDeps, config: ComplianceConfig): ComplianceCapability {
  const catalog = config.catalogFile === '' ? loadComplianceCatalog() : loadComplianceCatalog(isAbsolute(config.catalogFile) ? config.catalogFile : join(deps.dataDir, config.catalogFile));
  const systems = new SystemRegister(deps.db, deps.now);
  const documents = new ManualEvidenceStore(deps.db, isAbsolute(config.evidenceDir) ? config.evidenceDir : join(deps.dataDir, config.evidenceDir), deps.now);
  const reportDeps: ComplianceReportDeps = { catalog, config, ports: deps.ports, documents, systems, audit: deps.ports.audit, now: deps.now };
  const reports = new Counter({ name: 'socnoc_compliance_scheduled_reports_total', help: 'Scheduled compliance reports run, by outcome', labelNames: ['outcome'], registers: [deps.metrics.registry] });
  const scheduler = new ReportScheduler({ db: deps.db, report: reportDeps, mail: deps.mail, logger: deps.logger, now: deps.now, onRun: (_s, outcome) => reports.inc({ outcome }) }, config.schedules);
  if (config.enabled) scheduler.start();
  return {
    catalog,
    systems,
    documents,
    reportDeps,
    httpModule: complianceHttpModule({ ...reportDeps, documents, maxUploadBytes: config.maxUploadBytes }),
    stop: () => scheduler.stop(),
  };
}
