/**
 * log_sources_coverage: which of the system's log sources (declared sources, devices, agent hosts)
 * sent events recently, and which went silent. With none declared, the sources seen in the agency
 * during the look-back window are checked for silence instead.
 */
import { getField } from '../../../core/event';
import type { ComplianceEventPort } from '../ports';
import { addressQuery, hostQuery, logSourceQuery } from './source-query';
import type { QueryNode } from '../../../core/query/ast';
import { DAY_MS, HOUR_MS, isoMinute, percent, shareStatus, tallyItems, unavailable, type EvidenceCalculator, type EvidenceContext, type EvidenceItem } from './types';

export interface ExpectedSource {
  name: string;
  query: QueryNode;
}

/** The system's declared sources (log sources, devices, agent hosts) with the query that selects each one's events. */
export function expectedSources(ctx: EvidenceContext): ExpectedSource[] {
  const a = ctx.system.assets;
  const out: ExpectedSource[] = [];
  for (const s of a.log_sources) out.push({ name: s.name ?? s.host ?? s.address ?? s.agent_id ?? '?', query: logSourceQuery(s) });
  for (const d of a.devices) {
    const parts: QueryNode[] = [];
    if (d.address !== undefined) parts.push(addressQuery(d.address));
    if (d.name !== undefined) parts.push(hostQuery(d.name));
    out.push({ name: d.name ?? d.address ?? '?', query: parts.length === 1 ? parts[0] : { kind: 'or', children: parts } });
  }
  for (const h of a.agent_hosts) out.push({ name: h, query: hostQuery(h) });
  return out;
}

async function lastEventTime(events: ComplianceEventPort, organizations: string[], query: QueryNode, now: number): Promise<number | null> {
  const page = await events.search({ query, organizations, to: now + 1, limit: 1 });
  if (page.events.length === 0) return null;
  const ts = Date.parse(String(getField(page.events[0], '@timestamp')));
  return Number.isNaN(ts) ? null : ts;
}

function sourceItem(name: string, last: number | null, silentAfter: number): EvidenceItem {
  if (last === null) return { name, status: 'not_met', text: { vi: 'chưa từng gửi nhật ký', en: 'never sent logs' } };
  const at = isoMinute(last);
  if (last < silentAfter) return { name, status: 'not_met', text: { vi: `im lặng từ ${at}`, en: `silent since ${at}` } };
  return { name, status: 'met', text: { vi: `sự kiện gần nhất ${at}`, en: `last event ${at}` } };
}

export const logSourcesCoverage: EvidenceCalculator = {
  kind: 'log_sources_coverage',
  async compute(ctx) {
    const events = ctx.ports.events;
    if (events === undefined) return unavailable(this.kind, ctx.now, { vi: 'Không kết nối kho sự kiện', en: 'Event store not connected' });
    const silentAfter = ctx.now - ctx.config.silentSourceHours * HOUR_MS;
    const hours = ctx.config.silentSourceHours;
    const items: EvidenceItem[] = [];
    const declared = expectedSources(ctx);
    if (declared.length > 0) {
      for (const s of declared) items.push(sourceItem(s.name, await lastEventTime(events, ctx.organizations, s.query, ctx.now), silentAfter));
    } else {
      const from = ctx.now - ctx.config.lookbackDays * DAY_MS;
      const seen = await events.topValues({ organizations: ctx.organizations, from, to: ctx.now + 1, field: 'observer.ip', size: 1000 });
      for (const s of seen) items.push(sourceItem(s.value, await lastEventTime(events, ctx.organizations, addressQuery(s.value), ctx.now), silentAfter));
    }
    const { met: good, unmetNames: silent, share } = tallyItems(items);
    const scope = declared.length > 0 ? { vi: 'nguồn đã khai báo', en: 'declared sources' } : { vi: `nguồn thấy trong ${ctx.config.lookbackDays} ngày`, en: `sources seen in ${ctx.config.lookbackDays} days` };
    return {
      kind: this.kind,
      status: shareStatus(good, items.length),
      observedAt: ctx.now,
      value: share,
      summary: {
        vi: `${good}/${items.length} ${scope.vi} gửi nhật ký trong ${hours} giờ qua (${percent(share)}); ${silent.length} nguồn im lặng`,
        en: `${good}/${items.length} ${scope.en} sent logs in the last ${hours} h (${percent(share)}); ${silent.length} silent`,
      },
      items,
      action:
        silent.length > 0 || items.length === 0
          ? {
              vi: items.length === 0 ? 'Cấu hình các nguồn nhật ký gửi về socnoc và khai báo chúng trong hồ sơ hệ thống' : `Khôi phục gửi nhật ký từ: ${silent.join(', ')}`,
              en: items.length === 0 ? 'Configure log sources to forward to socnoc and declare them in the system record' : `Restore log forwarding from: ${silent.join(', ')}`,
            }
          : null,
    };
  },
};
