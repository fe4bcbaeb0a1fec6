import { createFixture, eventsById, hit, RULES, START, type Fixture } from '../testdata/fixtures';
import { playbookTimelineEntry } from '../timeline-entries';
import { renderHtml, renderText } from './render';

const CONTACTS = {
  'hanoi-doh': { name: 'Sở Y tế Hà Nội', owner: 'Ủy ban nhân dân thành phố Hà Nội', address: '4 Sơn Tây, Ba Đình, Hà Nội', phone: '024 3998 5765', email: 'soyte@hanoi.gov.vn' },
};

function seriousIncident(f: Fixture): string {
  f.raise(hit(RULES.sshSuccessAfterFailures, eventsById('evt-ssh-001', 'evt-ssh-006'), { 'source.ip': '203.0.113.45', 'user.name': 'deploy' }));
  const id = f.service.list({ limit: 1, offset: 0 }).incidents[0].id;
  f.clock.now = START + 30 * 60_000;
  f.service.updateIncident(
    id,
    {
      status: 'contained',
      serious: true,
      details: {
        description: 'Brute-force SSH attack on the hospital appointment portal; the deploy account was taken over.',
        affected_systems: ['Cổng đăng ký khám bệnh trực tuyến (web01)'],
        actions_taken: 'Blocked 203.0.113.45 at the firewall; disabled the deploy account; rotated SSH keys.',
        cause: 'Weak password on the deploy service account, SSH open to the Internet.',
        impact: 'No data exfiltration observed.',
        system_level: 3,
      },
    },
    'analyst.hn',
  );
  return id;
}

describe('report documents', () => {
  let f: Fixture;
  beforeEach(() => {
    f = createFixture({ reporting: { contacts: CONTACTS } });
  });
  afterEach(() => f.close());

  it('fills Form 03 in Vietnamese with the fields of the form', () => {
    const id = seriousIncident(f);
    const text = renderText(f.service.reportDocument(id, 'form03', 'vi'));
    for (const expected of [
      'Mẫu số 03 (Thông tư số 20/2017/TT-BTTTT)',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Kính gửi: Trung tâm Ứng cứu khẩn cấp không gian mạng Việt Nam (VNCERT/CC), cơ quan điều phối quốc gia',
      'BÁO CÁO BAN ĐẦU SỰ CỐ AN TOÀN THÔNG TIN MẠNG',
      'Tên tổ chức/cá nhân báo cáo sự cố: Sở Y tế Hà Nội',
      'Địa chỉ: 4 Sơn Tây, Ba Đình, Hà Nội',
      'Điện thoại: 024 3998 5765',
      'Email: soyte@hanoi.gov.vn',
      'Cơ quan chủ quản: Ủy ban nhân dân thành phố Hà Nội',
      'Tên hệ thống bị sự cố: Cổng đăng ký khám bệnh trực tuyến (web01)',
      'Phân loại cấp độ của hệ thống thông tin: 3',
      `Số hiệu sự cố: ${id}`,
      'Loại sự cố: Tấn công xâm nhập',
      'Sự cố nghiêm trọng: Có',
      // Detected 01:20 UTC = 08:20 in Ho Chi Minh City.
      'Ngày giờ phát hiện sự cố: 26/11/2026 08:20 (GMT+7)',
      'Tình trạng hiện tại: Đã ngăn chặn',
      'Địa chỉ nguồn tấn công: 203.0.113.45',
      'Tài khoản liên quan: deploy, root',
      'Các biện pháp đã thực hiện: Blocked 203.0.113.45 at the firewall',
      'Thời hạn báo cáo: 01/12/2026 08:20 (GMT+7)',
      'CÁ NHÂN/NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('fills the same fields in English', () => {
    const id = seriousIncident(f);
    const text = renderText(f.service.reportDocument(id, 'form03', 'en'));
    for (const expected of [
      'Form 03 (Circular 20/2017/TT-BTTTT)',
      'INITIAL REPORT OF A NETWORK INFORMATION SECURITY INCIDENT',
      'Reporting organisation: Sở Y tế Hà Nội',
      'Category: Intrusion',
      'Serious incident: Yes',
      'Detected at: 26/11/2026 08:20 (GMT+7)',
      'Current status: Contained',
      'Actions taken: Blocked 203.0.113.45',
      'Description: Brute-force SSH attack',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('Form 04 carries the initial report reference, the end of the response and the result', () => {
    const id = seriousIncident(f);
    f.clock.now = START + 3 * 3_600_000;
    f.service.submitReport(id, 'form03', { reference: '125/SYT-CNTT', submittedAt: START + 2 * 3_600_000 }, 'analyst.hn');
    f.service.updateIncident(id, { status: 'resolved' }, 'analyst.hn');
    for (const lang of ['vi', 'en'] as const) {
      const text = renderText(f.service.reportDocument(id, 'form04', lang));
      const labels = lang === 'vi' ? ['Ký hiệu báo cáo ban đầu sự cố: 125/SYT-CNTT (26/11/2026 10:20', 'Thời điểm kết thúc ứng phó: 26/11/2026 11:20', 'Kết quả xử lý sự cố: Đã xử lý xong'] : ['Initial report reference: 125/SYT-CNTT', 'Response ended at: 26/11/2026 11:20', 'Result of the response: Resolved'];
      for (const l of labels) expect(text).toContain(l);
    }
  });

  it('the Decree 331 notice and report name their deadline and the cause, scope and remediation', () => {
    const id = seriousIncident(f);
    const notice = renderText(f.service.reportDocument(id, 'nd331-notice', 'vi'));
    expect(notice).toContain('THÔNG BÁO BAN ĐẦU SỰ CỐ AN NINH MẠNG NGHIÊM TRỌNG');
    expect(notice).toContain('Thời hạn báo cáo: 27/11/2026 08:20 (GMT+7)');
    expect(notice).toContain('Kính gửi: Đơn vị chuyên trách về an ninh mạng thuộc Bộ Công an (A05) / Công an thành phố');
    const report = renderText(f.service.reportDocument(id, 'nd331-report', 'en'));
    expect(report).toContain('Cause: Weak password on the deploy service account');
    expect(report).toContain('Scope: Cổng đăng ký khám bệnh trực tuyến (web01)');
    expect(report).toContain('Remediation: Blocked 203.0.113.45');
    expect(report).toContain('Reporting deadline: 29/11/2026 08:20 (GMT+7)');
  });

  it('HTML escapes what analysts typed and keeps line breaks', () => {
    const id = seriousIncident(f);
    f.service.updateIncident(id, { details: { description: 'Payload <script>alert(1)</script> & "quotes"\nsecond line' } }, 'analyst.hn');
    const html = renderHtml(f.service.reportDocument(id, 'form03', 'vi'));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="vi">');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Payload &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;<br>second line');
    expect(html).toContain('<th>Tên đơn vị vận hành hệ thống thông tin</th><td>Hanoi Department of Health</td>');
  });

  it('lists response steps from the timeline when no actions were written', () => {
    f.close();
    f = createFixture();
    f.raise(hit(RULES.sshFailures, eventsById('evt-ssh-001', 'evt-ssh-002'), { 'source.ip': '203.0.113.45' }));
    const id = f.service.list({ limit: 1, offset: 0 }).incidents[0].id;
    f.clock.now = START + 10 * 60_000;
    f.service.updateIncident(id, { status: 'investigating' }, 'analyst.hn');
    f.service.addTimelineEntry(id, { kind: 'playbook_step', message: 'contain.block_ip 203.0.113.45 (dry run)' }, 'playbook:brute-force');
    const text = renderText(f.service.reportDocument(id, 'form03', 'en'));
    expect(text).toContain('Actions taken: 26/11/2026 08:30 (GMT+7): status Open → Investigating');
    expect(text).toContain('    26/11/2026 08:30 (GMT+7): contain.block_ip 203.0.113.45 (dry run)');
    // The Vietnamese form writes the same steps in Vietnamese, from the entries' data.
    f.service.addTimelineEntry(
      id,
      playbookTimelineEntry({ actor: 'user:analyst.hn', action: 'playbook.approval.decision', object: 'playbook_run:r1', result: 'denied', details: { step: 'approve-block', decision: 'deny' } })!,
      'user:analyst.hn',
    );
    const vi = renderText(f.service.reportDocument(id, 'form03', 'vi'));
    expect(vi).toContain('26/11/2026 08:30 (GMT+7): chuyển trạng thái từ Mới ghi nhận sang Đang điều tra');
    expect(vi).toContain('26/11/2026 08:30 (GMT+7): analyst.hn từ chối yêu cầu tại bước approve-block');
    expect(vi).not.toContain('status open');
    // No contact configured for the agency: its name from the alerts, blanks shown as none.
    expect(text).toContain('Reporting organisation: Hanoi Department of Health');
    expect(text).toContain('Phone: (none)');
  });
});
