/**
 * The incident timeline as the console shows it: entries written by the real IncidentService (a
 * SQLite file in a temp folder), the deadline monitor and the playbook audit mirror, rendered by
 * the console's timeline-text in Vietnamese and English. Every kind the server writes must render
 * from its data, without the English message.
 */
import { en as enCatalogue, type MessageKey } from '../dashboards/web/src/i18n/en';
import { vi as viCatalogue } from '../dashboards/web/src/i18n/vi';
import type { IncidentTimelineEntry } from '../dashboards/web/src/api/incidents';
import { actorLabel, timelineParts, timelineText, type TimelineFormat } from '../dashboards/web/src/lib/timeline-text';
import { DeadlineMonitor } from '../correlation/incidents/deadline-monitor';
import { createFixture, eventsById, hit, RULES, START, type Fixture } from '../correlation/incidents/testdata/fixtures';
import { playbookTimelineEntry } from '../correlation/incidents/timeline-entries';

/** The console's lookup (i18n/index.tsx, which jest cannot load as JSX): a missing key comes back as itself. */
function format(lang: 'vi' | 'en'): TimelineFormat {
  const catalogue: Record<string, string> = lang === 'vi' ? viCatalogue : enCatalogue;
  const t = (key: MessageKey, vars?: Record<string, string | number>): string =>
    (catalogue[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) => (vars && name in vars ? String(vars[name]) : whole));
  return { t, date: (iso) => `<${iso.slice(0, 16)}>` };
}

describe('incident timeline rendered by the console', () => {
  let fx: Fixture;
  let timeline: IncidentTimelineEntry[];
  let incidentId: string;

  beforeAll(() => {
    fx = createFixture();
    const [alertId] = fx.raise(hit(RULES.sshFailures, eventsById('evt-ssh-001', 'evt-ssh-002', 'evt-ssh-003'), { 'source.ip': '203.0.113.45' }));
    incidentId = fx.store.head(fx.store.incidentOfAlert(alertId)!)!.id;
    const s = fx.service;
    s.updateIncident(incidentId, { status: 'investigating', severity: 'critical', assignee: 'lan.q1', category: 'unauthorized_access', serious: true }, 'user:lan.q1');
    s.updateIncident(incidentId, { severity: null, details: { cause: 'Mật khẩu yếu', impact: 'Một máy chủ' } }, 'user:lan.q1');
    s.addComment(incidentId, 'Đã gọi cho quản trị viên máy chủ', 'user:lan.q1');
    const task = s.addTask(incidentId, { title: 'Cô lập máy chủ web-q1-01' }, 'user:lan.q1');
    s.updateTask(incidentId, task.id, { status: 'done' }, 'user:lan.q1');
    s.deleteTask(incidentId, task.id, 'user:lan.q1');
    s.submitReport(incidentId, 'form03', { reference: 'CV 45/UBND-CNTT' }, 'user:lan.q1');
    const run = 'playbook_run:7d1f6a52-3c1e-4c55-9a0e-1d2b3c4d5e6f';
    for (const record of [
      { actor: 'playbook:brute-force', action: 'playbook.step.wait', object: run, result: 'pending', details: { alert_id: alertId, step: 'approve', action: 'approval.request', until: '2026-11-26T02:20:00.000Z' } },
      { actor: 'user:lan.q1', action: 'playbook.approval.decision', object: run, result: 'denied', details: { alert_id: alertId, step: 'approve', decision: 'deny', comment: 'địa chỉ nội bộ' } },
      { actor: 'playbook:brute-force', action: 'playbook.step.finish', object: run, result: 'denied', details: { alert_id: alertId, step: 'approve', action: 'approval.request', error: 'denied by lan.q1' } },
      { actor: 'playbook:brute-force', action: 'playbook.step.finish', object: run, result: 'success', details: { alert_id: alertId, step: 'notify-soc', action: 'email.send', attempts: 1 } },
      { actor: 'playbook:brute-force', action: 'playbook.step.finish', object: run, result: 'failure', details: { alert_id: alertId, step: 'block-source', action: 'firewall.block', error: 'nft: permission denied' } },
    ]) {
      s.addTimelineEntry(incidentId, playbookTimelineEntry(record)!, record.actor);
    }
    // Ten days on, the resolve SLA and the Decree 331 clocks have passed unmet: the monitor writes breaches.
    fx.clock.now = START + 10 * 24 * 3_600_000;
    new DeadlineMonitor(s, () => undefined).tick();
    timeline = s.detail(incidentId).timeline;
  });

  afterAll(() => fx.close());

  it('writes every value a message shows into data', () => {
    expect(timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['created', 'alert_added', 'status_change', 'field_change', 'comment', 'task_change', 'report_status', 'playbook_step', 'deadline_breach']),
    );
    const created = timeline.find((e) => e.kind === 'created')!;
    expect(created.data.title).toBe(fx.service.get(incidentId).title);
    expect(timeline.find((e) => e.kind === 'alert_added')!.data).toMatchObject({ rule_name: RULES.sshFailures.name, severity: 'high' });
    expect(timeline.find((e) => e.kind === 'playbook_step' && e.data.phase === 'approval_decided')!.data).toMatchObject({ decision: 'deny', comment: 'địa chỉ nội bộ', step: 'approve' });
    // The English message stays for API users.
    expect(timeline.find((e) => e.kind === 'status_change')!.message).toBe('status open → investigating');
  });

  it('renders every entry from kind and data in Vietnamese, never the English message', () => {
    const vi = format('vi');
    const lines = timeline.map((e) => timelineText(e, vi));
    for (const [i, e] of timeline.entries()) {
      if (e.kind === 'comment') continue;
      expect({ kind: e.kind, line: lines[i] }).not.toEqual({ kind: e.kind, line: e.message });
    }
    expect(lines).toEqual(
      expect.arrayContaining([
        `Mở sự cố: ${fx.service.get(incidentId).title}`,
        'Chuyển trạng thái từ Mới mở sang Đang điều tra',
        'Đổi Mức độ nghiêm trọng từ Cao thành Nghiêm trọng',
        'Đổi Mức độ nghiêm trọng từ Nghiêm trọng thành mức của các cảnh báo',
        'Đổi Người xử lý từ chưa giao thành lan.q1',
        'Đổi Loại sự cố từ Xâm nhập thành Truy cập trái phép',
        'Đổi Sự cố nghiêm trọng từ Không thành Có',
        'Cập nhật thông tin: nguyên nhân, mức độ ảnh hưởng',
        'Đã gọi cho quản trị viên máy chủ',
        'Thêm công việc #1: Cô lập máy chủ web-q1-01',
        'Công việc #1 chuyển từ Cần làm sang Hoàn thành: Cô lập máy chủ web-q1-01',
        'Xóa công việc #1: Cô lập máy chủ web-q1-01',
        'Ghi nhận đã gửi Báo cáo ban đầu sự cố (Thông tư 20/2017, Mẫu 03) (số hiệu CV 45/UBND-CNTT)',
        'Yêu cầu phê duyệt tại bước approve; lượt chạy chờ người phê duyệt · lượt chạy 7d1f6a52',
        'Từ chối yêu cầu tại bước approve · lượt chạy 7d1f6a52 — địa chỉ nội bộ',
        'Bước approve (approval.request) kết thúc: yêu cầu phê duyệt bị từ chối · lượt chạy 7d1f6a52',
        'Bước notify-soc (email.send) thành công · lượt chạy 7d1f6a52',
        'Bước block-source (firewall.block) thất bại · lượt chạy 7d1f6a52 — nft: permission denied',
      ]),
    );
    expect(lines.filter((l) => l.startsWith('Quá hạn: ')).map((l) => l.replace(/ \(hạn <[^>]+>\)$/, ''))).toEqual(expect.arrayContaining(['Quá hạn: Xử lý xong (cam kết dịch vụ)', 'Quá hạn: Thông báo ban đầu sự cố nghiêm trọng (Nghị định 331)']));
    expect(lines.find((l) => l.startsWith('Thêm cảnh báo '))).toMatch(/^Thêm cảnh báo [0-9a-f]{8}: SSH brute force: repeated failed passwords \(Cao\)$/);
  });

  it('renders the same entries in English', () => {
    const en = format('en');
    const lines = timeline.map((e) => timelineText(e, en));
    expect(lines).toEqual(
      expect.arrayContaining([
        'Status changed from Open to Investigating',
        'Severity changed from Critical to that of its alerts',
        'Task #1 moved from To do to Done: Cô lập máy chủ web-q1-01',
        'Denied the request at step approve · run 7d1f6a52 — địa chỉ nội bộ',
      ]),
    );
  });

  it('keeps what people and remote systems wrote apart as authored text', () => {
    const vi = format('vi');
    const authored = timeline.flatMap((e) => timelineParts(e, vi).filter((p) => p.authored).map((p) => p.text));
    expect(authored).toEqual(expect.arrayContaining(['Đã gọi cho quản trị viên máy chủ', 'Cô lập máy chủ web-q1-01', 'địa chỉ nội bộ', 'nft: permission denied', RULES.sshFailures.name]));
    expect(authored).not.toContain('Chuyển trạng thái từ ');
  });

  it('translates the rule titles it knows: the rule part of the incident title and the rule of an added alert', () => {
    const known = new Map([[RULES.sshFailures.name, 'Nhiều lần đăng nhập SSH thất bại']]);
    const vi: TimelineFormat = { ...format('vi'), ruleTitle: (_id, name) => known.get(name) ?? name };
    const created = timeline.find((e) => e.kind === 'created')!;
    const title = fx.service.get(incidentId).title;
    expect(title.startsWith(`${RULES.sshFailures.name} (`)).toBe(true);
    expect(timelineText(created, vi)).toBe(`Mở sự cố: Nhiều lần đăng nhập SSH thất bại${title.slice(RULES.sshFailures.name.length)}`);
    expect(timelineParts(created, vi).some((p) => p.authored)).toBe(false);
    expect(timelineText(timeline.find((e) => e.kind === 'alert_added')!, vi)).toContain('Nhiều lần đăng nhập SSH thất bại');
  });

  it('falls back to the message for unknown kinds and rows without data', () => {
    const vi = format('vi');
    const old: IncidentTimelineEntry = { id: 1, time: '2026-01-01T00:00:00Z', actor: 'user:an', kind: 'task_change', message: 'task #3 added: call the ISP', data: { task_id: 3, action: 'added' } };
    expect(timelineText(old, vi)).toBe('task #3 added: call the ISP');
    expect(timelineText({ ...old, kind: 'escalation', message: 'escalated to duty officer' }, vi)).toBe('escalated to duty officer');
  });

  it('reads playbook rows mirrored before entries carried their phase from their fixed message', () => {
    const vi = format('vi');
    const row = (actor: string, message: string): IncidentTimelineEntry => ({ id: 1, time: '2026-01-01T00:00:00Z', actor, kind: 'playbook_step', message, data: { run_id: '0f3c2a1b-aaaa', alert_id: 'a', result: 'x' } });
    expect(timelineText(row('playbook:brute-force', 'playbook:brute-force: step approve-block (approval.request) waiting'), vi)).toBe(
      'Yêu cầu phê duyệt tại bước approve-block; lượt chạy chờ người phê duyệt · lượt chạy 0f3c2a1b',
    );
    expect(timelineText(row('user:lan.q1', 'user:lan.q1: step approve-block decision: deny'), vi)).toBe('Từ chối yêu cầu tại bước approve-block · lượt chạy 0f3c2a1b');
    expect(timelineText(row('playbook:brute-force', 'playbook:brute-force: step notify-soc (notify.email) failure'), vi)).toBe('Bước notify-soc (notify.email) thất bại · lượt chạy 0f3c2a1b');
    expect(timelineText(row('playbook:x', 'playbook:x: something else'), vi)).toBe('playbook:x: something else');
  });

  it('writes the same message as the playbook mirror did, so API readers see no change', () => {
    const entry = playbookTimelineEntry({ actor: 'user:lan.q1', action: 'playbook.approval.decision', object: 'playbook_run:r1', result: 'denied', details: { alert_id: 'a1', step: 'approve-block', decision: 'deny', comment: '' } })!;
    expect(entry.message).toBe('user:lan.q1: step approve-block decision: deny');
    expect(playbookTimelineEntry({ actor: 'playbook:p', action: 'playbook.step.start', object: 'playbook_run:r1', result: 'pending', details: { step: 's', action: 'wait' } })!.data).toMatchObject({ phase: 'started', playbook: 'p' });
    const simulated = playbookTimelineEntry({ actor: 'playbook:p', action: 'playbook.step.finish', object: 'playbook_run:r2', result: 'success', details: { step: 'block', action: 'contain.block_ip', simulated: true } })!;
    expect(simulated.message).toBe('playbook:p: step block (contain.block_ip) success (simulated)');
    expect(timelineText({ id: 9, time: '2026-01-01T00:00:00Z', actor: 'playbook:p', ...simulated, data: simulated.data ?? {} }, format('vi'))).toBe(
      'Bước block (contain.block_ip) thành công (mô phỏng, không thực hiện thật) · lượt chạy r2',
    );
    expect(playbookTimelineEntry({ actor: 'playbook:p', action: 'alert.update', object: 'alert:1', result: 'success', details: {} })).toBeUndefined();
  });

  it('names the actors in the reader language', () => {
    const t = format('vi').t;
    expect(['system:grouping', 'system:deadlines', 'system:import', 'playbook:brute-force', 'user:lan.q1', 'admin'].map((a) => actorLabel(a, t))).toEqual([
      'Hệ thống (gom nhóm cảnh báo)',
      'Hệ thống (theo dõi thời hạn)',
      'Hệ thống (import)',
      'Kịch bản brute-force',
      'lan.q1',
      'admin',
    ]);
  });
});
