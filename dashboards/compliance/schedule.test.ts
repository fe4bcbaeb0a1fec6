/** When scheduled reports fall due, and that a due schedule mails its report once. */
import pino from 'pino';
import { openSqlite } from '../../core/store/sqlite';
import { loadComplianceCatalog } from './catalog/load';
import { DEFAULT_COMPLIANCE_CONFIG, scheduleSchema } from './config';
import type { MailPort } from './ports';
import { latestDue, ReportScheduler } from './schedule';
import { SystemRegister } from './systems/store';
import { parseComplianceReportArgs } from './report/run';

const local = (y: number, m: number, d: number, h = 0): number => new Date(y, m - 1, d, h).getTime();

describe('latestDue', () => {
  it('yearly on 18 December at 07:00', () => {
    const s = scheduleSchema.parse({ name: 'annual', cadence: 'yearly', month: 12, day: 18, agency: 'hcm', recipients: ['ciso@example.vn'] });
    expect(latestDue(s, local(2026, 12, 18, 8))).toBe(local(2026, 12, 18, 7));
    expect(latestDue(s, local(2026, 12, 18, 6))).toBe(local(2025, 12, 18, 7));
  });

  it('weekly on Monday', () => {
    const s = scheduleSchema.parse({ name: 'w', cadence: 'weekly', weekday: 1, hour: 7, agency: 'hcm', recipients: ['a@example.vn'] });
    // 2026-11-20 is a Friday: the last Monday 07:00 is 16 November.
    expect(latestDue(s, local(2026, 11, 20, 12))).toBe(local(2026, 11, 16, 7));
  });

  it('rejects a schedule naming both a system and an agency', () => {
    expect(() => scheduleSchema.parse({ name: 'x', cadence: 'daily', system: 's', agency: 'a', recipients: ['a@example.vn'] })).toThrow('give exactly one of system or agency');
  });
});

describe('ReportScheduler', () => {
  it('mails a due report once, with the report attached', async () => {
    const db = openSqlite(':memory:');
    let now = local(2026, 12, 17, 12);
    const systems = new SystemRegister(db);
    systems.create({ name: 'Portal', agency: 'hcm', level: 3 });
    const sent: Array<{ to: readonly string[]; subject: string; attachments: Array<{ filename: string; content: Buffer }> }> = [];
    const mail: MailPort = { send: async (m) => void sent.push(m) };
    const schedule = scheduleSchema.parse({ name: 'annual', cadence: 'yearly', month: 12, day: 18, format: 'csv', lang: 'vi', agency: 'hcm', recipients: ['ciso@example.vn'] });
    const scheduler = new ReportScheduler({ db, report: { catalog: loadComplianceCatalog(), config: DEFAULT_COMPLIANCE_CONFIG, ports: {}, systems, now: () => now }, mail, logger: pino({ level: 'silent' }), now: () => now }, [schedule]);
    expect(await scheduler.tick()).toEqual([]);
    now = local(2026, 12, 18, 7) + 60_000;
    expect(await scheduler.tick()).toEqual(['annual']);
    expect(await scheduler.tick()).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toEqual(['ciso@example.vn']);
    expect(sent[0].subject).toContain('Báo cáo đánh giá tuân thủ');
    expect(sent[0].attachments[0].content.toString('utf8')).toContain('VN85.O.ANNUAL_REPORT');
    db.close();
  });
});

describe('ReportScheduler: monitoring reports', () => {
  it('mails the daily Circular 31 report of the agency each morning; a monitoring schedule needs an agency', async () => {
    expect(() => scheduleSchema.parse({ name: 'm', report: 'monitoring', cadence: 'daily', system: 's1', recipients: ['a@example.vn'] })).toThrow('a monitoring report is per agency: give agency');
    const db = openSqlite(':memory:');
    let now = local(2026, 12, 17, 6);
    const sent: Array<{ subject: string; attachments: Array<{ filename: string; content: Buffer }> }> = [];
    const mail: MailPort = { send: async (m) => void sent.push(m) };
    const alerts = { alerts: () => [{ id: 'a1', organization: 'hcm', severity: 'high', ruleName: 'Web Shell Upload', firstSeen: now - 3_600_000, count: 1, techniques: ['T1505.003'], sourceIp: '198.51.100.9', destination: '10.1.1.5', status: 'new' }] };
    const schedule = scheduleSchema.parse({ name: 'daily-watch', report: 'monitoring', period: 'daily', cadence: 'daily', hour: 7, format: 'csv', agency: 'hcm', recipients: ['soc@example.vn'] });
    const systems = new SystemRegister(db);
    const scheduler = new ReportScheduler({ db, report: { catalog: loadComplianceCatalog(), config: DEFAULT_COMPLIANCE_CONFIG, ports: { alerts }, systems, now: () => now }, mail, logger: pino({ level: 'silent' }), now: () => now }, [schedule]);
    now = local(2026, 12, 17, 7) + 60_000;
    expect(await scheduler.tick()).toEqual(['daily-watch']);
    expect(sent[0].subject).toBe('[socnoc] Báo cáo giám sát an toàn thông tin hằng ngày: daily-watch');
    expect(sent[0].attachments[0].filename).toMatch(/^monitoring-daily-hcm-2026-12-1[67]-vi\.csv$/);
    expect(sent[0].attachments[0].content.toString('utf8')).toContain('alerts,attacker,198.51.100.9,1');
    db.close();
  });
});

describe('parseComplianceReportArgs', () => {
  it('reads the CLI flags and names the wrong one', () => {
    expect(parseComplianceReportArgs(['--regime', 'decree331', '--agency', 'hcm', '--format', 'html', '--lang', 'en', '--out', 'r.html'])).toEqual({ regime: 'decree331', agency: 'hcm', system: undefined, format: 'html', lang: 'en', out: 'r.html' });
    expect(() => parseComplianceReportArgs(['--system', 's', '--format', 'docx', '--out', 'x'])).toThrow('--format must be one of pdf, html, csv, got "docx"');
    expect(() => parseComplianceReportArgs(['--system', 's', '--agency', 'a', '--out', 'x'])).toThrow('exactly one of --system ID and --agency ID');
  });
});
