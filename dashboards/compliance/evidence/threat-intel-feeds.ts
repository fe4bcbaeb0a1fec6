/** threat_intel_feeds: enabled intelligence feeds refreshed recently. */
import { HOUR_MS, isoMinute, shareStatus, tallyItems, unavailable, type EvidenceCalculator, type EvidenceItem } from './types';

export const threatIntelFeeds: EvidenceCalculator = {
  kind: 'threat_intel_feeds',
  async compute(ctx) {
    const port = ctx.ports.intel;
    if (port === undefined) return unavailable(this.kind, ctx.now, { vi: 'Chưa kết nối nguồn tri thức mối đe dọa', en: 'Threat intelligence not connected' });
    const freshAfter = ctx.now - ctx.config.intelMaxAgeHours * HOUR_MS;
    const feeds = (await port.feeds()).filter((f) => f.enabled);
    const items: EvidenceItem[] = feeds.map((f) => {
      const fresh = f.lastSuccess !== null && f.lastSuccess >= freshAfter;
      const when = f.lastSuccess === null ? { vi: 'chưa cập nhật lần nào', en: 'never refreshed' } : { vi: `cập nhật ${isoMinute(f.lastSuccess)}`, en: `refreshed ${isoMinute(f.lastSuccess)}` };
      return { name: f.name, status: fresh ? 'met' : 'not_met', text: { vi: `${f.indicators} chỉ dấu, ${when.vi}`, en: `${f.indicators} indicators, ${when.en}` } };
    });
    const { met: good, unmetNames: stale } = tallyItems(items);
    return {
      kind: this.kind,
      status: shareStatus(good, items.length),
      observedAt: ctx.now,
      value: good,
      summary: { vi: `${good}/${items.length} nguồn tri thức cập nhật trong ${ctx.config.intelMaxAgeHours} giờ`, en: `${good}/${items.length} intelligence feeds refreshed within ${ctx.config.intelMaxAgeHours} h` },
      items,
      action: items.length === 0 ? { vi: 'Cấu hình ít nhất một nguồn tri thức mối đe dọa', en: 'Configure at least one threat intelligence feed' } : stale.length > 0 ? { vi: `Kiểm tra việc cập nhật nguồn: ${stale.join(', ')}`, en: `Check the refresh of: ${stale.join(', ')}` } : null,
    };
  },
};
