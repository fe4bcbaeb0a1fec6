/**
 * monitoring_reports: the Circular 31/2017 reports socnoc generated for the agency, as the audit
 * log records them (`monitoring_report.generate`): a daily report within the last 26 h and a weekly
 * one within 8 days for the watch (Art. 5.3.a,d), a six-monthly one within 190 days (Art. 5.3.k).
 */
import { DAY_MS, HOUR_MS, isoMinute, unavailable, type EvidenceCalculator, type EvidenceContext, type EvidenceItem } from './types';

const SEMIANNUAL_REQUIREMENT = 'VN.MON.SEMIANNUAL';
const MAX_AGE_MS: Record<string, number> = { daily: 26 * HOUR_MS, weekly: 8 * DAY_MS, semiannual: 190 * DAY_MS };
const LABEL: Record<string, { vi: string; en: string }> = {
  daily: { vi: 'báo cáo ngày', en: 'daily report' },
  weekly: { vi: 'báo cáo tuần', en: 'weekly report' },
  semiannual: { vi: 'báo cáo 06 tháng', en: 'six-monthly report' },
};

function periodsFor(ctx: EvidenceContext): string[] {
  return ctx.requirement.id === SEMIANNUAL_REQUIREMENT ? ['semiannual'] : ['daily', 'weekly'];
}

export const monitoringReports: EvidenceCalculator = {
  kind: 'monitoring_reports',
  cacheKey: (ctx) => periodsFor(ctx).join(','),
  async compute(ctx) {
    const audit = ctx.ports.audit;
    if (audit?.list === undefined) return unavailable(this.kind, ctx.now, { vi: 'Nhật ký kiểm toán chưa bật', en: 'Audit log not enabled' });
    const periods = periodsFor(ctx);
    const oldest = Math.max(...periods.map((p) => MAX_AGE_MS[p]));
    const records = audit.list({ organizations: ctx.organizations, action: 'monitoring_report.generate', from: ctx.now - oldest, limit: 1000 }).records;
    const items: EvidenceItem[] = periods.map((period) => {
      const last = records.find((r) => r.details.period === period && Date.parse(r.time) >= ctx.now - MAX_AGE_MS[period]);
      const label = LABEL[period];
      if (last === undefined) return { name: label.en, status: 'not_met', text: { vi: `không có ${label.vi} gần đây`, en: `no recent ${label.en}` } };
      const at = isoMinute(Date.parse(last.time));
      return { name: label.en, status: 'met', text: { vi: `${label.vi} lập ${at}, SHA-256 ${String(last.details.sha256).slice(0, 16)}…`, en: `${label.en} generated ${at}, SHA-256 ${String(last.details.sha256).slice(0, 16)}…` } };
    });
    const good = items.filter((i) => i.status === 'met').length;
    const missing = periods.filter((_, i) => items[i].status !== 'met').map((p) => LABEL[p]);
    return {
      kind: this.kind,
      status: good === items.length ? 'met' : good === 0 ? 'not_met' : 'partly_met',
      observedAt: ctx.now,
      value: good / items.length,
      summary: { vi: `${good}/${items.length} loại báo cáo giám sát (TT 31/2017) được lập đúng chu kỳ`, en: `${good}/${items.length} kinds of monitoring report (Circular 31/2017) generated on cadence` },
      items,
      action:
        missing.length > 0
          ? { vi: `Lập lịch báo cáo giám sát (compliance.schedules, report: monitoring): ${missing.map((l) => l.vi).join(', ')}`, en: `Schedule monitoring reports (compliance.schedules, report: monitoring): ${missing.map((l) => l.en).join(', ')}` }
          : null,
    };
  },
};
