/**
 * ids_rules_enabled: IDS/IPS sensors and Internet-edge firewalls are sending their logs (Circular
 * 31/2017 Art. 5 names both as minimum monitoring inputs). socnoc sees the sensors' output, not
 * their rule sets, so recent sensor events stand for "sensor online with rules enabled".
 */
import type { QueryNode } from '../../../core/query/ast';
import { anyOf, termQuery } from './source-query';
import { getField } from '../../../core/event';
import { DAY_MS, HOUR_MS, isoMinute, unavailable, type EvidenceCalculator, type EvidenceItem } from './types';

const IDS_QUERY: QueryNode = anyOf([termQuery('observer.type', 'ids'), termQuery('observer.type', 'ips'), termQuery('event.category', 'intrusion_detection')]);
const FIREWALL_QUERY: QueryNode = anyOf([termQuery('observer.type', 'firewall'), termQuery('observer.type', 'waf')]);

export const idsPresence: EvidenceCalculator = {
  kind: 'ids_rules_enabled',
  async compute(ctx) {
    const events = ctx.ports.events;
    if (events === undefined) return unavailable(this.kind, ctx.now, { vi: 'Không kết nối kho sự kiện', en: 'Event store not connected' });
    const from = ctx.now - ctx.config.lookbackDays * DAY_MS;
    const recent = ctx.now - ctx.config.silentSourceHours * HOUR_MS;
    const items: EvidenceItem[] = [];
    for (const [name, query] of [
      ['IDS/IPS', IDS_QUERY],
      ['firewall/WAF', FIREWALL_QUERY],
    ] as const) {
      const page = await events.search({ query, organizations: ctx.organizations, from, to: ctx.now + 1, limit: 1 });
      const last = page.events.length > 0 ? Date.parse(String(getField(page.events[0], '@timestamp'))) : NaN;
      if (Number.isNaN(last)) items.push({ name, status: 'not_met', text: { vi: `không có nhật ký trong ${ctx.config.lookbackDays} ngày`, en: `no logs in ${ctx.config.lookbackDays} days` } });
      else items.push({ name, status: last >= recent ? 'met' : 'partly_met', text: { vi: `${page.total} sự kiện, gần nhất ${isoMinute(last)}`, en: `${page.total} events, last ${isoMinute(last)}` } });
    }
    const [ids, fw] = items;
    const status = ids.status === 'met' && fw.status === 'met' ? 'met' : ids.status === 'not_met' && fw.status === 'not_met' ? 'not_met' : 'partly_met';
    return {
      kind: this.kind,
      status,
      observedAt: ctx.now,
      value: null,
      summary: { vi: `Cảm biến IDS/IPS: ${ids.text.vi}; tường lửa: ${fw.text.vi}`, en: `IDS/IPS sensors: ${ids.text.en}; firewalls: ${fw.text.en}` },
      items,
      action: status !== 'met' ? { vi: 'Chuyển nhật ký/cảnh báo của IDS/IPS và tường lửa biên về socnoc', en: 'Forward IDS/IPS alerts and edge firewall logs to socnoc' } : null,
    };
  },
};
