/**
 * log_field_completeness: per dataset seen in the window, the share of events carrying each
 * required field (any of `a|b`); a dataset is as complete as its weakest field.
 */
import type { QueryNode } from '../../../core/query/ast';
import { anyOf, fieldExists, termQuery } from './source-query';
import { DAY_MS, percent, unavailable, type EvidenceCalculator, type EvidenceItem } from './types';

export const logFieldCompleteness: EvidenceCalculator = {
  kind: 'log_field_completeness',
  async compute(ctx) {
    const events = ctx.ports.events;
    if (events === undefined) return unavailable(this.kind, ctx.now, { vi: 'Không kết nối kho sự kiện', en: 'Event store not connected' });
    const from = ctx.now - ctx.config.lookbackDays * DAY_MS;
    const to = ctx.now + 1;
    const organizations = ctx.organizations;
    const datasets = await events.topValues({ organizations, from, to, field: 'event.dataset', size: 50 });
    const groups = ctx.config.requiredFields.map((g) => ({ label: g, query: anyOf(g.split('|').map((f) => fieldExists(f.trim()))) }));
    const min = ctx.config.fieldCompletenessMin;
    const items: EvidenceItem[] = [];
    let weakest = 1;
    for (const ds of datasets) {
      const dsQuery = termQuery('event.dataset', ds.value);
      let dsShare = 1;
      let weakField = '';
      for (const g of groups) {
        const query: QueryNode = { kind: 'and', children: [dsQuery, g.query] };
        const share = ds.count === 0 ? 1 : (await events.count({ organizations, from, to, query })) / ds.count;
        if (share < dsShare) {
          dsShare = share;
          weakField = g.label;
        }
      }
      weakest = Math.min(weakest, dsShare);
      const status = dsShare >= min ? 'met' : dsShare >= 0.5 ? 'partly_met' : 'not_met';
      items.push({
        name: ds.value,
        status,
        text: dsShare >= 1 ? { vi: `${ds.count} sự kiện, đủ trường`, en: `${ds.count} events, all fields present` } : { vi: `${ds.count} sự kiện, ${weakField}: ${percent(dsShare)}`, en: `${ds.count} events, ${weakField}: ${percent(dsShare)}` },
      });
    }
    if (items.length === 0) {
      return { kind: this.kind, status: 'not_met', observedAt: ctx.now, value: 0, summary: { vi: 'Không có sự kiện trong kỳ', en: 'No events in the period' }, items, action: { vi: 'Thu thập nhật ký từ các nguồn của hệ thống', en: "Collect logs from the system's sources" } };
    }
    const bad = items.filter((i) => i.status !== 'met');
    return {
      kind: this.kind,
      status: bad.length === 0 ? 'met' : items.some((i) => i.status === 'not_met') && bad.length === items.length ? 'not_met' : 'partly_met',
      observedAt: ctx.now,
      value: weakest,
      summary: {
        vi: `${items.length - bad.length}/${items.length} loại nhật ký đạt ≥ ${percent(min)} trường bắt buộc (${ctx.config.requiredFields.join(', ')})`,
        en: `${items.length - bad.length}/${items.length} datasets carry the required fields in ≥ ${percent(min)} of events (${ctx.config.requiredFields.join(', ')})`,
      },
      items,
      action: bad.length > 0 ? { vi: `Bổ sung bộ chuẩn hóa/cấu hình nguồn cho: ${bad.map((i) => i.name).join(', ')}`, en: `Fix parsing or source configuration for: ${bad.map((i) => i.name).join(', ')}` } : null,
    };
  },
};
