/** Report wording in Vietnamese and English. */
import type { RequirementStatus } from '../assessment/assess';

export type ReportLang = 'vi' | 'en';

export const STATUS_LABELS: Record<ReportLang, Record<RequirementStatus, string>> = {
  vi: { met: 'Đạt', partly_met: 'Đạt một phần', not_met: 'Không đạt', needs_manual_evidence: 'Cần bằng chứng thủ công', not_applicable: 'Không áp dụng' },
  en: { met: 'Met', partly_met: 'Partly met', not_met: 'Not met', needs_manual_evidence: 'Needs manual evidence', not_applicable: 'Not applicable' },
};

export const EVIDENCE_STATUS_LABELS: Record<ReportLang, Record<string, string>> = {
  vi: { met: 'đạt', partly_met: 'đạt một phần', not_met: 'không đạt', unavailable: 'không quan sát được', info: 'tham khảo' },
  en: { met: 'met', partly_met: 'partly met', not_met: 'not met', unavailable: 'not observable', info: 'for information' },
};

export const TEXT = {
  vi: {
    title: 'Báo cáo đánh giá tuân thủ an toàn thông tin',
    regime: 'Khung pháp lý',
    generated: 'Thời điểm lập (UTC)',
    scopeSystem: 'Hệ thống thông tin',
    scopeAgency: 'Cơ quan chủ quản',
    system: 'Hệ thống',
    agency: 'Cơ quan',
    level: 'Cấp độ',
    approval: 'Quyết định phê duyệt cấp độ',
    noApproval: 'chưa có',
    criteria: 'Tiêu chí cấp độ',
    summary: 'Tổng hợp theo nhóm yêu cầu',
    total: 'Tổng cộng',
    gaps: 'Các yêu cầu chưa đạt và khuyến nghị',
    noGaps: 'Không có yêu cầu chưa đạt.',
    details: 'Chi tiết từng yêu cầu',
    notApplicable: 'Yêu cầu không áp dụng ở cấp độ này',
    clause: 'Điều khoản',
    source: 'Căn cứ',
    status: 'Kết quả',
    evidence: 'Bằng chứng',
    manual: 'Bằng chứng thủ công',
    actions: 'Khuyến nghị',
    uncertain: '[Chưa xác minh] Ngưỡng/điều khoản lấy từ nguồn thứ cấp, cần đối chiếu văn bản gốc',
    sourceStatusUncertain: 'hiệu lực cần xác minh',
    disclaimer: 'Tài liệu hỗ trợ kỹ thuật, không phải tư vấn pháp lý. Tiêu đề yêu cầu được diễn giải; đối chiếu Công báo và tiêu chuẩn gốc.',
    digest: 'Mã băm SHA-256 của báo cáo được ghi vào nhật ký kiểm toán socnoc.',
    noSystems: 'Cơ quan chưa có hệ thống nào trong danh mục.',
  },
  en: {
    title: 'Information security compliance assessment report',
    regime: 'Regime',
    generated: 'Generated (UTC)',
    scopeSystem: 'Information system',
    scopeAgency: 'Owner agency',
    system: 'System',
    agency: 'Agency',
    level: 'Level',
    approval: 'Level approval decision',
    noApproval: 'none',
    criteria: 'Level criteria',
    summary: 'Summary by requirement group',
    total: 'Total',
    gaps: 'Gaps and recommended actions',
    noGaps: 'No gaps.',
    details: 'Requirement details',
    notApplicable: 'Requirements not applicable at this level',
    clause: 'Clause',
    source: 'Basis',
    status: 'Result',
    evidence: 'Evidence',
    manual: 'Manual evidence',
    actions: 'Recommended actions',
    uncertain: '[Unverified] Threshold/clause from a secondary source; check against the official text',
    sourceStatusUncertain: 'legal status to verify',
    disclaimer: 'Engineering aid, not legal advice. Requirement titles are paraphrased; check against the official gazette and purchased standards.',
    digest: "The report's SHA-256 digest is recorded in the socnoc audit log.",
    noSystems: 'The agency has no systems in the register.',
  },
} as const;

export function title(r: { title_vi: string; title_en: string }, lang: ReportLang): string {
  return lang === 'vi' ? r.title_vi : r.title_en;
}
