/**
 * Wording of the report documents in Vietnamese and English. The Vietnamese headings follow the
 * forms of Circular 20/2017/TT-BTTTT (Form 03 "Báo cáo ban đầu sự cố", Form 04 "Báo cáo kết thúc
 * ứng phó sự cố") and the terms of Decree 331/2026 Art. 31.2.d; the English is a translation.
 * [uncertain] The field list follows a third-party transcription of the forms; check it against
 * the Circular's annex before filing.
 */
import type { AlertSeverity } from '../../alerts/types';
import type { Regime } from '../config';
import type { ReportKind } from '../regulatory';
import type { IncidentCategory, IncidentStatus, TaskStatus } from '../types';

export const REPORT_LANGUAGES = ['vi', 'en'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

export interface ReportLabels {
  nationalMotto: string[];
  recipient: string;
  titles: Record<ReportKind, string>;
  formNames: Record<ReportKind, string>;
  sections: { reporter: string; system: string; incident: string; response: string; closing: string; analysis: string; signature: string };
  fields: {
    reporterName: string;
    address: string;
    phone: string;
    email: string;
    operator: string;
    owner: string;
    systems: string;
    systemLevel: string;
    incidentId: string;
    title: string;
    description: string;
    category: string;
    severity: string;
    serious: string;
    detectedAt: string;
    openedAt: string;
    reportedAt: string;
    status: string;
    sources: string;
    targets: string;
    accounts: string;
    alerts: string;
    impact: string;
    actionsTaken: string;
    initialReport: string;
    resolvedAt: string;
    result: string;
    cause: string;
    scope: string;
    remediation: string;
    attachments: string;
    deadline: string;
  };
  signatureLine: string;
  signatureHint: string;
  yes: string;
  no: string;
  none: string;
  notYet: string;
  notSubmitted: string;
  categories: Record<IncidentCategory, string>;
  statuses: Record<IncidentStatus, string>;
  severities: Record<AlertSeverity, string>;
  generatedBy: string;
  /** socnoc's default recipients (config DEFAULT_RECIPIENTS) as this language names them; a configured recipient is printed as written. */
  defaultRecipients: Record<Regime, string>;
  /** Response steps from the timeline, written from each entry's data (timeline-entries.ts). */
  actions: {
    statusChange: string;
    taskAdded: string;
    taskStatus: string;
    taskRemoved: string;
    taskStatuses: Record<TaskStatus, string>;
    step: Record<'started' | 'succeeded' | 'failed' | 'skipped' | 'denied' | 'waiting', string>;
    approvalRequested: string;
    approved: string;
    denied: string;
  };
}

const VI: ReportLabels = {
  nationalMotto: ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'],
  recipient: 'Kính gửi',
  titles: {
    form03: 'BÁO CÁO BAN ĐẦU SỰ CỐ AN TOÀN THÔNG TIN MẠNG',
    form04: 'BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ',
    'nd331-notice': 'THÔNG BÁO BAN ĐẦU SỰ CỐ AN NINH MẠNG NGHIÊM TRỌNG',
    'nd331-report': 'BÁO CÁO NGUYÊN NHÂN, PHẠM VI VÀ BIỆN PHÁP KHẮC PHỤC SỰ CỐ',
  },
  formNames: {
    form03: 'Mẫu số 03 (Thông tư số 20/2017/TT-BTTTT)',
    form04: 'Mẫu số 04 (Thông tư số 20/2017/TT-BTTTT)',
    'nd331-notice': 'Theo điểm d khoản 2 Điều 31 Nghị định số 331/2026/NĐ-CP (thời hạn 24 giờ)',
    'nd331-report': 'Theo điểm d khoản 2 Điều 31 Nghị định số 331/2026/NĐ-CP (thời hạn 72 giờ)',
  },
  sections: {
    reporter: 'THÔNG TIN VỀ TỔ CHỨC/CÁ NHÂN BÁO CÁO SỰ CỐ',
    system: 'THÔNG TIN CHI TIẾT VỀ HỆ THỐNG BỊ SỰ CỐ',
    incident: 'THÔNG TIN VỀ SỰ CỐ',
    response: 'CÁC BIỆN PHÁP ĐÃ TRIỂN KHAI',
    closing: 'KẾT QUẢ XỬ LÝ SỰ CỐ',
    analysis: 'NGUYÊN NHÂN, PHẠM VI VÀ BIỆN PHÁP KHẮC PHỤC',
    signature: 'XÁC NHẬN',
  },
  fields: {
    reporterName: 'Tên tổ chức/cá nhân báo cáo sự cố',
    address: 'Địa chỉ',
    phone: 'Điện thoại',
    email: 'Email',
    operator: 'Tên đơn vị vận hành hệ thống thông tin',
    owner: 'Cơ quan chủ quản',
    systems: 'Tên hệ thống bị sự cố',
    systemLevel: 'Phân loại cấp độ của hệ thống thông tin',
    incidentId: 'Số hiệu sự cố',
    title: 'Tên sự cố',
    description: 'Mô tả sự cố',
    category: 'Loại sự cố',
    severity: 'Mức độ',
    serious: 'Sự cố nghiêm trọng',
    detectedAt: 'Ngày giờ phát hiện sự cố',
    openedAt: 'Ngày giờ ghi nhận sự cố',
    reportedAt: 'Ngày giờ báo cáo',
    status: 'Tình trạng hiện tại',
    sources: 'Địa chỉ nguồn tấn công',
    targets: 'Máy chủ, địa chỉ bị ảnh hưởng',
    accounts: 'Tài khoản liên quan',
    alerts: 'Cảnh báo liên quan',
    impact: 'Ảnh hưởng, thiệt hại',
    actionsTaken: 'Các biện pháp đã thực hiện',
    initialReport: 'Ký hiệu báo cáo ban đầu sự cố',
    resolvedAt: 'Thời điểm kết thúc ứng phó',
    result: 'Kết quả xử lý sự cố',
    cause: 'Nguyên nhân',
    scope: 'Phạm vi ảnh hưởng',
    remediation: 'Biện pháp khắc phục',
    attachments: 'Các tài liệu đính kèm',
    deadline: 'Thời hạn báo cáo',
  },
  signatureLine: 'CÁ NHÂN/NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT',
  signatureHint: '(Ký tên, đóng dấu)',
  yes: 'Có',
  no: 'Không',
  none: '(không có)',
  notYet: '(chưa kết thúc)',
  notSubmitted: '(chưa gửi)',
  categories: {
    malware: 'Mã độc',
    intrusion: 'Tấn công xâm nhập',
    unauthorized_access: 'Truy cập trái phép',
    dos: 'Tấn công từ chối dịch vụ',
    data_leak: 'Lộ, lọt dữ liệu',
    phishing: 'Lừa đảo trực tuyến (phishing)',
    defacement: 'Thay đổi giao diện trang thông tin điện tử',
    availability: 'Gián đoạn hoạt động hệ thống',
    other: 'Khác',
  },
  statuses: { open: 'Mới ghi nhận', investigating: 'Đang điều tra', contained: 'Đã ngăn chặn', resolved: 'Đã xử lý xong', closed: 'Đã đóng' },
  severities: { informational: 'Thông tin', low: 'Thấp', medium: 'Trung bình', high: 'Cao', critical: 'Khẩn cấp' },
  generatedBy: 'Tạo bởi socnoc',
  defaultRecipients: {
    decree85: 'Trung tâm Ứng cứu khẩn cấp không gian mạng Việt Nam (VNCERT/CC), cơ quan điều phối quốc gia',
    decree331: 'Đơn vị chuyên trách về an ninh mạng thuộc Bộ Công an (A05) / Công an thành phố',
  },
  actions: {
    statusChange: 'chuyển trạng thái từ {from} sang {to}',
    taskAdded: 'thêm công việc #{id}: {title}',
    taskStatus: 'công việc #{id} chuyển từ {from} sang {to}: {title}',
    taskRemoved: 'xóa công việc #{id}: {title}',
    taskStatuses: { open: 'Cần làm', in_progress: 'Đang thực hiện', done: 'Hoàn thành', cancelled: 'Đã hủy' },
    step: {
      started: 'kịch bản {playbook}: bắt đầu bước {step} ({action})',
      succeeded: 'kịch bản {playbook}: bước {step} ({action}) thành công',
      failed: 'kịch bản {playbook}: bước {step} ({action}) thất bại',
      skipped: 'kịch bản {playbook}: bỏ qua bước {step} ({action})',
      denied: 'kịch bản {playbook}: bước {step} ({action}) kết thúc do yêu cầu phê duyệt bị từ chối',
      waiting: 'kịch bản {playbook}: bước {step} ({action}) chờ',
    },
    approvalRequested: 'kịch bản {playbook}: yêu cầu phê duyệt tại bước {step}',
    approved: '{who} phê duyệt yêu cầu tại bước {step}',
    denied: '{who} từ chối yêu cầu tại bước {step}',
  },
};

const EN: ReportLabels = {
  nationalMotto: ['SOCIALIST REPUBLIC OF VIETNAM', 'Independence - Freedom - Happiness'],
  recipient: 'To',
  titles: {
    form03: 'INITIAL REPORT OF A NETWORK INFORMATION SECURITY INCIDENT',
    form04: 'END-OF-RESPONSE INCIDENT REPORT',
    'nd331-notice': 'INITIAL NOTICE OF A SERIOUS CYBERSECURITY INCIDENT',
    'nd331-report': 'REPORT ON THE CAUSE, SCOPE AND REMEDIATION OF AN INCIDENT',
  },
  formNames: {
    form03: 'Form 03 (Circular 20/2017/TT-BTTTT)',
    form04: 'Form 04 (Circular 20/2017/TT-BTTTT)',
    'nd331-notice': 'Under Decree 331/2026/NĐ-CP Art. 31.2.d (within 24 hours)',
    'nd331-report': 'Under Decree 331/2026/NĐ-CP Art. 31.2.d (within 72 hours)',
  },
  sections: {
    reporter: 'REPORTING ORGANISATION',
    system: 'AFFECTED SYSTEM',
    incident: 'INCIDENT',
    response: 'ACTIONS TAKEN',
    closing: 'RESULT OF THE RESPONSE',
    analysis: 'CAUSE, SCOPE AND REMEDIATION',
    signature: 'CONFIRMATION',
  },
  fields: {
    reporterName: 'Reporting organisation',
    address: 'Address',
    phone: 'Phone',
    email: 'Email',
    operator: 'System operator',
    owner: 'Owning agency',
    systems: 'Affected systems',
    systemLevel: 'System protection level',
    incidentId: 'Incident number',
    title: 'Incident',
    description: 'Description',
    category: 'Category',
    severity: 'Severity',
    serious: 'Serious incident',
    detectedAt: 'Detected at',
    openedAt: 'Recorded at',
    reportedAt: 'Reported at',
    status: 'Current status',
    sources: 'Attack source addresses',
    targets: 'Affected hosts and addresses',
    accounts: 'Accounts involved',
    alerts: 'Related alerts',
    impact: 'Impact and damage',
    actionsTaken: 'Actions taken',
    initialReport: 'Initial report reference',
    resolvedAt: 'Response ended at',
    result: 'Result of the response',
    cause: 'Cause',
    scope: 'Scope',
    remediation: 'Remediation',
    attachments: 'Attachments',
    deadline: 'Reporting deadline',
  },
  signatureLine: 'INDIVIDUAL / LEGAL REPRESENTATIVE',
  signatureHint: '(Signature and seal)',
  yes: 'Yes',
  no: 'No',
  none: '(none)',
  notYet: '(not ended)',
  notSubmitted: '(not submitted)',
  categories: {
    malware: 'Malware',
    intrusion: 'Intrusion',
    unauthorized_access: 'Unauthorised access',
    dos: 'Denial of service',
    data_leak: 'Data leak',
    phishing: 'Phishing',
    defacement: 'Website defacement',
    availability: 'Service disruption',
    other: 'Other',
  },
  statuses: { open: 'Open', investigating: 'Investigating', contained: 'Contained', resolved: 'Resolved', closed: 'Closed' },
  severities: { informational: 'Informational', low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' },
  generatedBy: 'Generated by socnoc',
  defaultRecipients: { decree85: 'VNCERT/CC (national coordinator)', decree331: "the Ministry of Public Security's specialised cybersecurity unit (A05) / the city's police" },
  actions: {
    statusChange: 'status {from} → {to}',
    taskAdded: 'task #{id} added: {title}',
    taskStatus: 'task #{id} status {from} → {to}: {title}',
    taskRemoved: 'task #{id} removed: {title}',
    taskStatuses: { open: 'open', in_progress: 'in_progress', done: 'done', cancelled: 'cancelled' },
    step: {
      started: 'playbook {playbook}: step {step} ({action}) started',
      succeeded: 'playbook {playbook}: step {step} ({action}) succeeded',
      failed: 'playbook {playbook}: step {step} ({action}) failed',
      skipped: 'playbook {playbook}: step {step} ({action}) skipped',
      denied: 'playbook {playbook}: step {step} ({action}) ended, approval denied',
      waiting: 'playbook {playbook}: step {step} ({action}) waiting',
    },
    approvalRequested: 'playbook {playbook}: approval requested at step {step}',
    approved: '{who} approved the request at step {step}',
    denied: '{who} denied the request at step {step}',
  },
};

export const REPORT_LABELS: Readonly<Record<ReportLanguage, ReportLabels>> = { vi: VI, en: EN };
