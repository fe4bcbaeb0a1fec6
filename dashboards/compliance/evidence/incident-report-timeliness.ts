/**
 * incident_report_timeliness: regulatory reports (Circular 20/2017 5 days; Decree 331 24 h / 72 h)
 * submitted by their deadline. Reports of the other regime are left out.
 */
import { incidentsInWindow, NO_INCIDENT_PORT } from './incident-window';
import { shareStatus, unavailable, type EvidenceCalculator, type EvidenceItem } from './types';

export const incidentReportTimeliness: EvidenceCalculator = {
  kind: 'incident_report_timeliness',
  async compute(ctx) {
    const incidents = await incidentsInWindow(ctx);
    if (incidents === undefined) return unavailable(this.kind, ctx.now, NO_INCIDENT_PORT);
    const regime = ctx.system.regime;
    const items: EvidenceItem[] = [];
    for (const inc of incidents) {
      for (const r of inc.reports) {
        if (r.dueAt === null || (r.regime !== null && r.regime !== regime)) continue;
        const onTime = r.submittedAt !== null && r.submittedAt <= r.dueAt;
        const pending = r.submittedAt === null && ctx.now <= r.dueAt;
        if (pending) continue;
        const text = onTime ? { vi: 'nộp đúng hạn', en: 'submitted on time' } : r.submittedAt !== null ? { vi: 'nộp muộn', en: 'submitted late' } : { vi: 'quá hạn, chưa nộp', en: 'overdue, not submitted' };
        items.push({ name: `${inc.id} ${r.key}`, status: onTime ? 'met' : 'not_met', text });
      }
    }
    if (items.length === 0) {
      return { kind: this.kind, status: 'info', observedAt: ctx.now, value: null, summary: { vi: 'Không có báo cáo sự cố đến hạn trong kỳ', en: 'No incident reports fell due in the period' }, items, action: null };
    }
    const good = items.filter((i) => i.status === 'met').length;
    return {
      kind: this.kind,
      status: shareStatus(good, items.length),
      observedAt: ctx.now,
      value: good / items.length,
      summary: { vi: `${good}/${items.length} báo cáo sự cố nộp đúng hạn`, en: `${good}/${items.length} incident reports submitted on time` },
      items,
      action: good < items.length ? { vi: 'Nộp các báo cáo quá hạn; bật nhắc hạn báo cáo trong quản lý sự cố', en: 'Submit overdue reports; enable report deadline reminders in incident management' } : null,
    };
  },
};
