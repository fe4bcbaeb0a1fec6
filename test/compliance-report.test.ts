/**
 * Issue 8's check: a level-3 system with a silent log source and retention shorter than required.
 * Real parts: a day-partitioned SQLite event store, the hash-chained audit log, the systems
 * register and manual evidence in SQLite, pdfkit with DejaVu; the PDF is read back with pdftotext.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { EcsEvent } from '../core/event';
import { openAuditLog, type AuditLog } from '../core/audit';
import { openSqlite, type SqliteDb } from '../core/store/sqlite';
import { SqliteEventStore } from '../core/store/sqlite-event-store';
import { loadComplianceCatalog } from '../dashboards/compliance/catalog/load';
import { DEFAULT_COMPLIANCE_CONFIG } from '../dashboards/compliance/config';
import { ManualEvidenceStore } from '../dashboards/compliance/evidence/manual-store';
import type { AgentHealthFacts } from '../dashboards/compliance/ports';
import { runComplianceReport, type ComplianceReportDeps } from '../dashboards/compliance/report/run';
import { SystemRegister } from '../dashboards/compliance/systems/store';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T08:00:00Z');

function pdfText(file: string): string {
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('pdftotext not found: apt-get install poppler-utils', { cause: err });
    throw err;
  }
}

function syslogEvent(ts: number, address: string, host: string, extra: { observer?: Record<string, unknown>; event?: { dataset?: string; kind?: string } } = {}): EcsEvent {
  return {
    '@timestamp': new Date(ts).toISOString(),
    message: `${host} sample`,
    event: { id: `${address}-${ts}`, kind: 'event', dataset: extra.event?.dataset ?? 'syslog', action: 'connection', outcome: 'success', ...extra.event },
    organization: { id: 'hcm-dost' },
    observer: { ip: [address], hostname: host, ...(extra.observer ?? {}) },
    host: { name: host },
    log: { source: { address } },
  } as EcsEvent;
}

describe('compliance report for a level-3 system (decree85)', () => {
  let dir: string;
  let db: SqliteDb;
  let events: SqliteEventStore;
  let audit: AuditLog;
  let deps: ComplianceReportDeps;
  let systemId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-compliance-'));
    db = openSqlite(join(dir, 'socnoc.db'));
    events = new SqliteEventStore({ dir: join(dir, 'events') });
    audit = openAuditLog(join(dir, 'audit.db'), { now: () => NOW });
    audit.append({ actor: { type: 'user', id: 'admin' }, action: 'user.create', result: 'ok', organization: null });
    // Edge firewall: sends every day for the last 45 days (45 < 90 days required at level 3).
    // Web server: stopped 3 days ago (silent). IDS sensor: recent alerts.
    const batch: EcsEvent[] = [];
    for (let d = 45; d >= 0; d--) {
      batch.push(syslogEvent(NOW - d * DAY - 3_600_000, '10.10.0.1', 'fw-edge-01', { observer: { type: 'firewall' }, event: { dataset: 'syslog.fortigate' } }));
      if (d >= 3) batch.push(syslogEvent(NOW - d * DAY - 7_200_000, '10.10.1.20', 'web-portal-01', { event: { dataset: 'syslog.nginx' } }));
    }
    batch.push(syslogEvent(NOW - 600_000, '10.10.0.5', 'ids-01', { observer: { type: 'ids' }, event: { dataset: 'syslog.suricata', kind: 'alert' } }));
    await events.append(batch);

    const systems = new SystemRegister(db, () => NOW);
    systemId = systems.create({
      name: 'Cổng dịch vụ công trực tuyến',
      agency: 'hcm-dost',
      level: 3,
      regime: 'decree85',
      assets: {
        devices: [{ name: 'fw-edge-01', address: '10.10.0.1' }],
        agent_hosts: ['web-portal-01'],
        log_sources: [{ name: 'ids-01', address: '10.10.0.5' }],
      },
      approval: { document: '123/QĐ-STTTT', date: '2025-03-14' },
    }).id;
    const documents = new ManualEvidenceStore(db, join(dir, 'evidence'), () => NOW - DAY);
    const policy = await documents.add(
      { systemId, agency: 'hcm-dost', kind: 'policy_document', title: 'Quy chế bảo đảm an toàn thông tin 2026', fileName: 'quy-che.pdf', contentType: 'application/pdf', uploadedBy: 'dost-admin' },
      Readable.from([Buffer.from('%PDF-1.4 policy')]),
      1 << 20,
    );
    documents.approve(policy.id, 'ciso', { expiresAt: NOW + 365 * DAY });
    const agent: AgentHealthFacts = { id: 'a1', hostname: 'web-portal-01', organization: 'hcm-dost', status: 'online', lastSeen: NOW - 60_000, revoked: false, clockOffsetMs: 120, lastMalwareScan: NOW - DAY, signaturesUpdated: NOW - 2 * 3_600_000 };
    deps = {
      catalog: loadComplianceCatalog(),
      config: DEFAULT_COMPLIANCE_CONFIG,
      ports: { events, audit, agents: { agents: () => [agent] } },
      systems,
      documents,
      audit,
      now: () => NOW,
    };
  });

  afterAll(async () => {
    await events.close();
    audit.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the gaps against the TCVN clauses and the met requirements with evidence, in Vietnamese', async () => {
    const out = join(dir, 'report-vi.pdf');
    const result = await runComplianceReport(deps, { regime: 'decree85', system: systemId, format: 'pdf', lang: 'vi', out });
    const text = pdfText(out);
    expect(text).toContain('Báo cáo đánh giá tuân thủ an toàn thông tin');
    expect(text).toContain('Cổng dịch vụ công trực tuyến');
    expect(text).toContain('Cấp độ: 3');
    // Network-device logging at level 3 is TCVN 11930 7.2.1.4: the silent web server and the 45-day retention are its gaps.
    expect(text).toContain('VN85.T.NET.LOG (TCVN 11930:2017 7.2.1.4): Đạt một phần');
    expect(text).toContain('web-portal-01: im lặng từ');
    expect(text).toContain('Nhật ký truy xuất được 45 ngày');
    expect(text).toContain('yêu cầu ≥ 90 ngày');
    expect(text).toContain('Tăng thời gian lưu nhật ký lên ít nhất 90 ngày');
    expect(text).toContain('[Chưa xác minh]');
    // Met, with the evidence behind it: the audit chain and the approved policy document.
    expect(text).toMatch(/VN85\.T\.APP\.NONREP · Chống chối bỏ Kết quả: Đạt Điều khoản: TCVN 11930:2017 7\.2\.3\.5/);
    expect(text).toContain('Chuỗi băm nhật ký kiểm toán toàn vẹn');
    expect(text).toMatch(/VN85\.M\.POLICY · Thiết lập, công bố, rà soát chính sách ATTT Kết quả: Đạt/);
    expect(text).toContain('phê duyệt bởi ciso');
    // Monitoring storage (Circular 31: 30 days) is met by the same 45 days.
    expect(text).toMatch(/VN\.MON\.STORAGE_30D · .{0,80}Kết quả: Đạt /);
    // The digest of the exact file is in the audit log, and the chain still verifies.
    const sha = createHash('sha256').update(readFileSync(out)).digest('hex');
    expect(result.sha256).toBe(sha);
    const records = audit.list({ action: 'compliance_report.generate', limit: 10 }).records;
    expect(records.map((r) => r.details.sha256)).toContain(sha);
    expect(audit.verify().ok).toBe(true);
  });

  it('says the same in English', async () => {
    const out = join(dir, 'report-en.pdf');
    await runComplianceReport(deps, { regime: 'decree85', system: systemId, format: 'pdf', lang: 'en', out });
    const text = pdfText(out);
    expect(text).toContain('VN85.T.NET.LOG (TCVN 11930:2017 7.2.1.4): Partly met');
    expect(text).toContain('web-portal-01: silent since');
    expect(text).toContain('45 days of logs retrievable');
    expect(text).toMatch(/VN85\.T\.APP\.NONREP · Non-repudiation Result: Met/);
  });

  it('reports Decree 331 / TCVN 14423 retention as not met, with its clause', async () => {
    const out = join(dir, 'report-331.csv');
    await runComplianceReport(deps, { regime: 'decree331', agency: 'hcm-dost', format: 'csv', lang: 'en', out });
    const rows = readFileSync(out, 'utf8').split('\r\n');
    const retention = rows.find((r) => r.includes(',TCVN14423.LOG_RETENTION,'));
    expect(retention).toContain('TCVN 14423:2026 5.8.2.1a');
    expect(retention).toContain(',not_met,Not met,true,');
  });
});
