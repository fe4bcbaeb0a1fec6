/** ntp_sync: clock offsets reported by agents and seen on polled devices, against the allowed maximum. */
import { agentsInScope, devicesInScope } from './scope';
import { percent, shareStatus, tallyItems, unavailable, type EvidenceCalculator, type EvidenceItem } from './types';

export const ntpSync: EvidenceCalculator = {
  kind: 'ntp_sync',
  async compute(ctx) {
    const agents = await agentsInScope(ctx);
    const devices = await devicesInScope(ctx);
    const max = ctx.config.maxClockOffsetMs;
    const items: EvidenceItem[] = [];
    const offsets: number[] = [];
    let unknown = 0;
    const add = (name: string, offset: number | null): void => {
      if (offset === null) {
        unknown++;
        return;
      }
      offsets.push(Math.abs(offset));
      const ok = Math.abs(offset) <= max;
      items.push({ name, status: ok ? 'met' : 'not_met', text: { vi: `lệch ${offset} ms`, en: `offset ${offset} ms` } });
    };
    for (const a of agents?.agents ?? []) add(a.hostname, a.clockOffsetMs);
    for (const d of devices?.devices ?? []) add(d.name, d.clockOffsetMs);
    if (items.length === 0) {
      return unavailable(this.kind, ctx.now, { vi: 'Chưa có số liệu độ lệch đồng hồ từ tác tử hoặc thiết bị', en: 'No clock offsets reported by agents or devices' });
    }
    const { met: good, unmetNames: bad } = tallyItems(items);
    const worst = Math.max(...offsets);
    return {
      kind: this.kind,
      status: shareStatus(good, items.length),
      observedAt: ctx.now,
      value: good / items.length,
      summary: {
        vi: `${good}/${items.length} tài sản lệch đồng hồ ≤ ${max} ms (${percent(good / items.length)}); lệch lớn nhất ${worst} ms${unknown > 0 ? `; ${unknown} chưa rõ` : ''}`,
        en: `${good}/${items.length} assets within ${max} ms (${percent(good / items.length)}); largest offset ${worst} ms${unknown > 0 ? `; ${unknown} unknown` : ''}`,
      },
      items,
      action: bad.length > 0 ? { vi: `Cấu hình NTP cho: ${bad.join(', ')}`, en: `Configure NTP on: ${bad.join(', ')}` } : null,
    };
  },
};
