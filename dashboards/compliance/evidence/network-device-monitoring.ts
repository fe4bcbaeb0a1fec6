/** network_device_monitoring: the system's network devices are in the SNMP inventory, polled and up. */
import { devicesInScope } from './scope';
import { HOUR_MS, isoMinute, percent, shareStatus, tallyItems, unavailable, type EvidenceCalculator, type EvidenceItem } from './types';

export const networkDeviceMonitoring: EvidenceCalculator = {
  kind: 'network_device_monitoring',
  async compute(ctx) {
    const scoped = await devicesInScope(ctx);
    if (scoped === undefined) return unavailable(this.kind, ctx.now, { vi: 'Chưa kết nối giám sát thiết bị (SNMP)', en: 'Device monitoring (SNMP) not connected' });
    const pollAfter = ctx.now - ctx.config.silentSourceHours * HOUR_MS;
    const items: EvidenceItem[] = scoped.missing.map((n) => ({ name: n, status: 'not_met', text: { vi: 'chưa được giám sát', en: 'not monitored' } }));
    for (const d of scoped.devices) {
      const polled = d.lastPolled !== null && d.lastPolled >= pollAfter;
      const ok = polled && d.status === 'up';
      const when = d.lastPolled === null ? { vi: 'chưa thăm dò', en: 'never polled' } : { vi: `thăm dò ${isoMinute(d.lastPolled)}`, en: `polled ${isoMinute(d.lastPolled)}` };
      items.push({ name: d.name, status: ok ? 'met' : polled ? 'partly_met' : 'not_met', text: { vi: `${d.status}, ${when.vi}`, en: `${d.status}, ${when.en}` } });
    }
    const { met: good, unmetNames: bad, share } = tallyItems(items);
    return {
      kind: this.kind,
      status: shareStatus(good, items.length),
      observedAt: ctx.now,
      value: share,
      summary: { vi: `${good}/${items.length} thiết bị mạng được giám sát và hoạt động (${percent(share)})`, en: `${good}/${items.length} network devices monitored and up (${percent(share)})` },
      items,
      action: items.length === 0 ? { vi: 'Đưa thiết bị mạng của hệ thống vào giám sát SNMP', en: "Add the system's network devices to SNMP monitoring" } : bad.length > 0 ? { vi: `Kiểm tra giám sát/kết nối: ${bad.join(', ')}`, en: `Check monitoring and reachability of: ${bad.join(', ')}` } : null,
    };
  },
};
