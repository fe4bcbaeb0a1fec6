/** log_integrity: the audit log's hash chain verifies end to end. */
import { unavailable, type EvidenceCalculator } from './types';

export const logIntegrity: EvidenceCalculator = {
  kind: 'log_integrity',
  async compute(ctx) {
    const audit = ctx.ports.audit;
    if (audit === undefined) return unavailable(this.kind, ctx.now, { vi: 'Nhật ký kiểm toán chưa bật', en: 'Audit log not enabled' });
    const result = audit.verify();
    if (result.ok) {
      return {
        kind: this.kind,
        status: 'met',
        observedAt: ctx.now,
        value: result.checked,
        summary: { vi: `Chuỗi băm nhật ký kiểm toán toàn vẹn (${result.checked} bản ghi đã kiểm tra)`, en: `Audit log hash chain intact (${result.checked} records checked)` },
        items: [],
        action: null,
      };
    }
    const bad = result.firstBad;
    return {
      kind: this.kind,
      status: 'not_met',
      observedAt: ctx.now,
      value: result.checked,
      summary: {
        vi: `Chuỗi băm bị phá vỡ tại bản ghi ${bad?.seq ?? '?'}: ${bad?.reason ?? ''}`,
        en: `Hash chain broken at record ${bad?.seq ?? '?'}: ${bad?.reason ?? ''}`,
      },
      items: [],
      action: { vi: 'Điều tra thay đổi trái phép nhật ký kiểm toán; khôi phục từ bản sao lưu', en: 'Investigate tampering with the audit log; restore it from backup' },
    };
  },
};
