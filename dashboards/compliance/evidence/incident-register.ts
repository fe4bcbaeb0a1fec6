/**
 * incident_register: every incident of the window is on record with its detection, declaration,
 * containment and closure times. A finished (resolved/closed) incident lacking a containment or
 * closure time, or one still uncontained past the MTTR target, is a gap in the register.
 */
import type { IncidentFacts } from '../ports';
import { incidentsInWindow, NO_INCIDENT_PORT } from './incident-window';
import { HOUR_MS, isoMinute, percent, shareStatus, tallyItems, unavailable, type Bilingual, type EvidenceCalculator, type EvidenceItem } from './types';

function stamp(label: Bilingual, at: number | null | undefined): Bilingual {
  const v = at === null || at === undefined ? { vi: 'chưa ghi', en: 'not recorded' } : { vi: isoMinute(at), en: isoMinute(at) };
  return { vi: `${label.vi} ${v.vi}`, en: `${label.en} ${v.en}` };
}

const DETECTED = { vi: 'phát hiện', en: 'detected' };
const DECLARED = { vi: 'lập hồ sơ', en: 'declared' };
const CONTAINED = { vi: 'ngăn chặn', en: 'contained' };
const CLOSED = { vi: 'đóng', en: 'closed' };

function registerItem(i: IncidentFacts, now: number, containWithinMs: number): EvidenceItem {
  const closedAt = i.closedAt ?? i.resolvedAt;
  const finished = closedAt !== null;
  const missing: Bilingual[] = [];
  if (i.openedAt === undefined) missing.push(DECLARED);
  if (finished ? i.containedAt === undefined || i.containedAt === null : (i.containedAt ?? null) === null && now - i.detectedAt > containWithinMs) missing.push(CONTAINED);
  const parts = [stamp(DETECTED, i.detectedAt), stamp(DECLARED, i.openedAt), stamp(CONTAINED, i.containedAt), stamp(CLOSED, closedAt)];
  const text = { vi: parts.map((p) => p.vi).join('; '), en: parts.map((p) => p.en).join('; ') };
  if (missing.length === 0) return { name: i.id, status: 'met', text };
  const gap = finished ? { vi: 'đã đóng nhưng thiếu thời điểm', en: 'finished without a time for' } : { vi: 'chưa ngăn chặn sau thời hạn, thiếu', en: 'not contained within the target; missing' };
  return { name: i.id, status: 'not_met', text: { vi: `${text.vi} — ${gap.vi}: ${missing.map((m) => m.vi).join(', ')}`, en: `${text.en} — ${gap.en}: ${missing.map((m) => m.en).join(', ')}` } };
}

export const incidentRegister: EvidenceCalculator = {
  kind: 'incident_register',
  async compute(ctx) {
    const incidents = await incidentsInWindow(ctx);
    if (incidents === undefined) return unavailable(this.kind, ctx.now, NO_INCIDENT_PORT);
    const days = ctx.config.lookbackDays;
    if (incidents.length === 0) {
      return { kind: this.kind, status: 'info', observedAt: ctx.now, value: null, summary: { vi: `Sổ sự cố không có bản ghi trong ${days} ngày`, en: `No incidents registered in ${days} days` }, items: [], action: null };
    }
    const items = incidents.map((i) => registerItem(i, ctx.now, ctx.config.mttrTargetHours * HOUR_MS));
    const { met, unmetNames, share } = tallyItems(items);
    const open = incidents.filter((i) => (i.closedAt ?? i.resolvedAt) === null).length;
    return {
      kind: this.kind,
      status: shareStatus(met, items.length),
      observedAt: ctx.now,
      value: share,
      summary: {
        vi: `${met}/${items.length} sự cố trong ${days} ngày có đủ mốc phát hiện, lập hồ sơ, ngăn chặn, đóng (${percent(share)}); ${open} đang mở`,
        en: `${met}/${items.length} incidents in ${days} days have detection, declaration, containment and closure times (${percent(share)}); ${open} open`,
      },
      items,
      action:
        unmetNames.length > 0
          ? { vi: `Ghi nhận thời điểm ngăn chặn/đóng (chuyển trạng thái "contained" trước khi xử lý xong) cho: ${unmetNames.join(', ')}`, en: `Record containment/closure (move to "contained" before resolving) for: ${unmetNames.join(', ')}` }
          : null,
    };
  },
};
