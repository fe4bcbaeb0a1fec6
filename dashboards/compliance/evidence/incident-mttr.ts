/** incident_mttr: median time from detection to resolution; unresolved incidents past the target count against it. */
import { incidentsInWindow, minutesText, NO_INCIDENT_PORT } from './incident-window';
import { median, unavailable, type EvidenceCalculator } from './types';

export const incidentMttr: EvidenceCalculator = {
  kind: 'incident_mttr',
  async compute(ctx) {
    const incidents = await incidentsInWindow(ctx);
    if (incidents === undefined) return unavailable(this.kind, ctx.now, NO_INCIDENT_PORT);
    const targetMin = ctx.config.mttrTargetHours * 60;
    const resolved = incidents.filter((i) => i.resolvedAt !== null).map((i) => ((i.resolvedAt as number) - i.detectedAt) / 60_000);
    const overdueOpen = incidents.filter((i) => i.resolvedAt === null && (ctx.now - i.detectedAt) / 60_000 > targetMin).length;
    const days = ctx.config.lookbackDays;
    if (resolved.length === 0 && overdueOpen === 0) {
      return { kind: this.kind, status: 'info', observedAt: ctx.now, value: null, summary: { vi: `Không có sự cố đã xử lý trong ${days} ngày để đo`, en: `No resolved incidents in ${days} days to measure` }, items: [], action: null };
    }
    const m = resolved.length > 0 ? median(resolved) : Infinity;
    const status = m <= targetMin && overdueOpen === 0 ? 'met' : m <= targetMin * 2 ? 'partly_met' : 'not_met';
    const t = Number.isFinite(m) ? minutesText(m) : { vi: 'chưa có', en: 'n/a' };
    return {
      kind: this.kind,
      status,
      observedAt: ctx.now,
      value: Number.isFinite(m) ? m : null,
      summary: {
        vi: `MTTR trung vị ${t.vi} trên ${resolved.length} sự cố đã xử lý (mục tiêu ≤ ${ctx.config.mttrTargetHours} giờ); ${overdueOpen} sự cố chưa xử lý quá hạn`,
        en: `Median MTTR ${t.en} over ${resolved.length} resolved incidents (target ≤ ${ctx.config.mttrTargetHours} h); ${overdueOpen} unresolved past target`,
      },
      items: [],
      action: status !== 'met' ? { vi: 'Rút ngắn thời gian ứng cứu: phân công, kịch bản xử lý tự động', en: 'Shorten response: assignment rules, automated playbooks' } : null,
    };
  },
};
