/**
 * log_retention_days: how far back events can actually be retrieved (the oldest stored day,
 * retention having dropped older partitions), against the requirement's target at the level.
 */
import { DAY_MS, isoMinute, unavailable, type EvidenceCalculator, type EvidenceContext } from './types';

/** The retention target a requirement sets at the system's level, in days; undefined when the catalogue has none. */
export function retentionTargetDays(ctx: EvidenceContext): number | undefined {
  for (const name of ['log_retention_days_min', 'monitoring_data_retention_days_min']) {
    const v = ctx.param(name);
    if (typeof v === 'number') return v;
  }
  return undefined;
}

export const logRetention: EvidenceCalculator = {
  kind: 'log_retention_days',
  cacheKey: (ctx) => String(retentionTargetDays(ctx)),
  async compute(ctx) {
    const events = ctx.ports.events;
    if (events === undefined) return unavailable(this.kind, ctx.now, { vi: 'Không kết nối kho sự kiện', en: 'Event store not connected' });
    const days = await events.histogram({ organizations: ctx.organizations, to: ctx.now + 1, intervalMs: DAY_MS });
    const oldest = days.find((b) => b.count > 0);
    const target = retentionTargetDays(ctx);
    const targetText = target === undefined ? { vi: 'danh mục chưa có ngưỡng cho cấp độ này', en: 'the catalogue has no target for this level' } : { vi: `yêu cầu ≥ ${target} ngày`, en: `required ≥ ${target} days` };
    if (oldest === undefined) {
      return {
        kind: this.kind,
        status: target === undefined ? 'info' : 'not_met',
        observedAt: ctx.now,
        value: 0,
        summary: { vi: `Không có nhật ký nào được lưu; ${targetText.vi}`, en: `No logs stored; ${targetText.en}` },
        items: [],
        action: { vi: 'Thu thập và lưu trữ nhật ký tập trung', en: 'Collect and store logs centrally' },
      };
    }
    const available = Math.floor((ctx.now - oldest.start) / DAY_MS);
    const status = target === undefined ? 'info' : available >= target ? 'met' : 'not_met';
    return {
      kind: this.kind,
      status,
      observedAt: ctx.now,
      value: available,
      summary: {
        vi: `Nhật ký truy xuất được ${available} ngày (cũ nhất ${isoMinute(oldest.start).slice(0, 10)}); ${targetText.vi}`,
        en: `${available} days of logs retrievable (oldest ${isoMinute(oldest.start).slice(0, 10)}); ${targetText.en}`,
      },
      items: [],
      action:
        status === 'not_met'
          ? { vi: `Tăng thời gian lưu nhật ký lên ít nhất ${target} ngày (retention.days, dung lượng lưu trữ)`, en: `Keep logs for at least ${target} days (retention.days, storage capacity)` }
          : null,
    };
  },
};
