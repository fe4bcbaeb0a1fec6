/**
 * auth_event_logging: each of the system's sources (declared log sources, devices, agent hosts;
 * else the senders seen in the agency) sent login events — `event.category: authentication` — in
 * the look-back window, with their success/failure split from `event.outcome`.
 */
import type { QueryNode } from '../../../core/query/ast';
import type { ComplianceEventPort } from '../ports';
import { expectedSources, type ExpectedSource } from './log-sources-coverage';
import { addressQuery, termQuery } from './source-query';
import { DAY_MS, percent, shareStatus, tallyItems, unavailable, type EvidenceCalculator, type EvidenceItem } from './types';

const AUTH_QUERY: QueryNode = termQuery('event.category', 'authentication');

interface OutcomeCounts {
  success: number;
  failure: number;
  other: number;
}

async function authOutcomes(events: ComplianceEventPort, organizations: string[], source: QueryNode, from: number, to: number): Promise<OutcomeCounts> {
  const counts: OutcomeCounts = { success: 0, failure: 0, other: 0 };
  const query: QueryNode = { kind: 'and', children: [source, AUTH_QUERY] };
  const total = await events.count({ query, organizations, from, to });
  if (total === 0) return counts;
  for (const v of await events.topValues({ query, organizations, from, to, field: 'event.outcome', size: 10 })) {
    if (v.value === 'success') counts.success += v.count;
    else if (v.value === 'failure') counts.failure += v.count;
  }
  // Events without event.outcome (or with "unknown") are still login records.
  counts.other = Math.max(0, total - counts.success - counts.failure);
  return counts;
}

function sourceItem(name: string, c: OutcomeCounts, days: number): EvidenceItem {
  const total = c.success + c.failure + c.other;
  if (total === 0) return { name, status: 'not_met', text: { vi: `không có sự kiện đăng nhập trong ${days} ngày`, en: `no login events in ${days} days` } };
  const other = c.other > 0 ? { vi: `, ${c.other} không rõ kết quả`, en: `, ${c.other} without outcome` } : { vi: '', en: '' };
  return {
    name,
    status: 'met',
    text: { vi: `${c.success} đăng nhập thành công, ${c.failure} thất bại${other.vi}`, en: `${c.success} successful and ${c.failure} failed logins${other.en}` },
  };
}

export const authEventLogging: EvidenceCalculator = {
  kind: 'auth_event_logging',
  async compute(ctx) {
    const events = ctx.ports.events;
    if (events === undefined) return unavailable(this.kind, ctx.now, { vi: 'Không kết nối kho sự kiện', en: 'Event store not connected' });
    const days = ctx.config.lookbackDays;
    const from = ctx.now - days * DAY_MS;
    const to = ctx.now + 1;
    let sources: ExpectedSource[] = expectedSources(ctx);
    const declared = sources.length > 0;
    if (!declared) {
      const seen = await events.topValues({ organizations: ctx.organizations, from, to, field: 'observer.ip', size: 1000 });
      sources = seen.map((s) => ({ name: s.value, query: addressQuery(s.value) }));
    }
    const items: EvidenceItem[] = [];
    let success = 0;
    let failure = 0;
    for (const s of sources) {
      const c = await authOutcomes(events, ctx.organizations, s.query, from, to);
      success += c.success;
      failure += c.failure;
      items.push(sourceItem(s.name, c, days));
    }
    const { met, unmetNames, share } = tallyItems(items);
    const scope = declared ? { vi: 'nguồn đã khai báo', en: 'declared sources' } : { vi: `nguồn thấy trong ${days} ngày`, en: `sources seen in ${days} days` };
    return {
      kind: this.kind,
      status: shareStatus(met, items.length),
      observedAt: ctx.now,
      value: share,
      summary: {
        vi: `${met}/${items.length} ${scope.vi} ghi sự kiện đăng nhập trong ${days} ngày (${percent(share)}): ${success} thành công, ${failure} thất bại`,
        en: `${met}/${items.length} ${scope.en} logged login events in ${days} days (${percent(share)}): ${success} successful, ${failure} failed`,
      },
      items,
      action:
        items.length === 0
          ? { vi: 'Khai báo các nguồn nhật ký của hệ thống và chuyển nhật ký đăng nhập về socnoc', en: "Declare the system's log sources and forward their login logs to socnoc" }
          : unmetNames.length > 0
            ? { vi: `Bật ghi và chuyển nhật ký đăng nhập (thành công/thất bại) từ: ${unmetNames.join(', ')}`, en: `Enable and forward login success/failure logs from: ${unmetNames.join(', ')}` }
            : null,
    };
  },
};
