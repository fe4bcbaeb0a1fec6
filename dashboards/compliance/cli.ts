/**
 * `socnoc report compliance …` and `socnoc report monitoring …`: reports from the data folder the
 * server uses, whether it runs or not. The stores are opened read-only by app/ (openStores); only
 * the audit log is written, with the report's digest. Prints `SHA256  PATH` (what `sha256sum -c`
 * reads). Exit codes: 0 written, 1 failed, 2 bad arguments.
 */
import { writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import Database from 'better-sqlite3';
import { loadComplianceCatalog } from './catalog/load';
import type { ComplianceConfig } from './config';
import { ManualEvidenceStore } from './evidence/manual-store';
import { MONITORING_PERIODS, type MonitoringPeriod } from './monitoring/figures';
import { generateMonitoringReport, type MonitoringReportRequest } from './monitoring/run';
import type { CompliancePorts } from './ports';
import { generateComplianceReport, parseComplianceReportArgs, REPORT_FORMATS, ReportScopeError, type ReportFormat } from './report/run';
import type { ReportLang } from './report/strings';
import { SystemRegister } from './systems/store';
import type { SqliteDb } from '../../core/store/sqlite';

export interface TextOut {
  write(text: string): unknown;
}

export interface OpenedStores {
  ports: CompliancePorts;
  /** `<dataDir>/socnoc.db`, read-only; undefined when the server never ran. */
  coreDb: SqliteDb | undefined;
  close(): Promise<void>;
}

export interface ComplianceCliDeps {
  config: ComplianceConfig;
  dataDir: string;
  out: TextOut;
  err?: TextOut;
  /** Opens the server's stores (app/compliance-ports.ts openCompliancePortsReadOnly). */
  openStores: () => OpenedStores;
  now?: () => number;
}

export const REPORT_USAGE = `Usage:
  socnoc report compliance --regime decree85|decree331 --system ID|--agency ID --format pdf|html|csv --lang vi|en --out FILE
  socnoc report monitoring --period daily|weekly|semiannual --agency ID --format pdf|html|csv --lang vi|en --out FILE`;

class ReportUsageError extends Error {}

/** `--flag value` pairs; every flag must be one of `allowed` and carry a value. */
function flagValues(command: string, argv: readonly string[], allowed: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    if (!allowed.includes(flag)) throw new ReportUsageError(`report ${command}: unknown argument "${flag}"`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new ReportUsageError(`report ${command}: ${flag} needs a value`);
    values.set(flag, value);
  }
  return values;
}

function oneOf<T extends string>(command: string, flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  const v = value ?? fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new ReportUsageError(`report ${command}: ${flag} must be one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
}

/** `--period daily --agency ID --format pdf --lang vi --out FILE`; defaults: weekly, pdf, vi. */
export function parseMonitoringReportArgs(argv: readonly string[]): MonitoringReportRequest & { out: string } {
  const v = flagValues('monitoring', argv, ['--period', '--agency', '--format', '--lang', '--out']);
  const agency = v.get('--agency');
  if (agency === undefined) throw new ReportUsageError('report monitoring: --agency ID is required');
  const out = v.get('--out');
  if (out === undefined) throw new ReportUsageError('report monitoring: --out FILE is required');
  return {
    period: oneOf<MonitoringPeriod>('monitoring', '--period', v.get('--period'), MONITORING_PERIODS, 'weekly'),
    agency,
    format: oneOf<ReportFormat>('monitoring', '--format', v.get('--format'), REPORT_FORMATS, 'pdf'),
    lang: oneOf<ReportLang>('monitoring', '--lang', v.get('--lang'), ['vi', 'en'], 'vi'),
    out,
  };
}

/** Splits `--config FILE` off the arguments (app/cli.ts loads the configuration before calling). */
export function splitConfigFlag(argv: readonly string[]): { configPath: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let configPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config') configPath = argv[++i];
    else rest.push(argv[i]);
  }
  return { configPath, rest };
}

function hasTable(db: SqliteDb, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Tables the server never created (compliance not yet run there) are stood in for by empty ones in memory. */
function storesOf(coreDb: SqliteDb | undefined, evidenceDir: string): { systems: SystemRegister; documents: ManualEvidenceStore; close(): void } {
  let memory: SqliteDb | undefined;
  const dbFor = (table: string): SqliteDb => (coreDb !== undefined && hasTable(coreDb, table) ? coreDb : (memory ??= new Database(':memory:')));
  return {
    systems: new SystemRegister(dbFor('compliance_systems')),
    documents: new ManualEvidenceStore(dbFor('compliance_evidence_documents'), evidenceDir),
    close: () => memory?.close(),
  };
}

async function write(out: string, content: Buffer, sha256: string, auditSeq: number | undefined, deps: ComplianceCliDeps): Promise<void> {
  writeFileSync(out, content);
  deps.out.write(`${sha256}  ${out}\n`);
  (deps.err ?? process.stderr).write(auditSeq !== undefined ? `report: ${content.length} bytes; digest recorded as audit record ${auditSeq}\n` : `report: ${content.length} bytes; audit log disabled, digest not recorded\n`);
}

export async function runComplianceCli(argv: readonly string[], deps: ComplianceCliDeps): Promise<number> {
  const err = deps.err ?? process.stderr;
  const [sub, ...rest] = argv;
  let parsed: { kind: 'compliance'; req: ReturnType<typeof parseComplianceReportArgs> } | { kind: 'monitoring'; req: ReturnType<typeof parseMonitoringReportArgs> };
  try {
    if (sub === 'compliance') parsed = { kind: 'compliance', req: parseComplianceReportArgs(rest) };
    else if (sub === 'monitoring') parsed = { kind: 'monitoring', req: parseMonitoringReportArgs(rest) };
    else throw new ReportUsageError(`report: unknown subcommand "${sub ?? ''}" (compliance, monitoring)`);
  } catch (e) {
    err.write(`${(e as Error).message}\n${REPORT_USAGE}\n`);
    return 2;
  }
  let stores: OpenedStores | undefined;
  try {
    stores = deps.openStores();
    const audit = stores.ports.audit;
    if (parsed.kind === 'monitoring') {
      const report = await generateMonitoringReport({ config: deps.config, ports: stores.ports, audit, now: deps.now }, parsed.req);
      await write(parsed.req.out, report.content, report.sha256, report.auditSeq, deps);
      return 0;
    }
    const catalog = deps.config.catalogFile === '' ? loadComplianceCatalog() : loadComplianceCatalog(isAbsolute(deps.config.catalogFile) ? deps.config.catalogFile : join(deps.dataDir, deps.config.catalogFile));
    const register = storesOf(stores.coreDb, isAbsolute(deps.config.evidenceDir) ? deps.config.evidenceDir : join(deps.dataDir, deps.config.evidenceDir));
    try {
      const report = await generateComplianceReport({ catalog, config: deps.config, ports: stores.ports, documents: register.documents, systems: register.systems, audit, now: deps.now }, parsed.req);
      await write(parsed.req.out, report.content, report.sha256, report.auditSeq, deps);
    } finally {
      register.close();
    }
    return 0;
  } catch (e) {
    err.write(e instanceof ReportScopeError ? `${e.message}\n` : `report ${sub}: ${(e as Error).message}\n`);
    return e instanceof ReportScopeError ? 2 : 1;
  } finally {
    await stores?.close();
  }
}
