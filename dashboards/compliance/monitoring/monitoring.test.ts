/**
 * Circular 31/2017 monitoring reports on constructed data: a real event store and audit log in a
 * temp folder; alerts, incidents, devices and agents as constructed facts. Figures are checked
 * against the data, the PDF through pdftotext (Vietnamese strings, figures), the digest in the audit chain.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog, type AuditLog } from '../../../core/audit';
import { SqliteEventStore } from '../../../core/store/sqlite-event-store';
import { DEFAULT_COMPLIANCE_CONFIG } from '../config';
import type { AlertFacts, CompliancePorts, IncidentFacts } from '../ports';
import { AGENCY, DAY, DB, FIREWALL, H, NOW, seedEvents, WEB } from '../testdata/seed';
import { computeMonitoringFigures } from './figures';
import { generateMonitoringReport } from './run';

const alert = (id: string, severity: string, at: number, over: Partial<AlertFacts> = {}): AlertFacts => ({
  id,
  organization: AGENCY,
  severity,
  ruleName: 'FortiGate: Repeated Denied Connections From One Source',
  firstSeen: at,
  count: 12,
  techniques: ['T1046'],
  sourceIp: '203.0.113.77',
  destination: '10.50.1.21',
  status: 'new',
  ...over,
});

const ALERTS: AlertFacts[] = [
  alert('a1', 'high', NOW - 2 * H),
  alert('a2', 'high', NOW - 3 * DAY),
  alert('a3', 'critical', NOW - 4 * DAY, { ruleName: 'SSH Login After Repeated Failures From the Same Address', techniques: ['T1110', 'T1078'], sourceIp: '198.51.100.23', destination: 'hcm-web-01' }),
  alert('a4', 'medium', NOW - 5 * DAY, { sourceIp: null }),
  alert('a5', 'low', NOW - 6 * DAY),
  // Outside a weekly window: 9 days old.
  alert('a6', 'critical', NOW - 9 * DAY),
];

const INCIDENTS: IncidentFacts[] = [
  { id: 'INC-2026-000041', organization: AGENCY, firstEventAt: NOW - 4 * DAY - H, detectedAt: NOW - 4 * DAY, acknowledgedAt: NOW - 4 * DAY + H, resolvedAt: NOW - 4 * DAY + 6 * H, serious: true, reports: [{ key: 'report.nd331-notice', regime: 'decree331', dueAt: NOW - 3 * DAY, submittedAt: NOW - 3 * DAY + 2 * H }] },
  { id: 'INC-2026-000042', organization: AGENCY, firstEventAt: null, detectedAt: NOW - 2 * DAY, acknowledgedAt: null, resolvedAt: NOW - 2 * DAY + 10 * H, serious: false, reports: [] },
  { id: 'INC-2026-000043', organization: AGENCY, firstEventAt: null, detectedAt: NOW - DAY, acknowledgedAt: null, resolvedAt: null, serious: false, reports: [] },
];

describe('monitoring reports (Circular 31/2017)', () => {
  let dir: string;
  let events: SqliteEventStore;
  let audit: AuditLog;
  let ports: CompliancePorts;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-monitoring-'));
    events = new SqliteEventStore({ dir: join(dir, 'events') });
    await events.append(seedEvents());
    audit = openAuditLog(join(dir, 'audit.db'));
    ports = {
      events,
      audit,
      alerts: { alerts: ({ from, to, limit }) => ALERTS.filter((a) => a.firstSeen >= from && a.firstSeen < to).slice(0, limit) },
      incidents: { incidents: ({ from, to }) => INCIDENTS.filter((i) => i.detectedAt >= from && i.detectedAt < to) },
      devices: {
        devices: () => [
          { id: 'd1', name: 'FGT-HCM-EDGE', address: FIREWALL, organization: AGENCY, status: 'up', lastPolled: NOW - 60_000, clockOffsetMs: null },
          { id: 'd2', name: 'SW-HCM-CORE', address: '10.50.0.2', organization: AGENCY, status: 'down', lastPolled: NOW - 60_000, clockOffsetMs: null },
        ],
      },
      agents: {
        agents: () => [
          { id: 'g1', hostname: 'hcm-db-01', organization: AGENCY, status: 'online', lastSeen: NOW - 30_000, revoked: false, clockOffsetMs: 12, lastMalwareScan: null, signaturesUpdated: null },
          { id: 'g2', hostname: 'hcm-web-01', organization: AGENCY, status: 'offline', lastSeen: NOW - 30 * H, revoked: false, clockOffsetMs: null, lastMalwareScan: null, signaturesUpdated: null },
        ],
      },
    };
  });

  afterAll(async () => {
    await events.close();
    audit.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('weekly figures: events per source, alerts by severity, attackers, techniques, incidents, silent sources, devices, agents', async () => {
    const f = await computeMonitoringFigures(ports, { period: 'weekly', agency: AGENCY, now: NOW, silentSourceHours: 24, lookbackDays: 30 });
    expect(f.from).toBe(NOW - 7 * DAY);
    // 84 two-hour slots in 7 days: firewall and DB every slot; the web server until 30 h before NOW.
    const slots = seedEvents().filter((e) => Date.parse(e['@timestamp']) >= NOW - 7 * DAY);
    expect(f.events!.total).toBe(slots.length);
    expect(f.events!.byDataset).toEqual([
      { value: 'linux.sshd', count: slots.filter((e) => e.event.dataset === 'linux.sshd').length },
      { value: 'fortinet.fortigate', count: slots.filter((e) => e.event.dataset === 'fortinet.fortigate').length },
    ]);
    expect(f.events!.histogram.reduce((n, b) => n + b.count, 0)).toBe(slots.length);
    expect(f.alerts!.bySeverity).toEqual({ critical: 1, high: 2, medium: 1, low: 1, informational: 0 });
    expect(f.alerts!.total).toBe(5);
    expect(f.alerts!.attackers).toEqual([
      { value: '203.0.113.77', count: 3 },
      { value: '198.51.100.23', count: 1 },
    ]);
    expect(f.alerts!.techniques[0]).toEqual({ value: 'T1046', count: 4 });
    expect(f.alerts!.targets.map((t) => t.value)).toEqual(['10.50.1.21', 'hcm-web-01']);
    // Resolved in 6 h and 10 h: median 8 h; the third is still open; the 24 h notice went 2 h late.
    expect(f.incidents).toEqual({ opened: 3, serious: 1, resolved: 2, unresolved: ['INC-2026-000043'], mttrHours: 8, reportsLate: ['INC-2026-000041 report.nd331-notice'] });
    expect(f.silentSources!.checked).toBe(3);
    expect(f.silentSources!.silent.map((s) => s.source)).toEqual([WEB]);
    expect(Date.parse(f.silentSources!.silent[0].lastSeen)).toBeLessThan(NOW - 30 * H);
    expect(f.devices).toEqual({ total: 2, up: 1, notUp: [{ name: 'SW-HCM-CORE', status: 'down' }] });
    expect(f.agents).toEqual({ total: 2, online: 1, offline: ['hcm-web-01'] });
    expect([FIREWALL, DB]).not.toContain(f.silentSources!.silent[0].source);
  });

  it('daily window: only the last 24 h; a late regulatory report is listed overdue', async () => {
    const late: CompliancePorts = { ...ports, incidents: { incidents: () => [{ ...INCIDENTS[0], detectedAt: NOW - 20 * H, reports: [{ key: 'report.nd331-notice', regime: 'decree331', dueAt: NOW - 2 * H, submittedAt: null }] }] } };
    const f = await computeMonitoringFigures(late, { period: 'daily', agency: AGENCY, now: NOW, silentSourceHours: 24, lookbackDays: 30 });
    expect(f.alerts!.total).toBe(1);
    expect(f.events!.histogram.length).toBeLessThanOrEqual(25);
    expect(f.incidents!.reportsLate).toEqual(['INC-2026-000041 report.nd331-notice']);
  });

  it('a module left out is "not observable", not zero', async () => {
    const f = await computeMonitoringFigures({ events }, { period: 'semiannual', agency: AGENCY, now: NOW, silentSourceHours: 24, lookbackDays: 30 });
    expect(f.alerts).toBeNull();
    expect(f.incidents).toBeNull();
    expect(f.devices).toBeNull();
    expect(f.from).toBe(NOW - 182 * DAY);
    expect(f.events!.total).toBe(seedEvents().length);
  });

  it('weekly PDF in Vietnamese: pdftotext shows the diacritics and the figures; the digest is in the audit chain', async () => {
    const report = await generateMonitoringReport({ config: DEFAULT_COMPLIANCE_CONFIG, ports, audit, now: () => NOW }, { period: 'weekly', agency: AGENCY, format: 'pdf', lang: 'vi' });
    const file = join(dir, report.fileName);
    writeFileSync(file, report.content);
    expect(report.fileName).toBe('monitoring-weekly-hcm-dost-2026-12-18-vi.pdf');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const s of ['Báo cáo giám sát an toàn thông tin hằng tuần', 'Thông tư 31/2017/TT-BTTTT', 'Cảnh báo theo mức độ', 'Nghiêm trọng', 'Báo cáo sự cố quá hạn hoặc nộp muộn: INC-2026-000041 report.nd331-notice', 'Nguồn tấn công', 'Kỹ thuật tấn công', 'Nguồn nhật ký ngừng gửi', 'Sự cố phát hiện trong kỳ: 3 (trong đó nghiêm trọng: 1)', '1/2 thiết bị hoạt động', '1/2 tác tử trực tuyến']) {
      expect(text).toContain(s);
    }
    expect(text).toContain(WEB);
    expect(text).toContain('203.0.113.77');
    expect(text).toContain('1/3 nguồn không gửi nhật ký trong 24 giờ qua');
    expect(report.sha256).toBe(createHash('sha256').update(report.content).digest('hex'));
    const record = audit.list({ action: 'monitoring_report.generate', limit: 1 }).records[0];
    expect(record.seq).toBe(report.auditSeq);
    expect(record.details).toMatchObject({ sha256: report.sha256, period: 'weekly' });
    expect(record.organization).toBe(AGENCY);
    expect(audit.verify().ok).toBe(true);
  });

  it('six-monthly PDF in English and CSV rows', async () => {
    const pdf = await generateMonitoringReport({ config: DEFAULT_COMPLIANCE_CONFIG, ports, now: () => NOW }, { period: 'semiannual', agency: AGENCY, format: 'pdf', lang: 'en' });
    const file = join(dir, pdf.fileName);
    writeFileSync(file, pdf.content);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Six-monthly monitoring activity report');
    expect(text).toContain('Period (UTC): 2026-06-19 07:00 – 2026-12-18 07:00');
    expect(pdf.auditSeq).toBeUndefined();
    const csv = (await generateMonitoringReport({ config: DEFAULT_COMPLIANCE_CONFIG, ports, now: () => NOW }, { period: 'weekly', agency: AGENCY, format: 'csv', lang: 'en' })).content.toString('utf8');
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('section,metric,key,value');
    expect(lines).toContain('alerts,severity,critical,1');
    expect(lines).toContain('alerts,attacker,203.0.113.77,3');
    expect(lines).toContain('incidents,mttr_hours,,8');
    expect(lines).toContain('incidents,reports_late,INC-2026-000041 report.nd331-notice,1');
    expect(lines).toContain('devices,not_up,SW-HCM-CORE,down');
    expect(lines.some((l) => l.startsWith(`sources,silent,${WEB},`))).toBe(true);
  });
});
