/**
 * Scheduled reports: each configured schedule runs at its latest due instant (local time) once,
 * e.g. yearly on 18 December for the annual report due to the owner by 20 December (Circular
 * 12/2022 Art. 13). The last run of each schedule is kept in SQLite so a restart neither repeats
 * nor skips one; a schedule never seen before starts counting from now.
 */
import type { Logger } from 'pino';
import { applyMigrations, type SqliteDb } from '../../core/store/sqlite';
import type { ReportSchedule } from './config';
import type { MailPort } from './ports';
import { generateMonitoringReport } from './monitoring/run';
import { MONITORING_TEXT } from './monitoring/render';
import { generateComplianceReport, type ComplianceReportDeps } from './report/run';
import { TEXT } from './report/strings';

const MIGRATIONS: readonly string[] = ['CREATE TABLE compliance_schedule_runs (name TEXT PRIMARY KEY, last_run INTEGER NOT NULL, last_sha256 TEXT)'];

/** The latest instant ≤ now at which the schedule is due (server local time). */
export function latestDue(s: ReportSchedule, now: number): number {
  const d = new Date(now);
  const at = (y: number, m: number, day: number): number => new Date(y, m, day, s.hour, 0, 0, 0).getTime();
  switch (s.cadence) {
    case 'daily': {
      const today = at(d.getFullYear(), d.getMonth(), d.getDate());
      return today <= now ? today : at(d.getFullYear(), d.getMonth(), d.getDate() - 1);
    }
    case 'weekly': {
      // getDay(): 0 = Sunday; the schedule's weekday: 1 = Monday … 7 = Sunday.
      const back = (d.getDay() - (s.weekday % 7) + 7) % 7;
      const candidate = at(d.getFullYear(), d.getMonth(), d.getDate() - back);
      return candidate <= now ? candidate : at(d.getFullYear(), d.getMonth(), d.getDate() - back - 7);
    }
    case 'monthly': {
      const candidate = at(d.getFullYear(), d.getMonth(), s.day);
      return candidate <= now ? candidate : at(d.getFullYear(), d.getMonth() - 1, s.day);
    }
    case 'yearly': {
      const candidate = at(d.getFullYear(), s.month - 1, s.day);
      return candidate <= now ? candidate : at(d.getFullYear() - 1, s.month - 1, s.day);
    }
  }
}

export interface ReportSchedulerDeps {
  db: SqliteDb;
  report: ComplianceReportDeps;
  mail?: MailPort;
  logger: Logger;
  now?: () => number;
  /** Called after each run (metrics). */
  onRun?: (schedule: ReportSchedule, outcome: 'sent' | 'failed') => void;
}

export class ReportScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly now: () => number;

  constructor(
    private readonly deps: ReportSchedulerDeps,
    private readonly schedules: readonly ReportSchedule[],
  ) {
    applyMigrations(deps.db, 'compliance_schedules', MIGRATIONS);
    this.now = deps.now ?? Date.now;
    const insert = deps.db.prepare('INSERT OR IGNORE INTO compliance_schedule_runs (name, last_run) VALUES (?, ?)');
    for (const s of schedules) insert.run(s.name, this.now());
  }

  start(intervalMs = 60_000): void {
    if (this.schedules.length === 0 || this.timer !== undefined) return;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs every schedule that fell due since its last run; returns the names run. */
  async tick(): Promise<string[]> {
    if (this.running) return [];
    this.running = true;
    const ran: string[] = [];
    try {
      const now = this.now();
      for (const s of this.schedules) {
        const row = this.deps.db.prepare('SELECT last_run FROM compliance_schedule_runs WHERE name = ?').get(s.name) as { last_run: number };
        if (latestDue(s, now) <= row.last_run) continue;
        ran.push(s.name);
        try {
          const sha = await this.runOne(s);
          this.deps.db.prepare('UPDATE compliance_schedule_runs SET last_run = ?, last_sha256 = ? WHERE name = ?').run(now, sha, s.name);
          this.deps.onRun?.(s, 'sent');
        } catch (err) {
          // Recorded as run so a broken mailer does not resend every minute; the log says why.
          this.deps.db.prepare('UPDATE compliance_schedule_runs SET last_run = ? WHERE name = ?').run(now, s.name);
          this.deps.logger.error({ component: 'compliance', schedule: s.name, err }, `scheduled report ${s.name} failed: ${(err as Error).message}`);
          this.deps.onRun?.(s, 'failed');
        }
      }
    } finally {
      this.running = false;
    }
    return ran;
  }

  private async runOne(s: ReportSchedule): Promise<string> {
    if (this.deps.mail === undefined) throw new Error(`scheduled report ${s.name}: no mailer connected`);
    const actor = { type: 'system' as const, id: `schedule:${s.name}` };
    const report =
      s.report === 'monitoring'
        ? await generateMonitoringReport(this.deps.report, { period: s.period, agency: s.agency as string, format: s.format, lang: s.lang, actor })
        : await generateComplianceReport(this.deps.report, { regime: s.regime, system: s.system, agency: s.agency, format: s.format, lang: s.lang, actor });
    const t = TEXT[s.lang];
    const title = s.report === 'monitoring' ? MONITORING_TEXT[s.lang].title[s.period] : t.title;
    await this.deps.mail.send({
      to: s.recipients,
      subject: `[socnoc] ${title}: ${s.name}`,
      text: `${title}\n${s.system !== undefined ? t.scopeSystem : t.scopeAgency}: ${s.system ?? s.agency}\nSHA-256: ${report.sha256}\n`,
      attachments: [{ filename: report.fileName, content: report.content, contentType: report.contentType }],
    });
    return report.sha256;
  }
}
