/**
 * siem_correlation_rules: enabled detection rules mapped to this control, directly (decree85 id)
 * or through its crosswalk (its ISO 27001 controls and CSF subcategories).
 */
import { unavailable, type EvidenceCalculator, type EvidenceItem } from './types';

export const siemCorrelationRules: EvidenceCalculator = {
  kind: 'siem_correlation_rules',
  cacheKey: (ctx) => ctx.requirement.id,
  async compute(ctx) {
    const port = ctx.ports.rules;
    if (port === undefined) return unavailable(this.kind, ctx.now, { vi: 'Chưa kết nối bộ luật phát hiện', en: 'Detection rules not connected' });
    const r = ctx.requirement;
    const targets = new Set<string>([r.id, ...r.maps_to.iso, ...r.maps_to.csf]);
    const enabled = port.rules().filter((rule) => rule.enabled);
    const mapped = enabled.filter((rule) => Object.values(rule.compliance).some((ids) => ids.some((id) => targets.has(id))));
    const direct = mapped.filter((rule) => (rule.compliance.decree85 ?? []).includes(r.id)).length;
    const items: EvidenceItem[] = mapped.slice(0, 15).map((rule) => ({ name: rule.title, status: 'met', text: { vi: rule.id, en: rule.id } }));
    const status = mapped.length > 0 ? 'met' : enabled.length > 0 ? 'partly_met' : 'not_met';
    return {
      kind: this.kind,
      status,
      observedAt: ctx.now,
      value: mapped.length,
      summary: {
        vi: `${mapped.length} luật đang bật ánh xạ tới yêu cầu này (${direct} trực tiếp); tổng ${enabled.length} luật đang bật`,
        en: `${mapped.length} enabled rules map to this requirement (${direct} directly); ${enabled.length} rules enabled in all`,
      },
      items,
      action: status !== 'met' ? { vi: 'Bật hoặc bổ sung luật tương quan có ánh xạ tới yêu cầu này', en: 'Enable or add correlation rules mapped to this requirement' } : null,
    };
  },
};
