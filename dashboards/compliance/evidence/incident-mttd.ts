/** incident_mttd: median time from an incident's first event to its detection. */
import { incidentsInWindow, minutesText, NO_INCIDENT_PORT } from './incident-window';
import { median, unavailable, type EvidenceCalculator } from './types';

export const incidentMttd: EvidenceCalculator = {
  kind: 'incident_mttd',
  async compute(ctx) {
    const incidents = await incidentsInWindow(ctx);
    if (incidents === undefined) return unavailable(this.kind, ctx.now, NO_INCIDENT_PORT);
    const delays = incidents.filter((i) => i.firstEventAt !== null).map((i) => Math.max(0, i.detectedAt - (i.firstEventAt as number)) / 60_000);
    const days = ctx.config.lookbackDays;
    if (delays.length === 0) {
      return { kind: this.kind, status: 'info', observedAt: ctx.now, value: null, summary: { vi: `Không có sự cố trong ${days} ngày để đo`, en: `No incidents in ${days} days to measure` }, items: [], action: null };
    }
    const m = median(delays);
    const target = ctx.config.mttdTargetMinutes;
    const status = m <= target ? 'met' : m <= target * 2 ? 'partly_met' : 'not_met';
    const t = minutesText(m);
    return {
      kind: this.kind,
      status,
      observedAt: ctx.now,
      value: m,
      summary: { vi: `MTTD trung vị ${t.vi} trên ${delays.length} sự cố (mục tiêu ≤ ${target} phút)`, en: `Median MTTD ${t.en} over ${delays.length} incidents (target ≤ ${target} min)` },
      items: [],
      action: status !== 'met' ? { vi: 'Rà soát luật phát hiện và nguồn nhật ký để phát hiện sớm hơn', en: 'Review detection rules and log sources to detect sooner' } : null,
    };
  },
};
